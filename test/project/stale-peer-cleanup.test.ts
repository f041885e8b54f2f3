import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { removeStalePeerInstall } from '../../src/project/stale-peer-cleanup';

function projectWith(cdkVersion?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peers-'));
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(modules, '@aws-cdk', 'cloud-assembly-schema'), { recursive: true });
  fs.mkdirSync(path.join(modules, 'projen'), { recursive: true });
  fs.writeFileSync(path.join(modules, '.package-lock.json'), '{}');
  if (cdkVersion) {
    fs.mkdirSync(path.join(modules, 'aws-cdk-lib'));
    fs.writeFileSync(path.join(modules, 'aws-cdk-lib', 'package.json'), JSON.stringify({ version: cdkVersion }));
  }
  return dir;
}

describe('removeStalePeerInstall', () => {
  test('removes an auto-installed newer aws-cdk-lib, its @aws-cdk packages and the hidden lockfile', () => {
    const dir = projectWith('2.276.0');
    expect(removeStalePeerInstall(dir, '2.257.0')).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'node_modules')).sort()).toEqual(['projen']);
  });

  test('leaves the pinned version and projects without aws-cdk-lib alone', () => {
    const pinned = projectWith('2.257.0');
    expect(removeStalePeerInstall(pinned, '2.257.0')).toBe(false);
    expect(fs.existsSync(path.join(pinned, 'node_modules', '.package-lock.json'))).toBe(true);
    expect(removeStalePeerInstall(projectWith(), '2.257.0')).toBe(false);
  });
});
