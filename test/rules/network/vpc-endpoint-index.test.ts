import { awsServiceName, endpointType, vpcEndpointIndex } from '../../../src/rules/network/vpc-endpoint-index';
import { StackTemplate } from '../../../src/rules/stack-template';
import { templatesTogether } from '../rule-harness';

function template(resources: Record<string, unknown> = {}): StackTemplate {
  return new StackTemplate({ templatePath: '/tmp/Net.template.json', template: { Resources: resources }, stageName: '', durable: false, elements: new Map() });
}

const region = { Ref: 'AWS::Region' };

describe('awsServiceName', () => {
  test('reads literal, Fn::Join and Fn::Sub names of AWS services, dotted names included', () => {
    const stack = template();
    expect(awsServiceName(stack, 'com.amazonaws.eu-west-1.sqs')).toBe('sqs');
    expect(awsServiceName(stack, { 'Fn::Join': ['', ['com.amazonaws.', region, '.ecr.api']] })).toBe('ecr.api');
    expect(awsServiceName(stack, { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.kinesis-streams' })).toBe('kinesis-streams');
    expect(awsServiceName(stack, 'cn.com.amazonaws.cn-north-1.s3')).toBe('s3');
  });

  test('names nothing for PrivateLink services, other intrinsics and other shapes', () => {
    const stack = template();
    expect(awsServiceName(stack, 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0')).toBeUndefined();
    expect(awsServiceName(stack, { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'Region' }, '.sqs']] })).toBeUndefined();
    expect(awsServiceName(stack, { 'Fn::ImportValue': 'Service' })).toBeUndefined();
    expect(awsServiceName(stack, 42)).toBeUndefined();
  });
});

describe('endpointType', () => {
  test('is the literal type in lower case, or gateway by default for S3 and DynamoDB only', () => {
    expect(endpointType('Interface', 's3')).toBe('interface');
    expect(endpointType(undefined, 'dynamodb')).toBe('gateway');
    expect(endpointType(undefined, 'sqs')).toBeUndefined();
    expect(endpointType({ Ref: 'Type' }, 's3')).toBeUndefined();
  });
});

describe('vpcEndpointIndex', () => {
  test('groups endpoints by VPC with their service, type, route tables and certainty; unresolvable VPCs mark the index', () => {
    const stack = template({
      Vpc: { Type: 'AWS::EC2::VPC' },
      Rt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
      S3: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: { Ref: 'Vpc' }, ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.s3' }, RouteTableIds: [{ Ref: 'Rt' }] } },
      Sqs: { Type: 'AWS::EC2::VPCEndpoint', Condition: 'Maybe', Properties: { VpcId: { Ref: 'Vpc' }, ServiceName: 'com.amazonaws.eu-west-1.sqs', VpcEndpointType: 'Interface' } },
      Odd: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: { Ref: 'Vpc' }, ServiceName: 'com.amazonaws.eu-west-1.dynamodb', RouteTableIds: { Ref: 'Tables' } } },
      Elsewhere: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: 'vpc-12345678', ServiceName: 'com.amazonaws.eu-west-1.sns' } },
    });
    const index = vpcEndpointIndex(stack);
    expect(index.unplaced).toBe(false);
    expect(index.byVpc.get(stack.resource('Vpc')!)!.map(({ resource, ...e }) => ({ id: resource.logicalId, ...e }))).toEqual([
      { id: 'S3', service: 's3', type: 'gateway', routeTables: [stack.resource('Rt')], certain: true },
      { id: 'Sqs', service: 'sqs', type: 'interface', routeTables: [], certain: false },
      { id: 'Odd', service: 'dynamodb', type: 'gateway', certain: true },
    ]);
    expect([...index.byVpc.keys()].map(vpc => vpc.logicalId)).toEqual(['Vpc']);
    expect(vpcEndpointIndex(template({ E: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: { 'Fn::ImportValue': 'Vpc' } } } })).unplaced).toBe(true);
  });

  test('finds an endpoint of one template under the VPC another template exports', () => {
    const { Net: network, App: app } = templatesTogether({
      Net: { Resources: { Vpc: { Type: 'AWS::EC2::VPC' } }, Outputs: { ExportsOutputRefVpc: { Value: { Ref: 'Vpc' }, Export: { Name: 'Net:Vpc' } } } },
      App: { Resources: { Sqs: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: { 'Fn::ImportValue': 'Net:Vpc' }, ServiceName: 'com.amazonaws.eu-west-1.sqs', VpcEndpointType: 'Interface' } } } },
    });
    const index = vpcEndpointIndex(network);
    expect(index).toBe(vpcEndpointIndex(app));
    expect(index.unplaced).toBe(false);
    expect(index.byVpc.get(network.resource('Vpc')!)!.map(e => e.resource)).toEqual([app.resource('Sqs')]);
  });
});
