// Benchmark: the size of each payment-webhook handler as TracedFunction bundles it (esbuild, minified, `@aws-sdk/*` left to
// the Lambda runtime), with the largest inputs from esbuild's metafile. Prints figures; asserts nothing.
// Goal (issue 7): each handler at most 150 KB minified with Powertools. Usage: npx projen bench:handler-bundles
// Prints both ways TracedFunction can ship Powertools: from AWS's layer (the blueprint's default) and bundled.
import * as path from 'path';
import { buildSync, Metafile } from 'esbuild';

const HANDLERS = path.join(__dirname, '..', 'blueprints', 'payment-webhook', 'src', 'handlers');
const GOAL_BYTES = 150 * 1024;

function bundle(entry: string, external: string[]): Metafile {
  // The options aws-cdk-lib's NodejsFunction passes for TracedFunction's settings (minify, cjs, node target, SDK external).
  const result = buildSync({
    entryPoints: [path.join(HANDLERS, entry)],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    external,
    write: false,
    metafile: true,
    outfile: path.join('/tmp', 'bench-bundles', entry.replace(/\.ts$/, '.js')),
    logLevel: 'silent',
  });
  return result.metafile!;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function report(metafile: Metafile, handler: string): string {
  const [output] = Object.values(metafile.outputs);
  // Bytes each package contributes to the output, largest first.
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const name = match ? match[1] : '(handler code)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const top = [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ');
  return `  ${handler.padEnd(14)} ${kb(output.bytes).padStart(9)}  ${(output.bytes / GOAL_BYTES).toFixed(2)} of the 150 KB goal   largest: ${top}`;
}

const handlers = ['receiver.ts', 'processor.ts', 'audit.ts'];
console.log('bench/handler-bundles: payment-webhook handlers, minified, @aws-sdk/* left to the runtime');
console.log('as the blueprint deploys them (powertoolsLayer: true, @aws-lambda-powertools/* from AWS\'s layer of the pinned version):');
for (const handler of handlers) console.log(report(bundle(handler, ['@aws-sdk/*', '@aws-lambda-powertools/*']), handler));
console.log('with Powertools bundled (powertoolsLayer: false; Tracer brings aws-xray-sdk-core and semver):');
for (const handler of handlers) console.log(report(bundle(handler, ['@aws-sdk/*']), handler));
