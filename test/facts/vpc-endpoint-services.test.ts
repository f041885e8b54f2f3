import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ENDPOINT_SERVICES, LAMBDA_SERVICE_SIDE_PREFIXES, endpointForIamAction, forwardedGrants, isForwarded } from '../../src/facts/vpc-endpoint-services';
import { cfnLintIamActions } from '../support/cfn-lint-iam-actions';

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

  test('endpointForIamAction finds the endpoint of a whole prefix, whatever its case, and nothing for a service without one', () => {
    expect(endpointForIamAction('sqs:SendMessage')?.name).toBe('sqs');
    expect(endpointForIamAction('DynamoDB:GetItem')?.name).toBe('dynamodb');
    expect(endpointForIamAction('cloudwatch:PutMetricData')?.name).toBe('monitoring');
    expect(endpointForIamAction('kinesis:PutRecord')?.name).toBe('kinesis-streams');
    expect(endpointForIamAction('ecr:GetAuthorizationToken')?.name).toBe('ecr.api');
    expect(endpointForIamAction('firehose:PutRecord')?.name).toBe('kinesis-firehose');
    expect(endpointForIamAction('iam:GetRole')).toBeUndefined();
    expect(endpointForIamAction(':')).toBeUndefined();
  });

  test('an IAM action maps to at most one endpoint, and single actions are listed only for prefixes no endpoint takes whole', () => {
    const actions = ENDPOINT_SERVICES.flatMap(s => s.iamActions ?? []);
    expect(new Set(actions).size).toBe(actions.length);
    const wholePrefixes = new Set(ENDPOINT_SERVICES.flatMap(s => s.iamPrefixes));
    expect(actions.filter(action => wholePrefixes.has(action.split(':')[0]))).toEqual([]);
  });

  test('every single action and forwarded prefix is an IAM action or prefix of the Service Authorization Reference (cfn-lint\'s data)', () => {
    const iam = cfnLintIamActions();
    const unknown = ENDPOINT_SERVICES.flatMap(s => s.iamActions ?? []).filter(action => {
      const [prefix, name] = action.split(':');
      return action !== action.toLowerCase() || iam[prefix]?.Actions?.[name] === undefined;
    });
    expect(unknown).toEqual([]);
    const prefixes = ENDPOINT_SERVICES.flatMap(s => [...s.iamPrefixes, ...(s.forwardsTo ?? []).filter(forwarded => !forwarded.includes(':'))]);
    expect(prefixes.filter(prefix => iam[prefix] === undefined)).toEqual([]);
    const forwardedActions = ENDPOINT_SERVICES.flatMap(s => (s.forwardsTo ?? []).filter(forwarded => forwarded.includes(':')));
    expect(forwardedActions.length).toBeGreaterThan(0);
    expect(forwardedActions.filter(action => {
      const [prefix, name] = action.split(':');
      return action !== action.toLowerCase() || iam[prefix]?.Actions?.[name] === undefined;
    })).toEqual([]);
  });

  test('endpointForIamAction finds the endpoint of an action, by the action for a split service, never for its wildcards', () => {
    expect(endpointForIamAction('sqs:SendMessage')?.name).toBe('sqs');
    expect(endpointForIamAction('sqs:*')?.name).toBe('sqs');
    expect(endpointForIamAction('DynamoDB:Get*')?.name).toBe('dynamodb');
    expect(endpointForIamAction('sagemaker:InvokeEndpoint')?.name).toBe('sagemaker.runtime');
    expect(endpointForIamAction('SageMaker:BatchGetRecord')?.name).toBe('sagemaker.featurestore-runtime');
    expect(endpointForIamAction('payment-cryptography:GenerateMac')?.name).toBe('payment-cryptography.dataplane');
    expect(endpointForIamAction('appconfig:StartConfigurationSession')?.name).toBe('appconfigdata');
    expect(endpointForIamAction('rds-data:ExecuteStatement')?.name).toBe('rds-data');
    expect(endpointForIamAction('bedrock:InvokeModel')?.name).toBe('bedrock-runtime');
    expect(endpointForIamAction('bedrock:RetrieveAndGenerate')?.name).toBe('bedrock-agent-runtime');
    for (const unknown of ['sagemaker:DescribeEndpoint', 'sagemaker:Invoke*', 'bedrock:GetFoundationModel', 'bedrock:Invoke*', 'sagemaker:*', 'payment-cryptography:CreateKey', 'appconfig:GetConfiguration', 'iam:PassRole', '*', 'sqs']) {
      expect([unknown, endpointForIamAction(unknown)]).toEqual([unknown, undefined]);
    }
  });

  test('forwardedGrants lists the grants the given services use with the caller\'s permissions', () => {
    const named = (...names: string[]) => names.map(name => ENDPOINT_SERVICES.find(s => s.name === name)!);
    expect([...forwardedGrants(named('athena', 'rds-data'))].sort()).toEqual(['glue', 's3', 'secretsmanager']);
    expect([...forwardedGrants(named('sqs', 'sns', 'sagemaker.runtime', 'bedrock-runtime'))]).toEqual([]);
    const agents = forwardedGrants(named('bedrock-agent-runtime'));
    expect(isForwarded(agents, 'Bedrock:InvokeModel')).toBe(true);
    expect(isForwarded(agents, 'bedrock:ApplyGuardrail')).toBe(true);
    expect(isForwarded(agents, 'bedrock:RetrieveAndGenerate')).toBe(false);
    expect(isForwarded(forwardedGrants(named('athena')), 'S3:GetObject')).toBe(true);
  });

  test('the Lambda service-side prefixes are the network, log, trace and database-token ones', () => {
    expect([...LAMBDA_SERVICE_SIDE_PREFIXES].sort()).toEqual(['ec2', 'logs', 'rds-db', 'xray']);
  });
});
