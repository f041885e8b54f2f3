import { followedResource } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { ingressIndex, openedPorts } from './security-group-ingress';
import { idsLeavingValidation, nameFrom } from './subnet-routes';
import { awsServiceName, endpointType } from './vpc-endpoint-index';

const HTTPS = 443;

/**
 * C17: VPC endpoints are usable. A gateway endpoint (VpcEndpointType Gateway, or absent for S3 and
 * DynamoDB) needs route tables, or no subnet routes through it; an interface endpoint needs a
 * security group that allows ingress on 443 (inline, or `AWS::EC2::SecurityGroupIngress` rules of any
 * template of the stage, as CDK writes `connections.allowTo` from another stack), or clients cannot
 * reach it and calls fall back to NAT or fail. Security groups or service names that cannot be
 * resolved, and groups whose id leaves the stage (others may add rules), are unknown.
 */
export class VpcEndpoints implements FintechRule {
  /** Gateway endpoint without route tables. */
  public static readonly GATEWAY_WITHOUT_ROUTE_TABLES: RuleInfo = {
    id: 'Fintech-C17-GatewayEndpointWithoutRouteTables',
    catalogId: 'C17',
    title: 'Gateway endpoints are attached to route tables',
    description: 'A gateway endpoint without route tables changes no route: S3 and DynamoDB traffic still leaves through the NAT gateway (paid per GB) or fails in isolated subnets, while the endpoint suggests it is private. ' +
      'Judged on gateway endpoints (type Gateway, or S3 and DynamoDB without a type). Not judged: endpoints whose type synth cannot tell ' +
      '(an intrinsic type, or none and a service name synth cannot read), intrinsic route table lists, and whether the route tables are ' +
      'those of the subnets that use the service (Fintech-C17-FunctionWithoutServiceRoute judges that for Lambda functions).',
    fix: 'Use a FintechVpc, or vpc.addGatewayEndpoint(...) (it attaches every subnet\'s route table); with L1, set RouteTableIds on the CfnVPCEndpoint.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Interface endpoint that allows no HTTPS ingress. */
  public static readonly INTERFACE_WITHOUT_HTTPS: RuleInfo = {
    id: 'Fintech-C17-InterfaceEndpointWithoutHttps',
    catalogId: 'C17',
    title: 'Interface endpoints have a security group that allows HTTPS',
    description: 'AWS SDK calls reach an interface endpoint on port 443; without a security group allowing it the endpoint uses the VPC default group, which admits only its own members, so calls time out or silently route around the endpoint. ' +
      'The ingress rules of every stack of the stage count (a workload stack opening a network stack\'s endpoint group with connections.allowTo). ' +
      'Not judged: groups from outside the stage or that cannot be resolved, groups with rules that cannot be read, and groups whose id leaves the stage (an output other than the exports CDK writes for another stack of the app, a custom resource), since rules may be added there.',
    fix: 'Use a FintechVpc, or vpc.addInterfaceEndpoint(...) (its security group allows 443 from the VPC); with L1, set SecurityGroupIds to a group with a 443 ingress rule.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'VpcEndpoints';
  public readonly infos = [VpcEndpoints.GATEWAY_WITHOUT_ROUTE_TABLES, VpcEndpoints.INTERFACE_WITHOUT_HTTPS];
  public readonly resourceTypes = ['AWS::EC2::VPCEndpoint'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const type = endpointType(properties.VpcEndpointType, awsServiceName(resource.stack, properties.ServiceName));
    if (type === 'gateway') return this.checkGateway(resource, properties.RouteTableIds);
    if (type === 'interface') return this.checkInterface(resource, properties.SecurityGroupIds);
    return [];
  }

  private checkGateway(resource: TemplateResource, routeTables: unknown): RuleFinding[] {
    if (routeTables !== undefined && (!Array.isArray(routeTables) || routeTables.length > 0)) return [];
    return [findingOn(resource, VpcEndpoints.GATEWAY_WITHOUT_ROUTE_TABLES.id,
      `${resource.type} ${resource.logicalId} is a gateway endpoint with no RouteTableIds, so no subnet routes through it.`, ['Properties/RouteTableIds'])];
  }

  private checkInterface(resource: TemplateResource, groups: unknown): RuleFinding[] {
    if (groups === undefined || (Array.isArray(groups) && groups.length === 0)) {
      return [findingOn(resource, VpcEndpoints.INTERFACE_WITHOUT_HTTPS.id,
        `${resource.type} ${resource.logicalId} is an interface endpoint with no SecurityGroupIds, so it gets the VPC default security group and clients cannot reach it on 443.`,
        ['Properties/SecurityGroupIds'])];
    }
    if (!Array.isArray(groups)) return [];
    const stack = resource.stack;
    const index = ingressIndex(stack);
    if (index.unknownTargets) return [];
    const leaving = idsLeavingValidation(stack.peers);
    const resolved: TemplateResource[] = [];
    for (const group of groups) {
      const securityGroup = followedResource(stack, group, 'AWS::EC2::SecurityGroup');
      // A group from outside the stage, one whose rules cannot be read, or one others outside may add rules to may allow 443.
      if (!securityGroup || index.unknownGroups.has(securityGroup) || leaving.has(securityGroup)) return [];
      resolved.push(securityGroup);
    }
    const allowsHttps = resolved.some(group => (index.bySecurityGroup.get(group) ?? []).some(({ rule }) => {
      const ports = openedPorts(rule);
      return ports === undefined || 'all' in ports || ('from' in ports && ports.from <= HTTPS && HTTPS <= ports.to);
    }));
    if (allowsHttps) return [];
    return [findingOn(resource, VpcEndpoints.INTERFACE_WITHOUT_HTTPS.id,
      `${resource.type} ${resource.logicalId} is an interface endpoint whose security groups (${resolved.map(group => nameFrom(group, stack)).join(', ')}) allow no ingress on port ${HTTPS}, so clients cannot reach it.`,
      ['Properties/SecurityGroupIds'])];
  }
}
