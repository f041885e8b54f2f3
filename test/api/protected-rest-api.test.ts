import { App, CfnElement, Duration, Stack, Stage, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { ApiGatewayAccountSetting } from '../../src/api/api-gateway-account-setting';
import { DataKey } from '../../src/encryption/data-key';
import { UnmonitoredResource } from '../../src/rules/cloudwatch/unmonitored-resource';
import { stackIn, synthReport, testApp } from '../support/fintech-fixture';
import { api, MOCK } from '../support/rest-api-fixture';

function webAclRules(template: Template): any[] {
  const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
  return acl.Properties.Rules;
}

describe('ProtectedRestApi', () => {
  test('a regional API named by PhysicalName with one stage named after the environment, traced, metered and throttled', () => {
    const stack = stackIn(testApp(), 'prod');
    const created = api(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'ledger-payments-api-prod', EndpointConfiguration: { Types: ['REGIONAL'] } });
    template.resourceCountIs('AWS::ApiGateway::Stage', 1);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      MethodSettings: [Match.objectLike({ ResourcePath: '/*', HttpMethod: '*', MetricsEnabled: true, ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 })],
    });
    expect(created.stageName).toBe('prod');
    template.hasOutput('*', { Value: stack.resolve(created.url) });
  });

  test('writes JSON access logs with the fields an investigation needs to a KMS-encrypted log group kept a year', () => {
    const stack = stackIn(testApp(), 'prod');
    const created = api(stack);
    const template = Template.fromStack(stack);
    const keyArn = stack.resolve(created.accessLogKey.keyArn);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: 'ledger-payments-api-access-logs-prod', KmsKeyId: keyArn, RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
    const [stage] = Object.values(template.findResources('AWS::ApiGateway::Stage'));
    expect(stage.Properties.AccessLogSetting.DestinationArn).toEqual(stack.resolve(created.accessLogGroup.logGroupArn));
    expect(JSON.parse(stage.Properties.AccessLogSetting.Format)).toEqual(expect.objectContaining({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      caller: '$context.identity.caller',
      user: '$context.identity.user',
      requestTime: '$context.requestTime',
      httpMethod: '$context.httpMethod',
      resourcePath: '$context.resourcePath',
      status: '$context.status',
      protocol: '$context.protocol',
      responseLength: '$context.responseLength',
      integrationError: '$context.integrationErrorMessage',
      wafResponseCode: '$context.wafResponseCode',
    }));
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:123456789012:log-group:ledger-payments-api-access-logs-prod']] } } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-payments-api-access-logs-prod' });
  });

  test('the access log group is destroyed with an ephemeral stage, and its stage is named after that environment', () => {
    const stack = stackIn(testApp(), 'dev');
    api(stack);
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: { LogGroupName: 'ledger-payments-api-access-logs-dev' } });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'dev' });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'ledger-payments-api-dev' });
  });

  // ApiGatewayAccountSetting's own behaviour (one per stage and region, its role, its removal policy) is in api-gateway-account-setting.test.ts.
  describe('the account CloudWatch role access logging needs', () => {
    test('every API stage depends on the account setting, so access logging works on the first deploy', () => {
      const stack = stackIn(testApp(), 'dev');
      const first = api(stack, {}, 'PaymentsApi');
      const second = api(stack, {}, 'RefundsApi');
      const setting = ApiGatewayAccountSetting.of(stack);
      for (const created of [first, second]) {
        expect(created.deploymentStage.node.dependencies).toContain(setting.cfnAccount);
      }
      // A stage added later by the user waits for the setting too (RestApiBase's cloudWatchAccount).
      const extra = new apigateway.Stage(first, 'Canary', { deployment: first.latestDeployment!, stageName: 'canary' });
      expect(extra.node.dependencies).toContain(setting.cfnAccount);
    });

    test('cloudWatchRole: false leaves the account setting to the account baseline', () => {
      const stack = stackIn(testApp(), 'dev');
      const created = api(stack, { cloudWatchRole: false });
      Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::Account', 0);
      expect(Stage.of(stack)!.node.tryFindChild('ApiGatewayAccount')).toBeUndefined();
      expect(created.deploymentStage.node.dependencies).toEqual([]);
    });
  });

  test('a regional web ACL with the managed rule groups and a per-IP rate rule, visible in metrics, on the stage', () => {
    const stack = stackIn(testApp(), 'prod');
    const created = api(stack);
    const template = Template.fromStack(stack);
    const visible = (metricName: string) => ({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: metricName });
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Name: 'ledger-payments-api-waf-prod',
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: visible('ledger-payments-api-waf-prod'),
    });
    expect(webAclRules(template)).toEqual([
      {
        Name: 'RateLimitPerIp',
        Priority: 0,
        Action: { Block: {} },
        Statement: { RateBasedStatement: { Limit: 600, EvaluationWindowSec: 60, AggregateKeyType: 'IP' } },
        VisibilityConfig: visible('ledger-payments-api-waf-prod-rate-limit-per-ip'),
      },
      ...['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'].map((name, index) => ({
        Name: `AWS-${name}`,
        Priority: index + 1,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name } },
        VisibilityConfig: visible(`ledger-payments-api-waf-prod-${name}`),
      })),
    ]);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: stack.resolve(created.deploymentStage.stageArn),
      WebACLArn: stack.resolve(created.webAcl.attrArn),
    });
    expect(created.webAclName).toBe('ledger-payments-api-waf-prod');
  });

  test('throttling, per-IP rate, window and retention follow the props', () => {
    const stack = stackIn(testApp(), 'dev');
    const created = api(stack, {
      rateLimit: 25,
      burstLimit: 50,
      requestsPerSecondPerIp: 0.5,
      rateEvaluationWindow: Duration.minutes(5),
      accessLogRetention: logs.RetentionDays.THREE_MONTHS,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', { MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 })] });
    expect(webAclRules(template)[0].Statement.RateBasedStatement).toEqual({ Limit: 150, EvaluationWindowSec: 300, AggregateKeyType: 'IP' });
    expect(created.rateLimitPerWindow).toBe(150);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('the smallest per-second figure WAF accepts in a 60-second window is allowed', () => {
    const created = api(stackIn(testApp(), 'dev'), { requestsPerSecondPerIp: 10 / 60 });
    expect(created.rateLimitPerWindow).toBe(10);
  });

  test('adds more AWS managed rule groups after the base ones', () => {
    const stack = stackIn(testApp(), 'dev');
    api(stack, { additionalManagedRuleGroups: ['AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesLinuxRuleSet'] });
    expect(webAclRules(Template.fromStack(stack)).slice(4).map(rule => [rule.Priority, rule.Statement.ManagedRuleGroupStatement.Name]))
      .toEqual([[4, 'AWSManagedRulesSQLiRuleSet'], [5, 'AWSManagedRulesLinuxRuleSet']]);
  });

  test('a shared DataKey encrypts the access logs instead of a new key', () => {
    const stack = stackIn(testApp(), 'prod');
    const key = new DataKey(stack, 'Shared', { aliasBase: 'shared' });
    const created = api(stack, { dataKey: key });
    const template = Template.fromStack(stack);
    // The only other key is the stage alert topic's, which the API's alarms publish to.
    expect(Object.keys(template.findResources('AWS::KMS::Key')).filter(id => !id.startsWith('FintechAlerts'))).toEqual([stack.getLogicalId(key.key.node.defaultChild as CfnElement)]);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: stack.resolve(key.key.keyArn) });
    expect(created.accessLogKey).toBe(key.key);
  });

  test('nameBase names the API, web ACL and log group', () => {
    const stack = stackIn(testApp(), 'dev');
    api(stack, { nameBase: 'webhooks' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'ledger-webhooks-dev' });
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Name: 'ledger-webhooks-waf-dev' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'ledger-webhooks-access-logs-dev' });
  });

  test('methods added after construction change the deployment, so every change is redeployed', () => {
    const deploymentIds = (extra: boolean) => {
      const stack = stackIn(testApp(), 'dev');
      const created = api(stack);
      if (extra) created.root.addResource('payments').addMethod('POST', MOCK);
      const template = Template.fromStack(stack);
      return { ids: Object.keys(template.findResources('AWS::ApiGateway::Deployment')), resources: template.findResources('AWS::ApiGateway::Deployment') };
    };
    const plain = deploymentIds(false);
    const extended = deploymentIds(true);
    expect(plain.ids).toHaveLength(1);
    expect(extended.ids).toHaveLength(1);
    expect(extended.ids[0]).not.toEqual(plain.ids[0]);
    expect(Object.values(extended.resources)[0].DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^PaymentsApipaymentsPOST/)]));
  });

  test('addHealthRoute answers GET with 200 and {"status": "ok"} from API Gateway itself, and gives its URL on the stage', () => {
    const stack = stackIn(testApp(), 'dev');
    const created = api(stack);
    const url = created.addHealthRoute();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'health' });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      Integration: {
        Type: 'MOCK',
        PassthroughBehavior: 'NEVER',
        RequestTemplates: { 'application/json': '{"statusCode": 200}' },
        IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: { 'application/json': '{"status": "ok"}' } }],
      },
      MethodResponses: [{ StatusCode: '200' }],
    });
    expect(stack.resolve(url)['Fn::Join'][1].slice(-3)).toEqual(['/', { Ref: stack.getLogicalId(created.deploymentStage.node.defaultChild as CfnElement) }, '/health']);
  });

  test('addHealthRoute refuses a path of more than one part, naming the API', () => {
    const created = api(stackIn(testApp(), 'dev'));
    expect(() => created.addHealthRoute('status/live')).toThrow(
      `ProtectedRestApi at ${created.node.path}: addHealthRoute path "status/live" is not one path part; use letters, digits, '.', '_' or '-', e.g. 'health'.`);
  });

  test('custom domain names accept TLS 1.2 and newer unless told otherwise', () => {
    const stack = stackIn(testApp(), 'dev');
    const created = api(stack);
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
    created.addDomainName('Domain', { domainName: 'api.example.com', certificate });
    created.addDomainName('Tls13', {
      domainName: 'api13.example.com', certificate, securityPolicy: apigateway.SecurityPolicy.TLS13_1_3_2025_09, endpointAccessMode: apigateway.EndpointAccessMode.STRICT,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'api.example.com', SecurityPolicy: 'TLS_1_2', EndpointConfiguration: { Types: ['REGIONAL'] } });
    template.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'api13.example.com', SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09' });
  });

  test('outside a FintechStage, a given stageName names the stage and names are left to CloudFormation', () => {
    const app = new App();
    const stack = new Stack(app, 'Plain');
    const created = api(stack, { stageName: 'v1', monitoring: { alertTopic: new sns.Topic(stack, 'Pager') } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'v1', TracingEnabled: true });
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Name: Match.absent(), Scope: 'REGIONAL' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.absent(), KmsKeyId: stack.resolve(created.accessLogKey.keyArn) });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } })]) },
    });
    expect(created.webAclName).toBeUndefined();
  });

  test('outside a FintechStage, the fintech:stage context names the stage, alarms page the stack\'s AlertTopic, the access logs follow the durability', () => {
    const app = testApp();
    app.node.setContext('fintech:stage', 'dev');
    const stack = new Stack(app, 'Plain');
    const created = api(stack);
    expect(created.stageName).toBe('dev');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'dev' });
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    expect(created.alarms).toHaveLength(3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topic] });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  test('outside a FintechStage, a given DataKey encrypts the access logs and lets Logs use it', () => {
    const stack = new Stack(testApp(), 'Plain');
    const key = new DataKey(stack, 'Key', { aliasBase: 'api-logs' });
    const created = api(stack, { stageName: 'v1', dataKey: key });
    expect(created.accessLogKey).toBe(key.key);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: stack.resolve(key.key.keyArn) });
    const keyId = stack.getLogicalId(key.key.node.defaultChild as CfnElement);
    expect(JSON.stringify(template.toJSON().Resources[keyId].Properties.KeyPolicy)).toContain('kms:EncryptionContext:aws:logs:arn');
  });

  test('outside a FintechStage without context: retained access logs, one durable-default warning for the stack', () => {
    const stack = new Stack(testApp(), 'Plain');
    api(stack, { stageName: 'v1' });
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('fintech:durable-default'))).toHaveLength(1);
  });

  test('inside a FintechStage, stageName may repeat the environment name', () => {
    expect(api(stackIn(testApp(), 'prod'), { stageName: 'prod' }).stageName).toBe('prod');
  });

  test('alarms on the stage\'s 5XX rate, 4XX rate and p99 latency, routed to the alert topic', () => {
    const stack = stackIn(testApp(), 'prod');
    const created = api(stack);
    const template = Template.fromStack(stack);
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    const routed = { TreatMissingData: 'notBreaching', AlarmActions: [topic], OKActions: [topic] };
    const stage = [{ Name: 'ApiName', Value: 'ledger-payments-api-prod' }, { Name: 'Stage', Value: stack.resolve(created.deploymentStage.stageName) }];
    const rateOf = (metricName: string) => Match.arrayWith([
      Match.objectLike({ Id: 'errors', MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/ApiGateway', MetricName: metricName, Dimensions: stage } }) }),
      Match.objectLike({ Id: 'requests', MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: stage } }) }),
    ]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { ...routed, Threshold: 1, Metrics: rateOf('5XXError') });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { ...routed, Threshold: 10, Metrics: rateOf('4XXError') });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...routed, Namespace: 'AWS/ApiGateway', MetricName: 'Latency', Dimensions: stage, ExtendedStatistic: 'p99', Threshold: 3000,
    });
    expect(created.alarms.map(alarm => alarm.node.path)).toEqual([
      'prod/Workload/PaymentsApi/ServerErrorRate/Alarm', 'prod/Workload/PaymentsApi/ClientErrorRate/Alarm', 'prod/Workload/PaymentsApi/LatencyAlarm',
    ]);
  });

  test('monitoring options set the thresholds and the topic of the stage\'s alarms', () => {
    const stack = stackIn(testApp(), 'dev');
    const pager = new sns.Topic(stack, 'Pager');
    const created = api(stack, {
      monitoring: { serverErrorRatePercent: 0.5, clientErrorRatePercent: 25, p99Latency: Duration.millis(800), alertTopic: pager },
    });
    const pagerRef = stack.resolve(pager.topicArn);
    const template = Template.fromStack(stack);
    const described = (text: string) => Match.stringLikeRegexp(text);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 0.5, AlarmDescription: described('with 5XX') });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 25, AlarmDescription: described('with 4XX') });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', Threshold: 800 });
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [pagerRef], OKActions: [pagerRef] }, 3);
    // No alarm needs the stage alert topic, so none is made.
    template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(created.alarms).toHaveLength(3);
  });

  test('monitoring.enabled false drops the alarms, inside a FintechStage or outside one', () => {
    const stack = stackIn(testApp(), 'dev');
    expect(api(stack, { monitoring: { enabled: false } }).alarms).toEqual([]);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    const plain = new Stack(new App(), 'Plain');
    expect(api(plain, { stageName: 'v1', monitoring: { enabled: false } }).alarms).toEqual([]);
    Template.fromStack(plain).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('the rule pack finds nothing to report in either kind of stage', () => {
    const app = testApp();
    api(stackIn(app, 'dev'));
    api(stackIn(app, 'prod'));
    const { violations } = synthReport(app);
    expect(violations.filter(v => v.severity === 'error' || v.ruleName === UnmonitoredResource.INFO.id).map(v => `${v.ruleName} ${v.constructPath}`)).toEqual([]);
    expect(violations.map(v => `${v.severity} ${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
  });

  describe('bad input fails at synth with the path and the fix', () => {
    test('no FintechStage, no stageName and no fintech:stage context', () => {
      expect(() => api(new Stack(new App(), 'Plain')))
        .toThrow('ProtectedRestApi at Plain/PaymentsApi: the API is not inside a FintechStage and no fintech:stage context is set, so its stage cannot be named after the environment; ' +
          'set stageName, e.g. stageName: \'dev\', set the context (-c fintech:stage=dev), or create it inside a FintechStage.');
    });

    test('a stageName that is not the environment', () => {
      expect(() => api(stackIn(testApp(), 'dev'), { stageName: 'prod' }))
        .toThrow('ProtectedRestApi at dev/Workload/PaymentsApi: stageName "prod" differs from the environment "dev" of its FintechStage; ' +
          'the API stage is named after the environment so each environment has its own. Drop stageName.');
    });

    test('an invalid stage name', () => {
      expect(() => api(new Stack(new App(), 'Plain'), { stageName: 'v 1' }))
        .toThrow('ProtectedRestApi at Plain/PaymentsApi: stageName "v 1" is not a valid API Gateway stage name; use 1-128 letters, digits, hyphens or underscores, e.g. \'dev\'.');
    });

    test('a per-second figure whose WAF limit is below the minimum names the limit and the smallest figure', () => {
      expect(() => api(stackIn(testApp(), 'dev'), { requestsPerSecondPerIp: 0.1 }))
        .toThrow('FintechWebAcl at dev/Workload/PaymentsApi/WebAcl: requestsPerSecondPerIp 0.1 gives a WAF rate limit of 6 requests per 60-second window, ' +
          'below WAF\'s minimum of 10; use requestsPerSecondPerIp of at least 0.17, or a longer rateEvaluationWindow.');
      expect(() => api(stackIn(testApp(), 'dev'), { requestsPerSecondPerIp: 0.03, rateEvaluationWindow: Duration.minutes(5) }))
        .toThrow('requestsPerSecondPerIp 0.03 gives a WAF rate limit of 9 requests per 300-second window, below WAF\'s minimum of 10; use requestsPerSecondPerIp of at least 0.04');
    });

    test('a per-second figure whose WAF limit is above the maximum', () => {
      expect(() => api(stackIn(testApp(), 'dev'), { requestsPerSecondPerIp: 40_000_000 }))
        .toThrow('requestsPerSecondPerIp 40000000 gives a WAF rate limit of 2400000000 requests per 60-second window, above WAF\'s maximum of 2000000000; use at most 33333333.');
    });

    test.each([0, -1, Number.NaN])('requestsPerSecondPerIp %p', perSecond => {
      expect(() => api(stackIn(testApp(), 'dev'), { requestsPerSecondPerIp: perSecond }))
        .toThrow(`FintechWebAcl at dev/Workload/PaymentsApi/WebAcl: requestsPerSecondPerIp ${perSecond} must be a positive number known at synth; use the default 10.`);
    });

    test('a token per-second figure', () => {
      expect(() => api(stackIn(testApp(), 'dev'), { requestsPerSecondPerIp: Token.asNumber({ Ref: 'Rate' }) }))
        .toThrow(/requestsPerSecondPerIp .* must be a positive number known at synth/);
    });

    test('an evaluation window WAF does not accept', () => {
      expect(() => api(stackIn(testApp(), 'dev'), { rateEvaluationWindow: Duration.seconds(30) }))
        .toThrow('FintechWebAcl at dev/Workload/PaymentsApi/WebAcl: rateEvaluationWindow 30 s is not a window WAF accepts; use one of 60, 120, 300, 600 seconds.');
    });

    test.each([0, -5, Number.POSITIVE_INFINITY])('rateLimit %p', rateLimit => {
      expect(() => api(stackIn(testApp(), 'dev'), { rateLimit }))
        .toThrow(`ProtectedRestApi at dev/Workload/PaymentsApi: rateLimit ${rateLimit} must be a positive number of requests per second; use the default 100 or the rate you measured.`);
    });

    test.each([0, 2.5])('burstLimit %p', burstLimit => {
      expect(() => api(stackIn(testApp(), 'dev'), { burstLimit }))
        .toThrow(`ProtectedRestApi at dev/Workload/PaymentsApi: burstLimit ${burstLimit} must be a whole number of at least 1 (0 rejects every request); use the default 200.`);
    });

    test('a managed rule group every API has already', () => {
      expect(() => api(stackIn(testApp(), 'dev'), { additionalManagedRuleGroups: ['AWSManagedRulesCommonRuleSet'] }))
        .toThrow('FintechWebAcl at dev/Workload/PaymentsApi/WebAcl: additionalManagedRuleGroups names AWSManagedRulesCommonRuleSet, but every FintechWebAcl has it already; drop it from additionalManagedRuleGroups.');
    });

    test('a managed rule group listed twice', () => {
      expect(() => api(stackIn(testApp(), 'dev'), { additionalManagedRuleGroups: ['AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesSQLiRuleSet'] }))
        .toThrow('additionalManagedRuleGroups names AWSManagedRulesSQLiRuleSet, but it is listed twice; drop it from additionalManagedRuleGroups.');
    });

    test('a managed rule group name that is not one', () => {
      expect(() => api(stackIn(testApp(), 'dev'), { additionalManagedRuleGroups: ['SQL injection'] }))
        .toThrow('FintechWebAcl at dev/Workload/PaymentsApi/WebAcl: additionalManagedRuleGroups entry "SQL injection" is not a managed rule group name; use a name such as \'AWSManagedRulesSQLiRuleSet\'.');
    });

    test.each([
      [{ serverErrorRatePercent: 0 }, 'monitoring.serverErrorRatePercent 0 is not a percentage above 0 and at most 100; use e.g. 1 for "page when more than 1% fail", or drop it for that default.'],
      [{ clientErrorRatePercent: 150 }, 'monitoring.clientErrorRatePercent 150 is not a percentage above 0 and at most 100; use e.g. 10 for "page when more than 10% fail", or drop it for that default.'],
      [{ p99Latency: Duration.millis(0) }, 'monitoring.p99Latency 0 millis must be above 0; use the default 3 seconds.'],
    ])('monitoring %p', (monitoring, message) => {
      expect(() => api(stackIn(testApp(), 'dev'), { monitoring })).toThrow(`ProtectedRestApi at dev/Workload/PaymentsApi: ${message}`);
    });

  });
});
