import { followedId, followedResource, resolveAcrossStacks } from '../events/deliveries';
import { StackTemplate, TemplatePeers, TemplateResource } from '../stack-template';
import { ElementReferences, templateReferences } from '../template/template-references';
import { TemplateValue } from '../template-value';

/**
 * Where one `AWS::EC2::Route` sends traffic: an internet, NAT or egress-only internet gateway, the VPC itself
 * (`GatewayId: local`), or anywhere else (a transit gateway, peering, network interface, instance, VPN gateway,
 * firewall endpoint, or a target synth cannot read), which is an unknown path.
 */
export type RouteTarget = 'internet-gateway' | 'nat-gateway' | 'egress-only-internet-gateway' | 'local' | 'other';

// Attributes that identify the resource itself: other values (a VPC's CIDR or default security group) let no one change it.
const IDENTIFYING_ATTRIBUTES = new Set(['Arn', 'Id', 'VpcId', 'SubnetId', 'RouteTableId', 'GroupId', 'KeyId']);
// The outputs CDK writes for a reference from another stack of the same app: only a template validated with it imports them.
const CDK_EXPORT = /^ExportsOutput/;

/** One route of a route table, read from the template that declares it. */
export interface TableRoute {
  /** The `AWS::EC2::Route`. */
  readonly resource: TemplateResource;
  /** Logical id of the `AWS::EC2::Route`. */
  readonly logicalId: string;
  /** Where it sends traffic. */
  readonly target: RouteTarget;
  /** Whether its destination is every address: `0.0.0.0/0` or `::/0`. */
  readonly toAnywhere: boolean;
  /** Whether the route surely exists: its properties are literal and it has no condition synth cannot decide. */
  readonly certain: boolean;
}

/** One route table that routes or associations of the validated templates name. */
export interface RouteTableRoutes {
  /** The `AWS::EC2::RouteTable`, when it is one of the validated templates. */
  readonly table?: TemplateResource;
  /** Logical id of the table, or the name of what stands for a table outside the templates (a parameter, a literal id). */
  readonly logicalId: string;
  /** Its `AWS::EC2::VPC`, when the table is one of the templates and names a VPC of the templates. */
  readonly vpc?: TemplateResource;
  /** Whether the table is one of the templates and its VpcId cannot be resolved: it may be in any VPC. */
  readonly unresolvedVpc: boolean;
  /** Its routes, from every validated template, in template order. */
  readonly routes: readonly TableRoute[];
  /**
   * Whether routes may come from elsewhere: the table is not an `AWS::EC2::RouteTable` of the templates, its id leaves
   * them (`idsLeavingValidation`), or a VPN gateway propagates routes into it.
   */
  readonly open: boolean;
}

/** How the subnets of the templates validated together route, indexed once per validation. */
export interface SubnetRouteIndex {
  /** The `AWS::EC2::RouteTable`s that routes or associations name, with their routes. */
  readonly tables: ReadonlyMap<TemplateResource, RouteTableRoutes>;
  /**
   * The route tables associated with each subnet (`AWS::EC2::SubnetRouteTableAssociation` of any template), tables
   * outside the templates included.
   */
  readonly tablesOfSubnet: ReadonlyMap<TemplateResource, readonly RouteTableRoutes[]>;
  /** Routes and route propagations whose route table synth cannot resolve: they may belong to any table. */
  readonly unplaced: readonly TemplateResource[];
}

/** The validation's routes by route table and subnet, computed once per validation. */
export function subnetRouteIndex(stack: StackTemplate): SubnetRouteIndex {
  return stack.peers.memo('network.subnet-routes', () => indexRoutes(stack.peers));
}

/**
 * The first route to an internet or NAT gateway (any destination) on a route table of the subnet; undefined when the
 * templates show none.
 */
export function internetRouteOf(index: SubnetRouteIndex, subnet: TemplateResource): TableRoute | undefined {
  for (const table of index.tablesOfSubnet.get(subnet) ?? []) {
    const route = table.routes.find(r => r.target === 'internet-gateway' || r.target === 'nat-gateway');
    if (route) return route;
  }
  return undefined;
}

/** `logicalId`, followed by ` in <stack path>` when the resource is in another template than `from`. */
export function nameFrom(resource: TemplateResource, from: StackTemplate): string {
  return resource.stack === from ? resource.logicalId : `${resource.logicalId} in ${resource.stack.path}`;
}

function indexRoutes(peers: TemplatePeers): SubnetRouteIndex {
  const leaving = idsLeavingValidation(peers);
  const tables = new Map<TemplateResource, RouteTableRoutes & { routes: TableRoute[]; open: boolean }>();
  const outside = new Map<string, RouteTableRoutes & { routes: TableRoute[] }>();
  const unplaced: TemplateResource[] = [];
  // The table a value names: one of the templates', one standing for a table outside them, or undefined when unknown.
  const tableOf = (stack: StackTemplate, value: unknown) => {
    const id = followedId(stack, value);
    if (id.kind === 'unknown') return undefined;
    if (id.kind === 'resource' && id.resource.type === 'AWS::EC2::RouteTable') {
      const table = id.resource;
      let entry = tables.get(table);
      if (!entry) {
        const vpcId = table.properties?.VpcId;
        const vpc = followedResource(table.stack, vpcId, 'AWS::EC2::VPC');
        // A literal id is a VPC outside the templates; a resolved VPC is known; anything else may be any VPC.
        entry = { table, logicalId: table.logicalId, ...(vpc ? { vpc } : {}), unresolvedVpc: !vpc && followedId(table.stack, vpcId).kind !== 'literal', routes: [], open: leaving.has(table) };
        tables.set(table, entry);
      }
      return entry;
    }
    const name = id.kind === 'resource' ? `${id.resource.stack.templatePath}#${id.resource.logicalId}` : `${stack.templatePath}#${JSON.stringify(value)}`;
    let entry = outside.get(name);
    if (!entry) outside.set(name, entry = { logicalId: id.kind === 'resource' ? id.resource.logicalId : JSON.stringify(value), unresolvedVpc: false, routes: [], open: true });
    return entry;
  };
  for (const stack of peers.templates) {
    for (const route of stack.resourcesOfType('AWS::EC2::Route')) {
      const table = tableOf(stack, route.properties?.RouteTableId);
      if (table) table.routes.push(readRoute(route)); else unplaced.push(route);
    }
    for (const propagation of stack.resourcesOfType('AWS::EC2::VPNGatewayRoutePropagation')) {
      const ids = propagation.properties?.RouteTableIds;
      const propagated = Array.isArray(ids) ? ids.map(id => tableOf(stack, id)) : [undefined];
      for (const table of propagated) {
        if (table === undefined) unplaced.push(propagation);
        else if (table.table) tables.get(table.table)!.open = true;
      }
    }
  }
  const tablesOfSubnet = new Map<TemplateResource, RouteTableRoutes[]>();
  for (const stack of peers.templates) {
    for (const association of stack.resourcesOfType('AWS::EC2::SubnetRouteTableAssociation')) {
      const subnet = followedResource(stack, association.properties?.SubnetId, 'AWS::EC2::Subnet');
      const table = subnet && tableOf(stack, association.properties?.RouteTableId);
      if (subnet && table) tablesOfSubnet.set(subnet, [...tablesOfSubnet.get(subnet) ?? [], table]);
    }
  }
  return { tables, tablesOfSubnet, unplaced };
}

function readRoute(route: TemplateResource): TableRoute {
  const { stack, logicalId, properties } = route;
  if (!properties) return { resource: route, logicalId, target: 'other', toAnywhere: false, certain: false };
  const condition = route.definition.Condition;
  const certain = condition === undefined || (typeof condition === 'string' && stack.conditionValue(condition) === true);
  const toAnywhere = properties.DestinationCidrBlock === '0.0.0.0/0' || properties.DestinationIpv6CidrBlock === '::/0';
  return { resource: route, logicalId, target: routeTarget(stack, properties), toAnywhere, certain };
}

function routeTarget(stack: StackTemplate, route: { readonly [key: string]: unknown }): RouteTarget {
  // A NAT gateway by literal id or reference; an Fn::If may resolve to no NAT at all.
  if (typeof route.NatGatewayId === 'string' || TemplateValue.referencedId(route.NatGatewayId)) return 'nat-gateway';
  const egressOnly = route.EgressOnlyInternetGatewayId;
  if (typeof egressOnly === 'string' || TemplateValue.referencedId(egressOnly)) return 'egress-only-internet-gateway';
  const gateway = route.GatewayId;
  if (gateway === 'local') return 'local';
  if (typeof gateway === 'string') return gateway.startsWith('igw-') ? 'internet-gateway' : 'other';
  return followedResource(stack, gateway, 'AWS::EC2::InternetGateway') ? 'internet-gateway' : 'other';
}

/**
 * Logical ids that code or templates elsewhere receive, so they may change what the ids name (add routes, create
 * endpoints, attach policies): ids named (by `Ref`, or an identifying attribute such as `Arn`) in an output, or passed
 * to a nested stack (`AWS::CloudFormation::Stack`) or to a custom resource.
 */
export function idsLeavingTemplate(stack: StackTemplate): ReadonlySet<string> {
  return stack.memo('network.ids-leaving-template', () => {
    const leaving = new Set<string>();
    forEachHandedOn(stack, element => {
      for (const reference of element.references) {
        if (reference.via === 'DependsOn' || (reference.attribute !== undefined && !IDENTIFYING_ATTRIBUTES.has(reference.attribute))) continue;
        leaving.add(reference.target);
      }
    });
    return leaving;
  });
}

/**
 * The resources whose ids leave the templates validated together, so that code or templates outside them may change
 * what the ids name: ids (a `Ref`, or an identifying attribute such as `Arn`, followed back across the stacks) in an
 * output other templates may read, or passed to a custom resource or to a nested stack whose template is not among them.
 * Not leaving: what a nested template outputs to its validated parent, what a parent passes to a validated nested
 * template, and the outputs CDK writes for another stack of the same app (`ExportsOutput*`); the templates receiving
 * them are validated too.
 */
export function idsLeavingValidation(peers: TemplatePeers): ReadonlySet<TemplateResource> {
  return peers.memo('network.ids-leaving-validation', () => {
    const leaving = new Set<TemplateResource>();
    const follow = (stack: StackTemplate, identifier: unknown) => {
      const followed = resolveAcrossStacks(stack, identifier);
      const getAtt = TemplateValue.getAtt(followed.value);
      if (getAtt && !IDENTIFYING_ATTRIBUTES.has(getAtt.attribute)) return;
      const resource = followed.stack.resource(TemplateValue.refTarget(followed.value) ?? getAtt?.logicalId ?? '');
      if (resource) leaving.add(resource);
    };
    for (const stack of peers.templates) {
      forEachHandedOn(stack, (element, definition) => {
        if (element.section === 'Outputs' && (stack.parent !== undefined || (CDK_EXPORT.test(element.logicalId) && definition.Export !== undefined))) return;
        if (element.type === 'AWS::CloudFormation::Stack' && stack.nestedStacks.has(element.logicalId)) return;
        for (const reference of element.references) {
          if (reference.via === 'DependsOn' || reference.kind === 'condition' || reference.kind === 'mapping') continue;
          follow(stack, reference.attribute === undefined ? { Ref: reference.target } : { 'Fn::GetAtt': [reference.target, reference.attribute] });
        }
        forEachImport(element.section === 'Outputs' ? definition.Value : definition.Properties, imported => follow(stack, imported));
      });
    }
    return leaving;
  });
}

/** The outputs, nested stacks and custom resources of a template, the elements that hand values on, with their definitions. */
function forEachHandedOn(stack: StackTemplate, then: (element: ElementReferences, definition: { readonly [key: string]: unknown }) => void): void {
  const section = (name: string) => (TemplateValue.isObject(stack.template[name]) ? stack.template[name] as { readonly [key: string]: unknown } : {});
  for (const element of templateReferences(stack).elements) {
    const type = element.type ?? '';
    if (element.section !== 'Outputs' && type !== 'AWS::CloudFormation::Stack' && type !== 'AWS::CloudFormation::CustomResource' && !type.startsWith('Custom::')) continue;
    const definition = section(element.section)[element.logicalId];
    if (TemplateValue.isObject(definition)) then(element, definition);
  }
}

/** Every `Fn::ImportValue` in a value. */
function forEachImport(value: unknown, then: (imported: unknown) => void): void {
  if (Array.isArray(value)) {
    value.forEach(item => forEachImport(item, then));
  } else if (TemplateValue.isObject(value)) {
    if (value['Fn::ImportValue'] !== undefined && Object.keys(value).length === 1) then(value);
    else for (const item of Object.values(value)) forEachImport(item, then);
  }
}
