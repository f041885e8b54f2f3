import { deliveriesOf, deliveringServices, resolveAcrossStacks, resolveReference } from '../../../src/rules/events/deliveries';
import { StackTemplate, TemplatePeers } from '../../../src/rules/stack-template';

function template(resources: Record<string, unknown>): StackTemplate {
  return new StackTemplate({ templatePath: '/tmp/Shop.template.json', template: { Resources: resources }, stageName: '', durable: false, elements: new Map() });
}

const STACK = template({
  Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'orders' } },
  Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'events' } },
  Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'post' } },
  Other: { Type: 'AWS::SQS::Queue' },
});

function resolved(value: unknown): string {
  const target = resolveReference(STACK, value);
  return target.kind === 'resource' ? target.resource.logicalId : target.kind;
}

describe('resolveReference', () => {
  test('resolves Ref and both Fn::GetAtt forms; parameters and pseudo parameters are external', () => {
    expect(resolved({ Ref: 'Queue' })).toBe('Queue');
    expect(resolved({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe('Queue');
    expect(resolved({ 'Fn::GetAtt': 'Topic.TopicArn' })).toBe('Topic');
    expect(resolved({ Ref: 'QueueArnParameter' })).toBe('external');
  });

  test('matches literal ARNs and queue URLs by the literal name of a resource', () => {
    expect(resolved('arn:aws:sqs:eu-west-1:123456789012:orders')).toBe('Queue');
    expect(resolved('https://sqs.eu-west-1.amazonaws.com/123456789012/orders')).toBe('Queue');
    expect(resolved('arn:aws:sns:eu-west-1:123456789012:events')).toBe('Topic');
    expect(resolved('arn:aws:lambda:eu-west-1:123456789012:function:post:live')).toBe('Fn');
    expect(resolved('arn:aws:sqs:eu-west-1:123456789012:someone-elses')).toBe('external');
    expect(resolved('arn:aws:sqs:eu-west-1:123456789012:*')).toBe('external');
    expect(resolved('arn:aws:dynamodb:eu-west-1:123456789012:table/t')).toBe('external');
  });

  test('resolves joins and subs that reference one resource or only literals and pseudo parameters', () => {
    expect(resolved({ 'Fn::Join': [':', ['arn:aws:sqs', { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, { 'Fn::GetAtt': ['Queue', 'QueueName'] }]] })).toBe('Queue');
    expect(resolved({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:eu-west-1:123456789012:orders']] })).toBe('Queue');
    expect(resolved({ 'Fn::Sub': 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:events' })).toBe('Topic');
    expect(resolved({ 'Fn::Sub': 'arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${Queue.QueueName}' })).toBe('Queue');
    expect(resolved({ 'Fn::Sub': ['arn:aws:sqs:eu-west-1:123456789012:${Name}', { Name: { 'Fn::GetAtt': ['Other', 'QueueName'] } }] })).toBe('Other');
    expect(resolved({ 'Fn::Sub': 'arn:aws:sqs:eu-west-1:123456789012:${!Literal}' })).toBe('external');
  });

  test('imports are external; conditions, several resources and odd shapes are unknown', () => {
    expect(resolved({ 'Fn::ImportValue': 'QueueArn' })).toBe('external');
    expect(resolved({ 'Fn::If': ['C', { Ref: 'Queue' }, { Ref: 'Other' }] })).toBe('unknown');
    expect(resolved({ 'Fn::Join': ['', [{ Ref: 'Queue' }, { Ref: 'Other' }]] })).toBe('unknown');
    expect(resolved({ 'Fn::Join': ['', [{ Ref: 'SomeParameter' }]] })).toBe('unknown');
    expect(resolved({ 'Fn::Join': ['', { Ref: 'List' }] })).toBe('unknown');
    expect(resolved({ 'Fn::Sub': [42] })).toBe('unknown');
    expect(resolved(42)).toBe('unknown');
    expect(resolved({ QueueArn: 'x' })).toBe('unknown');
  });
});

describe('resolveAcrossStacks', () => {
  // A parent passing its queue to a nested stack's parameter, and reading the nested stack's function through an output.
  const parent = new StackTemplate({
    templatePath: '/tmp/Parent.template.json',
    template: {
      Resources: {
        Orders: { Type: 'AWS::SQS::Queue' },
        Jobs: {
          Type: 'AWS::CloudFormation::Stack',
          Properties: { TemplateURL: 'https://example.com/jobs.json', Parameters: { OrdersArn: { 'Fn::GetAtt': ['Orders', 'Arn'] }, Region: 'eu-west-1', Chained: { Ref: 'Outer' } } },
        },
      },
    },
    stageName: '',
    durable: false,
    elements: new Map(),
  });
  const nested = new StackTemplate({
    templatePath: '/tmp/ParentJobs.nested.template.json',
    template: {
      Parameters: { OrdersArn: { Type: 'String' }, Region: { Type: 'String' }, Chained: { Type: 'String' }, NotPassed: { Type: 'String' } },
      Resources: { Post: { Type: 'AWS::Lambda::Function' } },
      Outputs: { PostArn: { Value: { 'Fn::GetAtt': ['Post', 'Arn'] } } },
    },
    stageName: '',
    durable: false,
    elements: new Map(),
    parent: { template: parent, logicalId: 'Jobs' },
  });

  test('follows a nested parameter to what the parent passes, and a parent\'s read of a nested output to the nested resource', () => {
    const fromNested = resolveAcrossStacks(nested, { Ref: 'OrdersArn' });
    expect(fromNested.stack).toBe(parent);
    expect(fromNested.value).toEqual({ 'Fn::GetAtt': ['Orders', 'Arn'] });
    expect(fromNested.target).toEqual({ kind: 'resource', resource: parent.resource('Orders') });
    const fromParent = resolveAcrossStacks(parent, { 'Fn::GetAtt': ['Jobs', 'Outputs.PostArn'] });
    expect(fromParent.stack).toBe(nested);
    expect(fromParent.target).toEqual({ kind: 'resource', resource: nested.resource('Post') });
  });

  test('follows Fn::ImportValue to what another template loaded with it exports, through a relay', () => {
    const peers = new TemplatePeers();
    const load = (name: string, body: object) => new StackTemplate({ templatePath: `/tmp/${name}.template.json`, template: body, stageName: '', durable: false, elements: new Map(), peers });
    const data = load('Data', {
      Resources: { Orders: { Type: 'AWS::SQS::Queue' } },
      Outputs: { OrdersArn: { Value: { 'Fn::GetAtt': ['Orders', 'Arn'] }, Export: { Name: 'Data:OrdersArn' } } },
    });
    const relay = load('Relay', { Outputs: { Relayed: { Value: { 'Fn::ImportValue': 'Data:OrdersArn' }, Export: { Name: 'Relay:OrdersArn' } } } });
    const compute = load('Compute', {});
    expect(resolveAcrossStacks(compute, { 'Fn::ImportValue': 'Relay:OrdersArn' })).toEqual({
      stack: data, value: { 'Fn::GetAtt': ['Orders', 'Arn'] }, target: { kind: 'resource', resource: data.resource('Orders') },
    });
    expect(resolveAcrossStacks(relay, { 'Fn::ImportValue': 'Data:OrdersArn' }).target).toEqual({ kind: 'resource', resource: data.resource('Orders') });
    // A name no template of the validation exports is another app's: external. A template loaded alone imports nothing.
    expect(resolveAcrossStacks(compute, { 'Fn::ImportValue': 'Elsewhere:Arn' }).target).toEqual({ kind: 'external' });
    const alone = new StackTemplate({ templatePath: '/tmp/Alone.template.json', template: {}, stageName: '', durable: false, elements: new Map() });
    expect(resolveAcrossStacks(alone, { 'Fn::ImportValue': 'Data:OrdersArn' })).toEqual({ stack: alone, value: { 'Fn::ImportValue': 'Data:OrdersArn' }, target: { kind: 'external' } });
  });

  test('stops where nothing more is known: literals passed in, parameters of the outermost stack or not passed, resources of the template', () => {
    expect(resolveAcrossStacks(nested, { Ref: 'Region' })).toEqual({ stack: parent, value: 'eu-west-1', target: { kind: 'external' } });
    expect(resolveAcrossStacks(nested, { Ref: 'Chained' })).toEqual({ stack: parent, value: { Ref: 'Outer' }, target: { kind: 'external' } });
    expect(resolveAcrossStacks(nested, { Ref: 'NotPassed' })).toEqual({ stack: nested, value: { Ref: 'NotPassed' }, target: { kind: 'external' } });
    expect(resolveAcrossStacks(nested, { Ref: 'Post' }).target).toEqual({ kind: 'resource', resource: nested.resource('Post') });
    // A stack output the parent does not hold a nested template for stays the stack resource.
    expect(resolveAcrossStacks(parent, { 'Fn::GetAtt': ['Jobs', 'Outputs.Missing'] }).target).toEqual({ kind: 'resource', resource: parent.resource('Jobs') });
    expect(resolveAcrossStacks(parent, { 'Fn::GetAtt': ['Orders', 'Arn'] }).stack).toBe(parent);
  });

  test('follows the one value another stack hands into a join or sub (an import, a nested parameter) when the rest is literal text', () => {
    const peers = new TemplatePeers();
    const load = (name: string, body: object) => new StackTemplate({ templatePath: `/tmp/${name}.template.json`, template: body, stageName: '', durable: false, elements: new Map(), peers });
    const data = load('Data', {
      Resources: { Orders: { Type: 'AWS::SQS::Queue' } },
      Outputs: { OrdersArn: { Value: { 'Fn::GetAtt': ['Orders', 'Arn'] }, Export: { Name: 'Data:OrdersArn' } } },
    });
    const compute = load('Compute', {});
    const orders = { kind: 'resource', resource: data.resource('Orders') };
    const imported = { 'Fn::ImportValue': 'Data:OrdersArn' };
    expect(resolveAcrossStacks(compute, { 'Fn::Join': ['', [imported, '/flow/']] }).target).toEqual(orders);
    expect(resolveAcrossStacks(compute, { 'Fn::Sub': ['${Arn}/${AWS::Region}/', { Arn: imported }] }).target).toEqual(orders);
    expect(resolveAcrossStacks(nested, { 'Fn::Join': ['', [{ Ref: 'OrdersArn' }, '/*']] }).target).toEqual({ kind: 'resource', resource: parent.resource('Orders') });
    // Two handed values, or one beside an intrinsic that is not a pseudo parameter, may name anything.
    expect(resolveAcrossStacks(compute, { 'Fn::Join': ['', [imported, { 'Fn::ImportValue': 'Data:Other' }]] }).target).toEqual({ kind: 'unknown' });
    expect(resolveAcrossStacks(compute, { 'Fn::Join': ['', [imported, { 'Fn::Select': [0, ['a']] }]] }).target).toEqual({ kind: 'unknown' });
    // What the handed value names must be a resource: a literal passed in leaves the join unknown.
    expect(resolveAcrossStacks(nested, { 'Fn::Join': ['', [{ Ref: 'Region' }, '/*']] }).target).toEqual({ kind: 'unknown' });
  });
});

describe('deliveriesOf', () => {
  test('indexes subscriptions, rule targets, alarm actions and bucket notifications with their services', () => {
    const stack = template({
      Queue: { Type: 'AWS::SQS::Queue' },
      Topic: { Type: 'AWS::SNS::Topic', Properties: { Subscription: [{ Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': ['Queue', 'Arn'] } }] } },
      Sub: { Type: 'AWS::SNS::Subscription', Properties: { Endpoint: { 'Fn::GetAtt': ['Queue', 'Arn'] }, RedrivePolicy: { deadLetterTargetArn: 'x' } } },
      Rule: { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Arn: { Ref: 'Topic' }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } } }] } },
      Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: [{ Ref: 'Topic' }], OKActions: [{ Ref: 'Topic' }] } },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { NotificationConfiguration: { QueueConfigurations: [{ Queue: { 'Fn::GetAtt': ['Queue', 'Arn'] } }] } } },
      Notifications: { Type: 'Custom::S3BucketNotifications', Properties: { NotificationConfiguration: { TopicConfigurations: [{ TopicArn: { Ref: 'Topic' } }] } } },
      Odd: { Type: 'AWS::CloudWatch::Alarm', Properties: { 'Fn::If': ['C', {}, {}] } },
    });
    expect(deliveriesOf(stack).map(d => `${d.service} ${d.producer.logicalId} ${d.location} ${d.deadLetter ? 'dlq' : '->'} ${d.target.kind === 'resource' ? d.target.resource.logicalId : d.target.kind}`)).toEqual([
      'sns Topic Properties/Subscription/0/Endpoint -> Queue',
      'sns Sub Properties/Endpoint -> Queue',
      'sns Sub Properties/RedrivePolicy/deadLetterTargetArn dlq external',
      'events Rule Properties/Targets/0/Arn -> Topic',
      'events Rule Properties/Targets/0/DeadLetterConfig/Arn dlq Queue',
      'cloudwatch Alarm Properties/AlarmActions/0 -> Topic',
      'cloudwatch Alarm Properties/OKActions/0 -> Topic',
      's3 Bucket Properties/NotificationConfiguration/QueueConfigurations/0/Queue -> Queue',
      's3 Notifications Properties/NotificationConfiguration/TopicConfigurations/0/TopicArn -> Topic',
    ]);
    expect(deliveriesOf(stack)).toBe(deliveriesOf(stack));
  });

  test('indexes logs services writing into buckets: server access logs, flow logs to S3, WAF logging, enabled NLB access logs, trails without a key of their own', () => {
    const bucketArn = { 'Fn::GetAtt': ['Logs', 'Arn'] };
    const stack = template({
      Logs: { Type: 'AWS::S3::Bucket' },
      Source: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: { DestinationBucketName: { Ref: 'Logs' }, LogFilePrefix: 'source/' } } },
      ToS3: { Type: 'AWS::EC2::FlowLog', Properties: { LogDestinationType: 's3', LogDestination: { 'Fn::Join': ['', [bucketArn, '/flow/']] } } },
      ToLogs: { Type: 'AWS::EC2::FlowLog', Properties: { LogDestinationType: 'cloud-watch-logs', LogDestination: 'arn:aws:logs:eu-west-1:123456789012:log-group:flow' } },
      Waf: { Type: 'AWS::WAFv2::LoggingConfiguration', Properties: { LogDestinationConfigs: [bucketArn] } },
      Nlb: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: {
          Type: 'network',
          LoadBalancerAttributes: [
            { Key: 'access_logs.s3.enabled', Value: 'true' }, { Key: 'access_logs.s3.bucket', Value: { Ref: 'Logs' } },
          ],
        },
      },
      QuietNlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network', LoadBalancerAttributes: [{ Key: 'access_logs.s3.bucket', Value: { Ref: 'Logs' } }] } },
      Alb: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: {
          LoadBalancerAttributes: [
            { Key: 'access_logs.s3.enabled', Value: 'true' }, { Key: 'access_logs.s3.bucket', Value: { Ref: 'Logs' } },
          ],
        },
      },
      Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: { Ref: 'Logs' } } },
      KeyedTrail: { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: { Ref: 'Logs' }, KMSKeyId: 'alias/trail' } },
    });
    expect(deliveriesOf(stack).map(d => `${d.service} ${d.producer.logicalId} ${d.location} -> ${d.target.kind === 'resource' ? d.target.resource.logicalId : d.target.kind}`)).toEqual([
      'logging.s3 Source Properties/LoggingConfiguration/DestinationBucketName -> Logs',
      'delivery.logs ToS3 Properties/LogDestination -> Logs',
      'delivery.logs Waf Properties/LogDestinationConfigs/0 -> Logs',
      'delivery.logs Nlb Properties/LoadBalancerAttributes/1/Value -> Logs',
      'cloudtrail Trail Properties/S3BucketName -> Logs',
    ]);
  });

  test('never throws on odd shapes of the logs deliveries, whatever property is an intrinsic or an odd value', () => {
    const producers: Array<[string, Record<string, unknown>]> = [
      ['AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: { Ref: 'Logs' }, LogFilePrefix: 'p/' } }],
      ['AWS::EC2::FlowLog', { LogDestinationType: 's3', LogDestination: { 'Fn::GetAtt': ['Logs', 'Arn'] } }],
      ['AWS::WAFv2::LoggingConfiguration', { LogDestinationConfigs: [{ 'Fn::GetAtt': ['Logs', 'Arn'] }] }],
      ['AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', LoadBalancerAttributes: [{ Key: 'access_logs.s3.enabled', Value: 'true' }, { Key: 'access_logs.s3.bucket', Value: { Ref: 'Logs' } }] }],
      ['AWS::CloudTrail::Trail', { S3BucketName: { Ref: 'Logs' } }],
    ];
    const odd: unknown[] = [{ Ref: 'Param' }, { 'Fn::If': ['C', 'a', { Ref: 'AWS::NoValue' }] }, null, 42, 'text', [], {}, [null], [{ Ref: 'Param' }]];
    // Every path into a JSON value, e.g. ['LoadBalancerAttributes', 1, 'Value'].
    const keysOf = (value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> => {
      if (typeof value !== 'object' || value === null) return [];
      return Object.entries(value).flatMap(([key, item]) => {
        const path = [...prefix, Array.isArray(value) ? Number(key) : key];
        return [path, ...keysOf(item, path)];
      });
    };
    for (const [type, properties] of producers) {
      expect(deliveriesOf(template({ Logs: { Type: 'AWS::S3::Bucket' }, Producer: { Type: type, Properties: properties } })).length).toBe(1);
      for (const path of keysOf(properties)) {
        for (const replacement of odd) {
          const copy = JSON.parse(JSON.stringify(properties));
          let at = copy;
          for (const key of path.slice(0, -1)) at = at[key];
          at[path[path.length - 1]] = replacement;
          expect(() => deliveriesOf(template({ Logs: { Type: 'AWS::S3::Bucket' }, Producer: { Type: type, Properties: copy } }))).not.toThrow();
        }
      }
      for (const whole of [undefined, { Ref: 'Param' }, 'text', []]) {
        expect(() => deliveriesOf(template({ Producer: { Type: type, Properties: whole } }))).not.toThrow();
      }
    }
  });
});

describe('deliveringServices', () => {
  test('names each service once, in order, with the resources that set its deliveries up, by its principal', () => {
    const stack = template({
      Queue: { Type: 'AWS::SQS::Queue' },
      Rule: { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } }, { Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } }] } },
      Sub: { Type: 'AWS::SNS::Subscription', Properties: { Endpoint: { 'Fn::GetAtt': ['Queue', 'Arn'] } } },
      Later: { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } }] } },
    });
    expect(deliveringServices(deliveriesOf(stack))).toEqual({
      services: ['events', 'sns'],
      described: 'events.amazonaws.com (AWS::Events::Rule Rule, AWS::Events::Rule Later), sns.amazonaws.com (AWS::SNS::Subscription Sub)',
    });
    expect(deliveringServices(deliveriesOf(stack), service => `${service}.example`).described).toMatch(/^events\.example \(.*\), sns\.example \(/);
    expect(deliveringServices([])).toEqual({ services: [], described: '' });
  });
});
