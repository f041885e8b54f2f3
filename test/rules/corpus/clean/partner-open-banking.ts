import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ENV, alertTopic, dataBucket, dataKey, handler, isDurable, protectApiStage, restStageOptions, tagWorkload } from '../careful-team';

/**
 * The open-banking account-information API for licensed third parties: a REST API on a custom domain with mutual TLS
 * (the trust store of partner CAs in an encrypted bucket), per-partner API keys and a usage plan, and a handler
 * released through a CodeDeploy canary on its `live` alias (provisioned concurrency in durable stages), rolled back by
 * an error-rate alarm on the alias.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `OpenBanking-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'open-banking');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const accounts = handler(stack, 'AccountInformation', stage, { timeout: Duration.seconds(8) });
  const live = new lambda.Alias(stack, 'Live', {
    aliasName: 'live',
    version: accounts.currentVersion,
    provisionedConcurrentExecutions: isDurable(stage) ? 5 : undefined,
  });
  const rate = new cloudwatch.MathExpression({
    expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
    usingMetrics: { errors: live.metricErrors({ statistic: 'Sum' }), invocations: live.metricInvocations({ statistic: 'Sum' }) },
    period: Duration.minutes(1),
  });
  const errors = rate.createAlarm(stack, 'LiveErrors', {
    alarmDescription: 'Error rate of the live account-information alias above 1%: the canary rolls back; check the new version\'s logs',
    threshold: 1,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  errors.addAlarmAction(new actions.SnsAction(topic));
  new codedeploy.LambdaDeploymentGroup(stack, 'Release', {
    alias: live,
    deploymentConfig: isDurable(stage) ? codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES : codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
    alarms: [errors],
  });

  const trustStore = dataBucket(stack, 'PartnerTrustStore', key, stage);
  const api = new apigateway.RestApi(stack, 'Api', {
    cloudWatchRole: false,
    disableExecuteApiEndpoint: true,
    apiKeySourceType: apigateway.ApiKeySourceType.HEADER,
    deployOptions: restStageOptions(stack, stage, 200),
  });
  api.root.addResource('accounts').addMethod('GET', new apigateway.LambdaIntegration(live), {
    apiKeyRequired: true,
    authorizationType: apigateway.AuthorizationType.IAM,
  });
  new apigateway.DomainName(stack, 'Domain', {
    domainName: `openbanking-${stage}.example.com`,
    certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', `arn:aws:acm:${ENV.region}:${ENV.account}:certificate/openbanking-${stage}`),
    securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
    endpointType: apigateway.EndpointType.REGIONAL,
    mtls: { bucket: trustStore, key: 'truststore.pem' },
    mapping: api,
  });
  const plan = api.addUsagePlan('Partners', { throttle: { rateLimit: 20, burstLimit: 40 }, quota: { limit: 100000, period: apigateway.Period.DAY } });
  plan.addApiStage({ stage: api.deploymentStage });
  plan.addApiKey(api.addApiKey('FintechPartnerKey', { description: 'The first licensed third party' }));
  protectApiStage(stack, 'open-banking', api.deploymentStage.stageArn, 3000);
}
