import { followedResource } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource, resourceNamed } from '../stack-template';
import { TemplateValue } from '../template-value';
import { internetRouteOf, nameFrom, subnetRouteIndex } from './subnet-routes';

/**
 * C17: RDS instances and clusters live in isolated subnets and are not publicly accessible. A subnet
 * is isolated when its route table (`AWS::EC2::SubnetRouteTableAssociation`) has no `AWS::EC2::Route`
 * to an internet gateway or a NAT gateway. The subnet group, subnets, tables and routes may be in any template validated
 * with the database's (a network stack's subnets passed in as nested-stack parameters or imports, or its subnet group
 * named by its literal name). Only routes found in
 * those templates count: a subnet, route table or gateway that cannot be resolved is unknown and reported as nothing. A database without
 * DBSubnetGroupName (and not a cluster member) goes to the default VPC, whose subnets are public.
 */
export class DatabaseSubnets implements FintechRule {
  /** Metadata of `Fintech-C17-DatabaseNotIsolated`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C17-DatabaseNotIsolated',
    catalogId: 'C17',
    title: 'Databases are private and in isolated subnets',
    description: 'A database in a subnet that routes to an internet or NAT gateway, or one that is publicly accessible, is one security group mistake away from the internet and can send data out; cardholder data stores belong in subnets with no route out.',
    fix: 'Use a FintechVpc and place the database with vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, with publiclyAccessible: false.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'DatabaseSubnets';
  public readonly infos = [DatabaseSubnets.INFO];
  public readonly resourceTypes = ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const findings: RuleFinding[] = [];
    const report = (problem: string, location: string) => findings.push(findingOn(resource, DatabaseSubnets.INFO.id,
      `${resource.type} ${resource.logicalId} ${problem}.`, [location]));
    if (TemplateValue.booleanOf(properties.PubliclyAccessible) === true) report('is PubliclyAccessible, so it gets a public IP address', 'Properties/PubliclyAccessible');

    const groupName = properties.DBSubnetGroupName;
    if (groupName === undefined) {
      // A cluster member takes its cluster's subnets.
      if (resource.type === 'AWS::RDS::DBCluster' || properties.DBClusterIdentifier === undefined) {
        report('has no DBSubnetGroupName, so RDS places it in the default VPC, whose subnets route to an internet gateway', 'Properties/DBSubnetGroupName');
      }
      return findings;
    }
    const stack = resource.stack;
    // RDS stores subnet group names in lower case; a literal name may be another stack's group of the same account and region.
    const group = typeof groupName === 'string' ? resourceNamed(stack, 'AWS::RDS::DBSubnetGroup', 'DBSubnetGroupName', groupName, true)
      : followedResource(stack, groupName, 'AWS::RDS::DBSubnetGroup');
    const subnetIds = group?.properties?.SubnetIds;
    if (!group || !Array.isArray(subnetIds)) return findings;
    const routes = subnetRouteIndex(stack);
    const routed = subnetIds.flatMap(id => {
      const subnet = followedResource(group.stack, id, 'AWS::EC2::Subnet');
      const route = subnet && internetRouteOf(routes, subnet);
      return subnet && route ? [`${nameFrom(subnet, group.stack)} (${route.logicalId})`] : [];
    });
    if (routed.length > 0) {
      report(`uses AWS::RDS::DBSubnetGroup ${nameFrom(group, stack)}, whose subnets ${routed.join(', ')} route to an internet or NAT gateway`,
        'Properties/DBSubnetGroupName');
    }
    return findings;
  }
}
