import { App, Duration, RemovalPolicies, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ENV, alertTopic, dataBucket, dataKey, removalFor, serviceLogBucket, tagWorkload } from '../careful-team';

/**
 * Tax documents downloaded through CloudFront: a Lambda@Edge function checks the customer's download token on each
 * origin request (Lambda@Edge supports neither X-Ray, environment variables, VPCs nor dead-letter queues, and logs to
 * `/aws/lambda/us-east-1.<name>` in every region that serves it), a response headers policy adds the security headers,
 * and CloudFront's own error rates page the team. The stack runs in us-east-1, where Lambda@Edge functions must be.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `TaxDocuments-${stage}`, { env: { account: ENV.account, region: 'us-east-1' } });
  tagWorkload(stack, stage, 'tax-documents');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const documents = dataBucket(stack, 'Documents', key, stage);
  const edgeLogs = serviceLogBucket(stack, 'EdgeLogs', stage);

  const checkToken = new cloudfront.experimental.EdgeFunction(stack, 'CheckToken', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (event) => event.Records[0].cf.request;'),
    memorySize: 128,
    timeout: Duration.seconds(5),
  });
  // Under @aws-cdk/aws-lambda:useCdkManagedLogGroup (a `cdk init` default) the function gets a log group of CDK's: kept
  // only in durable stages, like every other.
  RemovalPolicies.of(checkToken).apply(removalFor(stage));
  const headers = new cloudfront.ResponseHeadersPolicy(stack, 'SecurityHeaders', {
    securityHeadersBehavior: {
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, preload: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
    },
  });
  const distribution = new cloudfront.Distribution(stack, 'Downloads', {
    defaultBehavior: {
      origin: origins.S3BucketOrigin.withOriginAccessControl(documents),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      responseHeadersPolicy: headers,
      edgeLambdas: [{ functionVersion: checkToken.currentVersion, eventType: cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST }],
    },
    domainNames: [`documents-${stage}.example.com`],
    certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', `arn:aws:acm:us-east-1:${ENV.account}:certificate/documents-${stage}`),
    minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    webAclId: `arn:aws:wafv2:us-east-1:${ENV.account}:global/webacl/bank-edge-${stage}/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`,
    enableLogging: true,
    logBucket: edgeLogs,
    priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
  });

  // Lambda@Edge errors surface as CloudFront's error rates (percent of requests), in us-east-1 with Region=Global.
  const rate = (metricName: string) => new cloudwatch.Metric({
    namespace: 'AWS/CloudFront',
    metricName,
    dimensionsMap: { DistributionId: distribution.distributionId, Region: 'Global' },
    statistic: 'Average',
    period: Duration.minutes(1),
  });
  for (const [id, metricName] of [['OriginErrors', '5xxErrorRate'], ['EdgeFunctionErrors', 'LambdaExecutionError']] as const) {
    rate(metricName).createAlarm(stack, id, {
      alarmDescription: `${metricName} of the tax document downloads above 2%: check the edge function's logs, runbook https://wiki.example.com/runbooks/tax-documents`,
      threshold: 2,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new actions.SnsAction(topic));
  }
}
