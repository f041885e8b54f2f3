import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Tags, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sam from 'aws-cdk-lib/aws-sam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { ROOT_ADMIN } from './kms/key-harness';
import { shop, testApp, validate } from './rule-harness';
import { FintechChecks } from '../../src/rules/fintech-checks';
import { expandServerless, mergeGlobals } from '../../src/rules/serverless-transform';
import { paths, replaced } from '../support/json-paths';
import { samTranslatedResources, samTranslatedTemplate } from '../support/sam-translator';

const TRANSFORM = 'AWS::Serverless-2016-10-31';
const QUEUE = 'arn:aws:sqs:eu-west-1:123456789012:failed-settlements';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:settlement-events';
const STREAM = 'arn:aws:kinesis:eu-west-1:123456789012:stream/card-events';
const TABLE_STREAM = 'arn:aws:dynamodb:eu-west-1:123456789012:table/ledger/stream/2026-01-01T00:00:00.000';
const MSK_CLUSTER = 'arn:aws:kafka:eu-west-1:123456789012:cluster/payments/0a1b2c3d-4e5f-6789-abcd-ef0123456789-1';
const MQ_BROKER = 'arn:aws:mq:eu-west-1:123456789012:broker:orders:b-0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:broker-login';

/** Templates covering every shape the expansion models, as teams write them for `sam deploy` or include them in CDK apps. */
const TEMPLATES: Record<string, { readonly [key: string]: unknown }> = {
  'a function with globals, its own policies and every modelled event': {
    Transform: TRANSFORM,
    Globals: {
      Function: {
        Runtime: 'nodejs22.x',
        Tracing: 'Active',
        MemorySize: 512,
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'settlement', LOG_LEVEL: 'INFO' } },
        Tags: { Team: 'payments', CostCenter: 'cc-4711' },
        Layers: ['arn:aws:lambda:eu-west-1:123456789012:layer:powertools:3'],
        VpcConfig: { SubnetIds: ['subnet-0a1'], SecurityGroupIds: ['sg-0a1'] },
      },
    },
    Resources: {
      Uploads: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'settlement-uploads-dev' } },
      Settle: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Handler: 'index.handler',
          CodeUri: 's3://artifacts/settle.zip',
          Timeout: 30,
          Environment: { Variables: { LOG_LEVEL: 'DEBUG', TABLE: 'ledger' } },
          Tags: { Application: 'settlement' },
          Layers: ['arn:aws:lambda:eu-west-1:123456789012:layer:ledger:7'],
          Policies: [
            { Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/ledger' }] },
            'arn:aws:iam::123456789012:policy/ledger-read',
          ],
          DeadLetterQueue: { Type: 'SQS', TargetArn: QUEUE },
          EventInvokeConfig: {
            MaximumRetryAttempts: 1,
            MaximumEventAgeInSeconds: 3600,
            DestinationConfig: { OnSuccess: { Type: 'Lambda', Destination: 'arn:aws:lambda:eu-west-1:123456789012:function:audit' }, OnFailure: { Type: 'SQS', Destination: QUEUE } },
          },
          Events: {
            Requests: { Type: 'SQS', Properties: { Queue: 'arn:aws:sqs:eu-west-1:123456789012:settlements', BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 5 } } },
            Cards: { Type: 'Kinesis', Properties: { Stream: STREAM, StartingPosition: 'LATEST', MaximumRetryAttempts: 3, BisectBatchOnFunctionError: true, DestinationConfig: { OnFailure: { Type: 'SQS', Destination: QUEUE } } } },
            Ledger: { Type: 'DynamoDB', Properties: { Stream: TABLE_STREAM, StartingPosition: 'TRIM_HORIZON', MaximumRecordAgeInSeconds: 3600, DestinationConfig: { OnFailure: { Type: 'SNS', Destination: TOPIC } } } },
            Nightly: { Type: 'Schedule', Properties: { Schedule: 'cron(30 1 * * ? *)', Description: 'nightly', DeadLetterConfig: { Type: 'SQS' }, RetryPolicy: { MaximumRetryAttempts: 3 } } },
            Disputes: { Type: 'EventBridgeRule', Properties: { Pattern: { source: ['disputes'] }, EventBusName: 'payments', DeadLetterConfig: { Arn: QUEUE }, RetryPolicy: { MaximumEventAgeInSeconds: 600 }, Target: { Id: 'Disputes' } } },
            Legacy: { Type: 'CloudWatchEvent', Properties: { Pattern: { source: ['aws.s3'] }, Enabled: false } },
            Notices: { Type: 'SNS', Properties: { Topic: TOPIC, FilterPolicy: { kind: ['settled'] }, RedrivePolicy: { deadLetterTargetArn: QUEUE } } },
            Upload: { Type: 'S3', Properties: { Bucket: { Ref: 'Uploads' }, Events: ['s3:ObjectCreated:*'], Filter: { S3Key: { Rules: [{ Name: 'suffix', Value: '.csv' }] } } } },
            Hourly: { Type: 'ScheduleV2', Properties: { ScheduleExpression: 'rate(1 hour)', ScheduleExpressionTimezone: 'Europe/London', DeadLetterConfig: { Arn: QUEUE }, RetryPolicy: { MaximumRetryAttempts: 2 } } },
          },
        },
      },
    },
  },
  'a published alias that events and the invoke config name, destinations the transform creates': {
    Transform: TRANSFORM,
    Resources: {
      Statements: { Type: 'AWS::S3::Bucket' },
      // The template's own rule and permission name the published alias and version the way SAM resolves them.
      Reprint: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventPattern: { source: ['statements'] },
          Targets: [{ Id: 'alias', Arn: { 'Fn::Sub': '${Render.Alias}' } }, { Id: 'version', Arn: { Ref: 'Render.Version' } }],
        },
      },
      ReprintPermission: {
        Type: 'AWS::Lambda::Permission',
        Properties: { FunctionName: { Ref: 'Render.Alias' }, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['Reprint', 'Arn'] } },
      },
      Render: {
        Type: 'AWS::Serverless::Function',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          Runtime: 'python3.13',
          Handler: 'render.handler',
          CodeUri: { Bucket: 'artifacts', Key: 'render.zip', Version: '7' },
          AutoPublishAlias: 'live',
          ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
          FunctionUrlConfig: { AuthType: 'NONE', Cors: { AllowOrigins: ['https://statements.example.com'] }, InvokeMode: 'BUFFERED' },
          EventInvokeConfig: { DestinationConfig: { OnFailure: { Type: 'SNS' }, OnSuccess: { Type: 'SQS' } } },
          Events: {
            Requests: { Type: 'SQS', Properties: { Queue: 'arn:aws:sqs:eu-west-1:123456789012:render' } },
            Upload: { Type: 'S3', Properties: { Bucket: { Ref: 'Statements' }, Events: 's3:ObjectCreated:Put' } },
            Monthly: { Type: 'ScheduleV2', Properties: { ScheduleExpression: 'cron(0 6 1 * ? *)', DeadLetterConfig: { Type: 'SQS' } } },
          },
        },
      },
    },
  },
  'functions with their own role, an image, inline code, a version id, a condition and an SNS dead-letter topic': {
    Transform: TRANSFORM,
    Conditions: { InEurope: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
    Resources: {
      Audit: { Type: 'AWS::SQS::Queue' },
      Scorer: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          PackageType: 'Image',
          ImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/scorer:1',
          Role: 'arn:aws:iam::123456789012:role/scorer',
          Tracing: 'PassThrough',
          FunctionUrlConfig: { AuthType: 'AWS_IAM' },
        },
      },
      Ping: {
        Type: 'AWS::Serverless::Function',
        Condition: 'InEurope',
        DependsOn: 'Audit',
        Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', InlineCode: 'exports.handler = async () => ({})', Tracing: 'Disabled', DeadLetterQueue: { Type: 'SNS', TargetArn: TOPIC } },
      },
      Report: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'java21',
          Handler: 'bank.Report::handle',
          CodeUri: 's3://artifacts/report.jar?versionId=3Lg',
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
          PermissionsBoundary: 'arn:aws:iam::123456789012:policy/boundary',
          RolePath: '/workloads/',
          Policies: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }] },
        },
      },
    },
  },
  'tags propagated to what the transform creates, SNS delivered through a queue': {
    Transform: TRANSFORM,
    Globals: { Function: { PropagateTags: true, Tags: { Team: 'payments' } } },
    Resources: {
      Notify: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'python3.13',
          Handler: 'notify.handler',
          InlineCode: 'def handler(event, context): pass',
          AutoPublishAlias: 'live',
          EventInvokeConfig: { DestinationConfig: { OnFailure: { Type: 'SQS' } } },
          Events: {
            Daily: { Type: 'Schedule', Properties: { Schedule: 'rate(1 day)', DeadLetterConfig: { Type: 'SQS', QueueLogicalId: 'DailyMisses' } } },
            Hourly: { Type: 'ScheduleV2', Properties: { ScheduleExpression: 'rate(1 hour)', DeadLetterConfig: { Type: 'SQS' } } },
            Settled: { Type: 'SNS', Properties: { Topic: TOPIC, SqsSubscription: true } },
            Refunded: { Type: 'SNS', Properties: { Topic: TOPIC, SqsSubscription: { QueueArn: QUEUE, QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/failed-settlements', BatchSize: 5, Enabled: false } } },
          },
        },
      },
    },
  },
  'state machines: a definition with intrinsics and non-ASCII text, its role and events; one from S3 with its own role': {
    Transform: TRANSFORM,
    Resources: {
      Score: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.13', Handler: 'score.handler', InlineCode: 'def handler(e, c): pass', Tracing: 'Active' } },
      Settlement: {
        Type: 'AWS::Serverless::StateMachine',
        Properties: {
          Type: 'STANDARD',
          Tracing: { Enabled: true },
          Logging: { Level: 'ERROR', IncludeExecutionData: false, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:settlement:*' } }] },
          Definition: {
            Comment: 'Règlement quotidien',
            StartAt: 'Score',
            States: {
              Score: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Parameters: { 'FunctionName': { 'Fn::GetAtt': ['Score', 'Arn'] }, 'Payload.$': '$' },
                Retry: [{ ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
                Next: 'Publish',
              },
              Publish: { Type: 'Task', Resource: '${PublishArn}', End: true },
            },
          },
          DefinitionSubstitutions: { PublishArn: 'arn:aws:lambda:eu-west-1:123456789012:function:publish' },
          Policies: [{ Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [{ 'Fn::GetAtt': ['Score', 'Arn'] }, 'arn:aws:lambda:eu-west-1:123456789012:function:publish'] }] }],
          Tags: { Team: 'payments' },
          Events: {
            Nightly: { Type: 'Schedule', Properties: { Schedule: 'rate(1 day)', Input: '{}', DeadLetterConfig: { Type: 'SQS' }, RetryPolicy: { MaximumRetryAttempts: 2 } } },
            Disputes: { Type: 'EventBridgeRule', Properties: { Pattern: { source: ['disputes'] }, Target: { Id: 'Disputes' } } },
          },
        },
      },
      Replay: {
        Type: 'AWS::Serverless::StateMachine',
        Properties: { DefinitionUri: 's3://artifacts/replay.asl.json', Role: 'arn:aws:iam::123456789012:role/replay', Name: 'replay-dev', Type: 'EXPRESS' },
      },
    },
  },
  'REST and HTTP APIs, explicit and implicit, with their stages and the permissions of their events': {
    Transform: TRANSFORM,
    Globals: { Api: { TracingEnabled: true }, HttpApi: { DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 } } },
    Resources: {
      Payments: {
        Type: 'AWS::Serverless::Api',
        Properties: {
          StageName: 'dev',
          Name: 'payments-dev',
          MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }],
          AccessLogSetting: { DestinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:payments-api', Format: '$context.requestId' },
          EndpointConfiguration: { Type: 'PRIVATE', VPCEndpointIds: ['vpce-0a1'] },
          Tags: { Team: 'payments' },
          Variables: { mode: 'live' },
        },
      },
      Statements: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'v1', DefinitionUri: 's3://artifacts/statements.yaml', EndpointConfiguration: 'REGIONAL', MinimumCompressionSize: 1024 } },
      Portal: {
        Type: 'AWS::Serverless::HttpApi',
        Properties: { StageName: 'dev', AccessLogSettings: { DestinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:portal', Format: '$context.requestId' }, Tags: { Team: 'payments' } },
      },
      Partners: { Type: 'AWS::Serverless::HttpApi' },
      // A web ACL on the stage, named the way SAM's documentation shows: by the API's Stage property.
      PaymentsAcl: {
        Type: 'AWS::WAFv2::WebACLAssociation',
        Properties: {
          ResourceArn: { 'Fn::Sub': ['arn:aws:apigateway:${AWS::Region}::/restapis/${Payments}/stages/${Payments.Stage}', {}] },
          WebACLArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/payments/0a1b2c3d',
        },
      },
      PortalStageName: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { Ref: 'Portal.Stage' } } },
      Disputes: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'dev', Tags: { Team: 'payments' }, PropagateTags: true, OpenApiVersion: '3.0.1' } },
      Pay: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          InlineCode: 'exports.handler = async () => ({})',
          Events: {
            Pay: { Type: 'Api', Properties: { RestApiId: { Ref: 'Payments' }, Path: '/payments/{id}/', Method: 'post' } },
            Ping: { Type: 'Api', Properties: { Path: '/ping', Method: 'any' } },
            Portal: { Type: 'HttpApi', Properties: { ApiId: { Ref: 'Portal' }, Path: '/accounts/{id}', Method: 'GET' } },
            Default: { Type: 'HttpApi' },
          },
        },
      },
    },
  },
  'policy templates, managed policy names and conditional policies on a function and a state machine': {
    Transform: TRANSFORM,
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '123456789012'] } },
    Resources: {
      Payouts: { Type: 'AWS::SQS::Queue' },
      Ledger: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' } },
      Payout: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          CodeUri: 's3://artifacts/payout.zip',
          Tracing: 'Active',
          Policies: [
            { SQSPollerPolicy: { QueueName: { 'Fn::GetAtt': ['Payouts', 'QueueName'] } } },
            { DynamoDBCrudPolicy: { TableName: { Ref: 'Ledger' }, Unused: 'ignored' } },
            'AWSLambdaBasicExecutionRole',
            'AWSLambdaVPCAccessExecutionRole',
            'AmazonS3ReadOnlyAccess',
            { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess' },
            { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess' },
            { CloudWatchPutMetricPolicy: {} },
            { 'Fn::If': ['IsProd', { KMSDecryptPolicy: { KeyId: 'mrk-1234' } }, { Ref: 'AWS::NoValue' }] },
            { 'Fn::If': ['IsProd', 'CloudWatchLambdaInsightsExecutionRolePolicy', { Ref: 'AWS::NoValue' }] },
            {
              'Fn::If': ['IsProd',
                { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['Payouts', 'Arn'] } }] },
                { Statement: [{ Effect: 'Allow', Action: 'sqs:GetQueueUrl', Resource: { 'Fn::GetAtt': ['Payouts', 'Arn'] } }] }],
            },
          ],
          Events: { Requests: { Type: 'SQS', Properties: { Queue: { 'Fn::GetAtt': ['Payouts', 'Arn'] }, FunctionResponseTypes: ['ReportBatchItemFailures'] } } },
        },
      },
      Release: {
        Type: 'AWS::Serverless::StateMachine',
        Properties: {
          Definition: { StartAt: 'Pay', States: { Pay: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
          Policies: [{ LambdaInvokePolicy: { FunctionName: { Ref: 'Payout' } } }, 'AWSXrayWriteOnlyAccess', { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }] }],
        },
      },
    },
  },
  'Kafka and MQ events: access configurations, consumer groups, provisioned pollers and on-failure destinations': {
    Transform: TRANSFORM,
    Resources: {
      Ledger: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          CodeUri: 's3://artifacts/ledger.zip',
          Events: {
            Payments: {
              Type: 'MSK',
              Properties: {
                Stream: MSK_CLUSTER,
                StartingPosition: 'LATEST',
                Topics: ['payments'],
                ConsumerGroupId: 'ledger',
                BatchSize: 100,
                ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 3 },
                MaximumRetryAttempts: 3,
                SourceAccessConfigurations: [{ Type: 'CLIENT_CERTIFICATE_TLS_AUTH', URI: `${SECRET}-client` }],
                DestinationConfig: { OnFailure: { Type: 'SQS', Destination: QUEUE } },
              },
            },
            Refunds: {
              Type: 'SelfManagedKafka',
              Properties: {
                KafkaBootstrapServers: ['kafka-1.example.com:9096'],
                Topics: ['refunds'],
                ConsumerGroupId: 'refunds',
                SecretsManagerKmsKeyId: 'key-1234',
                SourceAccessConfigurations: [{ Type: 'SASL_SCRAM_512_AUTH', URI: `${SECRET}-scram` }, { Type: 'SERVER_ROOT_CA_CERTIFICATE', URI: `${SECRET}-ca` }],
                DestinationConfig: { OnFailure: { Type: 'S3', Destination: 'arn:aws:s3:::failed-refunds' } },
              },
            },
            Orders: {
              Type: 'MQ',
              Properties: { Broker: MQ_BROKER, Queues: ['orders'], SecretsManagerKmsKeyId: 'key-5678', DynamicPolicyName: true, SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: SECRET }] },
            },
          },
        },
      },
      Notices: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          CodeUri: 's3://artifacts/notices.zip',
          Events: {
            Mail: { Type: 'MQ', Properties: { Broker: MQ_BROKER, Queues: ['mail'], SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: SECRET }, { Type: 'VIRTUAL_HOST', URI: '/payments' }] } },
            Fraud: { Type: 'MSK', Properties: { Stream: MSK_CLUSTER, StartingPosition: 'TRIM_HORIZON', Topics: ['fraud'], DestinationConfig: { OnFailure: { Type: 'Kafka', Destination: 'kafka://failed-fraud' } } } },
          },
        },
      },
    },
  },
  'conditional functions on the implicit API, stage names that are not letters and digits, schedules of a state machine': {
    Transform: TRANSFORM,
    Parameters: { Env: { Type: 'String' }, StageParam: { Type: 'String' } },
    Conditions: {
      InEu: { 'Fn::Equals': [{ Ref: 'Env' }, 'eu'] },
      InUs: { 'Fn::Equals': [{ Ref: 'Env' }, 'us'] },
    },
    Resources: {
      Statements: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'Team', Value: 'payments' }] } },
      Beta: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'beta-1' } },
      Staged: { Type: 'AWS::Serverless::Api', Properties: { StageName: { Ref: 'StageParam' } } },
      Partners: { Type: 'AWS::Serverless::HttpApi', Properties: { StageName: 'v1_partners' } },
      EuQuotes: {
        Type: 'AWS::Serverless::Function',
        Condition: 'InEu',
        DeletionPolicy: 'Retain',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          CodeUri: 's3://artifacts/quotes.zip',
          Tracing: 'PassThrough',
          Events: {
            Quote: { Type: 'Api', Properties: { Path: '/quotes', Method: 'get' } },
            Statement: { Type: 'S3', Properties: { Bucket: { Ref: 'Statements' }, Events: 's3:ObjectCreated:*' } },
          },
        },
      },
      UsQuotes: {
        Type: 'AWS::Serverless::Function',
        Condition: 'InUs',
        Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', CodeUri: 's3://artifacts/quotes.zip', Tracing: '', Events: { Quote: { Type: 'Api', Properties: { Path: '/us/quotes', Method: 'get' } } } },
      },
      Rates: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          CodeUri: 's3://artifacts/rates.zip',
          Events: {
            Beta: { Type: 'Api', Properties: { RestApiId: { Ref: 'Beta' }, Path: '/rates', Method: 'get' } },
            Staged: { Type: 'Api', Properties: { RestApiId: { Ref: 'Staged' }, Path: '/rates', Method: 'get' } },
            Partner: { Type: 'HttpApi', Properties: { ApiId: { Ref: 'Partners' }, Path: '/rates', Method: 'get' } },
          },
        },
      },
      Reconcile: {
        Type: 'AWS::Serverless::StateMachine',
        Properties: {
          Definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
          Policies: [{ Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: QUEUE }] }],
          PermissionsBoundary: 'arn:aws:iam::123456789012:policy/boundary',
          Events: {
            Nightly: { Type: 'Schedule', Properties: { Schedule: 'cron(0 2 * * ? *)', RoleArn: 'arn:aws:iam::123456789012:role/scheduler' } },
            Disputes: { Type: 'EventBridgeRule', Properties: { Pattern: { source: ['disputes'] } } },
            Submit: { Type: 'Api', Properties: { RestApiId: { Ref: 'Beta' }, Path: '/reconcile', Method: 'post' } },
            Hourly: { Type: 'ScheduleV2', Properties: { ScheduleExpression: 'rate(1 hour)', OmitName: true, PermissionsBoundary: 'arn:aws:iam::123456789012:policy/boundary', DeadLetterConfig: { Arn: QUEUE } } },
            Weekly: { Type: 'ScheduleV2', Properties: { ScheduleExpression: 'rate(7 days)', RoleArn: 'arn:aws:iam::123456789012:role/scheduler', State: 'DISABLED' } },
          },
        },
      },
    },
  },
  'connectors, standalone and embedded: managed policies on roles, a queue policy, Lambda permissions, dependencies': {
    Transform: TRANSFORM,
    Resources: {
      Notices: { Type: 'AWS::SNS::Topic', Properties: { Subscription: [{ Endpoint: { 'Fn::GetAtt': ['Inbox', 'Arn'] }, Protocol: 'sqs' }] } },
      Inbox: { Type: 'AWS::SQS::Queue' },
      Ledger: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' } },
      Nightly: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 day)', Targets: [{ Id: 'settle', Arn: { 'Fn::GetAtt': ['Settle', 'Arn'] } }] } },
      NoticesToInbox: { Type: 'AWS::Serverless::Connector', Properties: { Source: { Id: 'Notices' }, Destination: { Id: 'Inbox' }, Permissions: ['Write'] } },
      NightlyToSettle: { Type: 'AWS::Serverless::Connector', Properties: { Source: { Id: 'Nightly' }, Destination: { Id: 'Settle' }, Permissions: ['Write'] } },
      InboxToSettle: { Type: 'AWS::Serverless::Connector', Properties: { Source: { Id: 'Inbox' }, Destination: { Id: 'Settle' }, Permissions: ['Read', 'Write'] } },
      Audit: {
        Type: 'AWS::Serverless::Function',
        DependsOn: 'NoticesToInbox',
        Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', CodeUri: 's3://artifacts/audit.zip' },
      },
      Settle: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          CodeUri: 's3://artifacts/settle.zip',
          Events: { Requests: { Type: 'SQS', Properties: { Queue: { 'Fn::GetAtt': ['Inbox', 'Arn'] } } } },
        },
        Connectors: {
          Writes: { Properties: { Destination: [{ Id: 'Ledger' }, { Type: 'AWS::SQS::Queue', Arn: QUEUE }], Permissions: ['Write'] } },
          Publishes: { Properties: { Destination: { Id: 'Notices' }, Permissions: ['Write'] } },
        },
      },
    },
  },
  'WebSocket APIs: routes, integrations and permissions, stages named and by parameter, propagated tags and globals': {
    Transform: TRANSFORM,
    Parameters: { StageParam: { Type: 'String' } },
    Globals: { WebSocketApi: { DisableSchemaValidation: true, Tags: { Team: 'payments' } } },
    Resources: {
      Quotes: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', CodeUri: 's3://artifacts/quotes.zip' } },
      Prices: {
        Type: 'AWS::Serverless::WebSocketApi',
        Properties: {
          RouteSelectionExpression: '$request.body.action',
          StageName: 'live',
          PropagateTags: true,
          Tags: { Application: 'quotes' },
          AccessLogSettings: { DestinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:prices', Format: '$context.requestId' },
          DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 20 },
          RouteSettings: { sendQuote: { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 } },
          Routes: {
            $connect: { FunctionArn: { 'Fn::GetAtt': ['Quotes', 'Arn'] }, RequestParameters: { 'route.request.header.Auth': { Required: true } } },
            $default: { FunctionArn: { 'Fn::GetAtt': ['Quotes', 'Arn'] }, IntegrationTimeout: 5000 },
            sendQuote: { FunctionArn: { 'Fn::GetAtt': ['Quotes', 'Arn'] }, OperationName: 'SendQuote', RouteResponseSelectionExpression: '$default' },
          },
        },
      },
      Feed: {
        Type: 'AWS::Serverless::WebSocketApi',
        Properties: { Name: 'feed', RouteSelectionExpression: '$request.body.action', StageName: { Ref: 'StageParam' }, Routes: { $disconnect: { FunctionArn: { 'Fn::GetAtt': ['Quotes', 'Arn'] } } } },
      },
    },
  },
  'a GraphQL API: authorizers, data sources with and without roles, functions, resolvers, keys, cache, domain, attributes': {
    Transform: TRANSFORM,
    Conditions: { InEurope: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
    Resources: {
      Accounts: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' } },
      Authorize: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', CodeUri: 's3://artifacts/authorize.zip', Tracing: 'Active' } },
      Balances: {
        Type: 'AWS::Serverless::GraphQLApi',
        Condition: 'InEurope',
        DependsOn: 'Accounts',
        DeletionPolicy: 'Retain',
        Properties: {
          Name: 'balances-dev',
          XrayEnabled: true,
          Visibility: 'GLOBAL',
          QueryDepthLimit: 8,
          Auth: {
            Type: 'AMAZON_COGNITO_USER_POOLS',
            UserPool: { UserPoolId: 'eu-west-1_AbCdEf', AwsRegion: 'eu-west-1', DefaultAction: 'ALLOW' },
            Additional: [
              { Type: 'AWS_IAM' },
              { Type: 'AWS_LAMBDA', LambdaAuthorizer: { AuthorizerUri: { 'Fn::GetAtt': ['Authorize', 'Arn'] }, AuthorizerResultTtlInSeconds: 60 } },
              { Type: 'AMAZON_COGNITO_USER_POOLS', UserPool: { UserPoolId: 'eu-west-1_Partners', DefaultAction: 'DENY' } },
            ],
          },
          SchemaInline: 'type Query { balance(account: ID!): Int }\ntype Mutation { transfer(from: ID!, to: ID!, cents: Int!): ID }',
          Tags: { Team: 'payments', Application: 'balances' },
          DataSources: {
            DynamoDb: {
              Accounts: { TableName: { Ref: 'Accounts' }, Permissions: ['Read'], Region: 'eu-west-1', Versioned: true },
              Audit: { TableName: 'audit-dev', TableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/audit-dev', ServiceRoleArn: 'arn:aws:iam::123456789012:role/audit-reader' },
            },
            Lambda: { Transfers: { FunctionArn: { 'Fn::GetAtt': ['Authorize', 'Arn'] }, Name: 'transfers', Description: 'starts a transfer' } },
          },
          Functions: {
            getBalance: { Runtime: { Name: 'APPSYNC_JS', Version: '1.0.0' }, DataSource: 'Accounts', CodeUri: 's3://artifacts/get-balance.js' },
            startTransfer: { Runtime: { Name: 'APPSYNC_JS', Version: '1.0.0' }, DataSource: 'Transfers', InlineCode: 'export const request = () => ({});', MaxBatchSize: 5 },
            stamp: { Runtime: { Name: 'APPSYNC_JS', Version: '1.0.0' }, DataSource: 'None', InlineCode: 'export const request = () => ({});' },
            shared: { Id: 'abcdefghijklmnopqrstuvwxyz' },
          },
          Resolvers: {
            Query: { balance: { Pipeline: ['getBalance'], Caching: { Ttl: 30, CachingKeys: ['$context.arguments.account'] } } },
            Mutation: { transfer: { FieldName: 'transfer', Pipeline: ['stamp', 'shared', 'startTransfer'], InlineCode: 'export const request = () => ({});', Runtime: { Name: 'APPSYNC_JS', Version: '1.0.0' } } },
          },
          ApiKeys: { Partners: { Description: 'partner key', ExpiresOn: 1893456000 } },
          Cache: { ApiCachingBehavior: 'PER_RESOLVER_CACHING', Type: 'SMALL', Ttl: 60 },
          DomainName: { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d', DomainName: 'balances.dev.example.com' },
        },
      },
      Limits: {
        Type: 'AWS::Serverless::GraphQLApi',
        Properties: { Auth: { Type: 'API_KEY' }, SchemaUri: 's3://artifacts/limits.graphql', Logging: { FieldLogLevel: 'ERROR', ExcludeVerboseContent: true } },
      },
    },
  },
  'PropagateTags on functions and state machines (the implicit API, an IoT rule, a notified bucket), Cognito, CloudWatch Logs and Alexa events': {
    Transform: TRANSFORM,
    Globals: { StateMachine: { PropagateTags: true } },
    Resources: {
      AuditLog: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 400 } },
      Statements: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'Team', Value: 'statements' }] } },
      Customers: { Type: 'AWS::Cognito::UserPool', Properties: { UserPoolName: 'customers-dev', LambdaConfig: { PostConfirmation: 'arn:aws:lambda:eu-west-1:123456789012:function:welcome' } } },
      Ledger: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          CodeUri: 's3://artifacts/ledger.zip',
          Tracing: 'Active',
          PropagateTags: true,
          Tags: { Environment: 'dev', Team: 'payments', CostCenter: 'cc-4711', Application: 'ledger' },
          Events: {
            Balance: { Type: 'Api', Properties: { Path: '/balance', Method: 'get' } },
            Audit: { Type: 'CloudWatchLogs', Properties: { LogGroupName: { Ref: 'AuditLog' }, FilterPattern: '{ $.action = "transfer" }' } },
            Terminals: { Type: 'IoTRule', Properties: { Sql: "SELECT * FROM 'terminals/+/payments'", AwsIotSqlVersion: '2016-03-23' } },
            Upload: { Type: 'S3', Properties: { Bucket: { Ref: 'Statements' }, Events: 's3:ObjectCreated:*' } },
            SignUp: { Type: 'Cognito', Properties: { UserPool: { Ref: 'Customers' }, Trigger: ['PreSignUp', 'PreAuthentication'] } },
          },
        },
      },
      Assistant: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'python3.13',
          Handler: 'skill.handler',
          CodeUri: 's3://artifacts/skill.zip',
          PropagateTags: true,
          Events: { Voice: { Type: 'AlexaSkill', Properties: { SkillId: 'amzn1.ask.skill.0a1b2c3d' } }, Any: { Type: 'AlexaSkill' } },
        },
      },
      Payouts: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'live' } },
      Release: {
        Type: 'AWS::Serverless::StateMachine',
        Properties: {
          Definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
          Tags: { Environment: 'dev', Team: 'payments', CostCenter: 'cc-4711', Application: 'payouts' },
          Events: {
            Start: { Type: 'Api', Properties: { RestApiId: { Ref: 'Payouts' }, Path: '/release', Method: 'post' } },
            Nightly: { Type: 'Schedule', Properties: { Schedule: 'rate(1 day)', DeadLetterConfig: { Type: 'SQS' }, RetryPolicy: { MaximumRetryAttempts: 2 } } },
          },
        },
      },
    },
  },
  'IgnoreGlobals, durable and tenant-isolated functions, a code key, an HTTP API from S3 (no tags on its stage)': {
    Transform: TRANSFORM,
    Globals: { Function: { Runtime: 'nodejs22.x', MemorySize: 256, Timeout: 30, Tracing: 'Active', Tags: { Team: 'payments' } } },
    Resources: {
      Settle: {
        Type: 'AWS::Serverless::Function',
        IgnoreGlobals: ['Tracing', 'MemorySize'],
        Properties: {
          Handler: 'index.handler',
          CodeUri: 's3://artifacts/settle.zip',
          SourceKMSKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001',
          DurableConfig: { ExecutionTimeout: 86400, RetentionPeriodInDays: 7 },
          Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'settlement', LOG_LEVEL: 'INFO' } },
          Events: { Requests: { Type: 'SQS', Properties: { Queue: 'arn:aws:sqs:eu-west-1:123456789012:settlements', BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] } } },
        },
      },
      Quote: {
        Type: 'AWS::Serverless::Function',
        IgnoreGlobals: '*',
        Properties: { Runtime: 'python3.13', Handler: 'quote.handler', CodeUri: 's3://artifacts/quote.zip', TenancyConfig: { TenantIsolationMode: 'PER_TENANT' } },
      },
      Partners: { Type: 'AWS::Serverless::HttpApi', Properties: { DefinitionUri: 's3://artifacts/partners.yaml', StageName: 'live' } },
    },
  },
  'conditional destinations the transform creates (on either side of Fn::If, under the function\'s condition too) and a bucket destination': {
    Transform: TRANSFORM,
    Parameters: { UseSharedQueue: { Type: 'String', AllowedValues: ['true', 'false'] }, InEurope: { Type: 'String', AllowedValues: ['true', 'false'] } },
    Conditions: {
      SharedQueue: { 'Fn::Equals': [{ Ref: 'UseSharedQueue' }, 'true'] },
      Europe: { 'Fn::Equals': [{ Ref: 'InEurope' }, 'true'] },
    },
    Resources: {
      Archive: { Type: 'AWS::S3::Bucket' },
      Settle: {
        Type: 'AWS::Serverless::Function',
        Condition: 'Europe',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          CodeUri: 's3://artifacts/settle.zip',
          EventInvokeConfig: {
            MaximumRetryAttempts: 1,
            DestinationConfig: {
              OnSuccess: { Type: 'SQS', Destination: { 'Fn::If': ['SharedQueue', QUEUE, { Ref: 'AWS::NoValue' }] } },
              OnFailure: { Type: 'SNS', Destination: { 'Fn::If': ['SharedQueue', { Ref: 'AWS::NoValue' }, TOPIC] } },
            },
          },
        },
      },
      Report: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          CodeUri: 's3://artifacts/report.zip',
          EventInvokeConfig: { DestinationConfig: { OnSuccess: { Type: 'S3Bucket', Destination: { 'Fn::GetAtt': ['Archive', 'Arn'] } } } },
        },
      },
    },
  },
  'custom domains of REST and HTTP APIs: edge and regional, base paths, mutual TLS, security policies': {
    Transform: TRANSFORM,
    Resources: {
      Quote: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', CodeUri: 's3://artifacts/quote.zip', Tracing: 'Active' } },
      Payments: {
        Type: 'AWS::Serverless::Api',
        Properties: {
          StageName: 'live',
          TracingEnabled: true,
          MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }],
          AccessLogSetting: { DestinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:payments-api', Format: '$context.requestId' },
          PropagateTags: true,
          Tags: { Team: 'payments' },
          Domain: {
            DomainName: 'api.payments.example.com',
            CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d',
            EndpointConfiguration: 'EDGE',
            SecurityPolicy: 'TLS_1_0',
            BasePath: ['/v1', 'v2-beta'],
            MutualTlsAuthentication: { TruststoreUri: 's3://truststores/partners.pem', TruststoreVersion: '3' },
          },
        },
      },
      Ledger: {
        Type: 'AWS::Serverless::Api',
        Properties: {
          StageName: 'live',
          Domain: { DomainName: 'ledger.payments.example.com', CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/1a2b3c4d', BasePath: '/v1/', NormalizeBasePath: false },
        },
      },
      Partners: {
        Type: 'AWS::Serverless::HttpApi',
        Properties: {
          Domain: {
            DomainName: 'partners.payments.example.com',
            CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/2b3c4d5e',
            SecurityPolicy: 'TLS_1_2',
            BasePath: ['/orders', 'settle_v2'],
            MutualTlsAuthentication: { TruststoreUri: 's3://truststores/partners.pem' },
          },
        },
      },
      Rates: {
        Type: 'AWS::Serverless::HttpApi',
        Properties: { Domain: { DomainName: 'rates.payments.example.com', CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/3c4d5e6f' } },
      },
    },
  },
  'simple tables with globals': {
    Transform: TRANSFORM,
    Globals: { SimpleTable: { SSESpecification: { SSEEnabled: true } } },
    Resources: {
      Sessions: { Type: 'AWS::Serverless::SimpleTable' },
      Limits: {
        Type: 'AWS::Serverless::SimpleTable',
        Properties: { TableName: 'limits-dev', PrimaryKey: { Name: 'account', Type: 'Number' }, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }, Tags: { Team: 'payments' } },
      },
    },
  },
};

const TRANSLATED = new Map<string, Record<string, any>>();

/** The translator's template for one of `TEMPLATES`, translated once. */
function translatedOnce(name: string): Record<string, any> {
  if (!TRANSLATED.has(name)) TRANSLATED.set(name, samTranslatedTemplate(TEMPLATES[name]));
  return TRANSLATED.get(name)!;
}

/**
 * Resources with what differs only in form made equal: the version's and deployment's hashes, policies and managed
 * policies sorted, and an API's OpenAPI body and a deployment's description (neither judged by a rule) left out.
 */
function normalized(resources: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [id, resource] of Object.entries(resources)) {
    const copy = JSON.parse(JSON.stringify(resource).replace(/(Version|Deployment)[0-9a-f]{10}\b/g, '$1'));
    if (['AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api'].includes(copy.Type)) delete copy.Properties.Body;
    if (copy.Type === 'AWS::ApiGateway::Deployment') delete copy.Properties.Description;
    const properties = copy.Properties ?? {};
    if (Array.isArray(properties.Policies)) properties.Policies.sort((a: any, b: any) => String(a.PolicyName).localeCompare(String(b.PolicyName)));
    if (Array.isArray(properties.ManagedPolicyArns)) properties.ManagedPolicyArns.sort();
    out[id.replace(/(Version|Deployment)[0-9a-f]{10}$/, '$1')] = copy;
  }
  return out;
}

describe('expandServerless', () => {
  test.each(Object.keys(TEMPLATES))('makes of %s what the AWS SAM translator makes of it', name => {
    const template = TEMPLATES[name];
    const expansion = expandServerless(template)!;
    expect(normalized(expansion.resources as Record<string, any>)).toEqual(normalized(translatedOnce(name).Resources));
    // The conditions the transform adds (an implicit API's, for functions with different conditions).
    expect({ ...(template.Conditions as object), ...expansion.conditions }).toEqual(translatedOnce(name).Conditions ?? {});
  });
});

describe('what the expansion leaves unmodelled', () => {
  test('a role whose policies the transform rejects is left out, and the translator rejects the template too', () => {
    const rejected = [
      [{ SQSPollerPolicy: { Queue: 'settlements' } }], // a parameter without its value
      [{ SQSPollerPolicy: 'settlements' }], // parameter values that are no map
      [{ NoSuchTemplate: { QueueName: 'settlements' } }], // neither a template nor a document
      [{ SQSPollerPolicy: { QueueName: 'settlements' }, KMSDecryptPolicy: { KeyId: 'k-1' } }], // two templates in one entry
      [{ 'Fn::If': ['IsProd', 'AWSLambdaExecute', { Statement: [] }] }], // branches of two kinds
      [{ 'Fn::If': ['IsProd', 'AWSLambdaExecute'] }], // a malformed condition
    ];
    for (const policies of rejected) {
      const template = {
        Transform: TRANSFORM,
        Conditions: { IsProd: { 'Fn::Equals': ['a', 'b'] } },
        Resources: { Settle: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', CodeUri: 's3://artifacts/settle.zip', Policies: policies } } },
      };
      expect(() => samTranslatedResources(template)).toThrow();
      const expanded = expandServerless(template)!.resources as Record<string, any>;
      expect([policies, expanded.SettleRole]).toEqual([policies, undefined]);
      // The function names the role the transform would generate; the rules find no such resource and leave the role unknown.
      expect(expanded.Settle.Properties.Role).toEqual({ 'Fn::GetAtt': ['SettleRole', 'Arn'] });
    }
  });

  test('a role to which the transform writes statements on "*" (a DocumentDB source, a self-managed Kafka cluster in a VPC) or a schema registry\'s is left out', () => {
    const source = (type: string, properties: object) => ({
      Transform: TRANSFORM,
      Resources: { Audit: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', CodeUri: 's3://artifacts/audit.zip', Events: { Changes: { Type: type, Properties: properties } } } } },
    });
    const basicAuth = [{ Type: 'BASIC_AUTH', URI: SECRET }];
    for (const template of [
      source('DocumentDB', { Cluster: 'arn:aws:rds:eu-west-1:123456789012:cluster:ledger', DatabaseName: 'ledger', CollectionName: 'entries', FullDocument: 'UpdateLookup', StartingPosition: 'LATEST', SourceAccessConfigurations: basicAuth }),
      source('SelfManagedKafka', {
        KafkaBootstrapServers: ['kafka-1.internal:9092'],
        Topics: ['refunds'],
        SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: SECRET }, { Type: 'VPC_SUBNET', URI: 'subnet:subnet-0a1' }, { Type: 'VPC_SECURITY_GROUP', URI: 'security_group:sg-0a1' }],
      }),
      source('MSK', {
        Stream: MSK_CLUSTER,
        StartingPosition: 'LATEST',
        Topics: ['payments'],
        SchemaRegistryConfig: { SchemaRegistryURI: 'arn:aws:glue:eu-west-1:123456789012:registry/payments', EventRecordFormat: 'JSON', SchemaValidationConfigs: [{ Attribute: 'VALUE' }] },
      }),
    ]) {
      const { AuditRole: role, ...rest } = samTranslatedResources(template);
      expect(role.Properties.Policies).toBeDefined();
      const expanded = expandServerless(template)!.resources as Record<string, any>;
      expect(expanded.AuditRole).toBeUndefined();
      // The mapping is modelled all the same: the stream rules judge it.
      expect(expanded.AuditChanges.Type).toBe('AWS::Lambda::EventSourceMapping');
      expect(normalized(expanded)).toEqual(normalized(rest));
    }
  });

  test('a pull event the transform rejects is not modelled, and its function\'s role is left out', () => {
    const rejected = [
      { Type: 'MQ', Properties: { Broker: MQ_BROKER, Queues: ['orders'], SourceAccessConfigurations: [{ Type: 'VIRTUAL_HOST', URI: '/payments' }] } }, // no BASIC_AUTH
      { Type: 'MQ', Properties: { Broker: MQ_BROKER, Queues: ['orders'], ConsumerGroupId: 'orders', SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: SECRET }] } },
      { Type: 'SelfManagedKafka', Properties: { KafkaBootstrapServers: ['kafka-1.internal:9092'], Topics: ['a', 'b'], SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: SECRET }] } },
      { Type: 'SelfManagedKafka', Properties: { KafkaBootstrapServers: ['kafka-1.internal:9092'], Topics: ['a'], SourceAccessConfigurations: [{ Type: 'VPC_SUBNET', URI: 'subnet:subnet-0a1' }] } },
      { Type: 'Kinesis', Properties: { Stream: STREAM, StartingPosition: 'LATEST', DestinationConfig: { OnFailure: { Type: 'Lambda', Destination: 'arn:aws:lambda:eu-west-1:123456789012:function:f' } } } },
      { Type: 'Kinesis', Properties: { Stream: STREAM, StartingPosition: 'LATEST', DestinationConfig: { OnSuccess: { Destination: QUEUE } } } },
    ];
    for (const event of rejected) {
      const template = {
        Transform: TRANSFORM,
        Resources: { Settle: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', CodeUri: 's3://artifacts/settle.zip', Events: { Source: event } } } },
      };
      expect(() => samTranslatedResources(template)).toThrow();
      const expanded = expandServerless(template)!.resources as Record<string, any>;
      expect([event, expanded.SettleRole, expanded.SettleSource]).toEqual([event, undefined, undefined]);
    }
  });

  test('cuts a rule target\'s id to EventBridge\'s 64 characters and passes a state machine rule\'s InputTransformer, as the transform does', () => {
    const template = {
      Transform: TRANSFORM,
      Resources: {
        ReconcileCardSettlementsAcrossAllAcquirersAndIssuers: {
          Type: 'AWS::Serverless::Function',
          Properties: {
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            CodeUri: 's3://artifacts/reconcile.zip',
            Events: { NightlyReconciliationOfEveryAcquirer: { Type: 'Schedule', Properties: { Schedule: 'cron(0 2 * * ? *)' } } },
          },
        },
        Settlement: {
          Type: 'AWS::Serverless::StateMachine',
          Properties: {
            Definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
            Events: {
              UploadedStatementFromTheAcquirersSftpDropBucket: {
                Type: 'EventBridgeRule',
                Properties: {
                  Pattern: { 'source': ['aws.s3'], 'detail-type': ['Object Created'] },
                  InputTransformer: { InputPathsMap: { key: '$.detail.object.key' }, InputTemplate: '{"key": <key>}' },
                },
              },
            },
          },
        },
      },
    };
    const expanded = expandServerless(template)!.resources as Record<string, any>;
    expect(normalized(expanded)).toEqual(normalized(samTranslatedResources(template)));
    const ids = Object.values(expanded).filter(r => r.Type === 'AWS::Events::Rule').map(r => r.Properties.Targets[0].Id);
    expect(ids.map(id => id.length)).toEqual([64, 64]);
  });

  test('the implicit API replaces a resource of the template named as it is, whatever its type; without events for it the resource stays', () => {
    const fn = (events: object) => ({ Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', CodeUri: 's3://artifacts/pay.zip', Events: events } });
    const api = { Type: 'AWS::Serverless::Api', Properties: { StageName: 'live', TracingEnabled: true } };
    const get = { Get: { Type: 'Api', Properties: { Path: '/balance', Method: 'get' } } };
    for (const [resources, replacedByImplicit] of [
      [{ Pay: fn(get), ServerlessRestApi: api }, true],
      [{ Pay: fn(get), ServerlessRestApi: fn({}) }, true],
      [{ Pay: fn({}), ServerlessRestApi: api }, false],
    ] as const) {
      const template = { Transform: TRANSFORM, Resources: resources };
      const expanded = expandServerless(template)!.resources as Record<string, any>;
      expect(normalized(expanded)).toEqual(normalized(samTranslatedResources(template)));
      expect([resources, 'ServerlessRestApiProdStage' in expanded]).toEqual([resources, replacedByImplicit]);
    }
  });

  test('a WebSocket API the transform rejects stays as written', () => {
    const fn = { 'Fn::GetAtt': ['Quotes', 'Arn'] };
    for (const properties of [
      { RouteSelectionExpression: '$request.body.action', Routes: {} },
      { RouteSelectionExpression: '$request.body.action', Routes: { $connect: {} } },
      { RouteSelectionExpression: '$request.body.action', Routes: { 'send-quote': { FunctionArn: fn } } },
      { RouteSelectionExpression: '$request.body.action', StageName: '$default', Routes: { $connect: { FunctionArn: fn } } },
      { RouteSelectionExpression: '$request.body.action', Routes: { sendQuote: { FunctionArn: fn, RequestParameters: { 'route.request.header.Auth': { Required: true } } } } },
    ]) {
      const template = { Transform: TRANSFORM, Resources: { Quotes: { Type: 'AWS::Lambda::Function' }, Prices: { Type: 'AWS::Serverless::WebSocketApi', Properties: properties } } };
      expect(() => samTranslatedResources(template)).toThrow();
      expect([properties, (expandServerless(template)!.resources.Prices as any).Type]).toEqual([properties, 'AWS::Serverless::WebSocketApi']);
    }
  });

  test('other serverless types stay as written, and a template without the SAM transform is not expanded', () => {
    const app = { Type: 'AWS::Serverless::Application', Properties: { Location: { ApplicationId: 'arn:aws:serverlessrepo:us-east-1:297356227824:applications/x', SemanticVersion: '1.0.0' } } };
    expect(expandServerless({ Transform: [TRANSFORM], Resources: { App: app } })!.resources).toEqual({ App: app });
    expect(expandServerless({ Resources: { App: app } })).toBeUndefined();
    expect(expandServerless({ Transform: 'AWS::SecretsManager-2020-07-23', Resources: {} })).toBeUndefined();
  });

  test('a resource of the template keeps its logical id where a generated one would take it, and an intrinsic Properties is not read', () => {
    const own = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } };
    const { resources, generatedFrom } = expandServerless({
      Transform: TRANSFORM,
      Resources: {
        SettleRole: own,
        Settle: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', InlineCode: 'x' } },
        Unknown: { Type: 'AWS::Serverless::Function', Properties: { 'Fn::If': ['Prod', {}, {}] } },
      },
    })!;
    expect(resources.SettleRole).toBe(own);
    expect(generatedFrom.has('SettleRole')).toBe(false);
    expect((resources.Unknown as any).Type).toBe('AWS::Serverless::Function');
  });
});

describe('mergeGlobals', () => {
  test('a resource replaces scalars, merges maps key by key and appends to lists', () => {
    expect(mergeGlobals({ A: 1, M: { x: 1, y: 1 }, L: [1] }, { A: 2, M: { y: 2 }, L: [2] })).toEqual({ A: 2, M: { x: 1, y: 2 }, L: [1, 2] });
  });
});

describe('in FintechChecks', () => {
  /** The findings of a template file validated on its own, judged as `stage`, by `<rule> <logical id>` with their severity. */
  function findingsOfTemplate(template: object, stage: string): Map<string, string> {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sam-')), 'Legacy.template.json');
    fs.writeFileSync(file, JSON.stringify(template));
    const checks = new FintechChecks(testApp(), { stage });
    checks.validate({ templatePaths: [file] });
    return new Map(checks.findings.map(f => [`${f.ruleId} ${f.logicalId?.replace(/(Version|Deployment)[0-9a-f]{10}$/, '$1')}`, f.severity]));
  }

  test.each(Object.keys(TEMPLATES).flatMap(name => ['dev', 'prod'].map(stage => [name, stage])))(
    'judges %s as it judges the translator\'s template, in %s', (name, stage) => {
      const template = TEMPLATES[name];
      const translated = findingsOfTemplate(translatedOnce(name), stage);
      const expanded = findingsOfTemplate(template, stage);
      expect(translated.size).toBeGreaterThan(0);
      expect([...expanded.keys()].sort()).toEqual([...translated.keys()].sort());
      // Only the tags of what the transform cannot tag are warnings here, where the translated template could carry them.
      const demoted = [...expanded].filter(([key, severity]) => severity !== translated.get(key)).map(([key]) => key);
      for (const key of demoted) expect([key, expanded.get(key)]).toEqual([expect.stringMatching(/^Fintech-C01-RequiredTags /), 'warning']);
    });

  test('judges aws-cdk-lib\'s SAM L1s in a CDK app on the SAM construct, with where the finding comes from, and honours acknowledgements on it', () => {
    const { app, stack } = shop();
    const settle = new sam.CfnFunction(stack, 'Settle', {
      runtime: 'nodejs18.x',
      handler: 'index.handler',
      codeUri: 's3://artifacts/settle.zip',
      policies: [{ statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }],
      events: {
        Requests: { type: 'SQS', properties: { queue: QUEUE } },
        Nightly: { type: 'Schedule', properties: { schedule: 'rate(1 day)' } },
      },
    });
    Validations.of(settle).acknowledge({ id: 'Fintech-C12-RuleTargetWithoutRetryPolicy', reason: 'the nightly run is idempotent and reruns the next night' });
    const findings = validate(app, { stage: 'dev' }).findings;
    const byId = (ruleId: string, logicalId: string) => findings.find(f => f.ruleId === ruleId && f.logicalId === logicalId);
    for (const [ruleId, logicalId] of [
      ['Fintech-C11-FunctionWithoutTracing', 'Settle'],
      ['Fintech-C14-DeprecatedRuntime', 'Settle'],
      ['Fintech-C12-AsyncFunctionWithoutFailureDestination', 'Settle'],
      ['Fintech-C12-QueueBatchWithoutPartialFailures', 'SettleRequests'],
      ['Fintech-C12-RuleTargetWithoutDeadLetterQueue', 'SettleNightly'],
      ['Fintech-C06-WildcardAction', 'SettleRole'],
    ]) {
      expect([ruleId, logicalId, byId(ruleId, logicalId)]).toEqual([ruleId, logicalId, expect.objectContaining({ severity: 'error', constructPath: 'Shop/Settle' })]);
    }
    expect(byId('Fintech-C12-RuleTargetWithoutDeadLetterQueue', 'SettleNightly')!.message).toContain('The AWS SAM transform creates SettleNightly from Settle');
    expect(byId('Fintech-C11-FunctionWithoutTracing', 'Settle')!.message).not.toContain('SAM transform');
    expect(byId('Fintech-C12-RuleTargetWithoutRetryPolicy', 'SettleNightly')!.acknowledgedReason).toBe('the nightly run is idempotent and reruns the next night');
    // The transform tags neither the mapping nor the rule: warnings naming the function, while its own tags stay errors.
    expect(byId('Fintech-C01-RequiredTags', 'SettleRequests')).toMatchObject({ severity: 'warning', message: expect.stringContaining('The AWS SAM transform created this resource for Shop/Settle') });
    expect(byId('Fintech-C01-RequiredTags', 'SettleNightly')!.severity).toBe('warning');
    expect(byId('Fintech-C01-RequiredTags', 'Settle')!.severity).toBe('error');
    expect(byId('Fintech-C01-RequiredTags', 'SettleRole')!.severity).toBe('error');
  });

  test('a SAM API\'s custom domain on the TLS 1.0 security policy is caught, as on the translator\'s template', () => {
    const name = 'custom domains of REST and HTTP APIs: edge and regional, base paths, mutual TLS, security policies';
    const weak = (findings: Map<string, string>) => [...findings.keys()].filter(key => key.startsWith('Fintech-C18-WeakApiTlsPolicy'));
    const expanded = weak(findingsOfTemplate(TEMPLATES[name], 'prod'));
    expect(expanded).toEqual([expect.stringMatching(/^Fintech-C18-WeakApiTlsPolicy ApiGatewayDomainName[0-9a-f]{10}$/)]);
    expect(expanded).toEqual(weak(findingsOfTemplate(translatedOnce(name), 'prod')));
  });

  test('tags on the stack reach what the transform creates, and a SAM template included with CfnInclude is judged the same way', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sam-')), 'legacy.json');
    fs.writeFileSync(file, JSON.stringify({
      Transform: TRANSFORM,
      Resources: {
        Ping: {
          Type: 'AWS::Serverless::Function',
          Properties: { Runtime: 'python3.9', Handler: 'ping.handler', InlineCode: 'def handler(e, c): pass', Tracing: 'Active', Events: { Requests: { Type: 'SQS', Properties: { Queue: QUEUE } } } },
        },
      },
    }));
    const { app, stack } = shop();
    new CfnInclude(stack, 'Legacy', { templateFile: file });
    for (const [key, value] of Object.entries({ Environment: 'dev', Team: 'payments', CostCenter: 'cc-4711', Application: 'ping' })) Tags.of(stack).add(key, value);
    const findings = validate(app, { stage: 'dev' }).findings;
    expect(findings.filter(f => f.ruleId === 'Fintech-C01-RequiredTags')).toEqual([]);
    expect(findings.find(f => f.ruleId === 'Fintech-C14-DeprecatedRuntime')).toMatchObject({ logicalId: 'Ping', constructPath: 'Shop/Legacy/Ping' });
    expect(findings.find(f => f.ruleId === 'Fintech-C12-QueueBatchWithoutPartialFailures')).toMatchObject({ logicalId: 'PingRequests', constructPath: 'Shop/Legacy/Ping' });
    expect(findings.filter(f => f.ruleId === 'Fintech-C11-FunctionWithoutTracing')).toEqual([]);
  });

  test.each([
    ['a function with globals, its own policies and every modelled event', 'Settle'],
    ['state machines: a definition with intrinsics and non-ASCII text, its role and events; one from S3 with its own role', 'Settlement'],
    ['REST and HTTP APIs, explicit and implicit, with their stages and the permissions of their events', 'Payments'],
    ['REST and HTTP APIs, explicit and implicit, with their stages and the permissions of their events', 'Pay'],
    ['policy templates, managed policy names and conditional policies on a function and a state machine', 'Payout'],
    ['Kafka and MQ events: access configurations, consumer groups, provisioned pollers and on-failure destinations', 'Ledger'],
    ['conditional functions on the implicit API, stage names that are not letters and digits, schedules of a state machine', 'Reconcile'],
    ['conditional functions on the implicit API, stage names that are not letters and digits, schedules of a state machine', 'Rates'],
    ['connectors, standalone and embedded: managed policies on roles, a queue policy, Lambda permissions, dependencies', 'Settle'],
    ['WebSocket APIs: routes, integrations and permissions, stages named and by parameter, propagated tags and globals', 'Prices'],
    ['a GraphQL API: authorizers, data sources with and without roles, functions, resolvers, keys, cache, domain, attributes', 'Balances'],
    ['PropagateTags on functions and state machines (the implicit API, an IoT rule, a notified bucket), Cognito, CloudWatch Logs and Alexa events', 'Ledger'],
    ['IgnoreGlobals, durable and tenant-isolated functions, a code key, an HTTP API from S3 (no tags on its stage)', 'Settle'],
    ['conditional destinations the transform creates (on either side of Fn::If, under the function\'s condition too) and a bucket destination', 'Settle'],
    ['custom domains of REST and HTTP APIs: edge and regional, base paths, mutual TLS, security policies', 'Payments'],
  ])('never throws, nor makes a rule fail, when any property of %s (%s) or its globals is an intrinsic or an odd value', (name, id) => {
    const template = TEMPLATES[name] as { Resources: Record<string, object>; Globals?: object };
    const replacements: unknown[] = [{ Ref: 'Param' }, { 'Fn::If': ['C', 'a', { Ref: 'AWS::NoValue' }] }, null, 42, 'text', [], {}, [{ Ref: 'Param' }]];
    const places = [...paths(template.Resources[id]).map(at => ['Resources', id, ...at]), ...paths(template.Globals ?? {}).map(at => ['Globals', ...at])];
    expect(places.length).toBeGreaterThan(20);
    for (const at of places) {
      for (const replacement of replacements) expect(() => expandServerless(replaced(template, at, replacement))).not.toThrow();
      const judged = findingsOfTemplate(replaced(template, at, { Ref: 'Param' }), 'prod');
      expect([at.join('/'), [...judged.keys()].filter(key => key.startsWith('Fintech-RuleFailed'))]).toEqual([at.join('/'), []]);
    }
  });

  test('judges the role the transform builds from policy templates: a poller without the queue\'s key, a wildcard beside a template', () => {
    const judged = (policies: unknown[]) => {
      const { app, stack } = shop();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const queue = new sqs.Queue(stack, 'Payouts', { encryptionMasterKey: key, enforceSSL: true });
      new sam.CfnFunction(stack, 'Payout', {
        runtime: 'nodejs22.x',
        handler: 'index.handler',
        codeUri: 's3://artifacts/payout.zip',
        tracing: 'Active',
        policies: policies.map(policy => (typeof policy === 'function' ? policy(queue, key) : policy)),
        events: { Requests: { type: 'SQS', properties: { queue: queue.queueArn } } },
      });
      return validate(app, { stage: 'dev' }).findings.filter(f => /C05|C06/.test(f.ruleId)).map(f => `${f.ruleId} ${f.constructPath}`);
    };
    const poller = (queue: sqs.Queue) => ({ sqsPollerPolicy: { queueName: queue.queueName } });
    const decrypt = (_: sqs.Queue, key: kms.Key) => ({ kmsDecryptPolicy: { keyId: key.keyId } });
    expect(judged([poller])).toEqual(['Fintech-C05-ConsumerWithoutKeyAccess Shop/Payouts/Resource']);
    expect(judged([poller, decrypt])).toEqual([]);
    expect(judged([poller, decrypt, { statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }])).toEqual(['Fintech-C06-WildcardResource Shop/Payout']);
  });

  test('judges a SAM Kafka event in provisioned mode like a Kafka event source: retries, batch splitting and an on-failure destination', () => {
    const consumer = (properties: object) => ({
      Transform: TRANSFORM,
      Resources: {
        Ledger: {
          Type: 'AWS::Serverless::Function',
          Properties: {
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            CodeUri: 's3://artifacts/ledger.zip',
            Tracing: 'Active',
            Events: { Payments: { Type: 'MSK', Properties: { Stream: MSK_CLUSTER, StartingPosition: 'LATEST', Topics: ['payments'], ...properties } } },
          },
        },
      },
    });
    const stream = (findings: Map<string, string>) => [...findings.keys()].filter(key => key.includes('StreamSource')).sort();
    expect(stream(findingsOfTemplate(consumer({ ProvisionedPollerConfig: { MinimumPollers: 1 } }), 'prod'))).toEqual([
      'Fintech-C12-StreamSourceUnboundedRetries LedgerPayments', 'Fintech-C12-StreamSourceWithoutBatchSplitting LedgerPayments', 'Fintech-C12-StreamSourceWithoutOnFailure LedgerPayments',
    ]);
    expect(stream(findingsOfTemplate(consumer({
      ProvisionedPollerConfig: { MinimumPollers: 1 }, MaximumRetryAttempts: 3, BisectBatchOnFunctionError: true, DestinationConfig: { OnFailure: { Type: 'SQS', Destination: QUEUE } },
    }), 'prod'))).toEqual([]);
    // On demand, Lambda offers a Kafka mapping no retry controls.
    expect(stream(findingsOfTemplate(consumer({}), 'prod'))).toEqual([]);
  });

  test('a connector\'s queue policy lets SNS deliver, and its managed policy is judged as the function\'s: it grants a queue, never the queue\'s key', () => {
    const template = (connected: boolean) => ({
      Transform: TRANSFORM,
      Resources: {
        Notices: { Type: 'AWS::SNS::Topic', Properties: { Subscription: [{ Endpoint: { 'Fn::GetAtt': ['Inbox', 'Arn'] }, Protocol: 'sqs' }] } },
        Inbox: { Type: 'AWS::SQS::Queue' },
        ...(connected ? { NoticesToInbox: { Type: 'AWS::Serverless::Connector', Properties: { Source: { Id: 'Notices' }, Destination: { Id: 'Inbox' }, Permissions: ['Write'] } } } : {}),
      },
    });
    const producers = (findings: Map<string, string>) => [...findings.keys()].filter(key => key.startsWith('Fintech-C05-Producer'));
    expect(producers(findingsOfTemplate(template(false), 'prod'))).toEqual(['Fintech-C05-ProducerWithoutQueuePolicy Inbox']);
    expect(producers(findingsOfTemplate(template(true), 'prod'))).toEqual([]);
    // A connector grants the queue, never its key: a function sending into a queue on a customer key through one cannot.
    const keyed = (decrypt: boolean) => ({
      Transform: TRANSFORM,
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: { Version: '2012-10-17', Statement: [ROOT_ADMIN] } } },
        Inbox: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
        Settle: {
          Type: 'AWS::Serverless::Function',
          Properties: {
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            CodeUri: 's3://artifacts/settle.zip',
            ...(decrypt ? { Policies: [{ KMSEncryptPolicy_v2: { KeyId: { Ref: 'Key' } } }] } : {}),
          },
          Connectors: { Sends: { Properties: { Destination: { Id: 'Inbox' }, Permissions: ['Write'] } } },
        },
      },
    });
    expect(producers(findingsOfTemplate(keyed(false), 'prod'))).toEqual(['Fintech-C05-ProducerWithoutKeyAccess Inbox']);
    expect(producers(findingsOfTemplate(keyed(true), 'prod'))).toEqual([]);
  });

  test('catches aws/aws-cdk#29297: sam.CfnFunction drops an SQS event\'s FunctionResponseTypes, so the mapping re-delivers whole batches', () => {
    const { app, stack } = shop();
    // aws-cdk-lib's SQSEventProperty has no functionResponseTypes: code that passes it anyway (from JavaScript, or through a cast) loses it.
    const properties = { queue: QUEUE, batchSize: 10, functionResponseTypes: ['ReportBatchItemFailures'] } as sam.CfnFunction.SQSEventProperty;
    new sam.CfnFunction(stack, 'Payout', {
      runtime: 'nodejs22.x', handler: 'index.handler', codeUri: 's3://artifacts/payout.zip', tracing: 'Active', events: { Requests: { type: 'SQS', properties } },
    });
    const dropped = validate(app, { stage: 'dev' }).findings.filter(f => f.ruleId === 'Fintech-C12-QueueBatchWithoutPartialFailures');
    expect(dropped.map(f => `${f.logicalId} ${f.constructPath}`)).toEqual(['PayoutRequests Shop/Payout']);
  });

  test('judges a SAM state machine in a CDK app: its tracing, its tasks\' retries and a Lambda called by bare ARN, on the SAM construct', () => {
    const { app, stack } = shop();
    new sam.CfnStateMachine(stack, 'Settlement', {
      type: 'STANDARD',
      definition: {
        StartAt: 'Score',
        States: { Score: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:score', End: true } },
      },
      role: 'arn:aws:iam::123456789012:role/settlement',
    });
    const findings = validate(app, { stage: 'dev' }).findings.filter(f => f.ruleId.startsWith('Fintech-C11-') || f.ruleId.startsWith('Fintech-C13-'));
    expect(findings.map(f => `${f.ruleId} ${f.logicalId} ${f.constructPath}`).sort()).toEqual([
      'Fintech-C11-StateMachineWithoutTracing Settlement Shop/Settlement',
      'Fintech-C13-LambdaTaskByBareArn Settlement Shop/Settlement',
      'Fintech-C13-TaskWithoutRetry Settlement Shop/Settlement',
    ]);
  });
});
