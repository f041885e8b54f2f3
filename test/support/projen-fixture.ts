import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { awscdk, typescript } from 'projen';
import { CDK_VERSION } from '../../src/project/versions';

/** A plain projen TypeScript project in a fresh temporary folder, for components tested on their own. */
export function typescriptProject(options: Partial<typescript.TypeScriptProjectOptions> = {}): typescript.TypeScriptProject {
  return new typescript.TypeScriptProject({
    name: 'ledger-tools',
    defaultReleaseBranch: 'main',
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'projen-component-')),
    ...options,
  });
}

/** A plain projen CDK app (no FintechCdkApp, no samples) in a fresh temporary folder, for components that need its cdk tasks. */
export function cdkAppProject(options: Partial<awscdk.AwsCdkTypeScriptAppOptions> = {}): awscdk.AwsCdkTypeScriptApp {
  return new awscdk.AwsCdkTypeScriptApp({
    name: 'ledger',
    defaultReleaseBranch: 'main',
    cdkVersion: CDK_VERSION,
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'projen-component-')),
    sampleCode: false,
    ...options,
  });
}
