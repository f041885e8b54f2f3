import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FintechCdkApp, FintechCdkAppOptions } from '../../src/project/fintech-cdk-app';
import * as versions from '../../src/project/versions';

/** A fresh temporary folder for one generated project. */
export function projectOutdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-cdk-app-'));
}

/** A FintechCdkApp as a `.projenrc.ts` would declare it, in a fresh temporary folder. */
export function newProject(overrides: Partial<FintechCdkAppOptions> = {}): FintechCdkApp {
  return new FintechCdkApp({
    name: '@acme/ledger-service',
    defaultReleaseBranch: 'main',
    cdkVersion: versions.CDK_VERSION,
    team: 'payments',
    costCenter: 'cc-42',
    alarmEmail: 'oncall@example.com',
    outdir: projectOutdir(),
    ...overrides,
  });
}

/**
 * What `projen new --from fintech-infra-template --team=payments ...` passes: projen's own default for the required
 * cdkVersion, and its arguments under `__new__`, from which projen's projenrc component writes .projenrc.ts.
 */
export function creating(outdir: string): FintechCdkApp {
  const args = { name: 'ledger', defaultReleaseBranch: 'main', cdkVersion: '2.1.0', team: 'payments', costCenter: 'cc-42', alarmEmail: 'oncall@example.com', projenrcTs: true };
  return new FintechCdkApp({
    ...args,
    outdir,
    __new__: { fqn: 'projen.awscdk.AwsCdkTypeScriptApp', args, comments: 'none', synth: true, post: false },
  } as FintechCdkAppOptions);
}
