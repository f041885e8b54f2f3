import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RESOURCE_ACTIONS } from '../../src/facts/resource-actions';
import { RESOURCELESS_ACTIONS } from '../../src/facts/resourceless-actions';

const ROOT = path.join(__dirname, '..', '..');

describe('RESOURCE_ACTIONS', () => {
  test('is what scripts/resourceless-actions.py generates with the argument resource-actions from the installed cfn-lint', () => {
    const generated = execFileSync('python3', [path.join(ROOT, 'scripts', 'resourceless-actions.py'), 'resource-actions'], { encoding: 'utf-8' });
    expect(fs.readFileSync(path.join(ROOT, 'src', 'facts', 'resource-actions.ts'), 'utf-8')).toBe(generated);
  });

  test('holds the actions that take a resource, and none of RESOURCELESS_ACTIONS', () => {
    const words = (lists: { readonly [service: string]: string }) => Object.entries(lists).flatMap(([service, actions]) => actions.split(' ').map(a => `${service}:${a}`));
    const taking = new Set(words(RESOURCE_ACTIONS));
    for (const action of ['s3:getobject', 'kms:decrypt', 'sqs:sendmessage', 'polly:getlexicon']) expect([action, taking.has(action)]).toEqual([action, true]);
    expect(words(RESOURCELESS_ACTIONS).filter(action => taking.has(action))).toEqual([]);
    expect(taking.size).toBeGreaterThan(10000);
  });
});
