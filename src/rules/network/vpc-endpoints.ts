import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';
import { ingressIndex, openedPorts } from './security-group-ingress';
import { awsServiceName, endpointType } from './vpc-endpoint-index';

const HTTPS = 443;

/**
 * C17: VPC endpoints are usable. A gateway endpoint (VpcEndpointType Gateway, or absent for S3 and
 * DynamoDB) needs route tables, or no subnet routes through it; an interface endpoint needs a
 * security group that allows ingress on 443 (inline or `AWS::EC2::SecurityGroupIngress` rules of the
 * template), or clients cannot reach it and calls fall back to NAT or fail. Security groups or
 * service names that cannot be resolved are unknown.
 */
export class VpcEndpoints implements FintechRule {
  /** Gateway endpoint without route tables. */
  public static readonly GATEWAY_WITHOUT_ROUTE_TABLES: RuleInfo = {
    id: 'Fintech-C17-GatewayEndpointWithoutRouteTables',
    catalogId: 'C17',
    title: 'Gateway endpoints are attached to route tables',
    description: 'A gateway endpoint without route tables changes no route: S3 and DynamoDB traffic still leaves through the NAT gateway (paid per GB) or fails in isolated subnets, while the endpoint suggests it is private.',
    fix: 'Use a FintechVpc, or vpc.addGatewayEndpoint(...) (it attaches every subnet\'s route table); with L1, set RouteTableIds on the CfnVPCEndpoint.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Interface endpoint that allows no HTTPS ingress. */
  public static readonly INTERFACE_WITHOUT_HTTPS: RuleInfo = {
    id: 'Fintech-C17-InterfaceEndpointWithoutHttps',
    catalogId: 'C17',
    title: 'Interface endpoints have a security group that allows HTTPS',
    description: 'AWS SDK calls reach an interface endpoint on port 443; without a security group allowing it the endpoint uses the VPC default group, which admits only its own members, so calls time out or silently route around the endpoint.',
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
    const index = ingressIndex(resource.stack);
    if (index.unknownTargets) return [];
    const ids: string[] = [];
    for (const group of groups) {
      const id = TemplateValue.referencedId(group);
      // A security group outside the template, or one whose rules cannot be read, may allow 443.
      if (!id || resource.stack.resource(id)?.type !== 'AWS::EC2::SecurityGroup' || index.unknownGroups.has(id)) return [];
      ids.push(id);
    }
    const allowsHttps = ids.some(id => (index.bySecurityGroup.get(id) ?? []).some(({ rule }) => {
      const ports = openedPorts(rule);
      return ports === undefined || 'all' in ports || ('from' in ports && ports.from <= HTTPS && HTTPS <= ports.to);
    }));
    if (allowsHttps) return [];
    return [findingOn(resource, VpcEndpoints.INTERFACE_WITHOUT_HTTPS.id,
      `${resource.type} ${resource.logicalId} is an interface endpoint whose security groups (${ids.join(', ')}) allow no ingress on port ${HTTPS}, so clients cannot reach it.`,
      ['Properties/SecurityGroupIds'])];
  }
}
