import { StackTemplate } from '../stack-template';
import { templateReferences } from '../template/template-references';
import { TemplateValue } from '../template-value';

/**
 * Where one `AWS::EC2::Route` sends traffic: an internet, NAT or egress-only internet gateway, the VPC itself
 * (`GatewayId: local`), or anywhere else (a transit gateway, peering, network interface, instance, VPN gateway,
 * firewall endpoint, or a target synth cannot read), which is an unknown path.
 */
export type RouteTarget = 'internet-gateway' | 'nat-gateway' | 'egress-only-internet-gateway' | 'local' | 'other';

// Attributes that identify the resource itself: other values (a VPC's CIDR or default security group) let no one change it.
const IDENTIFYING_ATTRIBUTES = new Set(['Arn', 'Id', 'VpcId', 'RouteTableId', 'KeyId']);

/** One route of a route table, read from the template. */
export interface TableRoute {
  /** Logical id of the `AWS::EC2::Route`. */
  readonly logicalId: string;
  /** Where it sends traffic. */
  readonly target: RouteTarget;
  /** Whether its destination is every address: `0.0.0.0/0` or `::/0`. */
  readonly toAnywhere: boolean;
  /** Whether the route surely exists: its properties are literal and it has no condition synth cannot decide. */
  readonly certain: boolean;
}

/** One route table the template's routes or associations name. */
export interface RouteTableRoutes {
  /** Logical id of the table. */
  readonly logicalId: string;
  /** Logical id of its `AWS::EC2::VPC` when the table is one of the template and names a VPC of the template. */
  readonly vpc?: string;
  /** Whether the table is one of the template whose VpcId synth cannot resolve: it may be in any VPC of the template. */
  readonly unresolvedVpc: boolean;
  /** Its routes, in template order. */
  readonly routes: readonly TableRoute[];
  /**
   * Whether routes may come from elsewhere: the table is not an `AWS::EC2::RouteTable` of the template, its id leaves
   * the template (an output or a nested stack parameter), or a VPN gateway propagates routes into it.
   */
  readonly open: boolean;
}

/** How the subnets of one template route, indexed once per template. */
export interface SubnetRouteIndex {
  /** Route tables by logical id. */
  readonly tables: ReadonlyMap<string, RouteTableRoutes>;
  /** The route tables associated with each subnet (`AWS::EC2::SubnetRouteTableAssociation`), by subnet logical id. */
  readonly tablesOfSubnet: ReadonlyMap<string, readonly string[]>;
  /** Routes and route propagations whose route table synth cannot resolve: they may belong to any table. */
  readonly unplaced: readonly string[];
}

/** The template's routes by route table and subnet, computed once per template. */
export function subnetRouteIndex(stack: StackTemplate): SubnetRouteIndex {
  return stack.memo('network.subnet-routes', () => indexRoutes(stack));
}

/**
 * The first route to an internet or NAT gateway (any destination) on a route table of the subnet, as its logical
 * id; undefined when the template shows none.
 */
export function internetRouteOf(index: SubnetRouteIndex, subnet: string): string | undefined {
  for (const table of index.tablesOfSubnet.get(subnet) ?? []) {
    const route = index.tables.get(table)?.routes.find(r => r.target === 'internet-gateway' || r.target === 'nat-gateway');
    if (route) return route.logicalId;
  }
  return undefined;
}

function indexRoutes(stack: StackTemplate): SubnetRouteIndex {
  const routesOfTable = new Map<string, TableRoute[]>();
  const unplaced: string[] = [];
  const propagated = new Set<string>();
  const tableOf = (value: unknown, logicalId: string, then: (table: string) => void) => {
    const table = TemplateValue.referencedId(value);
    if (table) then(table); else unplaced.push(logicalId);
  };
  for (const route of stack.resourcesOfType('AWS::EC2::Route')) {
    tableOf(route.properties?.RouteTableId, route.logicalId, table => {
      const routes = routesOfTable.get(table) ?? [];
      routes.push(readRoute(stack, route.logicalId, route.properties, route.definition.Condition));
      routesOfTable.set(table, routes);
    });
  }
  for (const propagation of stack.resourcesOfType('AWS::EC2::VPNGatewayRoutePropagation')) {
    const tables = propagation.properties?.RouteTableIds;
    if (!Array.isArray(tables)) unplaced.push(propagation.logicalId);
    else for (const table of tables) tableOf(table, propagation.logicalId, id => propagated.add(id));
  }
  const tablesOfSubnet = new Map<string, string[]>();
  for (const association of stack.resourcesOfType('AWS::EC2::SubnetRouteTableAssociation')) {
    const subnet = TemplateValue.referencedId(association.properties?.SubnetId);
    const table = TemplateValue.referencedId(association.properties?.RouteTableId);
    if (!subnet || !table) continue;
    tablesOfSubnet.set(subnet, [...tablesOfSubnet.get(subnet) ?? [], table]);
    if (!routesOfTable.has(table)) routesOfTable.set(table, []);
  }
  const leaving = idsLeavingTemplate(stack);
  const tables = new Map<string, RouteTableRoutes>();
  for (const [logicalId, routes] of routesOfTable) {
    const table = stack.resource(logicalId);
    const ownTable = table?.type === 'AWS::EC2::RouteTable';
    const vpcId = ownTable ? table.properties?.VpcId : undefined;
    const vpc = TemplateValue.referencedId(vpcId);
    tables.set(logicalId, {
      logicalId,
      ...(vpc && stack.resource(vpc)?.type === 'AWS::EC2::VPC' ? { vpc } : {}),
      // A literal id is a VPC outside the template; a Ref or GetAtt is resolved; anything else is unknown.
      unresolvedVpc: ownTable && vpc === undefined && typeof vpcId !== 'string',
      routes,
      open: !ownTable || leaving.has(logicalId) || propagated.has(logicalId),
    });
  }
  return { tables, tablesOfSubnet, unplaced };
}

function readRoute(stack: StackTemplate, logicalId: string, properties: { readonly [key: string]: unknown } | undefined,
  condition: unknown): TableRoute {
  if (!properties) return { logicalId, target: 'other', toAnywhere: false, certain: false };
  const certain = condition === undefined || (typeof condition === 'string' && stack.conditionValue(condition) === true);
  const toAnywhere = properties.DestinationCidrBlock === '0.0.0.0/0' || properties.DestinationIpv6CidrBlock === '::/0';
  return { logicalId, target: routeTarget(stack, properties), toAnywhere, certain };
}

function routeTarget(stack: StackTemplate, route: { readonly [key: string]: unknown }): RouteTarget {
  // A NAT gateway by literal id or reference; an Fn::If may resolve to no NAT at all.
  if (typeof route.NatGatewayId === 'string' || TemplateValue.referencedId(route.NatGatewayId)) return 'nat-gateway';
  const egressOnly = route.EgressOnlyInternetGatewayId;
  if (typeof egressOnly === 'string' || TemplateValue.referencedId(egressOnly)) return 'egress-only-internet-gateway';
  const gateway = route.GatewayId;
  if (gateway === 'local') return 'local';
  if (typeof gateway === 'string') return gateway.startsWith('igw-') ? 'internet-gateway' : 'other';
  const target = TemplateValue.referencedId(gateway);
  return target !== undefined && stack.resource(target)?.type === 'AWS::EC2::InternetGateway' ? 'internet-gateway' : 'other';
}

/**
 * Logical ids that code or templates elsewhere receive, so they may change what the ids name (add routes, create
 * endpoints): ids named (by `Ref`, or an identifying attribute such as `Arn`) in an output, or passed to a nested stack
 * (`AWS::CloudFormation::Stack`) or to a custom resource.
 */
export function idsLeavingTemplate(stack: StackTemplate): ReadonlySet<string> {
  return stack.memo('network.ids-leaving-template', () => {
    const leaving = new Set<string>();
    for (const element of templateReferences(stack).elements) {
      const type = element.type ?? '';
      const elsewhere = element.section === 'Outputs' || type === 'AWS::CloudFormation::Stack' || type === 'AWS::CloudFormation::CustomResource' || type.startsWith('Custom::');
      if (!elsewhere) continue;
      for (const reference of element.references) {
        if (reference.via === 'DependsOn' || (reference.attribute !== undefined && !IDENTIFYING_ATTRIBUTES.has(reference.attribute))) continue;
        leaving.add(reference.target);
      }
    }
    return leaving;
  });
}
