import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { typescript } from 'projen';

/** A plain projen TypeScript project in a fresh temporary folder, for components tested on their own. */
export function typescriptProject(options: Partial<typescript.TypeScriptProjectOptions> = {}): typescript.TypeScriptProject {
  return new typescript.TypeScriptProject({
    name: 'ledger-tools',
    defaultReleaseBranch: 'main',
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'projen-component-')),
    ...options,
  });
}
