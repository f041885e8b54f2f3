import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { sourceLocationOf } from '../../src/rules/source-location';

const CWD = '/repo';

/** A construct whose recorded creation stack is exactly `frames`. */
function createdAt(frames: unknown): Construct {
  const construct = new Construct(new Stack(new App(), 'Shop'), 'Thing');
  construct.node.addMetadata('aws:cdk:creationStack', frames);
  return construct;
}

describe('sourceLocationOf', () => {
  test('returns the first frame of user code, relative to the working directory, skipping collapsed frames', () => {
    const construct = createdAt([
      '...new Queue in aws-cdk-lib...',
      'new LedgerStack (/repo/src/ledger-stack.ts:12:5)',
      'Object.<anonymous> (/repo/src/main.ts:4:1)',
      '...jest-circus, jest-runner...',
    ]);
    expect(sourceLocationOf(construct, CWD)).toEqual({ file: 'src/ledger-stack.ts', line: 12, column: 5 });
  });

  test('skips Node\'s own frames', () => {
    const construct = createdAt(['Module._compile (node:internal/modules/cjs/loader:1105:14)', 'node:internal/main/run_main_module:28:49', 'new LedgerStack (/repo/src/ledger-stack.ts:12:5)']);
    expect(sourceLocationOf(construct, CWD)).toEqual({ file: 'src/ledger-stack.ts', line: 12, column: 5 });
  });

  test('reads a frame without a function name', () => {
    expect(sourceLocationOf(createdAt(['  /repo/src/main.ts:4:1  ']), CWD)).toEqual({ file: 'src/main.ts', line: 4, column: 1 });
  });

  test('skips frames inside node_modules and frames with no file position', () => {
    const construct = createdAt([
      'new Bucket (/repo/node_modules/aws-cdk-lib/aws-s3/lib/bucket.js:1:2040)',
      'new Promise (:)',
      '(no user code in 10 frames, use --stack-trace-limit to capture more)',
      'new Shop (/repo/lib/shop.ts:30:17)',
    ]);
    expect(sourceLocationOf(construct, CWD)).toEqual({ file: 'lib/shop.ts', line: 30, column: 17 });
  });

  test('keeps the absolute path of a file outside the working directory', () => {
    expect(sourceLocationOf(createdAt(['new Shared (/elsewhere/shared.ts:7:3)']), CWD))
      .toEqual({ file: '/elsewhere/shared.ts', line: 7, column: 3 });
  });

  test('is undefined without a construct, without a creation stack, or when no frame is user code', () => {
    expect(sourceLocationOf(undefined, CWD)).toBeUndefined();
    expect(sourceLocationOf(new Construct(new Stack(new App(), 'Shop'), 'Bare'), CWD)).toBeUndefined();
    expect(sourceLocationOf(createdAt(['...new Queue in aws-cdk-lib...', 42, null, 'not a frame']), CWD)).toBeUndefined();
    expect(sourceLocationOf(createdAt('new LedgerStack (/repo/src/ledger-stack.ts:12:5)'), CWD)).toBeUndefined();
  });

  test('points at the line of this file that created a real CDK resource', () => {
    const stack = new Stack(new App(), 'Shop');
    const line = 61; // the line below
    const queue = new sqs.Queue(stack, 'Orders');
    const location = sourceLocationOf(queue.node.defaultChild, path.resolve(__dirname, '../..'));
    expect(location).toEqual({ file: 'test/rules/source-location.test.ts', line, column: expect.any(Number) });
  });
});
