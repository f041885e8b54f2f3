import { JsonLogger } from '../../src/app/json-logger';

describe('JsonLogger', () => {
  test('writes one JSON object per line with level, message, timestamp and fields', () => {
    const lines: string[] = [];
    const logger = new JsonLogger({ service: 'transaction-api' }, line => lines.push(line));
    logger.info('listening', { port: 8080 });
    logger.warn('slow', { durationMs: 1200 });
    expect(lines.map(line => JSON.parse(line))).toEqual([
      { level: 'INFO', message: 'listening', timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), service: 'transaction-api', port: 8080 },
      { level: 'WARN', message: 'slow', timestamp: expect.any(String), service: 'transaction-api', durationMs: 1200 },
    ]);
  });

  test('errors carry name, message, code and stack; anything else thrown is logged as text', () => {
    const lines: string[] = [];
    const logger = new JsonLogger({}, line => lines.push(line));
    logger.error('query failed', Object.assign(new TypeError('bad'), { code: '22P02' }), { requestId: 'r-1' });
    logger.error('odd throw', 'a string');
    const [first, second] = lines.map(line => JSON.parse(line));
    expect(first).toMatchObject({ level: 'ERROR', message: 'query failed', requestId: 'r-1', error: { name: 'TypeError', message: 'bad', code: '22P02' } });
    expect(first.error.stack).toContain('TypeError: bad');
    expect(second.error).toEqual({ message: 'a string' });
  });

  test('a child adds its fields to every line', () => {
    const lines: string[] = [];
    new JsonLogger({ service: 's' }, line => lines.push(line)).child({ requestId: 'r-2' }).info('hello');
    expect(JSON.parse(lines[0])).toMatchObject({ service: 's', requestId: 'r-2', message: 'hello' });
  });

  test('writes to standard output by default', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      new JsonLogger().info('to stdout');
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/^\{"level":"INFO","message":"to stdout",.*\}\n$/));
    } finally {
      write.mockRestore();
    }
  });
});
