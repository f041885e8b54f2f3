import { Construct } from 'constructs';
import { stagePathBase } from '../../src/stage/stage-path-base';
import { stackIn, testApp } from '../support/fintech-fixture';

describe('stagePathBase', () => {
  test('is the construct path below the stage, lowercased, with other characters turned into hyphens', () => {
    const stack = stackIn(testApp(), 'dev');
    const inner = new Construct(new Construct(stack, 'Payments_API'), 'Ingest.Logs');
    expect(stagePathBase(inner)).toBe('workload-payments-api-ingest-logs');
  });

  test('fails outside a FintechStage, naming the path', () => {
    const app = testApp();
    expect(() => stagePathBase(new Construct(app, 'Loose'))).toThrow(/^Loose is not inside a FintechStage/);
  });
});
