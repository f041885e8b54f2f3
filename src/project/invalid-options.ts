/**
 * Thrown by the `FintechCdkApp` constructor, before anything is written, when options are invalid. The message is the
 * whole story (every option, its value, what is wrong and the fix), so `stack` is the message alone: `projen new` prints
 * an unknown error's `stack` (projen's own CliError is another class when projen is a second copy), and a user-facing
 * configuration error gains nothing from a trace into this package.
 */
export class InvalidOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOptionsError';
    Object.defineProperty(this, 'stack', { value: message, enumerable: false });
  }
}

/**
 * `npx projen` runs `.projenrc.ts` as the main module of a child process, where node prints an uncaught error with its
 * source line and properties around it. Registered once when this package is loaded by such a run: an
 * `InvalidOptionsError` is printed as its message alone and the process exits 1; any other error is printed as node does.
 */
export function printInvalidOptionsCleanlyInProjenrc(): void {
  const main = require.main?.filename ?? process.argv[1] ?? '';
  if (!/[\\/]\.projenrc\.(ts|js)$/.test(main) || process.listeners('uncaughtException').includes(onUncaught)) return;
  process.on('uncaughtException', onUncaught);
}

function onUncaught(error: unknown): void {
  process.stderr.write(error instanceof InvalidOptionsError ? `\n${error.message}\n\n` : `${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}
