import { Stack, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { kebabId, stagePathBase } from '../../src/stage/stage-path-base';
import { stackIn, testApp } from '../support/fintech-fixture';

describe('stagePathBase', () => {
  test('is the construct path below the stage, lowercased, with other characters turned into hyphens', () => {
    const stack = stackIn(testApp(), 'dev');
    const inner = new Construct(new Construct(stack, 'Payments_API'), 'Ingest.Logs');
    expect(stagePathBase(inner)).toBe('workload-payments-api-ingest-logs');
  });

  test('outside a FintechStage, is the path below the App or plain Stage, stack id first', () => {
    const app = testApp();
    expect(stagePathBase(new Construct(new Stack(app, 'Loose'), 'Ingest'))).toBe('loose-ingest');
    expect(stagePathBase(new Construct(new Stack(new Stage(app, 'Plain'), 'Loose'), 'Ingest'), 'Key')).toBe('loose-ingest-key');
  });
});

describe('kebabId', () => {
  test('turns a construct id into a name base, or the fallback when nothing is left', () => {
    expect(kebabId('CoreNetwork', 'network')).toBe('core-network');
    expect(kebabId('PaymentsApi-WebAcl', 'web-acl')).toBe('payments-api-web-acl');
    expect(kebabId('API2Gateway', 'api')).toBe('api2-gateway');
    expect(kebabId('--', 'api')).toBe('api');
  });
});
