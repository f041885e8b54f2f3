import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareSnapshots, formatComparison, isUnchanged } from '../../src/cli/snapshot-comparison';

function snapshotDir(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const bucket = (props: object) => ({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: props } } });
const assertion = (expected: string, salt: string) => ({ Resources: { Call: { Type: 'Custom::DeployAssert@SdkCallS3', Properties: { expected, salt } } } });

describe('compareSnapshots', () => {
  test('identical snapshots are unchanged, whatever the assertion salt', () => {
    const committed = snapshotDir({ 'integ.json': { testCases: {} }, 'Assert.template.json': assertion('{}', '1'), 'assembly-integ/Ledger.template.json': bucket({}) });
    const fresh = snapshotDir({ 'integ.json': { testCases: {} }, 'Assert.template.json': assertion('{}', '2'), 'assembly-integ/Ledger.template.json': bucket({}) });
    expect(isUnchanged(compareSnapshots(committed, fresh))).toBe(true);
  });

  test('finds a change inside a nested stage assembly, which integ-runner does not compare', () => {
    const committed = snapshotDir({ 'assembly-integ/Ledger.template.json': bucket({}) });
    const fresh = snapshotDir({ 'assembly-integ/Ledger.template.json': bucket({ VersioningConfiguration: { Status: 'Enabled' } }) });
    expect(compareSnapshots(committed, fresh).differences).toEqual([{
      file: 'assembly-integ/Ledger.template.json',
      path: 'Resources.Bucket.Properties.VersioningConfiguration',
      before: undefined,
      after: { Status: 'Enabled' },
    }]);
  });

  test('finds a changed assertion, which integ-runner does not compare either', () => {
    const committed = snapshotDir({ 'Assert.template.json': assertion('{"$ObjectLike":{}}', '1') });
    const fresh = snapshotDir({ 'Assert.template.json': assertion('{"$ObjectLike":{"A":1}}', '2') });
    const [difference] = compareSnapshots(committed, fresh).differences;
    expect(difference.path).toBe('Resources.Call.Properties.expected');
  });

  test('reports templates that appeared or disappeared, and ignores other files', () => {
    const committed = snapshotDir({ 'Old.template.json': bucket({}), 'tree.json': { a: 1 } });
    const fresh = snapshotDir({ 'New.template.json': bucket({}), 'tree.json': { a: 2 } });
    const comparison = compareSnapshots(committed, fresh);
    expect(comparison.missingFiles).toEqual(['Old.template.json']);
    expect(comparison.addedFiles).toEqual(['New.template.json']);
    expect(comparison.differences).toEqual([]);
  });

  test('array items are compared by position, a length change as a whole', () => {
    const committed = snapshotDir({ 'S.template.json': { Tags: [{ Key: 'Team', Value: 'a' }] } });
    const fresh = snapshotDir({ 'S.template.json': { Tags: [{ Key: 'Team', Value: 'b' }, { Key: 'X', Value: 'y' }] } });
    expect(compareSnapshots(committed, fresh).differences).toEqual([
      expect.objectContaining({ path: 'Tags', before: [{ Key: 'Team', Value: 'a' }] }),
    ]);
  });
});

describe('formatComparison', () => {
  test('shows each difference with before and after, and cuts long lists', () => {
    const text = formatComparison('integ.ledger.ts', {
      missingFiles: ['Gone.template.json'],
      addedFiles: [],
      differences: Array.from({ length: 3 }, (_, i) => ({ file: 'S.template.json', path: `Resources.R${i}`, before: i, after: i + 1 })),
    }, 2);
    expect(text).toBe([
      'CHANGED  integ.ledger.ts',
      '  - Gone.template.json (no longer synthesized)',
      '  ~ S.template.json Resources.R0',
      '      - 0',
      '      + 1',
      '  ~ S.template.json Resources.R1',
      '      - 1',
      '      + 2',
      '  ... and 1 more differences',
    ].join('\n'));
  });
});
