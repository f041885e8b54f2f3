import { isCustomResourceProvider } from '../rules/custom-resource-providers';
import { literalStrings, policyStatements } from '../rules/iam/policy-statements';
import { StackTemplate, TemplateResource } from '../rules/stack-template';
import { TemplateValue } from '../rules/template-value';

type Shape = 'stadium' | 'hexagon' | 'round' | 'queue' | 'topic' | 'store' | 'secret' | 'box' | 'circle';

/** The resource types drawn as nodes, with the name shown above their construct path. */
const NODE_KINDS: { readonly [type: string]: { readonly kind: string; readonly shape: Shape } } = {
  'AWS::ApiGateway::RestApi': { kind: 'API Gateway REST API', shape: 'stadium' },
  'AWS::ApiGatewayV2::Api': { kind: 'API Gateway HTTP API', shape: 'stadium' },
  'AWS::CloudFront::Distribution': { kind: 'CloudFront distribution', shape: 'stadium' },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { kind: 'Load balancer', shape: 'stadium' },
  'AWS::WAFv2::WebACL': { kind: 'WAF web ACL', shape: 'hexagon' },
  'AWS::Lambda::Function': { kind: 'Lambda function', shape: 'round' },
  'AWS::StepFunctions::StateMachine': { kind: 'Step Functions state machine', shape: 'round' },
  'AWS::ECS::Service': { kind: 'ECS service', shape: 'round' },
  'AWS::SQS::Queue': { kind: 'SQS queue', shape: 'queue' },
  'AWS::SNS::Topic': { kind: 'SNS topic', shape: 'topic' },
  'AWS::Events::EventBus': { kind: 'EventBridge bus', shape: 'topic' },
  'AWS::Events::Rule': { kind: 'EventBridge rule', shape: 'hexagon' },
  'AWS::Kinesis::Stream': { kind: 'Kinesis stream', shape: 'queue' },
  'AWS::DynamoDB::Table': { kind: 'DynamoDB table', shape: 'store' },
  'AWS::DynamoDB::GlobalTable': { kind: 'DynamoDB global table', shape: 'store' },
  'AWS::S3::Bucket': { kind: 'S3 bucket', shape: 'store' },
  'AWS::RDS::DBCluster': { kind: 'RDS cluster', shape: 'store' },
  'AWS::RDS::DBInstance': { kind: 'RDS instance', shape: 'store' },
  'AWS::SecretsManager::Secret': { kind: 'Secrets Manager secret', shape: 'secret' },
  'AWS::Synthetics::Canary': { kind: 'Synthetics canary', shape: 'round' },
};

/** Resources that stand for a drawn node when referenced, with the property that names the node. */
const STANDS_FOR: { readonly [type: string]: string } = {
  'AWS::ApiGateway::Stage': 'RestApiId',
  'AWS::ApiGateway::Deployment': 'RestApiId',
  'AWS::ApiGatewayV2::Stage': 'ApiId',
  'AWS::Lambda::Alias': 'FunctionName',
  'AWS::Lambda::Version': 'FunctionName',
};

/** The VPC endpoint service (`com.amazonaws.<region>.<name>`) a function's calls to a drawn node of this type go through. */
const ENDPOINT_SERVICE_OF: { readonly [type: string]: string } = {
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::DynamoDB::GlobalTable': 'dynamodb',
  'AWS::S3::Bucket': 's3',
  'AWS::SQS::Queue': 'sqs',
  'AWS::SNS::Topic': 'sns',
  'AWS::SecretsManager::Secret': 'secretsmanager',
  'AWS::Lambda::Function': 'lambda',
  'AWS::StepFunctions::StateMachine': 'states',
  'AWS::Events::EventBus': 'events',
  'AWS::Kinesis::Stream': 'kinesis-streams',
};

/** What an identity policy lets its principal do to another node, by action; reads of an event source are left out. */
const VERBS: readonly (readonly [RegExp, string])[] = [
  [/^sqs:sendmessage(batch)?$/, 'sends'],
  [/^sns:publish(batch)?$/, 'publishes'],
  [/^events:putevents$/, 'puts events'],
  [/^states:startexecution$|^states:startsyncexecution$/, 'starts'],
  [/^lambda:invokefunction$/, 'invokes'],
  [/^dynamodb:(putitem|updateitem|deleteitem|batchwriteitem|transactwriteitems)$/, 'writes'],
  [/^s3:(putobject|deleteobject)$/, 'writes'],
  [/^kinesis:putrecords?$/, 'writes'],
  [/^dynamodb:(getitem|query|scan|batchgetitem|transactgetitems)$/, 'reads'],
  [/^s3:getobject$/, 'reads'],
  [/^secretsmanager:getsecretvalue$/, 'reads'],
  [/^rds-db:connect$/, 'connects (IAM auth)'],
];

interface Edge {
  readonly from: string;
  readonly to: string;
  /** Dotted: failures and dead letters, not the request path. */
  readonly dotted: boolean;
  readonly labels: string[];
}

/**
 * A Mermaid flowchart of one synthesized stack: its workload resources (CDN distributions, load balancers, APIs, WAF,
 * functions, services, state machines, queues, topics, rules, tables, buckets, databases, secrets) and how data moves
 * between them, all read from the template: distribution origins and their path patterns, load balancer listeners
 * and rules to their services, API methods and routes, WAF associations, event source mappings, redrive policies,
 * failure destinations, EventBridge targets, SNS subscriptions, alarm actions, the security group rules that let a
 * service or function reach a database, and the sends, writes, reads and connects the IAM policies allow. VPCs are
 * subgraphs around what runs in their subnets, noted when they have no internet gateway; a function's calls to a service
 * with an endpoint in its VPC are drawn through that endpoint. CDK's own custom resource providers are left out.
 * Failure paths are dotted.
 */
export function architectureFlowchart(stack: StackTemplate, stackPath: string): string {
  return new Flowchart(stack, stackPath).render();
}

class Flowchart {
  /** Drawn resources by node id. */
  private readonly nodes = new Map<string, TemplateResource>();
  private readonly extraNodes = new Map<string, string>();
  private readonly edges = new Map<string, Edge>();
  /** VPC endpoints some drawn resource calls through, by node id: their label. */
  private readonly endpointNodes = new Map<string, string>();
  /** VPCs with drawn resources in them: their label and the node ids inside. */
  private readonly vpcGroups = new Map<string, { label: string; members: string[] }>();
  /** The web ACL in front of each API, distribution or load balancer it protects. */
  private guarded = new Map<string, string>();

  constructor(private readonly stack: StackTemplate, private readonly stackPath: string) {
    for (const resource of stack.resources) {
      if (NODE_KINDS[resource.type] && !isCustomResourceProvider(resource)) this.nodes.set(nodeId(resource.logicalId), resource);
    }
    this.apis();
    this.web();
    this.eventSources();
    this.networkPaths();
    this.deadLetters();
    this.policies();
    this.rules();
    this.subscriptions();
    this.alarms();
    this.canaries();
    this.clients();
    this.vpcs();
  }

  public render(): string {
    const lines = ['flowchart LR'];
    const extras = [...this.extraNodes].sort(([a], [b]) => Number(b === 'clients') - Number(a === 'clients'));
    for (const [id, label] of extras) lines.push(`  ${id}(("${escape(label)}"))`);
    for (const [id, resource] of this.nodes) lines.push(`  ${id}${shaped(NODE_KINDS[resource.type].shape, this.label(resource))}`);
    for (const [id, label] of this.endpointNodes) lines.push(`  ${id}${shaped('box', label)}`);
    for (const [id, group] of this.vpcGroups) {
      lines.push(`  subgraph ${id}["${escape(group.label)}"]`, ...group.members.map(member => `    ${member}`), '  end');
    }
    // Entry points first: the request path reads from the left.
    const ordered = [...this.edges.values()].sort((a, b) => Number(b.from === 'clients') - Number(a.from === 'clients'));
    for (const edge of ordered) {
      const arrow = edge.dotted ? '-.->' : '-->';
      const label = edge.labels.length > 0 ? `|"${escape(edge.labels.join(', '))}"|` : '';
      lines.push(`  ${edge.from} ${arrow}${label} ${edge.to}`);
    }
    return lines.join('\n');
  }

  private label(resource: TemplateResource): string {
    let path = this.stack.constructPathOf(resource.logicalId);
    if (path.startsWith(`${this.stackPath}/`)) path = path.slice(this.stackPath.length + 1);
    path = path.replace(/\/(Resource|Default)$/, '');
    return `${NODE_KINDS[resource.type].kind}<br/>${path}`;
  }

  /** The drawn nodes a value references, directly or through an API stage or deployment, or a function alias or version. */
  private targets(value: unknown): string[] {
    const found: string[] = [];
    for (const id of referencedIds(value)) {
      const node = this.nodeFor(id);
      if (node && !found.includes(node)) found.push(node);
    }
    return found;
  }

  private nodeFor(logicalId: string): string | undefined {
    const resource = this.stack.resource(logicalId);
    const via = resource ? STANDS_FOR[resource.type] : undefined;
    const drawn = via ? referencedIds(resource!.properties?.[via])[0] : logicalId;
    return drawn && this.nodes.has(nodeId(drawn)) ? nodeId(drawn) : undefined;
  }

  private edge(from: string, to: string, label: string | undefined, dotted = false): void {
    if (from === to) return;
    const key = edgeKey(from, to, dotted);
    const edge = this.edges.get(key) ?? { from, to, dotted, labels: [] };
    if (label && !edge.labels.includes(label)) edge.labels.push(label);
    this.edges.set(key, edge);
  }

  private apis(): void {
    const guarded = new Map<string, string>();
    for (const association of this.stack.resourcesOfType('AWS::WAFv2::WebACLAssociation')) {
      const [acl] = this.targets(association.properties?.WebACLArn);
      if (!acl) continue;
      for (const api of this.targets(association.properties?.ResourceArn)) {
        this.edge(acl, api, 'allowed requests');
        guarded.set(api, acl);
      }
    }
    for (const method of this.stack.resourcesOfType('AWS::ApiGateway::Method')) {
      const [api] = this.targets(method.properties?.RestApiId);
      const integration = method.properties?.Integration;
      if (!api || !TemplateValue.isObject(integration)) continue;
      const route = `${typeof method.properties?.HttpMethod === 'string' ? method.properties.HttpMethod : 'ANY'} ${this.resourcePath(method.properties?.ResourceId)}`;
      for (const target of this.targets(integration.Uri)) this.edge(api, target, route);
    }
    for (const route of this.stack.resourcesOfType('AWS::ApiGatewayV2::Route')) {
      const [api] = this.targets(route.properties?.ApiId);
      const integration = referencedIds(route.properties?.Target).map(id => this.stack.resource(id)).find(r => r?.type === 'AWS::ApiGatewayV2::Integration');
      if (!api || !integration) continue;
      const key = typeof route.properties?.RouteKey === 'string' ? route.properties.RouteKey : undefined;
      for (const target of this.targets(integration.properties?.IntegrationUri)) this.edge(api, target, key);
    }
    this.guarded = guarded;
  }

  /** Clients reach every API, distribution and internet-facing load balancer that no distribution fronts, through its web ACL. */
  private clients(): void {
    const fronted = new Set([...this.edges.values()].filter(e => this.nodes.get(e.from)?.type === 'AWS::CloudFront::Distribution').map(e => e.to));
    for (const [id, resource] of this.nodes) {
      const entry = resource.type === 'AWS::ApiGateway::RestApi' || resource.type === 'AWS::ApiGatewayV2::Api' || resource.type === 'AWS::CloudFront::Distribution' ||
        (resource.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && resource.properties?.Scheme !== 'internal' && !fronted.has(id) && this.exposure(resource) === 'internet');
      if (!entry) continue;
      this.extraNodes.set('clients', 'Clients');
      this.edge('clients', this.guarded.get(id) ?? id, 'HTTPS');
    }
  }

  /** CloudFront origins (by the path patterns that reach them) and load balancer listeners and rules to the services behind them. */
  private web(): void {
    for (const distribution of this.stack.resourcesOfType('AWS::CloudFront::Distribution')) {
      const id = nodeId(distribution.logicalId);
      const config = distribution.properties?.DistributionConfig;
      if (!this.nodes.has(id) || !TemplateValue.isObject(config)) continue;
      for (const acl of this.targets(config.WebACLId)) {
        this.edge(acl, id, 'allowed requests');
        this.guarded.set(id, acl);
      }
      const patterns = new Map<string, string[]>();
      const behaviours = [config.DefaultCacheBehavior, ...(Array.isArray(config.CacheBehaviors) ? config.CacheBehaviors : [])];
      for (const behaviour of behaviours) {
        if (!TemplateValue.isObject(behaviour) || typeof behaviour.TargetOriginId !== 'string') continue;
        const pattern = typeof behaviour.PathPattern === 'string' ? behaviour.PathPattern : 'default';
        patterns.set(behaviour.TargetOriginId, [...(patterns.get(behaviour.TargetOriginId) ?? []), pattern]);
      }
      for (const origin of Array.isArray(config.Origins) ? config.Origins : []) {
        if (!TemplateValue.isObject(origin)) continue;
        const label = typeof origin.Id === 'string' ? patterns.get(origin.Id)?.join(', ') : undefined;
        // Through the origin's own web ACL, when it has one (a load balancer's regional WAF).
        for (const target of this.originTargets(origin)) this.edge(id, this.guarded.get(target) ?? target, label);
      }
    }
    const targetGroupServices = new Map<string, string[]>();
    for (const service of this.stack.resourcesOfType('AWS::ECS::Service')) {
      const balancers = service.properties?.LoadBalancers;
      for (const balancer of Array.isArray(balancers) ? balancers : []) {
        if (!TemplateValue.isObject(balancer)) continue;
        for (const group of referencedIds(balancer.TargetGroupArn)) {
          targetGroupServices.set(group, [...(targetGroupServices.get(group) ?? []), nodeId(service.logicalId)]);
        }
      }
    }
    const forward = (loadBalancers: string[], actions: unknown, label: string) => {
      for (const action of Array.isArray(actions) ? actions : []) {
        if (!TemplateValue.isObject(action)) continue;
        const groups = [...referencedIds(action.TargetGroupArn), ...referencedIds(action.ForwardConfig)];
        for (const group of groups) {
          for (const service of targetGroupServices.get(group) ?? []) {
            for (const lb of loadBalancers) if (this.nodes.has(service)) this.edge(lb, service, label);
          }
        }
      }
    };
    const listenerBalancers = new Map<string, string[]>();
    for (const listener of this.stack.resourcesOfType('AWS::ElasticLoadBalancingV2::Listener')) {
      const balancers = this.targets(listener.properties?.LoadBalancerArn);
      listenerBalancers.set(listener.logicalId, balancers);
      const port = listener.properties?.Port;
      forward(balancers, listener.properties?.DefaultActions, `${typeof listener.properties?.Protocol === 'string' ? listener.properties.Protocol : 'port'} ${typeof port === 'number' || typeof port === 'string' ? port : '?'}`);
    }
    for (const rule of this.stack.resourcesOfType('AWS::ElasticLoadBalancingV2::ListenerRule')) {
      const balancers = referencedIds(rule.properties?.ListenerArn).flatMap(listener => listenerBalancers.get(listener) ?? []);
      forward(balancers, rule.properties?.Actions, 'listener rule');
    }
  }

  /**
   * What a distribution origin reaches: the nodes its domain name references; else the bucket whose name the domain
   * is built from (an origin named by the bucket's explicit name, as OAC set-ups without a cycle do); else the load
   * balancers whose listener rules forward only requests carrying a header this origin sends (a secret origin-verify
   * header: the origin is then a DNS name of the user's for that load balancer); else the domain itself.
   */
  private originTargets(origin: { [key: string]: unknown }): string[] {
    const referenced = this.targets(origin.DomainName);
    if (referenced.length > 0) return referenced;
    const domain = flatText(origin.DomainName);
    if (domain === undefined) return [];
    const bucket = this.stack.resourcesOfType('AWS::S3::Bucket').find(b => {
      const name = flatText(b.properties?.BucketName);
      return name !== undefined && domain.startsWith(`${name}.s3.`) && this.nodes.has(nodeId(b.logicalId));
    });
    if (bucket) return [nodeId(bucket.logicalId)];
    const verified = this.balancersCheckingHeaders(origin.OriginCustomHeaders);
    if (verified.length > 0) return verified;
    const external = `origin_${this.extraNodes.size}`;
    this.extraNodes.set(external, `origin ${domain}`);
    return [external];
  }

  /** Load balancers with a listener rule that matches a header (name and value) among `headers` (an origin's custom headers). */
  private balancersCheckingHeaders(headers: unknown): string[] {
    const sent = (Array.isArray(headers) ? headers : []).filter(TemplateValue.isObject)
      .map(h => `${String(h.HeaderName).toLowerCase()}=${JSON.stringify(h.HeaderValue)}`);
    if (sent.length === 0) return [];
    const found: string[] = [];
    for (const rule of this.stack.resourcesOfType('AWS::ElasticLoadBalancingV2::ListenerRule')) {
      const conditions = rule.properties?.Conditions;
      const checks = (Array.isArray(conditions) ? conditions : []).some(condition => {
        const config = TemplateValue.isObject(condition) ? condition.HttpHeaderConfig : undefined;
        if (!TemplateValue.isObject(config) || !Array.isArray(config.Values)) return false;
        return config.Values.some(value => sent.includes(`${String(config.HttpHeaderName).toLowerCase()}=${JSON.stringify(value)}`));
      });
      if (!checks) continue;
      for (const listener of referencedIds(rule.properties?.ListenerArn)) {
        for (const balancer of this.targets(this.stack.resource(listener)?.properties?.LoadBalancerArn)) {
          if (!found.includes(balancer)) found.push(balancer);
        }
      }
    }
    return found;
  }

  /** Who a load balancer's security groups admit: the internet, only managed prefix lists (e.g. CloudFront's), or neither. */
  private exposure(balancer: TemplateResource): 'internet' | 'prefix-lists' | 'private' {
    const groups = new Set(referencedIds(balancer.properties?.SecurityGroups));
    const sources: Array<{ [key: string]: unknown }> = [];
    for (const group of groups) {
      const inline = this.stack.resource(group)?.properties?.SecurityGroupIngress;
      for (const rule of Array.isArray(inline) ? inline : []) if (TemplateValue.isObject(rule)) sources.push(rule);
    }
    for (const ingress of this.stack.resourcesOfType('AWS::EC2::SecurityGroupIngress')) {
      if (referencedIds(ingress.properties?.GroupId).some(g => groups.has(g))) sources.push(ingress.properties ?? {});
    }
    if (sources.some(rule => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0')) return 'internet';
    return sources.length > 0 && sources.every(rule => rule.SourcePrefixListId !== undefined) ? 'prefix-lists' : 'private';
  }

  /** Security group rules that admit a service's or function's group to a database cluster's or instance's group. */
  private networkPaths(): void {
    const groupsOf = new Map<string, string[]>();
    const addGroups = (node: string, value: unknown) => {
      for (const group of referencedIds(value)) groupsOf.set(group, [...(groupsOf.get(group) ?? []), node]);
    };
    const databases = new Map<string, string[]>();
    for (const [id, resource] of this.nodes) {
      const p = resource.properties ?? {};
      if (resource.type === 'AWS::ECS::Service') {
        const network = TemplateValue.isObject(p.NetworkConfiguration) ? p.NetworkConfiguration.AwsvpcConfiguration : undefined;
        addGroups(id, TemplateValue.isObject(network) ? network.SecurityGroups : undefined);
      }
      if (resource.type === 'AWS::Lambda::Function') addGroups(id, TemplateValue.isObject(p.VpcConfig) ? p.VpcConfig.SecurityGroupIds : undefined);
      if (resource.type === 'AWS::RDS::DBCluster' || resource.type === 'AWS::RDS::DBInstance') {
        for (const group of referencedIds(p.VpcSecurityGroupIds)) databases.set(group, [...(databases.get(group) ?? []), id]);
      }
    }
    const admit = (groupValue: unknown, sourceValue: unknown, port: unknown) => {
      for (const group of referencedIds(groupValue)) {
        for (const database of databases.get(group) ?? []) {
          for (const source of referencedIds(sourceValue).flatMap(s => groupsOf.get(s) ?? [])) {
            this.edge(source, database, typeof port === 'number' ? `port ${port}` : 'database port');
          }
        }
      }
    };
    for (const ingress of this.stack.resourcesOfType('AWS::EC2::SecurityGroupIngress')) {
      admit(ingress.properties?.GroupId, ingress.properties?.SourceSecurityGroupId, ingress.properties?.FromPort);
    }
    for (const group of this.stack.resourcesOfType('AWS::EC2::SecurityGroup')) {
      const rules = group.properties?.SecurityGroupIngress;
      for (const rule of Array.isArray(rules) ? rules : []) {
        if (TemplateValue.isObject(rule)) admit({ Ref: group.logicalId }, rule.SourceSecurityGroupId, rule.FromPort);
      }
    }
  }

  /** `/a/{b}` from the chain of AWS::ApiGateway::Resource parents; `/` for the root resource. */
  private resourcePath(resourceId: unknown): string {
    const parts: string[] = [];
    let id = TemplateValue.refTarget(resourceId);
    for (let depth = 0; id && depth < 32; depth++) {
      const resource = this.stack.resource(id);
      if (resource?.type !== 'AWS::ApiGateway::Resource') break;
      parts.unshift(typeof resource.properties?.PathPart === 'string' ? resource.properties.PathPart : '?');
      id = TemplateValue.refTarget(resource.properties?.ParentId);
    }
    return `/${parts.join('/')}`;
  }

  private eventSources(): void {
    for (const mapping of this.stack.resourcesOfType('AWS::Lambda::EventSourceMapping')) {
      const [fn] = this.targets(mapping.properties?.FunctionName);
      if (!fn) continue;
      for (const source of this.targets(mapping.properties?.EventSourceArn)) {
        const type = this.nodes.get(source)?.type;
        this.edge(source, fn, type === 'AWS::SQS::Queue' ? 'messages' : type?.startsWith('AWS::DynamoDB::') ? 'stream records' : 'records');
      }
      const onFailure = TemplateValue.isObject(mapping.properties?.DestinationConfig) ? mapping.properties.DestinationConfig.OnFailure : undefined;
      for (const target of this.targets(TemplateValue.isObject(onFailure) ? onFailure.Destination : undefined)) this.edge(fn, target, 'failed batches', true);
    }
  }

  private deadLetters(): void {
    for (const queue of this.stack.resourcesOfType('AWS::SQS::Queue')) {
      const redrive = queue.properties?.RedrivePolicy;
      if (!TemplateValue.isObject(redrive) || !this.nodes.has(nodeId(queue.logicalId))) continue;
      const receives = redrive.maxReceiveCount;
      for (const dlq of this.targets(redrive.deadLetterTargetArn)) {
        this.edge(nodeId(queue.logicalId), dlq, receives !== undefined ? `after ${receives} receives` : 'dead letters', true);
      }
    }
    for (const fn of this.stack.resourcesOfType('AWS::Lambda::Function')) {
      const config = fn.properties?.DeadLetterConfig;
      if (!this.nodes.has(nodeId(fn.logicalId)) || !TemplateValue.isObject(config)) continue;
      for (const target of this.targets(config.TargetArn)) this.edge(nodeId(fn.logicalId), target, 'failed events', true);
    }
    for (const config of this.stack.resourcesOfType('AWS::Lambda::EventInvokeConfig')) {
      const [fn] = this.targets(config.properties?.FunctionName);
      const destinations = config.properties?.DestinationConfig;
      if (!fn || !TemplateValue.isObject(destinations)) continue;
      for (const [key, label, dotted] of [['OnFailure', 'failed events', true], ['OnSuccess', 'results', false]] as const) {
        const destination = destinations[key];
        const value = TemplateValue.isObject(destination) ? destination.Destination : undefined;
        for (const target of this.targets(value)) this.edge(fn, target, label, dotted);
      }
    }
  }

  /** What each function, state machine and ECS service may do to other nodes, from its role's policies. */
  private policies(): void {
    const principals = new Map<string, string[]>();
    const addPrincipal = (roleValue: unknown, principal: string) => {
      for (const role of referencedIds(roleValue)) principals.set(role, [...(principals.get(role) ?? []), principal]);
    };
    for (const [id, resource] of this.nodes) {
      if (resource.type === 'AWS::Lambda::Function') addPrincipal(resource.properties?.Role, id);
      if (resource.type === 'AWS::StepFunctions::StateMachine') addPrincipal(resource.properties?.RoleArn, id);
      if (resource.type === 'AWS::ECS::Service') {
        for (const definition of referencedIds(resource.properties?.TaskDefinition)) {
          addPrincipal(this.stack.resource(definition)?.properties?.TaskRoleArn, id);
        }
      }
    }
    // Identity policies: an AWS::IAM::Policy attached to roles, or the inline policies of a role.
    for (const policy of [...this.stack.resourcesOfType('AWS::IAM::Policy'), ...this.stack.resourcesOfType('AWS::IAM::Role')]) {
      const roles = policy.type === 'AWS::IAM::Role' ? [policy.logicalId] : referencedIds(policy.properties?.Roles);
      const owners = roles.flatMap(role => principals.get(role) ?? []);
      if (owners.length === 0) continue;
      for (const { statement } of policyStatements(policy)) {
        if (statement.Effect !== 'Allow') continue;
        const actions = literalStrings(statement.Action);
        const verbs = VERBS.filter(([pattern]) => actions.some(a => pattern.test(a.toLowerCase()))).map(([, verb]) => verb);
        if (verbs.length === 0) continue;
        for (const target of this.targets(statement.Resource)) {
          // The grant behind a failure destination or dead-letter queue is already drawn, dotted.
          for (const owner of owners.filter(o => !this.edges.has(edgeKey(o, target, true)))) {
            for (const verb of verbs) this.edge(owner, target, verb);
          }
        }
      }
    }
  }

  private rules(): void {
    // A custom bus's own dead-letter queue: events the bus could not process (its key disabled or closed to it).
    for (const bus of this.stack.resourcesOfType('AWS::Events::EventBus')) {
      if (!this.nodes.has(nodeId(bus.logicalId))) continue;
      const dlq = TemplateValue.isObject(bus.properties?.DeadLetterConfig) ? bus.properties.DeadLetterConfig.Arn : undefined;
      for (const to of this.targets(dlq)) this.edge(nodeId(bus.logicalId), to, 'undeliverable events', true);
    }
    for (const rule of this.stack.resourcesOfType('AWS::Events::Rule')) {
      if (!this.nodes.has(nodeId(rule.logicalId))) continue;
      const id = nodeId(rule.logicalId);
      for (const bus of this.targets(rule.properties?.EventBusName)) this.edge(bus, id, 'events');
      const targets = rule.properties?.Targets;
      for (const target of Array.isArray(targets) ? targets : []) {
        if (!TemplateValue.isObject(target)) continue;
        for (const to of this.targets(target.Arn)) this.edge(id, to, 'matching events');
        // A bus named by its ARN, such as a central monitoring account's: drawn once per bus, with its account.
        const bus = typeof target.Arn === 'string' ? /^arn:[\w-]+:events:[\w-]+:(\d{12}):event-bus\/(.+)$/.exec(target.Arn) : null;
        if (bus) {
          const external = `bus_${bus[1]}_${bus[2].replace(/[^A-Za-z0-9]/g, '_')}`;
          this.extraNodes.set(external, `EventBridge bus ${bus[2]} (account ${bus[1]})`);
          this.edge(id, external, 'matching events');
        }
        const dlq = TemplateValue.isObject(target.DeadLetterConfig) ? target.DeadLetterConfig.Arn : undefined;
        for (const to of this.targets(dlq)) this.edge(id, to, 'undeliverable events', true);
      }
    }
  }

  private subscriptions(): void {
    const subscribe = (topicValue: unknown, protocol: unknown, endpoint: unknown) => {
      for (const topic of this.targets(topicValue)) {
        const subscribers = this.targets(endpoint);
        if (subscribers.length === 0 && typeof protocol === 'string') {
          const external = `${protocol}_subscribers`;
          this.extraNodes.set(external, `${protocol} subscribers`);
          subscribers.push(external);
        }
        for (const subscriber of subscribers) this.edge(topic, subscriber, 'notifications');
      }
    };
    for (const subscription of this.stack.resourcesOfType('AWS::SNS::Subscription')) {
      subscribe(subscription.properties?.TopicArn, subscription.properties?.Protocol, subscription.properties?.Endpoint);
    }
    for (const topic of this.stack.resourcesOfType('AWS::SNS::Topic')) {
      const inline = topic.properties?.Subscription;
      for (const s of Array.isArray(inline) ? inline : []) {
        if (TemplateValue.isObject(s)) subscribe({ Ref: topic.logicalId }, s.Protocol, s.Endpoint);
      }
    }
  }

  /**
   * VPCs as subgraphs around the functions, ECS services, load balancers and databases in their subnets, with the endpoints they call
   * AWS services through: a call a function's policy allows to a drawn resource whose service has an endpoint in the
   * function's VPC is drawn through that endpoint. Lambda's own deliveries (failure destinations) are not the function's calls.
   */
  private vpcs(): void {
    const vpcOfSubnets = (value: unknown): string | undefined => referencedIds(value)
      .map(id => this.stack.resource(id))
      .filter(subnet => subnet?.type === 'AWS::EC2::Subnet')
      .flatMap(subnet => referencedIds(subnet!.properties?.VpcId))[0];
    const members = new Map<string, string[]>();
    for (const [id, resource] of this.nodes) {
      const p = resource.properties ?? {};
      let vpc: string | undefined;
      if (resource.type === 'AWS::Lambda::Function' && TemplateValue.isObject(p.VpcConfig)) vpc = vpcOfSubnets(p.VpcConfig.SubnetIds);
      if (resource.type === 'AWS::ECS::Service' && TemplateValue.isObject(p.NetworkConfiguration) && TemplateValue.isObject(p.NetworkConfiguration.AwsvpcConfiguration)) {
        vpc = vpcOfSubnets(p.NetworkConfiguration.AwsvpcConfiguration.Subnets);
      }
      if (resource.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer') vpc = vpcOfSubnets(p.Subnets);
      if (resource.type === 'AWS::RDS::DBCluster' || resource.type === 'AWS::RDS::DBInstance') {
        // An instance of a cluster takes the cluster's subnet group.
        const cluster = referencedIds(p.DBClusterIdentifier).map(c => this.stack.resource(c)).find(c => c?.type === 'AWS::RDS::DBCluster');
        const groupName = p.DBSubnetGroupName ?? cluster?.properties?.DBSubnetGroupName;
        const group = referencedIds(groupName).map(g => this.stack.resource(g)).find(g => g?.type === 'AWS::RDS::DBSubnetGroup');
        vpc = group ? vpcOfSubnets(group.properties?.SubnetIds) : undefined;
      }
      if (vpc && this.stack.resource(vpc)?.type === 'AWS::EC2::VPC') members.set(vpc, [...(members.get(vpc) ?? []), id]);
    }
    const endpoints = new Map<string, Map<string, TemplateResource>>();
    for (const endpoint of this.stack.resourcesOfType('AWS::EC2::VPCEndpoint')) {
      const [vpc] = referencedIds(endpoint.properties?.VpcId);
      const service = flatText(endpoint.properties?.ServiceName)?.match(/^com\.amazonaws\.(?:\$\{AWS::Region\}|[a-z0-9-]+)\.(.+)$/)?.[1];
      if (!vpc || !service) continue;
      endpoints.set(vpc, (endpoints.get(vpc) ?? new Map()).set(service, endpoint));
    }
    for (const [vpc, inside] of members) {
      const used: string[] = [];
      for (const edge of [...this.edges.values()]) {
        const target = this.nodes.get(edge.to);
        const endpoint = target && !edge.dotted && inside.includes(edge.from) ? endpoints.get(vpc)?.get(ENDPOINT_SERVICE_OF[target.type]) : undefined;
        if (!endpoint) continue;
        const id = nodeId(endpoint.logicalId);
        const type = endpoint.properties?.VpcEndpointType === 'Interface' ? 'interface' : 'gateway';
        this.endpointNodes.set(id, `VPC endpoint (${type})<br/>${ENDPOINT_SERVICE_OF[target!.type]}`);
        if (!used.includes(id)) used.push(id);
        this.edges.delete(edgeKey(edge.from, edge.to, false));
        for (const label of edge.labels) {
          this.edge(edge.from, id, label);
          this.edge(id, edge.to, label);
        }
      }
      const online = this.stack.resourcesOfType('AWS::EC2::VPCGatewayAttachment')
        .some(attachment => referencedIds(attachment.properties?.VpcId).includes(vpc) && attachment.properties?.InternetGatewayId !== undefined);
      let path = this.stack.constructPathOf(vpc);
      if (path.startsWith(`${this.stackPath}/`)) path = path.slice(this.stackPath.length + 1);
      path = path.replace(/\/(Resource|Default)$/, '');
      this.vpcGroups.set(`vpc_${vpc}`, {
        label: `VPC ${path}${online ? '' : '<br/>no internet gateway, no NAT: AWS services through endpoints only'}`,
        members: [...inside, ...used],
      });
    }
  }

  /** Alarms are many: one node counts them, with an edge to each topic their actions notify. */
  /** A canary checks public endpoints from outside and keeps its screenshots and HAR files in its artifacts bucket. */
  private canaries(): void {
    for (const canary of this.stack.resourcesOfType('AWS::Synthetics::Canary')) {
      const id = nodeId(canary.logicalId);
      if (!this.nodes.has(id)) continue;
      this.extraNodes.set('public_endpoints', 'public endpoints');
      this.edge(id, 'public_endpoints', 'checks status, content, latency');
      for (const bucket of this.targets(canary.properties?.ArtifactS3Location)) this.edge(id, bucket, 'screenshots, HAR files');
    }
  }

  private alarms(): void {
    const alarms = [...this.stack.resourcesOfType('AWS::CloudWatch::Alarm'), ...this.stack.resourcesOfType('AWS::CloudWatch::CompositeAlarm')];
    const notified = new Map<string, number>();
    for (const alarm of alarms) {
      const actions = [alarm.properties?.AlarmActions, alarm.properties?.OKActions, alarm.properties?.InsufficientDataActions];
      for (const topic of this.targets(actions)) notified.set(topic, (notified.get(topic) ?? 0) + 1);
    }
    if (notified.size === 0) return;
    this.extraNodes.set('alarms', `CloudWatch alarms (${alarms.length})`);
    for (const topic of notified.keys()) this.edge('alarms', topic, 'state changes');
  }
}

const NODE_PREFIX = 'r_';

function edgeKey(from: string, to: string, dotted: boolean): string {
  return `${from}>${to}>${dotted}`;
}

/** Mermaid node id of a resource; prefixed, as a logical id such as `end` would be a keyword. */
function nodeId(logicalId: string): string {
  return `${NODE_PREFIX}${logicalId}`;
}

function shaped(shape: Shape, label: string): string {
  const text = `"${escape(label)}"`;
  switch (shape) {
    case 'stadium': return `([${text}])`;
    case 'hexagon': return `{{${text}}}`;
    case 'round': return `(${text})`;
    case 'queue': return `[[${text}]]`;
    case 'topic': return `>${text}]`;
    case 'store': return `[(${text})]`;
    case 'secret': return `[/${text}/]`;
    case 'circle': return `((${text}))`;
    default: return `[${text}]`;
  }
}

/** Double quotes end a Mermaid label: write them as the entity Mermaid understands. */
function escape(label: string): string {
  return label.replace(/"/g, '#quot;');
}

/** A value as text, references written `${Id}` (literal strings, Fn::Join of them and Refs, Fn::Sub); undefined when it has other parts. */
function flatText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!TemplateValue.isObject(value)) return undefined;
  const ref = value.Ref;
  if (typeof ref === 'string') return `\${${ref}}`;
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(flatText);
    return parts.every(part => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

/** Every logical id a value references with Ref, Fn::GetAtt or Fn::Sub, in order, pseudo parameters left out. */
export function referencedIds(value: unknown): string[] {
  const ids: string[] = [];
  const add = (id: string) => {
    if (!id.startsWith('AWS::') && !ids.includes(id)) ids.push(id);
  };
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (!TemplateValue.isObject(v)) return;
    const direct = TemplateValue.referencedId(v);
    if (direct) {
      add(direct);
      return;
    }
    const sub = v['Fn::Sub'];
    const template = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
    if (template) {
      for (const match of template.matchAll(/\$\{([A-Za-z0-9]+)(\.[^}]*)?\}/g)) add(match[1]);
    }
    Object.values(v).forEach(walk);
  };
  walk(value);
  return ids;
}

/** One stack of a synthesized app, as `architectureDocument` draws it. */
export interface DiagramStack {
  /** Construct path of the stack, e.g. `dev/PaymentWebhook`; labels are shown relative to it. */
  readonly path: string;
  /** Absolute path of its template file. */
  readonly templatePath: string;
  /** The parsed template. */
  readonly template: unknown;
}

/** A Markdown page with one Mermaid flowchart per stack (GitHub renders Mermaid blocks as diagrams). */
export function architectureDocument(stacks: readonly DiagramStack[], source: string): string {
  const sections = stacks.map(stack => {
    const template = new StackTemplate({ templatePath: stack.templatePath, template: stack.template, stageName: '', durable: false, elements: new Map() });
    return `## ${stack.path}\n\n\`\`\`mermaid\n${architectureFlowchart(template, stack.path)}\n\`\`\`\n`;
  });
  return [
    '# Architecture',
    '',
    `Drawn by \`fintech-diagram\` from ${source}: the workload resources of each stack and how data moves between them`,
    '(API routes, WAF, event sources, queues and their dead-letter queues, failure destinations, EventBridge targets,',
    'SNS subscriptions, alarm actions, and what each function\'s IAM policy lets it send, write or read). Dotted arrows are failure paths.',
    '',
    ...sections,
  ].join('\n');
}
