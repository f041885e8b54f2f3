import { TlsOnlyPolicyKind, tlsOnlyFindings } from '../../../src/rules/iam/tls-only-policy';
import { StackTemplate } from '../../../src/rules/stack-template';

const RULE = 'Fintech-C18-QueueTlsOnly';

/** The queue kind, as QueueTlsOnly declares it. */
const QUEUES: TlsOnlyPolicyKind = {
  policyType: 'AWS::SQS::QueuePolicy',
  targetsProperty: 'Queues',
  coversActions: actions => actions.some(a => a === '*' || a === 'sqs:*'),
  denied: 'requests',
  service: 'sqs',
  nameProperty: 'QueueName',
};

/** A bucket kind that also finds buckets by their literal name, as BucketTlsOnly does. */
const BUCKETS: TlsOnlyPolicyKind = {
  policyType: 'AWS::S3::BucketPolicy',
  targetsProperty: 'Bucket',
  coversActions: actions => actions.some(a => a === '*' || a === 's3:*'),
  denied: 'requests',
  service: 's3',
  nameProperty: 'BucketName',
  objectsBelow: true,
  literalTargets: stack => name => stack.resourcesOfType('AWS::S3::Bucket').find(b => b.properties?.BucketName === name)?.logicalId,
};

/** The statement `enforceSSL: true` synthesizes. */
const DENY_PLAIN_HTTP = {
  Action: 'sqs:*',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Resource: { 'Fn::GetAtt': ['Orders', 'Arn'] },
};

function template(resources: Record<string, unknown>): StackTemplate {
  return new StackTemplate({ templatePath: '/tmp/cdk.out/Shop.template.json', template: { Resources: resources }, stageName: 'dev', durable: false, elements: new Map() });
}

function queuePolicy(statements: unknown, queues: unknown = [{ Ref: 'Orders' }]) {
  return { Type: 'AWS::SQS::QueuePolicy', Properties: { Queues: queues, PolicyDocument: { Version: '2012-10-17', Statement: statements } } };
}

/** Logical ids of the queues the rule reports in a template with queues Orders and Refunds plus `extra`. */
function reportedQueues(extra: Record<string, unknown>, kind: TlsOnlyPolicyKind = QUEUES): string[] {
  const stack = template({ Orders: { Type: 'AWS::SQS::Queue' }, Refunds: { Type: 'AWS::SQS::Queue' }, ...extra });
  return stack.resourcesOfType('AWS::SQS::Queue').flatMap(queue => tlsOnlyFindings(queue, RULE, kind)).map(f => f.logicalId);
}

describe('tlsOnlyFindings', () => {
  test('reports a queue no policy covers, with a message naming the policy type and what must be denied', () => {
    const stack = template({ Orders: { Type: 'AWS::SQS::Queue' } });
    expect(tlsOnlyFindings(stack.resource('Orders')!, RULE, QUEUES)).toEqual([{
      ruleId: RULE,
      stack,
      logicalId: 'Orders',
      resourceType: 'AWS::SQS::Queue',
      message: 'AWS::SQS::Queue Orders has no AWS::SQS::QueuePolicy denying requests where aws:SecureTransport is false with a Resource that covers its ARN, so it accepts plain HTTP.',
      locations: [],
    }]);
  });

  test('passes the queues a policy denies plain HTTP to, and only those', () => {
    expect(reportedQueues({ OrdersPolicy: queuePolicy([DENY_PLAIN_HTTP]) })).toEqual(['Refunds']);
    // One policy for two queues covers each queue its Deny's Resource names, and only those.
    expect(reportedQueues({ BothPolicy: queuePolicy([DENY_PLAIN_HTTP], [{ Ref: 'Orders' }, { Ref: 'Refunds' }]) })).toEqual(['Refunds']);
    const both = { ...DENY_PLAIN_HTTP, Resource: [{ 'Fn::GetAtt': ['Orders', 'Arn'] }, { 'Fn::GetAtt': ['Refunds', 'Arn'] }] };
    expect(reportedQueues({ BothPolicy: queuePolicy([both], [{ Ref: 'Orders' }, { Ref: 'Refunds' }]) })).toEqual([]);
    // Queues may be one value rather than a list.
    expect(reportedQueues({ OrdersPolicy: queuePolicy([DENY_PLAIN_HTTP], { Ref: 'Orders' }) })).toEqual(['Refunds']);
  });

  test('accepts the variants of the Deny: "*" principal and action, BoolIfExists, boolean false, any key case, a single statement', () => {
    const variants = [
      { ...DENY_PLAIN_HTTP, Principal: '*' },
      { ...DENY_PLAIN_HTTP, Action: ['sqs:SendMessage', '*'] },
      { ...DENY_PLAIN_HTTP, Action: 'SQS:*' },
      { ...DENY_PLAIN_HTTP, Principal: { AWS: ['arn:aws:iam::123456789012:root', '*'] } },
      { ...DENY_PLAIN_HTTP, Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } },
      { ...DENY_PLAIN_HTTP, Condition: { Bool: { 'aws:SecureTransport': false } } },
      { ...DENY_PLAIN_HTTP, Condition: { Bool: { 'AWS:securetransport': ['FALSE'] } } },
    ];
    for (const statement of variants) {
      expect(reportedQueues({ OrdersPolicy: queuePolicy([statement]) })).toEqual(['Refunds']);
    }
    expect(reportedQueues({ OrdersPolicy: queuePolicy(DENY_PLAIN_HTTP) })).toEqual(['Refunds']);
  });

  test('reports a queue whose policy has no such Deny', () => {
    const failing = [
      { ...DENY_PLAIN_HTTP, Effect: 'Allow' },
      { ...DENY_PLAIN_HTTP, Principal: { AWS: 'arn:aws:iam::123456789012:root' } },
      { ...DENY_PLAIN_HTTP, Principal: { Service: 'sns.amazonaws.com' } },
      { ...DENY_PLAIN_HTTP, Action: 'sqs:SendMessage' },
      { ...DENY_PLAIN_HTTP, Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      { ...DENY_PLAIN_HTTP, Condition: { StringEquals: { 'aws:SecureTransport': 'false' } } },
      { ...DENY_PLAIN_HTTP, Condition: { Bool: { 'aws:ViaAWSService': 'false' } } },
      { ...DENY_PLAIN_HTTP, Condition: undefined },
    ];
    for (const statement of failing) {
      expect(reportedQueues({ OrdersPolicy: queuePolicy([statement]) })).toEqual(['Orders', 'Refunds']);
    }
    expect(reportedQueues({ OrdersPolicy: queuePolicy([]) })).toEqual(['Orders', 'Refunds']);
  });

  test('leaves a queue unreported when its policy document or one of its statements is intrinsic (unknown)', () => {
    const conditional = { 'Fn::If': ['IsProd', DENY_PLAIN_HTTP, { Ref: 'AWS::NoValue' }] };
    expect(reportedQueues({ OrdersPolicy: queuePolicy([{ ...DENY_PLAIN_HTTP, Effect: 'Allow' }, conditional]) })).toEqual(['Refunds']);
    expect(reportedQueues({
      OrdersPolicy: { Type: 'AWS::SQS::QueuePolicy', Properties: { Queues: [{ Ref: 'Orders' }], PolicyDocument: { 'Fn::ImportValue': 'SharedPolicy' } } },
    })).toEqual(['Refunds']);
  });

  test('reports nothing of the type when a policy names its targets by something it cannot read', () => {
    expect(reportedQueues({ Policy: queuePolicy([DENY_PLAIN_HTTP], [{ 'Fn::GetAtt': ['Orders', 'QueueUrl'] }]) })).toEqual([]);
    expect(reportedQueues({ Policy: queuePolicy([DENY_PLAIN_HTTP], { 'Fn::Split': [',', { Ref: 'QueueUrls' }] }) })).toEqual([]);
  });

  test('a literal target names a resource outside the template unless the kind finds it by name', () => {
    // A queue URL of another stack: nothing here is covered, nothing becomes unknown.
    expect(reportedQueues({ Policy: queuePolicy([DENY_PLAIN_HTTP], ['https://sqs.eu-west-1.amazonaws.com/123456789012/orders']) })).toEqual(['Orders', 'Refunds']);

    const stack = template({
      Archive: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'ledger-archive-prod' } },
      Exports: { Type: 'AWS::S3::Bucket' },
      ArchivePolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: { Bucket: 'ledger-archive-prod', PolicyDocument: { Statement: [{ ...DENY_PLAIN_HTTP, Action: 's3:*', Resource: ['arn:aws:s3:::ledger-archive-prod', 'arn:aws:s3:::ledger-archive-prod/*'] }] } },
      },
    });
    const reported = stack.resourcesOfType('AWS::S3::Bucket').flatMap(bucket => tlsOnlyFindings(bucket, 'Fintech-C18-BucketTlsOnly', BUCKETS));
    expect(reported.map(f => f.logicalId)).toEqual(['Exports']);
    expect(reported[0].message).toBe('AWS::S3::Bucket Exports has no AWS::S3::BucketPolicy denying requests where aws:SecureTransport is false ' +
      'with a Resource that covers the resource ARN and every object below it (<ARN>/*), so it accepts plain HTTP.');
  });

  test('requires the Deny to cover the whole resource: a bucket and all its objects, not a prefix', () => {
    const bucketsReported = (resource: unknown) => {
      const deny = { ...DENY_PLAIN_HTTP, Action: 's3:*', Resource: resource };
      const stack = template({
        Archive: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'ledger-archive-prod' } },
        ArchivePolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'Archive' }, PolicyDocument: { Statement: [deny] } } },
      });
      return stack.resourcesOfType('AWS::S3::Bucket').flatMap(bucket => tlsOnlyFindings(bucket, 'Fintech-C03-BucketTlsOnly', BUCKETS)).map(f => f.logicalId);
    };
    const arn = { 'Fn::GetAtt': ['Archive', 'Arn'] };
    // Whole: what enforceSSL writes, "*", a wildcard over the name, literal ARNs, Ref and Sub forms of the name.
    for (const whole of [
      [arn, { 'Fn::Join': ['', [arn, '/*']] }],
      '*',
      'arn:aws:s3:::ledger-archive-prod*',
      ['arn:aws:s3:::ledger-archive-prod', 'arn:aws:s3:::ledger-archive-prod/*'],
      [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Archive' }]] }, { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Archive}/*' }],
      [{ 'Fn::Sub': '${Archive.Arn}' }, { 'Fn::Sub': '${Archive.Arn}/*' }],
    ]) expect([whole, bucketsReported(whole)]).toEqual([whole, []]);
    // A prefix, the bucket alone, the objects alone, or another bucket: plain HTTP still reaches part of it.
    for (const part of [
      [arn, { 'Fn::Join': ['', [arn, '/uploads/*']] }],
      arn,
      { 'Fn::Join': ['', [arn, '/*']] },
      'arn:aws:s3:::ledger-archive-prod/*',
      ['arn:aws:s3:::other-bucket', 'arn:aws:s3:::other-bucket/*'],
      ['arn:aws:sqs:::ledger-archive-prod', 'arn:aws:sqs:::ledger-archive-prod/*'],
    ]) expect(bucketsReported(part)).toEqual(['Archive']);
    // A Resource it cannot read may cover everything: not reported.
    expect(bucketsReported([arn, { 'Fn::Join': ['', [{ Ref: 'Prefix' }, '/*']] }])).toEqual([]);
    expect(bucketsReported({ 'Fn::If': ['C', '*', 'x'] })).toEqual([]);
  });

  test('requires a queue Deny to name the queue\'s ARN, by reference, literal ARN or wildcard', () => {
    const withResource = (resource: unknown) => reportedQueues({ OrdersPolicy: queuePolicy([{ ...DENY_PLAIN_HTTP, Resource: resource }]) });
    expect(withResource({ 'Fn::GetAtt': ['Orders', 'Arn'] })).toEqual(['Refunds']);
    expect(withResource('arn:aws:sqs:eu-west-1:123456789012:*')).toEqual(['Refunds']);
    expect(withResource({ 'Fn::GetAtt': ['Refunds', 'Arn'] })).toEqual(['Orders', 'Refunds']);
    expect(withResource('arn:aws:sqs:eu-west-1:123456789012:orders-archive')).toEqual(['Orders', 'Refunds']);
    // Without a Resource the statement cannot be judged: not reported.
    expect(withResource(undefined)).toEqual(['Refunds']);
  });

  test('indexes the policies once per template and rule', () => {
    const stack = template({ Orders: { Type: 'AWS::SQS::Queue' }, Refunds: { Type: 'AWS::SQS::Queue' }, OrdersPolicy: queuePolicy([DENY_PLAIN_HTTP]) });
    const coversActions = jest.fn((actions: string[]) => actions.includes('sqs:*'));
    const kind = { ...QUEUES, coversActions };
    tlsOnlyFindings(stack.resource('Orders')!, RULE, kind);
    tlsOnlyFindings(stack.resource('Refunds')!, RULE, kind);
    expect(coversActions).toHaveBeenCalledTimes(1);
    expect(coversActions).toHaveBeenCalledWith(['sqs:*']);
  });
});
