import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { setup, teardown } from '../../src/testing/jest-temp-dir';

test('this run writes its temporary files below one directory of its own', () => {
  expect(path.basename(os.tmpdir())).toMatch(/^fintech-jest-/);
});

test('setup points TMPDIR at a new directory and teardown removes it with its contents', () => {
  const saved = { TMPDIR: process.env.TMPDIR, FINTECH_JEST_RUN_TMPDIR: process.env.FINTECH_JEST_RUN_TMPDIR };
  try {
    setup();
    const dir = process.env.TMPDIR!;
    expect(path.dirname(dir)).toBe(saved.TMPDIR);
    fs.mkdirSync(path.join(os.tmpdir(), 'cdk.outAbc123'));
    teardown();
    expect(fs.existsSync(dir)).toBe(false);
  } finally {
    Object.assign(process.env, saved);
  }
});
