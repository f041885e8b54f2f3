import { followedResource } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource, resourceNamed } from '../stack-template';
import { TemplateValue } from '../template-value';
import { internetRouteOf, nameFrom, subnetRouteIndex } from './subnet-routes';

/** Where a database type keeps its network placement. */
interface DatabasePlacement {
  /** The property naming its subnet group, when it takes one. */
  readonly groupProperty?: string;
  /** The subnet group's type, and the property holding the group's literal name (none when CloudFormation generates it). */
  readonly groupType?: string;
  readonly groupNameProperty?: string;
  /** The property listing its subnets directly, for types without a subnet group. */
  readonly subnetsProperty?: string;
  /** Whether the service places it in the default VPC, whose subnets are public, when no subnet group is named. */
  readonly defaultVpcWhenUnset: boolean;
  /** The property that makes it a member of a cluster, which takes the cluster's subnets. */
  readonly memberProperty?: string;
  /** Whether the type has a PubliclyAccessible flag. */
  readonly publicFlag: boolean;
}

const RDS_GROUP = { groupProperty: 'DBSubnetGroupName', groupType: 'AWS::RDS::DBSubnetGroup', groupNameProperty: 'DBSubnetGroupName' };

/**
 * The databases judged and where each keeps its placement (each service's CloudFormation reference, checked 2026-12).
 * DocumentDB and Neptune clusters take a subnet group like RDS, and without one go to the default VPC; their instances
 * are always cluster members. A Redshift cluster without a subnet group is not judged (its placement then depends on
 * the account's default VPC); Redshift Serverless workgroups name their subnets directly.
 */
const DATABASES: { readonly [type: string]: DatabasePlacement } = {
  'AWS::RDS::DBInstance': { ...RDS_GROUP, defaultVpcWhenUnset: true, memberProperty: 'DBClusterIdentifier', publicFlag: true },
  'AWS::RDS::DBCluster': { ...RDS_GROUP, defaultVpcWhenUnset: true, publicFlag: true },
  'AWS::DocDB::DBCluster': {
    groupProperty: 'DBSubnetGroupName', groupType: 'AWS::DocDB::DBSubnetGroup', groupNameProperty: 'DBSubnetGroupName', defaultVpcWhenUnset: true, publicFlag: false,
  },
  'AWS::Neptune::DBCluster': {
    groupProperty: 'DBSubnetGroupName', groupType: 'AWS::Neptune::DBSubnetGroup', groupNameProperty: 'DBSubnetGroupName', defaultVpcWhenUnset: true, publicFlag: false,
  },
  'AWS::Redshift::Cluster': { groupProperty: 'ClusterSubnetGroupName', groupType: 'AWS::Redshift::ClusterSubnetGroup', defaultVpcWhenUnset: false, publicFlag: true },
  'AWS::RedshiftServerless::Workgroup': { subnetsProperty: 'SubnetIds', defaultVpcWhenUnset: false, publicFlag: true },
  // A message broker holds payment messages like a database holds rows; without SubnetIds it goes to the default VPC.
  'AWS::AmazonMQ::Broker': { subnetsProperty: 'SubnetIds', defaultVpcWhenUnset: true, publicFlag: true },
};

/** What makes a store's endpoint public, as far as the template says; undefined when private or unknown. */
type PublicEndpointReader = (properties: { readonly [key: string]: unknown }) => { readonly problem: string; readonly location: string } | undefined;

const searchDomainEndpoint: PublicEndpointReader = properties => properties.VPCOptions !== undefined ? undefined
  : { problem: 'has no VPCOptions, so its endpoint is on the internet, guarded by its access policy alone', location: 'Properties/VPCOptions' };

/**
 * Stores judged on a public endpoint only, not on their subnets (each service's CloudFormation reference, checked 2026-12):
 * a search domain without VPCOptions gets an endpoint on the internet, guarded by its access policy alone; an MSK cluster
 * with PublicAccess SERVICE_PROVIDED_EIPS gives its brokers public addresses.
 */
const PUBLIC_ENDPOINTS: { readonly [type: string]: PublicEndpointReader } = {
  'AWS::OpenSearchService::Domain': searchDomainEndpoint,
  'AWS::Elasticsearch::Domain': searchDomainEndpoint,
  'AWS::MSK::Cluster': properties => {
    const connectivity = TemplateValue.literalObject(TemplateValue.literalObject(properties.BrokerNodeGroupInfo)?.ConnectivityInfo);
    const publicAccess = TemplateValue.literalObject(connectivity?.PublicAccess);
    if (publicAccess?.Type !== 'SERVICE_PROVIDED_EIPS') return undefined;
    return {
      problem: 'has PublicAccess SERVICE_PROVIDED_EIPS, so its brokers get public IP addresses and the internet can reach them',
      location: 'Properties/BrokerNodeGroupInfo/ConnectivityInfo/PublicAccess/Type',
    };
  },
};

/**
 * C17: databases (RDS instances and clusters, DocumentDB and Neptune clusters, Redshift clusters and Serverless workgroups)
 * and message brokers (Amazon MQ) live in isolated subnets and are not publicly accessible; search domains and MSK clusters
 * have no public endpoint (`PUBLIC_ENDPOINTS`; their subnets are not judged). A subnet
 * is isolated when its route table (`AWS::EC2::SubnetRouteTableAssociation`) has no `AWS::EC2::Route`
 * to an internet gateway or a NAT gateway. The subnet group, subnets, tables and routes may be in any template validated
 * with the database's (a network stack's subnets passed in as nested-stack parameters or imports, or its subnet group
 * named by its literal name). Only routes found in
 * those templates count: a subnet, route table or gateway that cannot be resolved is unknown and reported as nothing. A database without
 * a subnet group (and not a cluster member) goes to the default VPC, whose subnets are public (RDS, DocumentDB, Neptune), as does a
 * broker without subnets.
 */
export class DatabaseSubnets implements FintechRule {
  /** Metadata of `Fintech-C17-DatabaseNotIsolated`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C17-DatabaseNotIsolated',
    catalogId: 'C17',
    title: 'Databases and message brokers are private and in isolated subnets',
    description: 'A database in a subnet that routes to an internet or NAT gateway, or one that is publicly accessible, is one security group mistake away from the internet and can send data out; cardholder data stores belong in subnets with no route out. ' +
      'Judges RDS instances and clusters, DocumentDB and Neptune clusters (without a subnet group they go to the default VPC), Redshift clusters and Redshift Serverless workgroups, ' +
      'and Amazon MQ brokers (without SubnetIds they go to the default VPC). ' +
      'OpenSearch and Elasticsearch domains and MSK clusters are judged on a public endpoint only: a domain without VPCOptions, a cluster with PublicAccess SERVICE_PROVIDED_EIPS. ' +
      'Not judged: the subnets of search domains and MSK clusters, caches (ElastiCache, MemoryDB), OpenSearch Serverless network policies (every request to a collection is signed and checked against its data access policies), and subnets, route tables or gateways the templates do not resolve.',
    fix: 'Use a FintechVpc and place the database with vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, with publiclyAccessible: false; give an opensearch.Domain a vpc and vpcSubnets; leave an MSK cluster\'s PublicAccess DISABLED.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'DatabaseSubnets';
  public readonly infos = [DatabaseSubnets.INFO];
  public readonly resourceTypes = [...Object.keys(DATABASES), ...Object.keys(PUBLIC_ENDPOINTS)];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const findings: RuleFinding[] = [];
    const report = (problem: string, location: string) => findings.push(findingOn(resource, DatabaseSubnets.INFO.id,
      `${resource.type} ${resource.logicalId} ${problem}.`, [location]));
    const publicEndpoint = PUBLIC_ENDPOINTS[resource.type]?.(properties);
    if (publicEndpoint) report(publicEndpoint.problem, publicEndpoint.location);
    const placement = DATABASES[resource.type];
    if (!placement) return findings;
    if (placement.publicFlag && TemplateValue.booleanOf(properties.PubliclyAccessible) === true) {
      report('is PubliclyAccessible, so it gets a public IP address', 'Properties/PubliclyAccessible');
    }
    const stack = resource.stack;
    const routedOf = (subnetIds: readonly unknown[], from: StackTemplate) => {
      const routes = subnetRouteIndex(stack);
      return subnetIds.flatMap(id => {
        const subnet = followedResource(from, id, 'AWS::EC2::Subnet');
        const route = subnet && internetRouteOf(routes, subnet);
        return subnet && route ? [`${nameFrom(subnet, from)} (${route.logicalId})`] : [];
      });
    };

    if (placement.subnetsProperty) {
      const subnetIds = properties[placement.subnetsProperty];
      if (subnetIds === undefined && placement.defaultVpcWhenUnset) {
        report(`has no ${placement.subnetsProperty}, so it is placed in the default VPC, whose subnets route to an internet gateway`, `Properties/${placement.subnetsProperty}`);
        return findings;
      }
      const routed = Array.isArray(subnetIds) ? routedOf(subnetIds, stack) : [];
      if (routed.length > 0) report(`has subnets ${routed.join(', ')} that route to an internet or NAT gateway`, `Properties/${placement.subnetsProperty}`);
      return findings;
    }
    const groupName = properties[placement.groupProperty!];
    if (groupName === undefined) {
      // A cluster member takes its cluster's subnets.
      if (placement.defaultVpcWhenUnset && (!placement.memberProperty || properties[placement.memberProperty] === undefined)) {
        report(`has no ${placement.groupProperty}, so it is placed in the default VPC, whose subnets route to an internet gateway`, `Properties/${placement.groupProperty}`);
      }
      return findings;
    }
    // Subnet group names are stored in lower case; a literal name may be another stack's group of the same account and region.
    const group = typeof groupName === 'string'
      ? (placement.groupNameProperty ? resourceNamed(stack, placement.groupType!, placement.groupNameProperty, groupName, true) : undefined)
      : followedResource(stack, groupName, placement.groupType!);
    const subnetIds = group?.properties?.SubnetIds;
    if (!group || !Array.isArray(subnetIds)) return findings;
    const routed = routedOf(subnetIds, group.stack);
    if (routed.length > 0) {
      report(`uses ${placement.groupType} ${nameFrom(group, stack)}, whose subnets ${routed.join(', ')} route to an internet or NAT gateway`,
        `Properties/${placement.groupProperty}`);
    }
    return findings;
  }
}
