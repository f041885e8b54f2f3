import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { templatesTogether } from './rule-harness';
import { StackTemplate, TemplatePeers, resourceNamed } from '../../src/rules/stack-template';

function templateOf(template: unknown, elements: ReadonlyMap<string, IConstruct> = new Map(), stack?: Stack): StackTemplate {
  return new StackTemplate({ templatePath: '/tmp/out/Shop.template.json', template, stack, stageName: 'dev', durable: false, elements });
}

describe('StackTemplate', () => {
  test('indexes resources by logical id and by type, in template order', () => {
    const stack = templateOf({
      Resources: {
        A: { Type: 'AWS::S3::Bucket' },
        B: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 1 } },
        C: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain' },
      },
    });
    expect(stack.resources.map(r => r.logicalId)).toEqual(['A', 'B', 'C']);
    expect(stack.resourcesOfType('AWS::S3::Bucket').map(r => r.logicalId)).toEqual(['A', 'C']);
    expect(stack.resourcesOfType('AWS::SNS::Topic')).toEqual([]);
    expect(stack.resource('B')?.properties).toEqual({ DelaySeconds: 1 });
    expect(stack.resource('A')?.properties).toEqual({});
    expect(stack.resource('C')?.definition.DeletionPolicy).toBe('Retain');
  });

  test('treats odd shapes as unknown instead of failing', () => {
    expect(templateOf(null).resources).toEqual([]);
    expect(templateOf({ Resources: 'none' }).resources).toEqual([]);
    const stack = templateOf({
      Resources: {
        NoType: { Properties: {} },
        NotAnObject: 'x',
        Conditional: { Type: 'AWS::S3::Bucket', Properties: { 'Fn::If': ['C', {}, {}] } },
        ListProps: { Type: 'AWS::S3::Bucket', Properties: [] },
      },
    });
    expect(stack.resources.map(r => r.logicalId)).toEqual(['Conditional', 'ListProps']);
    expect(stack.resource('Conditional')?.properties).toBeUndefined();
    expect(stack.resource('ListProps')?.properties).toBeUndefined();
  });

  test('names the construct path from the tree, else from aws:cdk:path metadata, else stack path plus logical id', () => {
    const app = new App();
    const cdkStack = new Stack(app, 'Shop');
    const bucket = new s3.CfnBucket(cdkStack, 'Orders');
    const stack = templateOf({
      Resources: {
        Orders: { Type: 'AWS::S3::Bucket' },
        Imported: { Type: 'AWS::S3::Bucket', Metadata: { 'aws:cdk:path': 'Shop/Imported/Resource' } },
        Raw: { Type: 'AWS::S3::Bucket' },
      },
    }, new Map([['Orders', bucket]]), cdkStack);
    expect(stack.resource('Orders')?.constructPath).toBe('Shop/Orders');
    expect(stack.resource('Orders')?.construct).toBe(bucket);
    expect(stack.resource('Imported')?.constructPath).toBe('Shop/Imported/Resource');
    expect(stack.resource('Raw')?.constructPath).toBe('Shop/Raw');
    expect(stack.ownerOf('Orders')).toBe(bucket);
    expect(stack.ownerOf('Raw')).toBe(cdkStack);
  });

  test('without a stack, paths start with the template name', () => {
    const stack = templateOf({ Resources: { Raw: { Type: 'AWS::S3::Bucket' } } });
    expect(stack.path).toBe('Shop');
    expect(stack.templateFile).toBe('Shop.template.json');
    expect(stack.resource('Raw')?.constructPath).toBe('Shop/Raw');
    expect(stack.ownerOf('Raw')).toBeUndefined();
  });

  test('links a nested stack\'s template to its parent\'s: the values passed to its parameters, its outputs read by the parent', () => {
    const parent = templateOf({
      Resources: {
        Orders: { Type: 'AWS::SQS::Queue' },
        Jobs: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/jobs.json', Parameters: { OrdersUrl: { Ref: 'Orders' } } } },
      },
    });
    const nested = new StackTemplate({
      templatePath: '/tmp/out/ShopJobs.nested.template.json',
      template: { Parameters: { OrdersUrl: { Type: 'String' }, Other: { Type: 'String' } }, Outputs: { Done: { Value: 'done' }, Empty: {} } },
      stageName: 'dev',
      durable: false,
      elements: new Map(),
      parent: { template: parent, logicalId: 'Jobs' },
    });
    const grandchild = new StackTemplate({
      templatePath: '/tmp/out/ShopJobsDeep.nested.template.json', template: {}, stageName: 'dev', durable: false, elements: new Map(), parent: { template: nested, logicalId: 'Deep' },
    });
    expect(nested.parameterValue('OrdersUrl')).toEqual({ stack: parent, value: { Ref: 'Orders' } });
    expect(nested.parameterValue('Other')).toBeUndefined();
    expect(parent.parameterValue('OrdersUrl')).toBeUndefined();
    expect(parent.nestedOutput('Jobs', 'Outputs.Done')).toEqual({ stack: nested, value: 'done' });
    for (const [logicalId, attribute] of [['Jobs', 'Outputs.Empty'], ['Jobs', 'Outputs.Missing'], ['Jobs', 'Arn'], ['Orders', 'Outputs.Done']]) {
      expect(parent.nestedOutput(logicalId, attribute)).toBeUndefined();
    }
    expect([...parent.nestedStacks.values()]).toEqual([nested]);
    expect([...nested.nestedStacks.values()]).toEqual([grandchild]);
  });

  test('shares its peers with the templates loaded with it: their exports, and values computed once over all of them', () => {
    const peers = new TemplatePeers();
    const load = (name: string, body: object) => new StackTemplate({ templatePath: `/tmp/out/${name}.template.json`, template: body, stageName: 'dev', durable: false, elements: new Map(), peers });
    const data = load('Data', {
      Resources: { Orders: { Type: 'AWS::SQS::Queue' } },
      Outputs: {
        OrdersArn: { Value: { 'Fn::GetAtt': ['Orders', 'Arn'] }, Export: { Name: 'Data:OrdersArn' } },
        Computed: { Value: 'x', Export: { Name: { 'Fn::Sub': '${AWS::StackName}-x' } } },
        Plain: { Value: 'y' },
      },
    });
    const compute = load('Compute', { Outputs: { Again: { Value: 'later', Export: { Name: 'Data:OrdersArn' } } } });
    expect(peers.templates).toEqual([data, compute]);
    expect(compute.peers).toBe(data.peers);
    expect(compute.importedValue('Data:OrdersArn')).toEqual({ stack: data, value: { 'Fn::GetAtt': ['Orders', 'Arn'] } });
    expect(['Plain', 'x', 'Compute-x'].map(name => compute.importedValue(name))).toEqual([undefined, undefined, undefined]);
    let computed = 0;
    expect(peers.memo('count', () => ++computed)).toBe(1);
    expect(peers.memo('count', () => ++computed)).toBe(1);
    // A template added later: exports and memos are computed again over the whole set.
    const late = load('Late', { Outputs: { Late: { Value: 'z', Export: { Name: 'Late:z' } } } });
    expect(data.importedValue('Late:z')).toEqual({ stack: late, value: 'z' });
    expect(peers.memo('count', () => ++computed)).toBe(2);
    // Without peers, a template is alone.
    expect(templateOf({}).peers.templates).toHaveLength(1);
    expect(templateOf({}).importedValue('Data:OrdersArn')).toBeUndefined();
  });

  test('indexes a SAM template as the transform expands it; what the transform adds is named, and acknowledged, on the serverless resource', () => {
    const stack = new Stack(new App(), 'Shop');
    const fn = new Stack(stack, 'Holder');
    const elements = new Map<string, IConstruct>([['Settle', fn]]);
    const template = templateOf({
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Settle: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', InlineCode: 'x', Events: { Nightly: { Type: 'Schedule', Properties: { Schedule: 'rate(1 day)' } } } } },
      },
    }, elements, stack);
    expect(template.resources.map(r => `${r.type} ${r.logicalId}`)).toEqual([
      'AWS::Lambda::Function Settle', 'AWS::Events::Rule SettleNightly', 'AWS::Lambda::Permission SettleNightlyPermission', 'AWS::IAM::Role SettleRole',
    ]);
    expect(template.template.Transform).toBe('AWS::Serverless-2016-10-31');
    expect(template.serverlessSourceOf('SettleNightly')).toBe('Settle');
    expect(template.serverlessSourceOf('Settle')).toBeUndefined();
    expect(template.constructPathOf('SettleNightly')).toBe(fn.node.path);
    expect(template.ownerOf('SettleRole')).toBe(fn);
    expect(template.ownerOf('Elsewhere')).toBe(stack);
  });

  test('memo computes a per-template value once', () => {
    const stack = templateOf({});
    const compute = jest.fn(() => new Set(['x']));
    expect(stack.memo('k', compute)).toBe(stack.memo('k', compute));
    expect(compute).toHaveBeenCalledTimes(1);
  });

  test('resolves what synth knows: conditions on literals and the stack region, Fn::Sub of literals; drops resources never created', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env: { account: '111122223333', region: 'eu-west-1' } });
    const template = templateOf({
      Conditions: {
        InIreland: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
        NotIreland: { 'Fn::Not': [{ Condition: 'InIreland' }] },
        ByParameter: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
        Loop: { 'Fn::Not': [{ Condition: 'Loop' }] },
      },
      Resources: {
        Kept: {
          Type: 'AWS::SQS::Queue',
          Condition: 'InIreland',
          Properties: { QueueName: { 'Fn::Sub': 'orders-${AWS::Region}' }, KmsMasterKeyId: { 'Fn::If': ['NotIreland', 'alias/aws/sqs', { Ref: 'AWS::NoValue' }] } },
        },
        NeverCreated: { Type: 'AWS::SQS::Queue', Condition: 'NotIreland' },
        Maybe: { Type: 'AWS::SQS::Queue', Condition: 'ByParameter', Properties: { DelaySeconds: { 'Fn::If': ['ByParameter', 1, 2] } } },
      },
    }, new Map(), stack);
    expect(template.resources.map(r => r.logicalId)).toEqual(['Kept', 'Maybe']);
    expect(template.resourcesOfType('AWS::SQS::Queue').map(r => r.logicalId)).toEqual(['Kept', 'Maybe']);
    expect(template.resource('NeverCreated')?.type).toBe('AWS::SQS::Queue');
    expect(template.resource('Kept')?.properties).toEqual({ QueueName: 'orders-eu-west-1' });
    expect(template.resource('Maybe')?.properties).toEqual({ DelaySeconds: { 'Fn::If': ['ByParameter', 1, 2] } });
    expect([template.conditionValue('InIreland'), template.conditionValue('ByParameter'), template.conditionValue('Loop'), template.conditionValue('Missing')])
      .toEqual([true, undefined, undefined, undefined]);
    expect(template.resolveString({ 'Fn::Join': ['.', ['logs', { Ref: 'AWS::Region' }, 'amazonaws.com']] })).toBe('logs.eu-west-1.amazonaws.com');
    expect(template.pseudoParameter('AWS::Partition')).toBeUndefined();
  });

  test('an environment-agnostic stack decides nothing about its region', () => {
    const template = templateOf({
      Conditions: { InIreland: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
      Resources: { Q: { Type: 'AWS::SQS::Queue', Condition: 'InIreland' } },
    }, new Map(), new Stack(new App(), 'Agnostic'));
    expect(template.conditionValue('InIreland')).toBeUndefined();
    expect(template.resources.map(r => r.logicalId)).toEqual(['Q']);
  });
});

describe('resourceNamed', () => {
  const group = (name: string) => ({ Type: 'AWS::RDS::DBSubnetGroup', Properties: { DBSubnetGroupName: name, SubnetIds: [] } });

  test('finds the template\'s own resource first, else the one of that name in another template validated with it', () => {
    const { Network: network, Data: data, Other: other } = templatesTogether({
      Network: { Resources: { Shared: group('Ledger') } },
      Data: { Resources: { Own: group('ledger') } },
      Other: { Resources: {} },
    });
    expect(resourceNamed(other, 'AWS::RDS::DBSubnetGroup', 'DBSubnetGroupName', 'Ledger')).toBe(network.resource('Shared'));
    expect(resourceNamed(data, 'AWS::RDS::DBSubnetGroup', 'DBSubnetGroupName', 'LEDGER', true)).toBe(data.resource('Own'));
    // Compared as written unless told otherwise; two of one name elsewhere cannot be told apart.
    expect(resourceNamed(other, 'AWS::RDS::DBSubnetGroup', 'DBSubnetGroupName', 'LEDGER')).toBeUndefined();
    expect(resourceNamed(other, 'AWS::RDS::DBSubnetGroup', 'DBSubnetGroupName', 'ledger', true)).toBeUndefined();
    expect(resourceNamed(other, 'AWS::RDS::DBSubnetGroup', 'DBSubnetGroupName', 'missing')).toBeUndefined();
  });

  test('leaves out templates of another account or region', () => {
    const app = new App();
    const peers = new TemplatePeers();
    const load = (stack: Stack, resources: Record<string, unknown>) => new StackTemplate({
      templatePath: `/tmp/${stack.stackName}.template.json`, template: { Resources: resources }, stack, stageName: '', durable: false, elements: new Map(), peers,
    });
    const network = load(new Stack(app, 'Network', { env: { account: '123456789012', region: 'eu-west-1' } }), { Shared: group('ledger') });
    const here = load(new Stack(app, 'Here', { env: { account: '123456789012', region: 'eu-west-1' } }), {});
    const elsewhere = load(new Stack(app, 'Elsewhere', { env: { account: '123456789012', region: 'us-east-1' } }), {});
    const agnostic = load(new Stack(app, 'Agnostic'), {});
    expect(resourceNamed(here, 'AWS::RDS::DBSubnetGroup', 'DBSubnetGroupName', 'ledger')).toBe(network.resource('Shared'));
    expect(resourceNamed(agnostic, 'AWS::RDS::DBSubnetGroup', 'DBSubnetGroupName', 'ledger')).toBe(network.resource('Shared'));
    expect(resourceNamed(elsewhere, 'AWS::RDS::DBSubnetGroup', 'DBSubnetGroupName', 'ledger')).toBeUndefined();
  });
});
