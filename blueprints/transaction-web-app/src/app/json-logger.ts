/** Where log lines go: standard output by default, which the container's log driver ships to CloudWatch Logs. */
export type LogSink = (line: string) => void;

/**
 * Structured logs: one JSON object per line with `level`, `message`, `timestamp`, the logger's fields and the call's
 * fields, so CloudWatch Logs Insights can filter on any of them. Errors are logged with their name, message and stack.
 */
export class JsonLogger {
  constructor(
    private readonly fields: Record<string, unknown> = {},
    private readonly sink: LogSink = line => process.stdout.write(`${line}\n`),
  ) {}

  /** A logger that adds `fields` to every line. */
  public child(fields: Record<string, unknown>): JsonLogger {
    return new JsonLogger({ ...this.fields, ...fields }, this.sink);
  }

  public info(message: string, fields: Record<string, unknown> = {}): void {
    this.write('INFO', message, fields);
  }

  public warn(message: string, fields: Record<string, unknown> = {}): void {
    this.write('WARN', message, fields);
  }

  public error(message: string, error?: unknown, fields: Record<string, unknown> = {}): void {
    this.write('ERROR', message, { ...fields, ...(error === undefined ? {} : { error: describe(error) }) });
  }

  private write(level: string, message: string, fields: Record<string, unknown>): void {
    this.sink(JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...this.fields, ...fields }));
  }
}

function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(code === undefined ? {} : { code }), stack: error.stack };
}
