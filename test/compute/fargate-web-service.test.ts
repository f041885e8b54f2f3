import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { FargateWebService, FargateWebServiceProps } from '../../src/compute/fargate-web-service';
import { DataKey } from '../../src/encryption/data-key';
import { RECOMMENDED_ELB_SSL_POLICY } from '../../src/facts/tls-policies';
import { FintechVpc } from '../../src/network/fintech-vpc';
import { quietSynth } from '../rules/rule-harness';
import { stackIn, synthReport, testApp } from '../support/fintech-fixture';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine');
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

function serviceIn(stack: Stack, props: Partial<FargateWebServiceProps> = {}): FargateWebService {
  const vpc = props.vpc ?? new FintechVpc(stack, 'Network', { maxAzs: 2 });
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN);
  return new FargateWebService(stack, 'Web', { vpc, image: IMAGE, certificate, ...props });
}

// Synthesizing a VPC and a service takes a while: the default builds are shared by the tests that only read them.
const defaults = new Map<string, { stack: Stack; web: FargateWebService; template: Template }>();

function webIn(stage: 'dev' | 'prod', props: Partial<FargateWebServiceProps> = {}): { stack: Stack; web: FargateWebService; template: Template } {
  if (Object.keys(props).length === 0) {
    if (!defaults.has(stage)) defaults.set(stage, build(stage, props));
    return defaults.get(stage)!;
  }
  return build(stage, props);
}

function build(stage: 'dev' | 'prod', props: Partial<FargateWebServiceProps>): { stack: Stack; web: FargateWebService; template: Template } {
  const stack = stackIn(testApp(), stage);
  const web = serviceIn(stack, props);
  return { stack, web, template: Template.fromStack(stack) };
}

function attributes(template: Template): Record<string, unknown> {
  const [alb] = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
  return Object.fromEntries(alb.Properties.LoadBalancerAttributes.map((a: { Key: string; Value: unknown }) => [a.Key, a.Value]));
}

function policyStatements(template: Template, stack: Stack, role: { roleName: string }): any[] {
  const roleRef = stack.resolve((role as any).roleName);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter(p => p.Properties.Roles.some((r: unknown) => JSON.stringify(r) === JSON.stringify(roleRef)))
    .flatMap(p => p.Properties.PolicyDocument.Statement);
}

describe('FargateWebService', () => {
  describe('load balancer', () => {
    test('internet-facing in the public subnets, drops invalid headers, strictest desync mitigation, access logs', () => {
      const { stack, web, template } = webIn('dev');
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
        Subnets: (web.node.scope!.node.findChild('Network') as FintechVpc).publicSubnets.map(s => stack.resolve(s.subnetId)),
      });
      expect(attributes(template)).toMatchObject({
        'routing.http.drop_invalid_header_fields.enabled': 'true',
        'routing.http.desync_mitigation_mode': 'strictest',
        'access_logs.s3.enabled': 'true',
        'access_logs.s3.bucket': stack.resolve(web.accessLogsBucket.bucketName),
        'access_logs.s3.prefix': 'alb',
      });
    });

    test('deletion protection in a durable stage, none in an ephemeral stage', () => {
      expect(attributes(webIn('prod').template)['deletion_protection.enabled']).toBe('true');
      expect(attributes(webIn('dev').template)['deletion_protection.enabled']).toBe('false');
    });

    test('HTTPS listener with the certificate and the recommended TLS policy forwards to the tasks; port 80 only redirects', () => {
      const { stack, web, template } = webIn('dev');
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: CERTIFICATE_ARN }],
        SslPolicy: RECOMMENDED_ELB_SSL_POLICY,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: stack.resolve(web.targetGroup.targetGroupArn) }],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
      });
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
    });

    test('a TLS 1.2+ sslPolicy of props is used', () => {
      webIn('dev', { sslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' }).template
        .hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, SslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' });
    });

    test('the target group health-checks healthCheckPath on the container port and drains in 30 s', () => {
      const { template } = webIn('dev', { containerPort: 3000, healthCheckPath: '/ready' });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: 3000,
        Protocol: 'HTTP',
        TargetType: 'ip',
        HealthCheckPath: '/ready',
        Matcher: { HttpCode: '200' },
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
      });
    });

    test('access logs go to a private, TLS-only bucket with S3 managed keys, written by ELB log delivery', () => {
      const { stack, web, template } = webIn('dev');
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      });
      const bucketArn = stack.resolve(web.accessLogsBucket.bucketArn);
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            // eu-west-1 predates August 2022: ELB's account in that region writes the logs.
            Match.objectLike({
              Effect: 'Allow',
              Action: 's3:PutObject',
              Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::156460612806:root']] } },
              Resource: { 'Fn::Join': ['', [bucketArn, '/alb/AWSLogs/', { Ref: 'AWS::AccountId' }, '/*']] },
            }),
          ]),
        },
      });
    });

    test('a region opened after August 2022 gets the log delivery service principal', () => {
      const stack = new Stack(testApp(), 'Web', { env: { region: 'ap-southeast-4' } });
      serviceIn(stack);
      Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 's3:PutObject', Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' } }),
          ]),
        },
      });
    });

    test('a regional web ACL with the rate of props is associated with the load balancer', () => {
      const { stack, web, template } = webIn('dev', { requestsPerSecondPerIp: 20 });
      template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL' });
      template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        ResourceArn: stack.resolve(web.loadBalancer.loadBalancerArn),
        WebACLArn: stack.resolve(web.webAcl.attrArn),
      });
      expect(web.webAcl.rateLimitPerWindow).toBe(20 * web.webAcl.rateEvaluationWindowSeconds);
    });
  });

  describe('security groups', () => {
    test('the load balancer admits 443 and 80 from the internet; the tasks admit only the load balancer on the container port', () => {
      const { stack, web, template } = webIn('dev');
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Load balancer: HTTPS, and HTTP to redirect, from the internet',
        SecurityGroupIngress: [
          Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
          Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }),
        ],
      });
      const serviceGroup = stack.resolve(web.serviceSecurityGroup.securityGroupId);
      const albGroup = stack.resolve(web.loadBalancerSecurityGroup.securityGroupId);
      const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
        .filter(r => JSON.stringify(r.Properties.GroupId) === JSON.stringify(serviceGroup));
      expect(ingress.map(r => r.Properties)).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: albGroup })]);
      const [serviceGroupResource] = Object.entries(template.findResources('AWS::EC2::SecurityGroup'))
        .filter(([id]) => JSON.stringify({ 'Fn::GetAtt': [id, 'GroupId'] }) === JSON.stringify(serviceGroup)).map(([, r]) => r);
      expect(serviceGroupResource.Properties.SecurityGroupIngress).toBeUndefined();
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: albGroup, DestinationSecurityGroupId: serviceGroup, FromPort: 8080, ToPort: 8080 });
    });
  });

  describe('cloudFrontOnly', () => {
    test('admits HTTPS only from CloudFront\'s origin-facing prefix list, looked up at deploy; no port 80 listener', () => {
      const { stack, web, template } = webIn('prod', { cloudFrontOnly: true });
      template.hasResourceProperties('Custom::AWS', {
        Create: Match.serializedJson(Match.objectLike({
          service: 'EC2',
          action: 'describeManagedPrefixLists',
          parameters: { Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.global.cloudfront.origin-facing'] }] },
        })),
      });
      const [lookup] = Object.keys(template.findResources('Custom::AWS'));
      const albGroup = stack.resolve(web.loadBalancerSecurityGroup.securityGroupId);
      const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
        .filter(r => JSON.stringify(r.Properties.GroupId) === JSON.stringify(albGroup)).map(r => r.Properties);
      expect(ingress).toEqual([expect.objectContaining({
        SourcePrefixListId: { 'Fn::GetAtt': [lookup, 'PrefixLists.0.PrefixListId'] }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443,
      })]);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'Load balancer: HTTPS from CloudFront only', SecurityGroupIngress: Match.absent() });
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
      expect(web.httpRedirectListener).toBeUndefined();
      expect(JSON.stringify(template.findResources('AWS::EC2::SecurityGroupIngress'))).not.toContain('0.0.0.0/0');
    });

    test('the HTTPS listener answers 403 unless X-Origin-Verify carries the secret, read by dynamic reference', () => {
      const { stack, web, template } = webIn('prod', { cloudFrontOnly: true });
      expect(FargateWebService.ORIGIN_VERIFY_HEADER).toBe('X-Origin-Verify');
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: 'Forbidden' } }],
      });
      const secretRef = stack.resolve((web.originVerifySecret as secretsmanager.Secret).secretArn);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: 1,
        Actions: [{ Type: 'forward', TargetGroupArn: stack.resolve(web.targetGroup.targetGroupArn) }],
        Conditions: [{
          Field: 'http-header',
          HttpHeaderConfig: { HttpHeaderName: 'X-Origin-Verify', Values: [{ 'Fn::Join': ['', ['{{resolve:secretsmanager:', secretRef, ':SecretString:::}}']] }] },
        }],
      });
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        KmsKeyId: stack.resolve(web.dataKey.key.keyArn),
        GenerateSecretString: { ExcludePunctuation: true, IncludeSpace: false, PasswordLength: 64 },
      });
    });

    test('off: no secret, no prefix-list lookup', () => {
      const { web, template } = webIn('dev');
      expect(web.originVerifySecret).toBeUndefined();
      template.resourceCountIs('AWS::SecretsManager::Secret', 0);
      template.resourceCountIs('Custom::AWS', 0);
    });
  });

  describe('service and tasks', () => {
    test('private subnets, no public IP, circuit breaker with rollback, grace period, full capacity during deploys, ECS Exec off', () => {
      const { stack, web, template } = webIn('prod');
      const vpc = web.node.scope!.node.findChild('Network') as FintechVpc;
      template.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        DesiredCount: 2,
        DeploymentConfiguration: Match.objectLike({
          DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200,
        }),
        HealthCheckGracePeriodSeconds: 60,
        EnableExecuteCommand: false,
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: vpc.privateSubnets.map(s => stack.resolve(s.subnetId)), SecurityGroups: Match.anyValue() } },
      });
    });

    test('one task in an ephemeral stage, two in a durable one; auto scaling from desired to four times desired', () => {
      const dev = webIn('dev');
      expect(dev.web.desiredCount).toBe(1);
      dev.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 4 });
      const prod = webIn('prod');
      expect(prod.web.desiredCount).toBe(2);
      prod.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 8 });
    });

    test('target tracking on CPU and on requests per target, with scale-in and scale-out cooldowns', () => {
      const { stack, web, template } = webIn('dev', { minCapacity: 1, desiredCount: 2, maxCapacity: 6, targetCpuUtilizationPercent: 50, requestsPerTargetPerMinute: 300, scaleInCooldown: Duration.minutes(10) });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 6 });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: 50,
          ScaleInCooldown: 600,
          ScaleOutCooldown: 60,
        },
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ALBRequestCountPerTarget',
            ResourceLabel: Match.anyValue(),
          },
          TargetValue: 300,
          ScaleInCooldown: 600,
          ScaleOutCooldown: 60,
        },
      });
      expect(stack.resolve(web.targetGroup.targetGroupFullName)).toBeDefined();
    });

    test('the container: port, default wget health check, logs to the encrypted log group, environment and secrets', () => {
      const stack = stackIn(testApp(), 'dev');
      const database = new secretsmanager.Secret(stack, 'Database');
      const web = serviceIn(stack, { environment: { MODE: 'live' }, secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(database, 'password') } });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '512',
        Memory: '1024',
        RequiresCompatibilities: ['FARGATE'],
        ContainerDefinitions: [Match.objectLike({
          Name: 'web',
          Essential: true,
          PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
          HealthCheck: { Command: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8080/health || exit 1'], Interval: 30, Timeout: 5, Retries: 3, StartPeriod: 60 },
          LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({ 'awslogs-group': stack.resolve(web.logGroup.logGroupName), 'awslogs-stream-prefix': 'web' }) },
          Environment: [{ Name: 'MODE', Value: 'live' }],
          Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: Match.anyValue() }],
        })],
      });
    });

    test('a container health check of props replaces the default', () => {
      const command = ['CMD', '/probe'];
      webIn('dev', { containerHealthCheck: { command } }).template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ HealthCheck: Match.objectLike({ Command: command }) })],
      });
    });

    test('separate task and execution roles, the task role for ECS tasks of this account only; the execution role writes logs and reads only the named secret', () => {
      const stack = stackIn(testApp(), 'dev');
      const database = new secretsmanager.Secret(stack, 'Database');
      const web = serviceIn(stack, { secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(database) } });
      const template = Template.fromStack(stack);
      expect(web.taskRole.node.path).not.toBe(web.executionRole.node.path);
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        TaskRoleArn: stack.resolve(web.taskRole.roleArn),
        ExecutionRoleArn: stack.resolve(web.executionRole.roleArn),
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({
            Principal: { Service: 'ecs-tasks.amazonaws.com' },
            Condition: {
              ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:eu-west-1:', { Ref: 'AWS::AccountId' }, ':*']] } },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          })],
        },
        Description: Match.stringLikeRegexp('^Application role'),
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' } }] },
        Description: Match.stringLikeRegexp('^Task execution role'),
      });
      for (const role of [web.taskRole, web.executionRole]) {
        expect(template.findResources('AWS::IAM::Role', { Properties: { ManagedPolicyArns: Match.anyValue() } })).not.toHaveProperty(stack.getLogicalId(role.node.defaultChild as any));
      }
      const execution = policyStatements(template, stack, web.executionRole);
      expect(execution).toEqual(expect.arrayContaining([
        expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: stack.resolve(web.logGroup.logGroupArn) }),
        expect.objectContaining({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: stack.resolve(database.secretArn) }),
      ]));
      expect(execution).toHaveLength(2);
      expect(policyStatements(template, stack, web.taskRole)).toEqual([]);
    });

    test('ECS Exec on request: sessions encrypted with the key and logged to the service\'s log group', () => {
      const { stack, web, template } = webIn('dev', { enableExecuteCommand: true });
      template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
      template.hasResourceProperties('AWS::ECS::Cluster', {
        Configuration: {
          ExecuteCommandConfiguration: {
            KmsKeyId: stack.resolve(web.dataKey.key.keyArn),
            Logging: 'OVERRIDE',
            LogConfiguration: { CloudWatchLogGroupName: stack.resolve(web.logGroup.logGroupName), CloudWatchEncryptionEnabled: true },
          },
        },
      });
    });

    test('Container Insights enhanced on the cluster', () => {
      webIn('dev').template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }] });
    });

    test('logs in a KMS-encrypted, named log group: a week in an ephemeral stage, a year in a durable one, or as asked', () => {
      const dev = webIn('dev');
      dev.template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: 'ledger-workload-web-dev',
        RetentionInDays: 7,
        KmsKeyId: dev.stack.resolve(dev.web.dataKey.key.keyArn),
      });
      webIn('prod').template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'ledger-workload-web-prod', RetentionInDays: 365 });
      webIn('dev', { logRetention: logs.RetentionDays.ONE_MONTH, nameBase: 'checkout' }).template
        .hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'ledger-checkout-dev', RetentionInDays: 30 });
    });

    test('cpu and memory of props', () => {
      webIn('dev', { cpu: 1024, memoryLimitMiB: 3072 }).template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '3072' });
    });

    test('an image from a Dockerfile is staged at synth and never built: docker is never called', () => {
      // Any docker call would fail: CDK runs the binary CDK_DOCKER names.
      const docker = process.env.CDK_DOCKER;
      process.env.CDK_DOCKER = '/nonexistent/docker-must-not-run';
      try {
        const app = testApp();
        const stack = stackIn(app, 'dev');
        serviceIn(stack, { image: ecs.ContainerImage.fromAsset(path.join(__dirname, 'fixtures', 'web-image')) });
        const assembly = quietSynth(app);
        const stage = assembly.getNestedAssembly('assembly-dev');
        const manifest = JSON.parse(fs.readFileSync(path.join(stage.directory, `${stack.artifactId}.assets.json`), 'utf-8'));
        const images = Object.values(manifest.dockerImages) as Array<{ source: { directory: string } }>;
        expect(images).toHaveLength(1);
        expect(fs.readFileSync(path.join(stage.directory, images[0].source.directory, 'Dockerfile'), 'utf-8')).toContain('FROM public.ecr.aws/nginx/nginx');
      } finally {
        if (docker === undefined) delete process.env.CDK_DOCKER; else process.env.CDK_DOCKER = docker;
      }
    });
  });

  describe('alarms', () => {
    test('five alarms routed to the stage\'s alert topic', () => {
      const { web, template } = webIn('dev');
      template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
      expect(web.alarms).toHaveLength(5);
      for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
        expect(alarm.Properties.AlarmActions).toHaveLength(1);
        expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
      }
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'UnHealthyHostCount' });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'TargetResponseTime', ExtendedStatistic: 'p99', Threshold: 2 });
    });

    test('thresholds of monitoring reach the alarms', () => {
      const { template } = webIn('dev', { monitoring: { targetErrorRatePercent: 5, p99ResponseTime: Duration.millis(800) } });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'TargetResponseTime', Threshold: 0.8 });
      const targetRate = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => id.startsWith('WebTargetErrorRate'));
      expect(targetRate.map(([, alarm]) => alarm.Properties.Threshold)).toEqual([5]);
    });

    test('monitoring off: no alarm', () => {
      const { web, template } = webIn('dev', { monitoring: { enabled: false } });
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      expect(web.alarms).toEqual([]);
    });
  });

  test('outside a FintechStage: the durable default (two tasks, deletion protection)', () => {
    const stack = new Stack(testApp(), 'Plain', { env: { region: 'us-east-1' } });
    const web = serviceIn(stack);
    expect(web.desiredCount).toBe(2);
    expect(attributes(Template.fromStack(stack))['deletion_protection.enabled']).toBe('true');
  });

  test('the rule pack finds nothing in either kind of stage, with or without cloudFrontOnly, ECS Exec and secrets', () => {
    const app = testApp();
    for (const stage of ['dev', 'prod'] as const) {
      const direct = stackIn(app, stage);
      serviceIn(direct);
      const behindCloudFront = new Stack(direct.node.scope!, 'BehindCloudFront');
      const database = new secretsmanager.Secret(behindCloudFront, 'Database', { encryptionKey: new DataKey(behindCloudFront, 'DatabaseKey', { aliasBase: 'database' }).key });
      const vpc = new FintechVpc(behindCloudFront, 'Network', { maxAzs: 2, nameBase: 'cdn-network' });
      const secrets = { DB: ecs.Secret.fromSecretsManager(database) };
      serviceIn(behindCloudFront, { vpc, cloudFrontOnly: true, enableExecuteCommand: true, secrets });
    }
    const { violations } = synthReport(app);
    expect(violations.map(v => `${v.severity} ${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
  });

  describe('bad input fails at synth with the path, the problem and the fix', () => {
    test('no certificate', () => {
      const stack = stackIn(testApp(), 'dev');
      const vpc = new FintechVpc(stack, 'Network', { maxAzs: 2 });
      expect(() => new FargateWebService(stack, 'Web', { vpc, image: IMAGE, certificate: undefined as unknown as acm.ICertificate }))
        .toThrow(/^FargateWebService at dev\/Workload\/Web: certificate is missing; the HTTPS listener needs one\. Pass an ACM certificate/);
    });

    test('a TLS policy that allows TLS 1.0', () => {
      expect(() => webIn('dev', { sslPolicy: 'ELBSecurityPolicy-2016-08' }))
        .toThrow(`FargateWebService at dev/Workload/Web: sslPolicy ELBSecurityPolicy-2016-08 allows TLS 1.0 or 1.1; use ${RECOMMENDED_ELB_SSL_POLICY} (drop sslPolicy)`);
    });

    test('a TLS policy nobody knows', () => {
      expect(() => webIn('dev', { sslPolicy: 'MyPolicy' })).toThrow('sslPolicy MyPolicy is not a known TLS 1.2+ ELB security policy;');
    });

    test('tasks in public subnets', () => {
      expect(() => webIn('dev', { taskSubnets: { subnetType: ec2.SubnetType.PUBLIC } }))
        .toThrow('FargateWebService at dev/Workload/Web: taskSubnets selects public subnets, where tasks would be reachable from the internet without the load balancer; ' +
          'drop taskSubnets');
    });

    test('isolated subnets are accepted', () => {
      const { stack, web, template } = webIn('dev', { taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
      const vpc = web.node.scope!.node.findChild('Network') as FintechVpc;
      template.hasResourceProperties('AWS::ECS::Service', {
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ Subnets: vpc.isolatedSubnets.map(s => stack.resolve(s.subnetId)) }) },
      });
    });

    test.each([
      [{ desiredCount: 5, minCapacity: 1, maxCapacity: 4 }, 'desiredCount 5 is outside minCapacity 1 to maxCapacity 4'],
      [{ desiredCount: 1, minCapacity: 2, maxCapacity: 4 }, 'desiredCount 1 is outside minCapacity 2 to maxCapacity 4, so auto scaling would change it at once'],
      [{ minCapacity: 5, maxCapacity: 3 }, 'minCapacity 5 is above maxCapacity 3; raise maxCapacity or lower minCapacity.'],
      [{ desiredCount: 0 }, 'desiredCount 0 must be a whole number of at least 1'],
      [{ maxCapacity: 2.5 }, 'maxCapacity 2.5 must be a whole number of at least 1'],
    ])('task counts %j', (props, message) => {
      expect(() => webIn('dev', props)).toThrow(`FargateWebService at dev/Workload/Web: ${message}`);
    });

    test.each([
      [{ cpu: 256, memoryLimitMiB: 4096 }, 'Fargate does not run a task of cpu 256 and memoryLimitMiB 4096; with cpu 256 use memoryLimitMiB from 512 to 2048 in steps of 512'],
      [{ cpu: 1024, memoryLimitMiB: 1024 }, 'with cpu 1024 use memoryLimitMiB from 2048 to 8192 in steps of 1024'],
      [{ cpu: 3000 }, 'Fargate does not run a task of cpu 3000 and memoryLimitMiB 1024; use cpu 256, 512, 1024, 2048, 4096, 8192, 16384'],
    ])('a task size Fargate refuses %j', (props, message) => {
      expect(() => webIn('dev', props)).toThrow(message);
    });

    test('a container port outside 1-65535 and a health check path without a slash', () => {
      expect(() => webIn('dev', { containerPort: 70000 })).toThrow('containerPort 70000 is not a TCP port from 1 to 65535');
      expect(() => webIn('dev', { healthCheckPath: 'health' })).toThrow('healthCheckPath "health" must start with \'/\'');
    });

    test('a VPC with public subnets in one zone only', () => {
      const stack = stackIn(testApp(), 'dev');
      const vpc = new FintechVpc(stack, 'Network', { maxAzs: 1 });
      expect(() => serviceIn(stack, { vpc })).toThrow('FargateWebService at dev/Workload/Web: the VPC has public subnets in 1 availability zone, ' +
        'but a load balancer needs two; give the VPC at least two zones (FintechVpc maxAzs of 2 or more).');
    });

    test('a stack without a region', () => {
      const stack = new Stack(testApp(), 'Agnostic');
      expect(() => serviceIn(stack)).toThrow('FargateWebService at Agnostic/Web: the stack has no region, but the bucket policy of the load balancer\'s access logs depends on it; ' +
        'give the stack (or its FintechStage environment) a region.');
    });

    test('bad monitoring thresholds name the construct', () => {
      expect(() => webIn('dev', { monitoring: { loadBalancerErrorRatePercent: 0 } }))
        .toThrow('FargateWebService at dev/Workload/Web: monitoring.loadBalancerErrorRatePercent 0 is not a percentage above 0 and at most 100');
    });
  });
});
