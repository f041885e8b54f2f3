import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ENDPOINT_SERVICES, LAMBDA_SERVICE_SIDE_PREFIXES, endpointForIamPrefix } from '../../src/facts/vpc-endpoint-services';

// Every interface endpoint service aws-cdk-lib names, by the short name FintechVpc uses.
const CDK_INTERFACE_NAMES = new Set(Object.values(ec2.InterfaceVpcEndpointAwsService)
  .filter((v): v is ec2.InterfaceVpcEndpointAwsService => v instanceof ec2.InterfaceVpcEndpointAwsService)
  .map(service => service.shortName));

describe('VPC endpoint services', () => {
  test('each name once; S3 and DynamoDB are the only gateway services, listed first', () => {
    const names = ENDPOINT_SERVICES.map(s => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(ENDPOINT_SERVICES.filter(s => s.type === 'Gateway').map(s => s.name)).toEqual(['s3', 'dynamodb']);
    expect(names.slice(0, 2)).toEqual(['s3', 'dynamodb']);
  });

  test('every interface name is a service aws-cdk-lib knows as com.amazonaws.<region>.<name>', () => {
    expect(CDK_INTERFACE_NAMES.has('sqs')).toBe(true);
    const unknown = ENDPOINT_SERVICES.filter(s => s.type === 'Interface' && !CDK_INTERFACE_NAMES.has(s.name)).map(s => s.name);
    expect(unknown).toEqual([]);
  });

  test('an IAM prefix maps to at most one endpoint', () => {
    const prefixes = ENDPOINT_SERVICES.flatMap(s => s.iamPrefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  test('endpointForIamPrefix finds the endpoint of a prefix, whatever its case, and nothing for a service without one', () => {
    expect(endpointForIamPrefix('sqs')?.name).toBe('sqs');
    expect(endpointForIamPrefix('DynamoDB')?.name).toBe('dynamodb');
    expect(endpointForIamPrefix('cloudwatch')?.name).toBe('monitoring');
    expect(endpointForIamPrefix('kinesis')?.name).toBe('kinesis-streams');
    expect(endpointForIamPrefix('ecr')?.name).toBe('ecr.api');
    expect(endpointForIamPrefix('firehose')?.name).toBe('kinesis-firehose');
    expect(endpointForIamPrefix('iam')).toBeUndefined();
    expect(endpointForIamPrefix('')).toBeUndefined();
  });

  test('the Lambda service-side prefixes are the network, log, trace and database-token ones', () => {
    expect([...LAMBDA_SERVICE_SIDE_PREFIXES].sort()).toEqual(['ec2', 'logs', 'rds-db', 'xray']);
  });
});
