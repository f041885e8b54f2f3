// What the account needs when deploying (integ:deploy stops before any AWS call, naming each one, when unset):
//   FINTECH_INTEG_DOMAIN                 a domain of yours, e.g. integ.example.com; the distributions use the alternate
//                                        domain names app.<domain> and app-eu.<domain> (no DNS record is needed: the
//                                        assertions call the *.cloudfront.net names)
//   FINTECH_INTEG_EDGE_CERTIFICATE_ARN   an issued ACM certificate in us-east-1 covering *.<domain>
// Offline (integ:snapshot, integ:verify) the clearly fake placeholders below stand in for them.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnElement, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { DataKey, EdgeStack, FintechStage, KeyConsumer, SecureBucket, SecureDistribution } from '../src';
import { integStage } from './integ-stage';
import { IntegInput } from '../src/testing/integ-input';

const PAGE = '<!doctype html><title>SecureDistribution</title><p>served through CloudFront</p>';

const app = new App();

// 1. A stack in us-east-1: the web ACL and the log delivery live beside the distribution.
const stage = integStage(app, 'distribution');
const stack = new Stack(stage, 'SecureDistribution');
const domain = IntegInput.value(stack, {
  name: 'FINTECH_INTEG_DOMAIN',
  description: 'a domain of yours, e.g. integ.example.com, covered as *.<domain> by FINTECH_INTEG_EDGE_CERTIFICATE_ARN',
  placeholder: 'placeholder.invalid',
  pattern: '^[a-z0-9.-]+\\.[a-z]{2,}$',
});
const certificateArn = IntegInput.value(stack, {
  name: 'FINTECH_INTEG_EDGE_CERTIFICATE_ARN',
  description: 'ARN of an issued ACM certificate in us-east-1 covering *.<FINTECH_INTEG_DOMAIN> (aws acm request-certificate --region us-east-1 ...)',
  placeholder: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
  pattern: '^arn:aws[-a-z]*:acm:us-east-1:[0-9]{12}:certificate/',
});
const site = new SecureDistribution(stack, 'Site', {
  certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', certificateArn),
  domainNames: [`app.${domain}`],
});
// The front page, written with PutObject (encrypted with the bucket's key) once the bucket exists.
const bucket = site.assetsBucket as SecureBucket;
// The custom resource's function logs to an encrypted log group of a week, as every log group of the stage does (C04, C20).
const putIndexLogsKey = new DataKey(stack, 'IndexPageLogsKey', { aliasBase: 'index-page-logs' });
putIndexLogsKey.allowService(KeyConsumer.LOGS);
const putIndexLogs = new logs.LogGroup(stack, 'IndexPageLogs', { encryptionKey: putIndexLogsKey.key, retention: logs.RetentionDays.ONE_WEEK });
const putIndex = new cr.AwsCustomResource(stack, 'IndexPage', {
  onUpdate: {
    service: 'S3',
    action: 'putObject',
    parameters: { Bucket: bucket.bucketName, Key: 'index.html', Body: PAGE, ContentType: 'text/html' },
    physicalResourceId: cr.PhysicalResourceId.of('index.html'),
  },
  policy: cr.AwsCustomResourcePolicy.fromStatements([
    new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('index.html')] }),
    new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [(bucket.dataKey as DataKey).key.keyArn] }),
  ]),
  installLatestAwsSdk: false,
  logGroup: putIndexLogs,
});
putIndex.node.addDependency(bucket);

// 2. A stack in eu-west-1: the web ACL comes from the stage's us-east-1 Edge stack, the logs from Web-EdgeLogs.
const euEnvironment = { name: 'integeu', region: 'eu-west-1', durable: false };
const euStage = new FintechStage(app, 'integeu', {
  config: { application: 'distribution', team: 'platform', costCenter: 'cc-0000', environments: [euEnvironment] },
  environment: euEnvironment,
});
const euStack = new Stack(euStage, 'Web', { crossRegionReferences: true });
new SecureDistribution(euStack, 'Site', {
  certificate: acm.Certificate.fromCertificateArn(euStack, 'Certificate', certificateArn),
  domainNames: [`app-eu.${domain}`],
});
const euEdge = EdgeStack.ofStage(euStack);
const euLogs = EdgeStack.accessLogsOf(euStack);

const integ = new IntegTest(app, 'SecureDistributionInteg', {
  testCases: [stack, euEdge, euStack, euLogs],
  regions: [stage.environment.region],
});

// Tokens of the stage's stacks would be references across the stage boundary: the assertions look resources up by
// stack name and logical id, both plain strings.
const logicalId = (element: CfnElement) => stack.resolve(element.logicalId) as string;
const physicalId = (stackName: string, id: string) => integ.assertions
  .awsApiCall('CloudFormation', 'describeStackResource', { StackName: stackName, LogicalResourceId: id })
  .getAttString('StackResourceDetail.PhysicalResourceId');

const distributionId = physicalId(stack.stackName, logicalId(site.node.defaultChild as CfnElement));
const distributionDomain = integ.assertions
  .awsApiCall('CloudFront', 'getDistribution', { Id: distributionId })
  .getAttString('Distribution.DomainName');

// The front page over HTTPS, with the security headers.
integ.assertions
  .httpApiCall(`https://${distributionDomain}/`)
  .expect(ExpectedResult.objectLike({
    status: 200,
    body: PAGE,
    headers: Match.objectLike({
      'strict-transport-security': ['max-age=63072000; includeSubDomains'],
      'x-content-type-options': ['nosniff'],
      'x-frame-options': ['DENY'],
    }),
  }))
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(20) });

// Plain HTTP is redirected to HTTPS (node-fetch takes `redirect`, which the typed options leave out).
integ.assertions
  .httpApiCall(`http://${distributionDomain}/`, { redirect: 'manual' } as object)
  .expect(ExpectedResult.objectLike({ status: 301, headers: Match.objectLike({ location: [`https://${distributionDomain}/`] }) }));

// The deployed configuration: TLSv1.2_2021 minimum on the certificate and a CLOUDFRONT web ACL of us-east-1.
integ.assertions
  .awsApiCall('CloudFront', 'getDistributionConfig', { Id: distributionId })
  .expect(ExpectedResult.objectLike({
    DistributionConfig: Match.objectLike({
      ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SSLSupportMethod: 'sni-only' }),
      WebACLId: Match.stringLikeRegexp('^arn:aws:wafv2:us-east-1:[0-9]{12}:global/webacl/'),
    }),
  }));

// The assets bucket blocks every kind of public access.
const bucketName = physicalId(stack.stackName, logicalId(bucket.node.defaultChild as CfnElement));
integ.assertions
  .awsApiCall('S3', 'getPublicAccessBlock', { Bucket: bucketName })
  .expect(ExpectedResult.objectLike({
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  }));

// The eu-west-1 distribution: CloudFront is global, so its configuration is read from here, by its alternate domain name.
integ.assertions
  .awsApiCall('CloudFront', 'listDistributions', {})
  .expect(ExpectedResult.objectLike({
    DistributionList: Match.objectLike({
      Items: Match.arrayWith([Match.objectLike({
        Aliases: { Quantity: 1, Items: [`app-eu.${domain}`] },
        WebACLId: Match.stringLikeRegexp('^arn:aws:wafv2:us-east-1:[0-9]{12}:global/webacl/'),
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
      })]),
    }),
  }));

// Its access logs are delivered from the us-east-1 EdgeLogs stack: the delivery source names a CloudFront distribution.
const euSource = euLogs.node.findAll().find(c => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Logs::DeliverySource') as CfnResource;
integ.assertions
  .awsApiCall('CloudWatchLogs', 'getDeliverySource', { name: physicalId(euLogs.stackName, euLogs.resolve(euSource.logicalId) as string) })
  .expect(ExpectedResult.objectLike({
    deliverySource: Match.objectLike({ logType: 'ACCESS_LOGS', service: 'cloudfront', resourceArns: [Match.stringLikeRegexp('^arn:aws:cloudfront::[0-9]{12}:distribution/')] }),
  }));

app.synth();
