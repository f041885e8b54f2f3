import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { CURRENT_LAMBDA_NODE_RUNTIME, CURRENT_SYNTHETICS_NODE_RUNTIME } from '../../src/facts/current-runtimes';
import { DEPRECATED_LAMBDA_RUNTIMES, DEPRECATED_SYNTHETICS_RUNTIMES } from '../../src/facts/deprecated-runtimes';

/** The runtimes a `Runtime` class of aws-cdk-lib declares, by identifier. */
function cdkRuntimes<T extends { name: string }>(runtimes: object, isRuntime: (value: unknown) => value is T): Map<string, T> {
  return new Map(Object.values(runtimes).filter(isRuntime).map(runtime => [runtime.name, runtime]));
}

const CDK_LAMBDA = cdkRuntimes(lambda.Runtime, (v): v is lambda.Runtime => v instanceof lambda.Runtime);
const CDK_SYNTHETICS = cdkRuntimes(synthetics.Runtime, (v): v is synthetics.Runtime => v instanceof synthetics.Runtime);

/** The numeric version of an identifier, e.g. [13, 0] for syn-nodejs-puppeteer-13.0 or [24] for nodejs24.x. */
function version(name: string): number[] {
  return (name.match(/\d+(\.\d+)*/)?.[0] ?? '').split('.').map(Number);
}

function newer(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return false;
}

describe('CURRENT_LAMBDA_NODE_RUNTIME', () => {
  test('is a Node.js runtime aws-cdk-lib offers, with inline code support as TracedFunction declares it', () => {
    const runtime = CDK_LAMBDA.get(CURRENT_LAMBDA_NODE_RUNTIME);
    expect(runtime?.family).toBe(lambda.RuntimeFamily.NODEJS);
    expect(runtime?.supportsInlineCode).toBe(true);
  });

  test('is not deprecated', () => {
    expect(DEPRECATED_LAMBDA_RUNTIMES.map(r => r.name)).not.toContain(CURRENT_LAMBDA_NODE_RUNTIME);
  });

  test('is no older than aws-cdk-lib\'s NODEJS_LATEST', () => {
    expect(newer(version(lambda.Runtime.NODEJS_LATEST.name), version(CURRENT_LAMBDA_NODE_RUNTIME))).toBe(false);
  });
});

describe('CURRENT_SYNTHETICS_NODE_RUNTIME', () => {
  test('is a Node.js Puppeteer runtime aws-cdk-lib offers', () => {
    expect(CURRENT_SYNTHETICS_NODE_RUNTIME).toMatch(/^syn-nodejs-puppeteer-\d+\.\d+$/);
    expect(CDK_SYNTHETICS.get(CURRENT_SYNTHETICS_NODE_RUNTIME)?.family).toBe(synthetics.RuntimeFamily.NODEJS);
  });

  test('is not deprecated', () => {
    expect(DEPRECATED_SYNTHETICS_RUNTIMES.map(r => r.name)).not.toContain(CURRENT_SYNTHETICS_NODE_RUNTIME);
  });

  test('is the newest Node.js Puppeteer runtime aws-cdk-lib offers', () => {
    const puppeteer = [...CDK_SYNTHETICS.keys()].filter(name => name.startsWith('syn-nodejs-puppeteer-'));
    expect(puppeteer.length).toBeGreaterThan(1);
    expect(puppeteer.filter(name => newer(version(name), version(CURRENT_SYNTHETICS_NODE_RUNTIME)))).toEqual([]);
  });
});
