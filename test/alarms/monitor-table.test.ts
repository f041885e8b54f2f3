import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { monitorTable, tableSystemErrors, tableThrottles } from '../../src/alarms/monitor-table';
import { stackIn, testApp } from '../support/fintech-fixture';

describe('monitorTable', () => {
  test('works on a plain table: throttles and system errors', () => {
    const stack = stackIn(testApp(), 'dev');
    const table = new dynamodb.Table(stack, 'Entries', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const alarms = monitorTable(table, table);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    expect(alarms.throttles.node.path).toBe('dev/Workload/Entries/ThrottlesAlarm');
    expect(alarms.systemErrors.node.path).toBe('dev/Workload/Entries/SystemErrorsAlarm');
  });

  test('system errors stay within the 10 metrics a math alarm may use, each filled with 0', () => {
    const stack = stackIn(testApp(), 'dev');
    const table = new dynamodb.Table(stack, 'Entries', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const errors = tableSystemErrors(table);
    expect(Object.keys(errors.usingMetrics)).toHaveLength(10);
    expect(errors.expression.split(' + ').every(term => /^FILL\([a-z]+, 0\)$/.test(term))).toBe(true);
    expect(tableThrottles(table).expression).toBe('FILL(readThrottles, 0) + FILL(writeThrottles, 0)');
  });
});
