import { embeddedConnectors, expandConnector } from '../../src/rules/serverless-connectors';
import { paths, replaced } from '../support/json-paths';

const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:123456789012:payouts';
/** Resources as the transform leaves them before it writes connectors: a function with its role, a queue, a table, a rule. */
const RESOURCES = {
  Settle: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['SettleRole', 'Arn'] } } },
  SettleRole: { Type: 'AWS::IAM::Role', Properties: {} },
  Inbox: { Type: 'AWS::SQS::Queue' },
  Ledger: { Type: 'AWS::DynamoDB::Table' },
  Nightly: { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Id: 't', Arn: { 'Fn::GetAtt': ['Release', 'Arn'] }, RoleArn: { 'Fn::GetAtt': ['NightlyRole', 'Arn'] } }] } },
  Release: { Type: 'AWS::StepFunctions::StateMachine', Properties: { RoleArn: { 'Fn::GetAtt': ['ReleaseRole', 'Arn'] } } },
  InboxMapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: 'Settle' }, EventSourceArn: { 'Fn::GetAtt': ['Inbox', 'Arn'] } } },
};
const connector = (properties: object, attributes: object = {}) => ({ Type: 'AWS::Serverless::Connector', ...attributes, Properties: properties });

describe('expandConnector', () => {
  test('writes a managed policy on the source\'s role with the statements of the permissions asked for, and the connector\'s attributes', () => {
    const out = expandConnector('SettleToInbox', connector({ Source: { Id: 'Settle' }, Destination: { Id: 'Inbox' }, Permissions: ['Write', 'Write'] },
      { Condition: 'InEu', DependsOn: ['Ledger'] }), RESOURCES, { Settle: 'AWS::Serverless::Function' })!;
    expect(out.dependsOn).toEqual([]);
    expect(out.resources).toEqual([['SettleToInboxPolicy', {
      Type: 'AWS::IAM::ManagedPolicy',
      Condition: 'InEu',
      DependsOn: ['Ledger'],
      Metadata: { 'aws:sam:connectors': { SettleToInbox: { Source: { Type: 'AWS::Serverless::Function' }, Destination: { Type: 'AWS::SQS::Queue' } } } },
      Properties: {
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['sqs:DeleteMessage', 'sqs:SendMessage', 'sqs:ChangeMessageVisibility', 'sqs:PurgeQueue'], Resource: [{ 'Fn::GetAtt': ['Inbox', 'Arn'] }] }],
        },
        Roles: [{ Ref: 'SettleRole' }],
      },
    }]]);
  });

  test('names one set per destination, takes a destination given by type and ARN as written, and makes the queue\'s poller policy a mapping\'s dependency', () => {
    const out = expandConnector('Reads', connector({
      Source: { Id: 'Inbox' }, Destination: [{ Id: 'Settle' }], Permissions: ['Read', 'Write'],
    }), RESOURCES, {})!;
    expect(out.resources.map(([id]) => id)).toEqual(['ReadsPolicyDestination0']);
    expect(out.dependsOn).toEqual([['InboxMapping', 'ReadsPolicyDestination0']]);
    const byArn = expandConnector('Sends', connector({ Source: { Id: 'Settle' }, Destination: { Type: 'AWS::SQS::Queue', Arn: QUEUE_ARN }, Permissions: ['Write'] }), RESOURCES, {})!;
    expect((byArn.resources[0][1] as any).Properties.PolicyDocument.Statement[0].Resource).toEqual([QUEUE_ARN]);
  });

  test('writes Lambda permissions for a rule, with the function\'s ARN, and reads a rule\'s role from its target for the state machine', () => {
    const out = expandConnector('Invokes', connector({ Source: { Id: 'Nightly' }, Destination: { Id: 'Settle' }, Permissions: ['Write'] }), RESOURCES, {})!;
    expect(out.resources).toEqual([['InvokesWriteLambdaPermission', expect.objectContaining({
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': ['Settle', 'Arn'] }, Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['Nightly', 'Arn'] } },
    })]]);
    const starts = expandConnector('Starts', connector({ Source: { Id: 'Nightly' }, Destination: { Id: 'Release' }, Permissions: ['Write'] }), RESOURCES, {})!;
    expect((starts.resources[0][1] as any).Properties.Roles).toEqual([{ Ref: 'NightlyRole' }]);
  });

  test('is undefined where the transform rejects the connector', () => {
    for (const properties of [
      { Source: { Id: 'Nowhere' }, Destination: { Id: 'Inbox' }, Permissions: ['Write'] }, // a resource the template does not hold
      { Source: { Id: 'Settle', Arn: QUEUE_ARN }, Destination: { Id: 'Inbox' }, Permissions: ['Write'] }, // an Id beside other properties
      { Source: { Id: 'Ledger' }, Destination: { Id: 'Inbox' }, Permissions: ['Write'] }, // a pair without a profile
      { Source: { Id: 'Settle' }, Destination: { Id: 'Inbox' }, Permissions: ['Admin'] }, // a permission the profile does not offer
      { Source: { Id: 'Settle' }, Destination: { Id: 'Inbox' }, Permissions: [] },
      { Source: { Id: 'Settle' }, Destination: [], Permissions: ['Write'] },
      { Source: { Type: 'AWS::Lambda::Function', Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:f' }, Destination: { Id: 'Inbox' }, Permissions: ['Write'] }, // no role name
      { Source: { Id: 'Settle' }, Destination: { Type: 'AWS::SQS::Queue' }, Permissions: ['Write'] }, // the profile needs the destination's ARN
    ]) {
      expect([properties, expandConnector('C', connector(properties), RESOURCES, {})]).toEqual([properties, undefined]);
    }
  });
});

describe('odd values', () => {
  test('never throw, whatever value any property of a connector or of the resources it reads holds', () => {
    const entry = connector({ Source: { Id: 'Nightly' }, Destination: [{ Id: 'Release' }, { Type: 'AWS::SQS::Queue', Arn: QUEUE_ARN }], Permissions: ['Write'] });
    const replacements: unknown[] = [{ Ref: 'Param' }, { 'Fn::If': ['C', 'a', { Ref: 'AWS::NoValue' }] }, null, 42, 'text', [], {}, [{ Ref: 'Param' }]];
    for (const at of paths(entry)) {
      for (const replacement of replacements) expect(() => expandConnector('C', replaced(entry, at, replacement) as any, RESOURCES, {})).not.toThrow();
    }
    for (const at of paths(RESOURCES)) {
      for (const replacement of replacements) expect(() => expandConnector('C', entry, replaced(RESOURCES, at, replacement) as any, {})).not.toThrow();
    }
    for (const replacement of replacements) expect(() => embeddedConnectors('Settle', { Sends: replacement })).not.toThrow();
  });
});

describe('embeddedConnectors', () => {
  test('makes each embedded connector a connector named after its resource, with the resource as source', () => {
    expect(embeddedConnectors('Settle', { Sends: { Properties: { Destination: { Id: 'Inbox' }, Permissions: ['Write'], SourceReference: { Qualifier: 'live' } } } })).toEqual([
      ['SettleSends', { Type: 'AWS::Serverless::Connector', Properties: { Destination: { Id: 'Inbox' }, Permissions: ['Write'], Source: { Id: 'Settle', Qualifier: 'live' } } }],
    ]);
    expect(embeddedConnectors('Settle', { Sends: { Properties: { SourceReference: { Id: 'Other' } } } })).toBeUndefined();
    expect(embeddedConnectors('Settle', 'none')).toBeUndefined();
  });
});
