import * as fs from 'fs';
import * as path from 'path';
import * as versions from '../../src/project/versions';

// The combination design.md names under "Tooling facts, measured on this registry (Nov 2026)" and "(Dec 2026)".
const DESIGN = {
  awsCdkLib: '2.257.0',
  cdkCli: '2.1148.1',
  typescript: '~5.9.0',
  integRunner: '2.197.10',
  integTestsAlpha: '2.245.0-alpha.0',
  cdkNag: '^3.0.2',
};

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8'));

/** `name@version` specs, split at the last `@` (scoped names start with one). */
function split(spec: string): { name: string; version: string } {
  const at = spec.lastIndexOf('@');
  return { name: spec.slice(0, at), version: spec.slice(at + 1) };
}

function parts(version: string): number[] {
  return version.replace(/^[\^~]/, '').split(/[.-]/).slice(0, 3).map(Number);
}

function allBlueprintDeps(): string[] {
  const { BLUEPRINT_HANDLER_DEPS, BLUEPRINT_TEST_DEPS, TRANSACTION_APP_DEPS, TRANSACTION_APP_TEST_DEPS } = versions;
  return [...BLUEPRINT_HANDLER_DEPS, ...BLUEPRINT_TEST_DEPS, ...TRANSACTION_APP_DEPS, ...TRANSACTION_APP_TEST_DEPS];
}

describe('versions', () => {
  test('pins the combination design.md measured to work together', () => {
    expect({
      awsCdkLib: versions.CDK_VERSION,
      cdkCli: versions.CDK_CLI_VERSION,
      typescript: versions.TYPESCRIPT_VERSION,
      integRunner: versions.INTEG_RUNNER_VERSION,
      integTestsAlpha: versions.INTEG_TESTS_ALPHA_VERSION,
      cdkNag: versions.CDK_NAG_VERSION,
    }).toEqual(DESIGN);
  });

  test('aws-cdk-lib, the CLI, integ-runner and integ-tests-alpha are exact: a range would float to the broken newer releases', () => {
    for (const version of [versions.CDK_VERSION, versions.CDK_CLI_VERSION, versions.INTEG_RUNNER_VERSION, versions.INTEG_TESTS_ALPHA_VERSION]) {
      expect(version).toMatch(/^\d+\.\d+\.\d+(-alpha\.\d+)?$/);
    }
  });

  test('aws-cdk-lib is on the one supported line, which is new enough for cdk-nag 3 and no newer than integ-runner reads', () => {
    expect(versions.CDK_VERSION.startsWith(`${versions.CDK_VERSION_LINE}.`)).toBe(true);
    const [major, minor] = parts(versions.CDK_VERSION);
    // cdk-nag 3.0.2 needs aws-cdk-lib >= 2.257.0; integ-runner 2.197.10 reads assembly schema 53, emitted up to 2.257.x.
    expect(major).toBe(2);
    expect(minor).toBe(257);
  });

  test('the CLI stays on 2.x and TypeScript on 5.9, which ts-node and ts-jest can drive', () => {
    expect(parts(versions.CDK_CLI_VERSION)[0]).toBe(2);
    expect(versions.TYPESCRIPT_VERSION).toMatch(/^~5\.9\./);
  });

  test('generated repos run on Node 20 or newer', () => {
    expect(versions.MIN_NODE_VERSION).toBe('20.0.0');
  });

  test('every blueprint handler dependency of Powertools uses the one POWERTOOLS_VERSION, exactly, so they share one commons copy', () => {
    const powertools = versions.BLUEPRINT_HANDLER_DEPS.map(split).filter(dep => dep.name.startsWith('@aws-lambda-powertools/'));
    expect(powertools.map(dep => dep.name).sort()).toEqual(['batch', 'idempotency', 'logger', 'metrics', 'parameters', 'tracer'].map(p => `@aws-lambda-powertools/${p}`));
    expect(new Set(powertools.map(dep => dep.version))).toEqual(new Set([versions.POWERTOOLS_VERSION]));
    expect(versions.POWERTOOLS_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('the other blueprint dependencies are AWS SDK v3 clients of the one SDK range, and the test dependencies are pinned', () => {
    const others = versions.BLUEPRINT_HANDLER_DEPS.map(split).filter(dep => !dep.name.startsWith('@aws-lambda-powertools/'));
    expect(others.every(dep => dep.name.startsWith('@aws-sdk/') && dep.version === versions.AWS_SDK_VERSION)).toBe(true);
    expect(versions.BLUEPRINT_TEST_DEPS.map(split)).toEqual([
      { name: 'aws-sdk-client-mock', version: versions.AWS_SDK_CLIENT_MOCK_VERSION },
      { name: '@types/aws-lambda', version: versions.AWS_LAMBDA_TYPES_VERSION },
    ]);
  });

  test('the transaction web app pins pg and PGlite exactly and signs IAM tokens with the one SDK range', () => {
    expect(versions.TRANSACTION_APP_DEPS.map(split)).toEqual([
      { name: 'pg', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) },
      { name: '@aws-sdk/rds-signer', version: versions.AWS_SDK_VERSION },
    ]);
    expect(versions.TRANSACTION_APP_TEST_DEPS.map(split)).toEqual([
      { name: '@types/pg', version: expect.stringMatching(/^\^8\./) },
      { name: '@electric-sql/pglite', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) },
    ]);
  });

  test('no blueprint dependency is listed twice', () => {
    const names = allBlueprintDeps().map(spec => split(spec).name);
    expect(new Set(names).size).toBe(names.length);
  });

  test('this package builds, tests and runs the blueprints with the same versions it pins in generated repos', () => {
    const dev = manifest.devDependencies;
    expect(dev['aws-cdk-lib']).toBe(versions.CDK_VERSION);
    expect(dev['@aws-cdk/integ-runner']).toBe(versions.INTEG_RUNNER_VERSION);
    expect(dev['@aws-cdk/integ-tests-alpha']).toBe(versions.INTEG_TESTS_ALPHA_VERSION);
    expect(dev['cdk-nag']).toBe(versions.CDK_NAG_VERSION);
    expect(dev.esbuild).toBe(versions.ESBUILD_VERSION);
    for (const { name, version } of allBlueprintDeps().map(split)) {
      expect(`${name}@${dev[name]}`).toBe(`${name}@${version}`);
    }
  });
});
