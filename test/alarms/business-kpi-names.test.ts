import * as fs from 'fs';
import * as path from 'path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import * as ts from 'typescript';
import { PAYMENT_KPI_STAGE_VARIABLE, PaymentKpiDimension, PaymentKpiMetric } from '../../src/alarms/business-kpi-names';

describe('payment KPI names', () => {
  test('import nothing, so a Lambda bundle can load them without aws-cdk-lib', () => {
    const file = path.join(__dirname, '..', '..', 'src', 'alarms', 'business-kpi-names.ts');
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.Latest, true);
    expect(source.statements.filter(statement => ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement))).toEqual([]);
  });

  test('the metric names, which deployed handlers and alarms both depend on, stay as published', () => {
    expect({ ...PaymentKpiMetric }).toEqual({
      SUCCEEDED: 'PaymentSucceeded', FAILED: 'PaymentFailed', AMOUNT: 'PaymentAmount', FRAUD_TRIGGERED: 'FraudTriggered',
    });
    expect({ ...PaymentKpiDimension }).toEqual({ SERVICE: 'service', STAGE: 'stage', CURRENCY: 'currency' });
    expect(PAYMENT_KPI_STAGE_VARIABLE).toMatch(/^[A-Z_][A-Z0-9_]*$/);
  });

  test('the service dimension is the one Powertools Metrics adds by itself', () => {
    // Powertools prints nothing when these say so; a developer's shell must not decide the test.
    delete process.env.POWERTOOLS_DEV;
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    let printed = '';
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += chunk.toString();
      return true;
    });
    try {
      new Metrics({ namespace: 'ledger', serviceName: 'payments' }).addMetric('Probe', 'Count', 1).publishStoredMetrics();
    } finally {
      write.mockRestore();
    }
    const record = JSON.parse(printed.trim());
    expect(record._aws.CloudWatchMetrics[0].Dimensions).toEqual([[PaymentKpiDimension.SERVICE]]);
    expect(record[PaymentKpiDimension.SERVICE]).toBe('payments');
  });
});
