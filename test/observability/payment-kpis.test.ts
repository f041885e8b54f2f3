import * as fs from 'fs';
import * as path from 'path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import * as ts from 'typescript';
import { PaymentKpiDimension, PaymentKpiMetric } from '../../src/alarms/business-kpi-names';
import { PaymentKpis } from '../../src/observability/payment-kpis';

interface EmfRecord {
  readonly _aws: { readonly CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  readonly [key: string]: unknown;
}

// Powertools Metrics prints one EMF JSON document per line on stdout; capture and parse what `run` prints.
function emfPrintedBy(run: () => void): EmfRecord[] {
  let printed = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += chunk.toString();
    return true;
  });
  try {
    run();
  } finally {
    write.mockRestore();
  }
  return printed.split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line));
}

// Powertools' own checks of metric and dimension names; these tests read the records, not its warnings.
const quietLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function metricsOf(): Metrics {
  return new Metrics({ namespace: 'ledger', serviceName: 'payments', logger: quietLogger });
}

const ENV = process.env;
beforeEach(() => {
  // Powertools reads these when a Metrics is created: a developer's shell must not disable or redirect the output.
  process.env = { ...ENV };
  delete process.env.POWERTOOLS_DEV;
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  delete process.env.FINTECH_STAGE;
});
afterAll(() => {
  process.env = ENV;
});

describe('PaymentKpis', () => {
  test('a successful payment: 1/0/0 counts with service and stage, the amount in minor units with the currency as well', () => {
    const metrics = metricsOf();
    const kpis = new PaymentKpis(metrics, { stage: 'prod' });
    const records = emfPrintedBy(() => {
      kpis.record({ outcome: 'succeeded', amountMinorUnits: 1999, currency: 'EUR' });
      metrics.publishStoredMetrics();
    });
    expect(records).toHaveLength(2);
    const [amount, counts] = records;
    // The amount is its own record, printed at once: its currency dimension stays off the counts.
    expect(amount._aws.CloudWatchMetrics).toEqual([{
      Namespace: 'ledger',
      Dimensions: [['service', 'stage', 'currency']],
      Metrics: [{ Name: 'PaymentAmount', Unit: 'None' }],
    }]);
    expect(amount).toEqual(expect.objectContaining({ service: 'payments', stage: 'prod', currency: 'EUR', PaymentAmount: 1999 }));
    expect(counts._aws.CloudWatchMetrics).toEqual([{
      Namespace: 'ledger',
      Dimensions: [['service', 'stage']],
      Metrics: [{ Name: 'PaymentSucceeded', Unit: 'Count' }, { Name: 'PaymentFailed', Unit: 'Count' }, { Name: 'FraudTriggered', Unit: 'Count' }],
    }]);
    expect(counts).toEqual(expect.objectContaining({ service: 'payments', stage: 'prod', PaymentSucceeded: 1, PaymentFailed: 0, FraudTriggered: 0 }));
    expect(counts).not.toHaveProperty('currency');
    expect(counts).not.toHaveProperty('PaymentAmount');
  });

  test('a failed payment flagged by fraud screening, then a successful one in the same flush', () => {
    const metrics = metricsOf();
    const kpis = new PaymentKpis(metrics, { stage: 'dev' });
    const records = emfPrintedBy(() => {
      kpis.record({ outcome: 'failed', amountMinorUnits: 100, currency: 'USD', fraudTriggered: true });
      kpis.record({ outcome: 'succeeded', amountMinorUnits: 0, currency: 'JPY', fraudTriggered: false });
      metrics.publishStoredMetrics();
    });
    expect(records).toHaveLength(3);
    expect(records[0]).toEqual(expect.objectContaining({ stage: 'dev', currency: 'USD', PaymentAmount: 100 }));
    expect(records[1]).toEqual(expect.objectContaining({ stage: 'dev', currency: 'JPY', PaymentAmount: 0 }));
    expect(records[2]).toEqual(expect.objectContaining({
      service: 'payments', stage: 'dev', PaymentSucceeded: [0, 1], PaymentFailed: [1, 0], FraudTriggered: [1, 0],
    }));
  });

  test('the names it publishes are the ones the alarms select', () => {
    const metrics = metricsOf();
    const kpis = new PaymentKpis(metrics, { stage: 'prod' });
    const records = emfPrintedBy(() => {
      kpis.record({ outcome: 'succeeded', amountMinorUnits: 1, currency: 'EUR' });
      metrics.publishStoredMetrics();
    });
    const names = records.flatMap(record => record._aws.CloudWatchMetrics[0].Metrics.map(metric => metric.Name)).sort();
    expect(names).toEqual(Object.values(PaymentKpiMetric).sort());
    const dimensions = [...new Set(records.flatMap(record => record._aws.CloudWatchMetrics[0].Dimensions.flat()))].sort();
    expect(dimensions).toEqual(Object.values(PaymentKpiDimension).sort());
  });

  test('stage from FINTECH_STAGE (what BusinessKpiAlarms.handlerEnvironment sets) when not passed', () => {
    process.env.FINTECH_STAGE = 'staging';
    const metrics = metricsOf();
    const kpis = new PaymentKpis(metrics);
    expect(kpis.stage).toBe('staging');
    const records = emfPrintedBy(() => {
      kpis.record({ outcome: 'succeeded', amountMinorUnits: 500, currency: 'EUR' });
      metrics.publishStoredMetrics();
    });
    expect(records.map(record => record.stage)).toEqual(['staging', 'staging']);
  });

  test('an explicit stage wins over FINTECH_STAGE', () => {
    process.env.FINTECH_STAGE = 'staging';
    expect(new PaymentKpis(metricsOf(), { stage: 'prod' }).stage).toBe('prod');
  });

  test('refuses to start without a stage', () => {
    expect(() => new PaymentKpis(metricsOf())).toThrow(
      'PaymentKpis: no stage (options.stage unset, FINTECH_STAGE unset), so the alarms would never see these metrics; pass { stage } or give the function BusinessKpiAlarms.handlerEnvironment.');
    process.env.FINTECH_STAGE = ' ';
    expect(() => new PaymentKpis(metricsOf(), { stage: '' })).toThrow(
      'PaymentKpis: no stage (options.stage empty, FINTECH_STAGE empty), so the alarms would never see these metrics; pass { stage } or give the function BusinessKpiAlarms.handlerEnvironment.');
  });

  describe('refuses bad input and publishes nothing of it', () => {
    function rejected(payment: object): { error: string; records: EmfRecord[] } {
      const metrics = metricsOf();
      const kpis = new PaymentKpis(metrics, { stage: 'prod' });
      let error = '';
      const records = emfPrintedBy(() => {
        try {
          kpis.record(payment as any);
        } catch (e) {
          error = (e as Error).message;
        }
        metrics.publishStoredMetrics();
      });
      return { error, records };
    }

    test.each([-1, Number.NaN, 19.99, Number.POSITIVE_INFINITY, '1999'])('amountMinorUnits %p', amountMinorUnits => {
      const { error, records } = rejected({ outcome: 'succeeded', amountMinorUnits, currency: 'EUR' });
      expect(error).toBe(`PaymentKpis: amountMinorUnits ${typeof amountMinorUnits === 'string' ? `"${amountMinorUnits}"` : amountMinorUnits} is not a whole number of minor units of at least 0; pass e.g. 1999 for 19.99 EUR.`);
      expect(records).toEqual([]);
    });

    test.each(['', 'eur', 'EURO', undefined])('currency %p', currency => {
      const { error, records } = rejected({ outcome: 'succeeded', amountMinorUnits: 1999, currency });
      expect(error).toBe(`PaymentKpis: currency ${JSON.stringify(currency)} is not an ISO 4217 code; pass three capital letters, e.g. 'EUR'.`);
      expect(records).toEqual([]);
    });

    test('outcome', () => {
      const { error, records } = rejected({ outcome: 'blocked', amountMinorUnits: 1999, currency: 'EUR' });
      expect(error).toBe("PaymentKpis: outcome \"blocked\" is neither 'succeeded' nor 'failed'; record a payment blocked by fraud screening as 'failed' with fraudTriggered true.");
      expect(records).toEqual([]);
    });
  });

  test('loads nothing but the names module, so handler bundles stay small and free of aws-cdk-lib', () => {
    const file = path.join(__dirname, '..', '..', 'src', 'observability', 'payment-kpis.ts');
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.Latest, true);
    const imports = source.statements.filter(ts.isImportDeclaration).map(statement => (statement.moduleSpecifier as ts.StringLiteral).text);
    expect(imports).toEqual(['../alarms/business-kpi-names']);
  });
});
