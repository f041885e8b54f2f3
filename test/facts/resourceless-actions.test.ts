import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RESOURCELESS_ACTIONS } from '../../src/facts/resourceless-actions';

const ROOT = path.join(__dirname, '..', '..');

describe('RESOURCELESS_ACTIONS', () => {
  test('is what scripts/resourceless-actions.py generates from the installed cfn-lint', () => {
    const generated = execFileSync('python3', [path.join(ROOT, 'scripts', 'resourceless-actions.py')], { encoding: 'utf-8' });
    expect(fs.readFileSync(path.join(ROOT, 'src', 'facts', 'resourceless-actions.ts'), 'utf-8')).toBe(generated);
  });

  test('holds actions that act on no resource, and none that take one', () => {
    const has = (action: string) => {
      const [service, name] = action.split(':');
      return (RESOURCELESS_ACTIONS[service] ?? '').split(' ').includes(name);
    };
    for (const action of ['xray:puttracesegments', 'textract:startdocumenttextdetection', 'timestream:describeendpoints', 'cloudwatch:putmetricdata', 's3:getaccountpublicaccessblock']) {
      expect([action, has(action)]).toEqual([action, true]);
    }
    for (const action of ['s3:getobject', 'kms:decrypt', 'logs:createloggroup', 'polly:startspeechsynthesistask', 'sqs:sendmessage']) {
      expect([action, has(action)]).toEqual([action, false]);
    }
    const all = Object.values(RESOURCELESS_ACTIONS).flatMap(actions => actions.split(' '));
    expect(all.every(action => /^[a-z0-9-]+$/.test(action))).toBe(true);
    expect(all.length).toBeGreaterThan(5000);
  });
});

