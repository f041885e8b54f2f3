import { App, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ENV, alertTopic, dataKey, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, isDurable, protectApiStage, removalFor, tagWorkload, restStageOptions } from '../careful-team';

/**
 * Customer sign-in and profile changes: a Cognito user pool (MFA required, strong passwords, protected in durable
 * stages) authorizes a REST API; profile changes are published on a bus and forwarded to the KYC partner's webhook
 * through an API destination whose key lives in Secrets Manager and is rotated monthly by a function.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `CustomerIdentity-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'customer-identity');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const users = new cognito.UserPool(stack, 'Customers', {
    selfSignUpEnabled: false,
    signInAliases: { email: true },
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { sms: false, otp: true },
    passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    deletionProtection: isDurable(stage),
    removalPolicy: removalFor(stage),
  });
  users.addClient('Portal', { authFlows: { userSrp: true }, preventUserExistenceErrors: true, accessTokenValidity: Duration.minutes(15) });

  const profile = handler(stack, 'UpdateProfile', stage);
  errorRateAlarm(stack, 'UpdateProfileErrors', profile, topic);
  const api = new apigateway.RestApi(stack, 'Api', {
    cloudWatchRole: false,
    deployOptions: restStageOptions(stack, stage, 50),
  });
  const authorizer = new apigateway.CognitoUserPoolsAuthorizer(stack, 'CustomersAuthorizer', { cognitoUserPools: [users] });
  api.root.addResource('profile').addMethod('PUT', new apigateway.LambdaIntegration(profile), {
    authorizer,
    authorizationType: apigateway.AuthorizationType.COGNITO,
  });
  protectApiStage(stack, 'customer-identity', api.deploymentStage.stageArn, 3000);

  // The partner's API key, rotated monthly by a function that asks the partner for a new one.
  const partnerKey = new secretsmanager.Secret(stack, 'KycPartnerKey', {
    encryptionKey: key,
    secretObjectValue: { apiKey: SecretValue.unsafePlainText('replaced-on-first-rotation') },
    removalPolicy: removalFor(stage),
  });
  const rotate = handler(stack, 'RotateKycKey', stage, { timeout: Duration.seconds(30) });
  partnerKey.addRotationSchedule('Monthly', { rotationLambda: rotate, automaticallyAfter: Duration.days(30) });
  errorRateAlarm(stack, 'RotateKycKeyErrors', rotate, topic);

  const bus = new events.EventBus(stack, 'ProfileEvents', { kmsKey: key });
  const connection = new events.Connection(stack, 'KycConnection', {
    authorization: events.Authorization.apiKey('x-api-key', SecretValue.secretsManager(partnerKey.secretArn, { jsonField: 'apiKey' })),
    description: 'KYC partner webhook',
  });
  const destination = new events.ApiDestination(stack, 'KycWebhook', {
    connection,
    endpoint: 'https://kyc.partner.example.com/webhooks/profile',
    httpMethod: events.HttpMethod.POST,
    rateLimitPerSecond: 10,
  });
  // The bus's key statement is scoped to the bus's own encryption context: EventBridge writes into the dead-letter queue
  // under the queue's context, so the queue has a key that lets EventBridge use it.
  const dlqKey = dataKey(stack, 'DlqKey', stage);
  dlqKey.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const failed = deadLetterQueue(stack, 'UndeliveredProfiles', dlqKey, stage);
  new events.Rule(stack, 'ProfileChanged', {
    eventBus: bus,
    description: 'Forwards customer profile changes to the KYC partner',
    eventPattern: { source: ['customer-identity'], detailType: ['ProfileChanged'] },
    targets: [new targets.ApiDestination(destination, { deadLetterQueue: failed, retryAttempts: 8, maxEventAge: Duration.hours(12) })],
  });
  firstMessageAlarm(stack, 'UndeliveredProfilesAlarm', failed, topic);
  bus.grantPutEventsTo(profile);
}
