// What TracedFunction and the stack give the handlers in Lambda; imported first by every handler test.
process.env.AWS_REGION = 'eu-west-1';
process.env.POWERTOOLS_SERVICE_NAME = 'payment-webhook';
process.env.POWERTOOLS_METRICS_NAMESPACE = 'payments';
// No X-Ray daemon in tests; POWERTOOLS_DEV sends logs and metrics through the global console, where tests read them.
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_DEV = 'true';
// Dev mode turns metrics off unless told otherwise; tests assert them.
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
process.env.QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/payment-webhook-inbound-test';
process.env.IDEMPOTENCY_TABLE_NAME = 'payment-webhook-idempotency-test';
process.env.PAYMENTS_TABLE_NAME = 'payment-webhook-payments-test';
process.env.SIGNING_SECRET_NAME = 'payment-webhook-signing-secret-test';
process.env.FINTECH_STAGE = 'test';

/** A Lambda context good enough for Powertools. */
export const context = {
  functionName: 'receiver',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:receiver',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/receiver',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

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
afterEach(() => jest.restoreAllMocks());

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
