import { managedPolicyArn, serverlessRolePolicies } from '../../src/rules/serverless-policies';

const NO_VALUE = { Ref: 'AWS::NoValue' };
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

describe('serverlessRolePolicies', () => {
  test('puts a policy template\'s parameter values into its statements, inline under the policy\'s index', () => {
    const queue = { 'Fn::GetAtt': ['Payouts', 'QueueName'] };
    const policies = serverlessRolePolicies([{ Statement: [] }, { SQSPollerPolicy: { QueueName: queue, Extra: 'ignored' } }], 'PayoutRole')!;
    expect(policies.managed).toEqual([]);
    expect(policies.inline).toHaveLength(2);
    expect(policies.inline[1]).toEqual({
      PolicyName: 'PayoutRolePolicy1',
      PolicyDocument: {
        Statement: [{
          Action: ['sqs:ChangeMessageVisibility', 'sqs:ChangeMessageVisibilityBatch', 'sqs:DeleteMessage', 'sqs:DeleteMessageBatch', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
          Effect: 'Allow',
          Resource: { 'Fn::Sub': ['arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${queueName}', { queueName: queue }] },
        }],
      },
    });
    // A template without parameters takes an empty map; each conversion is a fresh copy.
    const [first, second] = serverlessRolePolicies([{ CloudWatchPutMetricPolicy: {} }, { CloudWatchPutMetricPolicy: {} }], 'R')!.inline as any[];
    expect(first.PolicyDocument).toEqual(second.PolicyDocument);
    expect(first.PolicyDocument).not.toBe(second.PolicyDocument);
  });

  test('writes managed policy names as ARNs with their path, keeps ARNs and intrinsics, and attaches each once after the initial ones', () => {
    const sub = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess' };
    const policies = serverlessRolePolicies(['AWSLambdaBasicExecutionRole', 'AmazonS3ReadOnlyAccess', 'AWSLambdaVPCAccessExecutionRole', sub, { ...sub },
      'arn:aws:iam::123456789012:policy/ledger-read', 'arn:aws:iam::123456789012:policy/ledger-read'], 'R', [BASIC])!;
    expect(policies.managed).toEqual([BASIC, 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole', sub,
      'arn:aws:iam::123456789012:policy/ledger-read']);
    expect(policies.inline).toEqual([]);
    expect(managedPolicyArn('job-function/NotAPolicy')).toBe('arn:aws:iam::aws:policy/job-function/NotAPolicy');
    expect(managedPolicyArn('ViewOnlyAccess')).toBe('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess');
    // A name the transform does not bundle: it would ask IAM; most AWS managed policies have no path.
    expect(managedPolicyArn('SomeNewerPolicy')).toBe('arn:aws:iam::aws:policy/SomeNewerPolicy');
  });

  test('takes an Fn::If\'s kind from its branches and converts each branch but AWS::NoValue', () => {
    const policies = serverlessRolePolicies([
      { 'Fn::If': ['IsProd', { KMSDecryptPolicy: { KeyId: 'k-1' } }, NO_VALUE] },
      { 'Fn::If': ['IsProd', NO_VALUE, 'AWSLambdaVPCAccessExecutionRole'] },
      { 'Fn::If': ['IsProd', { Statement: ['a'] }, { Statement: ['b'] }] },
    ], 'R')!;
    expect(policies.inline).toEqual([
      { 'Fn::If': ['IsProd', { PolicyName: 'RPolicy0', PolicyDocument: { Statement: [expect.objectContaining({ Action: 'kms:Decrypt' })] } }, NO_VALUE] },
      { 'Fn::If': ['IsProd', { PolicyName: 'RPolicy2', PolicyDocument: { Statement: ['a'] } }, { PolicyName: 'RPolicy2', PolicyDocument: { Statement: ['b'] } }] },
    ]);
    expect(policies.managed).toEqual([{ 'Fn::If': ['IsProd', NO_VALUE, 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'] }]);
  });

  test('one entry is a list of one, none is no policy, and what the transform rejects is undefined', () => {
    expect(serverlessRolePolicies('AWSLambdaExecute', 'R')).toEqual({ managed: ['arn:aws:iam::aws:policy/AWSLambdaExecute'], inline: [] });
    expect(serverlessRolePolicies(undefined, 'R', [BASIC])).toEqual({ managed: [BASIC], inline: [] });
    for (const rejected of [
      [{ SQSPollerPolicy: {} }],
      [{ SQSPollerPolicy: 'payouts' }],
      [{ NoSuchTemplate: {} }],
      [{ SQSPollerPolicy: { QueueName: 'a' }, KMSDecryptPolicy: { KeyId: 'k' } }],
      [42],
      [{ 'Fn::If': ['IsProd', 'AWSLambdaExecute', { Statement: [] }] }],
      [{ 'Fn::If': ['IsProd', 'AWSLambdaExecute'] }],
      [{ 'Fn::If': ['IsProd', { SQSPollerPolicy: {} }, NO_VALUE] }],
    ]) {
      expect([rejected, serverlessRolePolicies(rejected, 'R')]).toEqual([rejected, undefined]);
    }
  });
});
