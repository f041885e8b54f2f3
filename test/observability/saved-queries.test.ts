import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SavedQueries } from '../../src/observability/saved-queries';
import { stackIn, synthReport, testApp } from '../support/fintech-fixture';

function logGroups(stack: Stack): logs.ILogGroup[] {
  return [
    logs.LogGroup.fromLogGroupName(stack, 'Payments', '/aws/lambda/ledger-payments-prod'),
    logs.LogGroup.fromLogGroupName(stack, 'Api', 'ledger-api-access-prod'),
  ];
}

function queryNamed(template: Template, name: string): any {
  const found = Object.values(template.findResources('AWS::Logs::QueryDefinition')).map(r => r.Properties).find(p => p.Name === name);
  expect(found).toBeDefined();
  return found;
}

describe('SavedQueries', () => {
  test('errors: Powertools ERROR lines and Lambda timeouts, newest first, over the given log groups', () => {
    const stack = stackIn(testApp(), 'prod');
    new SavedQueries(stack, 'Queries', { logGroups: logGroups(stack) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::QueryDefinition', 3);
    const errors = queryNamed(template, 'ledger-queries-prod/Errors');
    expect(errors.QueryString).toBe([
      'fields @timestamp, @log, service, function_name, message, error.name, error.message, xray_trace_id',
      '| filter level = "ERROR" or @message like /Task timed out/',
      '| sort @timestamp desc',
      '| limit 100',
    ].join('\n'));
    expect(errors.LogGroupNames).toEqual(['/aws/lambda/ledger-payments-prod', 'ledger-api-access-prod']);
  });

  test('slow requests: Lambda REPORT durations above one second, slowest first', () => {
    const stack = stackIn(testApp(), 'prod');
    new SavedQueries(stack, 'Queries', { logGroups: logGroups(stack) });
    expect(queryNamed(Template.fromStack(stack), 'ledger-queries-prod/SlowRequests').QueryString).toBe([
      'fields @timestamp, @log, @duration, @message',
      '| filter @duration > 1000',
      '| sort @duration desc',
      '| limit 100',
    ].join('\n'));
  });

  test('failed payments: ERROR lines with a transaction id, counted by transaction id', () => {
    const stack = stackIn(testApp(), 'prod');
    new SavedQueries(stack, 'Queries', { logGroups: logGroups(stack) });
    expect(queryNamed(Template.fromStack(stack), 'ledger-queries-prod/FailedPayments').QueryString).toBe([
      'filter level = "ERROR" and ispresent(transaction_id)',
      '| stats count(*) as failures, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(message) as lastMessage by transaction_id',
      '| sort failures desc',
      '| limit 100',
    ].join('\n'));
  });

  test('threshold, duration field, transaction id field and folder are configurable', () => {
    const stack = stackIn(testApp(), 'dev');
    new SavedQueries(stack, 'Queries', {
      logGroups: logGroups(stack), slowRequestThreshold: Duration.millis(2500), durationField: 'responseLatency', transactionIdField: 'payment.transactionId', nameBase: 'payments',
    });
    const template = Template.fromStack(stack);
    expect(queryNamed(template, 'ledger-payments-dev/SlowRequests').QueryString).toBe([
      'fields @timestamp, @log, responseLatency, @message',
      '| filter responseLatency > 2500',
      '| sort responseLatency desc',
      '| limit 100',
    ].join('\n'));
    expect(queryNamed(template, 'ledger-payments-dev/FailedPayments').QueryString).toContain('by payment.transactionId');
    expect(queryNamed(template, 'ledger-payments-dev/FailedPayments').QueryString).toContain('ispresent(payment.transactionId)');
  });

  test('log groups of the same stack are referenced, not copied', () => {
    const stack = stackIn(testApp(), 'prod');
    const group = new logs.LogGroup(stack, 'Group');
    new SavedQueries(stack, 'Queries', { logGroups: [group] });
    expect(queryNamed(Template.fromStack(stack), 'ledger-queries-prod/Errors').LogGroupNames).toEqual([stack.resolve(group.logGroupName)]);
  });

  test('passes the rule pack', () => {
    const app = testApp();
    const stack = stackIn(app, 'prod');
    new SavedQueries(stack, 'Queries', { logGroups: logGroups(stack) });
    expect(synthReport(app).violations.filter(v => v.severity === 'error')).toEqual([]);
  });

  test('refuses an empty list of log groups', () => {
    expect(() => new SavedQueries(stackIn(testApp(), 'prod'), 'Queries', { logGroups: [] }))
      .toThrow('SavedQueries at prod/Workload/Queries: logGroups is empty, so the queries would search nothing; pass the function and API log groups of the stage, e.g. [fn.logGroup, api.accessLogGroup].');
  });

  test.each([
    ['transactionIdField', { transactionIdField: 'transaction id' }, 'transaction id'],
    ['durationField', { durationField: 'latency | filter 1' }, 'latency | filter 1'],
  ])('refuses a %s that is not a field name', (option, extra, value) => {
    const stack = stackIn(testApp(), 'prod');
    expect(() => new SavedQueries(stack, 'Queries', { logGroups: logGroups(stack), ...extra }))
      .toThrow(`SavedQueries at prod/Workload/Queries: ${option} "${value}" is not a Logs Insights field name; use letters, digits and underscores, dots for nested JSON keys, e.g. "transaction_id" or "payment.id".`);
  });

  test('refuses a threshold of zero', () => {
    const stack = stackIn(testApp(), 'prod');
    expect(() => new SavedQueries(stack, 'Queries', { logGroups: logGroups(stack), slowRequestThreshold: Duration.seconds(0) }))
      .toThrow('SavedQueries at prod/Workload/Queries: slowRequestThreshold 0 seconds would list every request; use a positive duration such as Duration.seconds(1).');
  });
});
