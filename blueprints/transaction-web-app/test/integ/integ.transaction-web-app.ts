// What the account needs when deploying (integ:deploy stops before any AWS call, naming each one, when unset):
//   FINTECH_INTEG_DOMAIN                 a public Route 53 hosted zone of yours, e.g. integ.example.com; the test serves
//                                        txn.<domain> (CloudFront) and txn-origin.<domain> (the load balancer) and writes
//                                        both records in the zone
//   FINTECH_INTEG_HOSTED_ZONE_ID         the id of that hosted zone (Z...)
//   FINTECH_INTEG_EDGE_CERTIFICATE_ARN   an issued ACM certificate in us-east-1 covering *.<domain> (CloudFront)
//   FINTECH_INTEG_CERTIFICATE_ARN        an issued ACM certificate in the test's region covering *.<domain> (the load
//                                        balancer); in us-east-1 it may be the same certificate
// Offline (integ:snapshot, integ:verify) the clearly fake placeholders below stand in for them. Deploying builds the API's
// image, so Docker must run where integ:deploy runs.
//
// A deployed transaction web app: the front end answers 200 over HTTPS through CloudFront and plain HTTP is redirected;
// a transaction POSTed through the public URL is recorded once (a retry answers the same) and can be read back; the load
// balancer does not answer a client that skips CloudFront; the database is not publicly accessible and its subnets have
// no route to the internet; the service rolls back failed deployments and the cluster has Container Insights; the
// deployed resources carry the stage's tags.
import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import config from '../../src/fintech.config.json';
import { TransactionWebAppStack } from '../../src/transaction-web-app-stack';
import { FintechStage, IntegInput, NameKind, PhysicalName, TracedFunction } from 'fintech-infra-template';

const app = new App();
const region = config.environments[0].region;
// A throwaway ephemeral stage, so integ-runner can destroy everything it deployed.
const [stage] = FintechStage.fromConfig(app, { ...config, environments: [{ name: 'integ', region, durable: false }] });

// The client that skips CloudFront, in a stack of its own outside the VPC; the test's inputs are recorded on it.
const probeStack = new Stack(stage, 'TransactionWebAppProbe');
const domain = IntegInput.value(probeStack, {
  name: 'FINTECH_INTEG_DOMAIN',
  description: 'a public Route 53 hosted zone of yours, e.g. integ.example.com (the test writes txn.<domain> and txn-origin.<domain> in it)',
  placeholder: 'placeholder.example',
  pattern: '^[a-z0-9.-]+\\.[a-z]{2,}$',
});
const hostedZoneId = IntegInput.value(probeStack, {
  name: 'FINTECH_INTEG_HOSTED_ZONE_ID',
  description: 'the id of the hosted zone FINTECH_INTEG_DOMAIN names (aws route53 list-hosted-zones-by-name --dns-name <domain>)',
  placeholder: 'Z00000000000000000000',
  pattern: '^Z[A-Z0-9]+$',
});
const edgeCertificateArn = IntegInput.value(probeStack, {
  name: 'FINTECH_INTEG_EDGE_CERTIFICATE_ARN',
  description: 'ARN of an issued ACM certificate in us-east-1 covering *.<FINTECH_INTEG_DOMAIN> (aws acm request-certificate --region us-east-1 ...)',
  placeholder: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
  pattern: '^arn:aws[-a-z]*:acm:us-east-1:[0-9]{12}:certificate/',
});
const originCertificateArn = IntegInput.value(probeStack, {
  name: 'FINTECH_INTEG_CERTIFICATE_ARN',
  description: `ARN of an issued ACM certificate in ${region} covering *.<FINTECH_INTEG_DOMAIN> (aws acm request-certificate --region ${region} ...)`,
  placeholder: `arn:aws:acm:${region}:123456789012:certificate/00000000-0000-0000-0000-000000000000`,
  pattern: `^arn:aws[-a-z]*:acm:${region}:[0-9]{12}:certificate/`,
});
const probeName = PhysicalName.of(probeStack, 'origin-probe', { kind: NameKind.LAMBDA_FUNCTION });
new TracedFunction(probeStack, 'OriginProbe', { entry: path.join(__dirname, 'handlers', 'origin-probe.ts'), nameBase: 'origin-probe', timeout: Duration.seconds(30) });

const domainName = `txn.${domain}`;
const originDomainName = `txn-origin.${domain}`;
const web = new TransactionWebAppStack(stage, 'TransactionWebApp', {
  domain: { domainName, certificateArn: edgeCertificateArn, originDomainName, originCertificateArn, hostedZoneId, hostedZoneName: domain },
});

// Every stack of the stage: the app, the probe, and outside us-east-1 the Edge stacks of the distribution's web ACL and logs.
const integ = new IntegTest(app, 'TransactionWebApp', {
  testCases: stage.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nested),
  regions: [region],
});

// Resource ids are tokens of the stage's stack; the assertions read them by stack name and logical id, both plain strings.
function physicalId(element: CfnElement): string {
  return integ.assertions
    .awsApiCall('CloudFormation', 'describeStackResource', { StackName: web.stackName, LogicalResourceId: web.resolve(element.logicalId) })
    .getAttString('StackResourceDetail.PhysicalResourceId');
}
const cfn = (construct: { node: { defaultChild?: unknown } }) => construct.node.defaultChild as CfnElement;

// 1. The front end answers 200 over HTTPS through CloudFront at the public name, with the security headers.
const frontEnd = integ.assertions.httpApiCall(`https://${domainName}/`);
frontEnd.expect(ExpectedResult.objectLike({
  status: 200,
  body: Match.stringLikeRegexp('<title>Transactions</title>'),
  headers: Match.objectLike({ 'strict-transport-security': ['max-age=63072000; includeSubDomains'], 'x-content-type-options': ['nosniff'] }),
}));
frontEnd.waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });

// 2. Plain HTTP is redirected to HTTPS (node-fetch takes `redirect`, which the typed options leave out).
const redirect = integ.assertions.httpApiCall(`http://${domainName}/`, { redirect: 'manual' } as object);
redirect.expect(ExpectedResult.objectLike({ status: 301, headers: Match.objectLike({ location: [`https://${domainName}/`] }) }));

// 3. Through the public URL the API answers once its tasks are healthy; a POSTed transaction is recorded, a retry with the
//    same idempotency key answers the same transaction, and it reads back by id.
const listed = integ.assertions.httpApiCall(`https://${domainName}/api/transactions?limit=1`);
listed.expect(ExpectedResult.objectLike({ status: 200 }));
listed.waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });
const transaction = { amount: '12.50', currency: 'EUR', reference: 'integ transaction', idempotencyKey: 'integ-transaction-1' };
const postOptions = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(transaction) };
const posted = integ.assertions.httpApiCall(`https://${domainName}/api/transactions`, postOptions);
const id = posted.getAttString('body.id');
const retried = integ.assertions.httpApiCall(`https://${domainName}/api/transactions`, postOptions);
retried.expect(ExpectedResult.objectLike({
  status: 201,
  headers: Match.objectLike({ 'idempotent-replayed': ['true'] }),
  body: Match.objectLike({ id, amount: '12.50', amountMinor: 1250, currency: 'EUR', reference: 'integ transaction' }),
}));
const readBack = integ.assertions.httpApiCall(`https://${domainName}/api/transactions/${id}`);
readBack.expect(ExpectedResult.objectLike({ status: 200, body: Match.objectLike({ id, amount: '12.50', reference: 'integ transaction' }) }));

// 4. The load balancer does not answer a client that skips CloudFront: its group admits CloudFront's prefix list only.
const bypass = integ.assertions.invokeFunction({ functionName: probeName, payload: JSON.stringify({ url: `https://${originDomainName}/api/transactions` }) });
// A timeout, not a name that does not resolve: the packets reach the load balancer's group and are dropped.
bypass.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson({ reached: false, error: 'TimeoutError' }) }));
const loadBalancerGroup = integ.assertions.awsApiCall('EC2', 'describeSecurityGroups', { GroupIds: [physicalId(cfn(web.api.loadBalancerSecurityGroup))] });
loadBalancerGroup.expect(ExpectedResult.objectLike({
  SecurityGroups: [Match.objectLike({
    IpPermissions: [Match.objectLike({ FromPort: 443, ToPort: 443, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [Match.objectLike({})] })],
  })],
}));

// 5. The database is not publicly accessible, and the subnets of its subnet group route nowhere but inside the VPC and to
//    its gateway endpoints (a default route would name an internet or NAT gateway instead).
const instances = integ.assertions.awsApiCall('RDS', 'describeDBInstances', { Filters: [{ Name: 'db-cluster-id', Values: [web.database.clusterName] }] });
instances.expect(ExpectedResult.objectLike({ DBInstances: [Match.objectLike({ PubliclyAccessible: false })] }));
const subnetGroupName = physicalId(cfn(web.database.node.findChild('Subnets')));
const subnetGroup = integ.assertions.awsApiCall('RDS', 'describeDBSubnetGroups', { DBSubnetGroupName: subnetGroupName });
const databaseSubnets = web.vpc.isolatedSubnets.map((_, i) => subnetGroup.getAttString(`DBSubnetGroups.0.Subnets.${i}.SubnetIdentifier`));
const routes = integ.assertions.awsApiCall('EC2', 'describeRouteTables', { Filters: [{ Name: 'association.subnet-id', Values: databaseSubnets }] });
const insideOnly = Match.objectLike({ GatewayId: Match.stringLikeRegexp('^(local|vpce-[0-9a-f]+)$') });
// Three routes each: the VPC itself and the S3 and DynamoDB gateway endpoints.
const routeTable = Match.objectLike({ Routes: [insideOnly, insideOnly, insideOnly] });
routes.expect(ExpectedResult.objectLike({ RouteTables: databaseSubnets.map(() => routeTable) }));

// 6. The service rolls back failed deployments; the cluster has Container Insights.
const clusterName = physicalId(cfn(web.api.cluster));
const serviceArn = physicalId(cfn(web.api.service));
const service = integ.assertions.awsApiCall('ECS', 'describeServices', { cluster: clusterName, services: [serviceArn] });
service.expect(ExpectedResult.objectLike({
  services: [Match.objectLike({ deploymentConfiguration: Match.objectLike({ deploymentCircuitBreaker: { enable: true, rollback: true } }) })],
}));
const cluster = integ.assertions.awsApiCall('ECS', 'describeClusters', { clusters: [clusterName], include: ['SETTINGS'] });
cluster.expect(ExpectedResult.objectLike({ clusters: [Match.objectLike({ settings: [{ name: 'containerInsights', value: 'enhanced' }] })] }));

// 7. Every resource kind deployed carries all the stage's required tags (found through the tagging API by all tags at once).
const tagged = integ.assertions.awsApiCall('ResourceGroupsTaggingAPI', 'getResources', {
  TagFilters: Object.entries(stage.tags).map(([Key, Value]) => ({ Key, Values: [Value] })),
});
tagged.expect(ExpectedResult.objectLike({
  ResourceTagMappingList: Match.arrayWith([
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:rds:${region}:[0-9]{12}:cluster:${web.database.clusterName}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(':ecs:.*:cluster/') }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(':ecs:.*:service/') }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(':loadbalancer/app/') }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:function:${PhysicalName.of(web, 'schema-migration', { kind: NameKind.LAMBDA_FUNCTION })}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(':secret:') }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(':key/') }),
  ]),
}));

frontEnd.next(redirect).next(listed).next(posted).next(retried).next(readBack)
  .next(bypass).next(loadBalancerGroup).next(instances).next(subnetGroup).next(routes)
  .next(service).next(cluster).next(tagged);

app.synth();
