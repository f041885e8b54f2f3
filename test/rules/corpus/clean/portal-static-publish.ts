import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as r53targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { ENV, alertTopic, dataBucket, dataKey, isDurable, removalFor, serviceLogBucket, tagWorkload } from '../careful-team';

/**
 * The onboarding portal's static pages: an encrypted bucket behind CloudFront (origin access control, TLS 1.2, security
 * headers, a us-east-1 web ACL, standard logs), published on each deploy by a BucketDeployment that invalidates the
 * distribution, under a Route 53 alias; beside it, the ECR repository of the portal's backend images (immutable tags,
 * scanned on push, the team's key). With `legacyOrigin` (a defect app), the pages are served through the deprecated
 * origins.S3Origin, which reads the bucket with an origin access identity.
 */
export function build(app: App, stage: string, { legacyOrigin = false }: { readonly legacyOrigin?: boolean } = {}): void {
  const stack = new Stack(app, `OnboardingPortal-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'onboarding-portal');
  const key = dataKey(stack, 'Key', stage);
  alertTopic(stack, key);
  const pages = dataBucket(stack, 'Pages', key, stage);
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'bank.example.com' });
  const domainName = `onboarding-${stage}.bank.example.com`;
  const cdn = new cloudfront.Distribution(stack, 'Cdn', {
    defaultBehavior: {
      origin: legacyOrigin ? new origins.S3Origin(pages) : origins.S3BucketOrigin.withOriginAccessControl(pages),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    },
    defaultRootObject: 'index.html',
    domainNames: [domainName],
    certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', `arn:aws:acm:us-east-1:${ENV.account}:certificate/0f2d6c1e-portal`),
    minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    enableLogging: true,
    logBucket: serviceLogBucket(stack, 'CdnLogs', stage),
    webAclId: `arn:aws:wafv2:us-east-1:${ENV.account}:global/webacl/onboarding-${stage}/7c1d`,
  });
  new s3deploy.BucketDeployment(stack, 'Publish', {
    sources: [s3deploy.Source.data('index.html', '<!doctype html><title>Open an account</title>')],
    destinationBucket: pages,
    distribution: cdn,
    distributionPaths: ['/*'],
    memoryLimit: 512,
    logGroup: new logs.LogGroup(stack, 'PublishLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: removalFor(stage) }),
  });
  new route53.ARecord(stack, 'Alias', { zone, recordName: domainName, target: route53.RecordTarget.fromAlias(new r53targets.CloudFrontTarget(cdn)) });
  new ecr.Repository(stack, 'BackendImages', {
    imageScanOnPush: true,
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    encryption: ecr.RepositoryEncryption.KMS,
    encryptionKey: key,
    removalPolicy: removalFor(stage),
    emptyOnDelete: !isDurable(stage),
    lifecycleRules: [{ maxImageCount: 50 }],
  });
}
