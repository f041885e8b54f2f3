// What the stack gives the migration function in Lambda; imported first by the handler tests.
process.env.AWS_REGION = 'eu-west-1';
process.env.POWERTOOLS_SERVICE_NAME = 'transaction-web-app';
// No X-Ray daemon in tests; POWERTOOLS_DEV prints logs through the global console, where tests read them.
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_DEV = 'true';

/** A Lambda context good enough for Powertools. */
export const context = {
  functionName: 'schema-migration',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:schema-migration',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/schema-migration',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

// Powertools logs with console.info/warn/error: collect the lines instead of cluttering the output.
let logged: string[] = [];
beforeEach(() => {
  logged = [];
  for (const level of ['log', 'debug', 'info', 'warn', 'error'] as const) {
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
