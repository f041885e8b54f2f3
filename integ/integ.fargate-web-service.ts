// What the account needs when deploying (integ:deploy stops before any AWS call, naming it, when unset):
//   FINTECH_INTEG_CERTIFICATE_ARN   an issued ACM certificate in us-east-1, any domain: the assertions call AWS APIs,
//                                   not the load balancer's hostname
// Offline (integ:snapshot, integ:verify) the clearly fake placeholder below stands in for it.
//
// A deployed FargateWebService runs its tasks behind an HTTPS-only load balancer: the service rolls back failed
// deployments and runs as many tasks as desired, the cluster has Container Insights, the load balancer drops invalid
// headers, uses the strictest desync mitigation and writes access logs, port 80 only redirects, 443 uses the TLS 1.2+
// policy, and the web ACL protects it.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { FargateWebService, FintechVpc } from '../src';
import { integStage } from './integ-stage';
import { RECOMMENDED_ELB_SSL_POLICY } from '../src/facts/tls-policies';
import { IntegInput } from '../src/testing/integ-input';

const app = new App();
const stage = integStage(app, 'web', 'platform-alerts@example.com');
const stack = new Stack(stage, 'FargateWebService');
const certificateArn = IntegInput.value(stack, {
  name: 'FINTECH_INTEG_CERTIFICATE_ARN',
  description: 'ARN of an issued ACM certificate in us-east-1, any domain (aws acm request-certificate --region us-east-1 ...)',
  placeholder: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
  pattern: '^arn:aws[-a-z]*:acm:us-east-1:[0-9]{12}:certificate/',
});
const vpc = new FintechVpc(stack, 'Network', { maxAzs: 2, containerImageEndpoints: true });
const web = new FargateWebService(stack, 'Web', {
  vpc,
  // nginx listens on 80 and serves / ; its Alpine image has BusyBox wget, which the default container health check uses.
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine'),
  containerPort: 80,
  healthCheckPath: '/',
  certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', certificateArn),
});

const integ = new IntegTest(app, 'FargateWebServiceInteg', { testCases: [stack], regions: [stage.environment.region] });

// Resource ids are tokens of the stage's stack; the assertions read them by stack name and logical id, both plain strings.
function physicalId(element: CfnElement): string {
  return integ.assertions
    .awsApiCall('CloudFormation', 'describeStackResource', { StackName: stack.stackName, LogicalResourceId: stack.resolve(element.logicalId) })
    .getAttString('StackResourceDetail.PhysicalResourceId');
}
const clusterName = physicalId(web.cluster.node.defaultChild as CfnElement);
const serviceArn = physicalId(web.service.node.defaultChild as CfnElement);
const loadBalancerArn = physicalId(web.loadBalancer.node.defaultChild as CfnElement);

integ.assertions
  .awsApiCall('ECS', 'describeServices', { cluster: clusterName, services: [serviceArn] })
  .expect(ExpectedResult.objectLike({
    services: [Match.objectLike({
      desiredCount: web.desiredCount,
      runningCount: web.desiredCount,
      deploymentConfiguration: Match.objectLike({ deploymentCircuitBreaker: { enable: true, rollback: true } }),
      enableExecuteCommand: false,
    })],
  }))
  // Tasks pull the image and pass their health checks within a few minutes.
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });

integ.assertions
  .awsApiCall('ECS', 'describeClusters', { clusters: [clusterName], include: ['SETTINGS'] })
  .expect(ExpectedResult.objectLike({
    clusters: [Match.objectLike({ settings: Match.arrayWith([{ name: 'containerInsights', value: 'enhanced' }]) })],
  }));

// The SDK's client is ElasticLoadBalancingV2, but IAM names the actions elasticloadbalancing:*, which the provider does not derive.
function describeLoadBalancing(action: 'describeLoadBalancerAttributes' | 'describeListeners') {
  const call = integ.assertions.awsApiCall('ElasticLoadBalancingV2', action, { LoadBalancerArn: loadBalancerArn });
  const iamAction = `elasticloadbalancing:${action.charAt(0).toUpperCase()}${action.slice(1)}`;
  // Describe actions of ELB take no resource-level permissions.
  call.provider.addToRolePolicy({ Effect: 'Allow', Action: [iamAction], Resource: ['*'] });
  return call;
}

describeLoadBalancing('describeLoadBalancerAttributes')
  .expect(ExpectedResult.objectLike({
    Attributes: Match.arrayWith([
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      { Key: 'routing.http.desync_mitigation_mode', Value: 'strictest' },
      { Key: 'access_logs.s3.enabled', Value: 'true' },
    ]),
  }));

describeLoadBalancing('describeListeners')
  .expect(ExpectedResult.objectLike({
    Listeners: Match.arrayWith([
      Match.objectLike({ Port: 80, Protocol: 'HTTP', DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443' }) })] }),
      Match.objectLike({ Port: 443, Protocol: 'HTTPS', SslPolicy: RECOMMENDED_ELB_SSL_POLICY }),
    ]),
  }));

integ.assertions
  .awsApiCall('WAFV2', 'getWebACLForResource', { ResourceArn: loadBalancerArn })
  .expect(ExpectedResult.objectLike({
    WebACL: Match.objectLike({
      Description: `Web ACL of ${web.node.path}`,
      Rules: Match.arrayWith([Match.objectLike({ Name: 'RateLimitPerIp', Statement: { RateBasedStatement: Match.objectLike({ Limit: web.webAcl.rateLimitPerWindow }) } })]),
    }),
  }));

app.synth();
