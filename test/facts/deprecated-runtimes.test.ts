import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { DEPRECATED_LAMBDA_RUNTIMES, DEPRECATED_SYNTHETICS_RUNTIMES, DeprecatedRuntime } from '../../src/facts/deprecated-runtimes';

const CDK = path.dirname(require.resolve('aws-cdk-lib'));

/** Every runtime identifier a `Runtime` class of aws-cdk-lib declares, and whether its declaration is `@deprecated`. */
function cdkRuntimes(declarationFile: string, runtimes: { [member: string]: unknown }): Map<string, boolean> {
  const declarations = fs.readFileSync(path.join(CDK, declarationFile), 'utf-8');
  const result = new Map<string, boolean>();
  for (const match of declarations.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/)?\s*static readonly (\w+): Runtime;/g)) {
    const runtime = runtimes[match[2]] as { name: string };
    if (!result.get(runtime.name)) result.set(runtime.name, (match[1] ?? '').includes('@deprecated'));
  }
  return result;
}

const CDK_LAMBDA = cdkRuntimes('aws-lambda/lib/runtime.d.ts', lambda.Runtime as unknown as { [member: string]: unknown });
const CDK_SYNTHETICS = cdkRuntimes('aws-synthetics/lib/runtime.d.ts', synthetics.Runtime as unknown as { [member: string]: unknown });

function names(runtimes: readonly DeprecatedRuntime[], sourcePrefix?: string): string[] {
  return runtimes.filter(r => sourcePrefix === undefined || r.source.startsWith(sourcePrefix)).map(r => r.name).sort();
}

describe.each([
  ['Lambda', DEPRECATED_LAMBDA_RUNTIMES, CDK_LAMBDA, 'aws-cdk-lib 2.257 lambda.Runtime', /^(nodejs|python|java|dotnet|go|ruby|provided)/],
  ['Synthetics', DEPRECATED_SYNTHETICS_RUNTIMES, CDK_SYNTHETICS, 'aws-cdk-lib 2.257 synthetics.Runtime', /^syn-/],
])('%s deprecated runtimes', (_kind, deprecated, cdk, cdkSource, family) => {
  test('every entry says where it is written down: an aws-cdk-lib version, or an AWS page and the month it was checked', () => {
    for (const runtime of deprecated) {
      expect(runtime.source).toMatch(/^aws-cdk-lib 2\.\d+ \w+\.Runtime @deprecated$|\(https:\/\/docs\.aws\.amazon\.com\/[^)]+\), checked \d{4}-\d{2}$/);
    }
  });

  test('names are unique, lower case as CloudFormation writes them (the rule looks them up lower-cased), and of the family', () => {
    const all = deprecated.map(r => r.name);
    expect(new Set(all).size).toBe(all.length);
    for (const name of all) {
      expect(name).toBe(name.toLowerCase());
      expect(name).toMatch(family);
    }
  });

  test('lists exactly the runtimes aws-cdk-lib marks @deprecated under that source', () => {
    const markedByCdk = [...cdk].filter(([, isDeprecated]) => isDeprecated).map(([name]) => name).sort();
    expect(names(deprecated, cdkSource)).toEqual(markedByCdk);
  });

  test('an entry from the AWS pages is one aws-cdk-lib does not mark, or does not offer at all', () => {
    const fromAws = deprecated.filter(r => !r.source.startsWith(cdkSource));
    expect(fromAws.length).toBeGreaterThan(0);
    for (const runtime of fromAws) expect([runtime.name, cdk.get(runtime.name) ?? false]).toEqual([runtime.name, false]);
  });
});

describe('DEPRECATED_LAMBDA_RUNTIMES', () => {
  test('includes Node.js 20 (end of life 2026-04-30) but not java8.al2, which only shares a name prefix with java8', () => {
    expect(names(DEPRECATED_LAMBDA_RUNTIMES)).toContain('nodejs20.x');
    expect(names(DEPRECATED_LAMBDA_RUNTIMES)).toContain('java8');
    expect(names(DEPRECATED_LAMBDA_RUNTIMES)).not.toContain('java8.al2');
  });

  test('leaves at least one supported runtime in every family aws-cdk-lib offers', () => {
    const deprecated = new Set(names(DEPRECATED_LAMBDA_RUNTIMES));
    for (const family of ['nodejs', 'python', 'java', 'dotnet', 'ruby', 'provided']) {
      const supported = [...CDK_LAMBDA.keys()].filter(name => name.startsWith(family) && !deprecated.has(name));
      expect([family, supported.length > 0]).toEqual([family, true]);
    }
    expect(deprecated.has(lambda.Runtime.NODEJS_LATEST.name)).toBe(false);
  });
});
