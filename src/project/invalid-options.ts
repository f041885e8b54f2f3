/**
 * Stops on invalid project options. Under the projen CLI (`projen new`, or `npx projen`
 * running .projenrc) it prints the message alone and exits 1, so users see the options
 * to fix rather than a stack trace, and nothing has been written yet; everywhere else
 * (tests, programmatic use) it throws.
 */
export function reportInvalidOptions(message: string): never {
  if (runByProjenCli()) {
    process.stderr.write(`\n${message}\n\n`);
    process.exit(1);
  }
  throw new Error(message);
}

function runByProjenCli(): boolean {
  // projen sets this while `projen new` constructs the project; `npx projen` runs .projenrc as the main module.
  if (process.env.PROJEN_CREATE_PROJECT === 'true') return true;
  const main = require.main?.filename ?? process.argv[1] ?? '';
  return /[\\/]\.projenrc\.(ts|js)$/.test(main);
}
