import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FintechPlatformConfig } from '../../src/config/platform-config';
import { CentralMonitoringStack } from '../../src/observability/central-monitoring-stack';
import { FintechChecks } from '../../src/rules/fintech-checks';
import { FintechStage } from '../../src/stage/fintech-stage';
import { CONFIG, synthReport, testApp } from '../support/fintech-fixture';

const MONITORED: FintechPlatformConfig = {
  ...CONFIG,
  monitoring: { account: '210987654321', region: 'eu-central-1' },
  environments: [
    { name: 'dev', account: '111111111111', region: 'eu-west-1', durable: false },
    { name: 'staging', account: '111111111111', region: 'us-east-1', durable: true },
    { name: 'prod', account: '123456789012', region: 'eu-west-1', durable: true },
  ],
};

describe('CentralMonitoringStack', () => {
  test('deploys to the monitoring account and region, with the bus the stages forward to', () => {
    const app = testApp();
    const stack = new CentralMonitoringStack(app, 'CentralMonitoring', { config: MONITORED });
    expect(stack.account).toBe('210987654321');
    expect(stack.region).toBe('eu-central-1');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'ledger-central-monitoring' });
    // The name the stages compute without a lookup is the bus's own.
    const [dev] = FintechStage.fromConfig(app, MONITORED);
    expect(dev.centralMonitoringBusArn).toBe('arn:aws:events:eu-central-1:210987654321:event-bus/ledger-central-monitoring');
  });

  test('lets each environment account put events, once per account, and no other principal', () => {
    const stack = new CentralMonitoringStack(testApp(), 'CentralMonitoring', { config: MONITORED });
    expect(stack.sourceAccounts).toEqual(['111111111111', '123456789012']);
    const policies = Template.fromStack(stack).findResources('AWS::Events::EventBusPolicy');
    const statements = Object.values(policies).map(p => p.Properties.Statement ?? p.Properties);
    const principals = JSON.stringify(statements);
    expect(principals).toContain('111111111111');
    expect(principals).toContain('123456789012');
    expect(principals).not.toContain('"*"');
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toMatch(/"Action":"events:\*"/);
  });

  test('writes every event of the environment accounts into an encrypted log group kept a year, with retries and a dead-letter queue', () => {
    const stack = new CentralMonitoringStack(testApp(), 'CentralMonitoring', { config: MONITORED });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/events/ledger-central-monitoring', RetentionInDays: 365, KmsKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.anyValue(),
      EventPattern: { account: ['111111111111', '123456789012'] },
      Description: Match.stringLikeRegexp('central log group'),
      Targets: [Match.objectLike({
        Arn: Match.anyValue(),
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      })],
    });
  });

  test('is tagged like a stage, as Environment central-monitoring', () => {
    const template = Template.fromStack(new CentralMonitoringStack(testApp(), 'CentralMonitoring', { config: MONITORED }));
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      Tags: Match.arrayWith([{ Key: 'Application', Value: 'ledger' }, { Key: 'DataClassification', Value: 'pci' }, { Key: 'Environment', Value: 'central-monitoring' }]),
    });
  });

  test('passes FintechChecks with no error and no warning', () => {
    const app = testApp();
    const stack = new CentralMonitoringStack(app, 'CentralMonitoring', { config: MONITORED });
    Validations.of(stack).addPlugins(new FintechChecks(stack));
    const findings = synthReport(app).violations.filter(v => v.severity === 'error' || v.severity === 'warning');
    expect(findings.map(v => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });

  test('refuses a configuration without monitoring, or with an invalid one, naming the option and the fix', () => {
    expect(() => new CentralMonitoringStack(testApp(), 'CentralMonitoring', { config: { ...MONITORED, monitoring: undefined } }))
      .toThrow(/CentralMonitoringStack at CentralMonitoring: 1 invalid option:\n {2}- monitoring = undefined: .*none is configured. Fix: set monitoring: \{ account/);
    expect(() => new CentralMonitoringStack(testApp(), 'CentralMonitoring', { config: { ...MONITORED, monitoring: { account: '2109', region: 'eu-central-1' } } }))
      .toThrow(/monitoring.account = "2109": the monitoring account id is exactly 12 digits/);
  });
});
