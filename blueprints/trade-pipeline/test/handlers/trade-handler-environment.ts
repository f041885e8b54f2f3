// What TracedFunction and the stack give the handlers in Lambda; imported first by every handler test.
process.env.AWS_REGION = 'eu-west-1';
process.env.POWERTOOLS_SERVICE_NAME = 'trade-pipeline';
process.env.POWERTOOLS_METRICS_NAMESPACE = 'trading';
// No X-Ray daemon in tests; POWERTOOLS_DEV sends logs and metrics through the global console, where tests read them.
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_DEV = 'true';
// Dev mode turns metrics off unless told otherwise; tests assert them.
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
process.env.STAGE_NAME = 'test';
process.env.TRADES_TABLE_NAME = 'trading-trades-test';

/** A Lambda context good enough for Powertools. */
export const context = {
  functionName: 'trade-handler',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:trade-handler',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/trade-handler',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/** A trade every check accepts: a real LEI and ISIN, dated in the past. */
export const TRADE = {
  tradeId: 'T-1001',
  sourceSystem: 'oms-emea',
  counterpartyLei: '5493001KJTIIGC8Y1R12',
  isin: 'US0378331005',
  side: 'BUY',
  quantity: 100,
  price: '187.25',
  currency: 'USD',
  tradeDate: '2026-12-03',
} as const;

/** The EventBridge event a source system puts on the bus for `detail`. */
export function tradeEvent(detail: unknown, id = 'evt-1') {
  return {
    'version': '0',
    id,
    'detail-type': 'TradeSubmitted',
    'source': 'trading.oms',
    'account': '123456789012',
    'time': '2026-12-03T10:00:00Z',
    'region': 'eu-west-1',
    'resources': [],
    detail,
  };
}

// Powertools prints EMF metrics with console.log and logs with console.info/warn/error: collect them instead of cluttering the output.
let printed: string[] = [];
let logged: string[] = [];
beforeEach(() => {
  printed = [];
  logged = [];
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { printed.push(args.map(String).join(' ')); });
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => { logged.push(args.map(String).join(' ')); });
  }
});
afterEach(() => jest.restoreAllMocks());

/** Structured log entries (JSON lines) printed so far in this test. */
export function logEntries(): Array<Record<string, any>> {
  return logged.flatMap(line => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

/** One metric of an EMF line. */
export interface PrintedMetric {
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly value: unknown;
}

/** The result of `run` and the EMF metrics the handler printed while it ran. */
export async function metricsPrinted<T>(run: () => Promise<T>): Promise<{ result: T; metrics: PrintedMetric[] }> {
  const from = printed.length;
  const result = await run();
  const metrics = printed.slice(from).flatMap((line): PrintedMetric[] => {
    let emf;
    try {
      emf = JSON.parse(line);
    } catch {
      return [];
    }
    const definitions = emf._aws?.CloudWatchMetrics?.[0];
    if (!definitions) return [];
    const dimensionNames: string[] = definitions.Dimensions?.[0] ?? [];
    const dimensions = Object.fromEntries(dimensionNames.map(d => [d, emf[d]]));
    return definitions.Metrics.map((m: { Name: string }) => ({ name: m.Name, dimensions, value: emf[m.Name] }));
  });
  return { result, metrics };
}
