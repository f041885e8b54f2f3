import * as fs from 'fs';
import * as path from 'path';
import { Component, Project } from 'projen';

/**
 * `projen new --from` first installs this package alone, and npm auto-installs its peer
 * aws-cdk-lib at the newest version. Downgrading that tree to the pinned version in place leaves
 * aws-cdk-lib's nested `@aws-cdk/cloud-assembly-schema` empty (npm 11, measured Nov 2026), so
 * every synth then fails with "Cannot find module '@aws-cdk/cloud-assembly-schema'". Removing the
 * stray copy and npm's hidden lockfile before projen's install gives a clean tree.
 *
 * Runs in projen's `projectCreation` hook: only on `projen new`, after the files are written and
 * before the post-synthesis install; never on later `npx projen` runs.
 */
export class StalePeerCleanup extends Component {
  private readonly pinnedCdkVersion: string;

  constructor(project: Project, pinnedCdkVersion: string) {
    super(project);
    this.pinnedCdkVersion = pinnedCdkVersion;
  }

  public projectCreation(): void {
    removeStalePeerInstall(this.project.outdir, this.pinnedCdkVersion);
  }
}

/** @returns whether anything was removed */
export function removeStalePeerInstall(outdir: string, pinnedCdkVersion: string): boolean {
  const nodeModules = path.join(outdir, 'node_modules');
  const installed = readVersion(path.join(nodeModules, 'aws-cdk-lib', 'package.json'));
  if (installed === undefined || installed === pinnedCdkVersion) return false;
  for (const stale of ['aws-cdk-lib', '@aws-cdk', '.package-lock.json']) {
    fs.rmSync(path.join(nodeModules, stale), { recursive: true, force: true });
  }
  return true;
}

function readVersion(manifest: string): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(manifest, 'utf-8')).version;
  } catch {
    return undefined;
  }
}
