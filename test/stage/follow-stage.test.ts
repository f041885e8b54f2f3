import { Aspects, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { StageSettingsSource } from '../../src/stage/fintech-stage';
import { followStage } from '../../src/stage/follow-stage';
import { stackIn, testApp } from '../support/fintech-fixture';

/** A queue the library "owns" (follows the stage) beside one it does not, in `stack`. */
function twoQueues(stack: Stack): Template {
  followStage(new sqs.Queue(stack, 'Followed'));
  new sqs.Queue(stack, 'Sibling');
  return Template.fromStack(stack);
}

const policiesOf = (template: Template) => Object.fromEntries(
  Object.entries(template.findResources('AWS::SQS::Queue')).map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), r.DeletionPolicy]));

describe('followStage', () => {
  test('outside a FintechStage, without context: the durable default on the construct only, not on its siblings', () => {
    const template = twoQueues(new Stack(testApp(), 'Loose'));
    expect(policiesOf(template)).toEqual({ Followed: 'Retain', Sibling: 'Delete' });
  });

  test('outside a FintechStage, with an ephemeral context stage: destroyed', () => {
    const app = testApp();
    app.node.setContext('fintech:stage', 'dev');
    const stack = new Stack(app, 'Loose');
    followStage(new sqs.Queue(stack, 'Followed'));
    // Sibling resources keep what their code set, here RETAIN.
    new sqs.Queue(stack, 'Sibling', { removalPolicy: RemovalPolicy.RETAIN });
    expect(policiesOf(Template.fromStack(stack))).toEqual({ Followed: 'Delete', Sibling: 'Retain' });
  });

  test('inside a FintechStage: the stage settings, and the stage aspect alone decides', () => {
    const stack = stackIn(testApp(), 'dev');
    const settings = followStage(new Construct(stack, 'X'));
    expect(settings).toMatchObject({ stageName: 'dev', durable: false, source: StageSettingsSource.FINTECH_STAGE });
    expect(policiesOf(twoQueues(stack))).toEqual({ Followed: 'Delete', Sibling: 'Delete' });
  });

  test('adds one aspect however often a construct asks', () => {
    const stack = new Stack(testApp(), 'Loose');
    const queue = new sqs.Queue(stack, 'Q');
    followStage(queue);
    followStage(queue);
    expect(Aspects.of(queue).all).toHaveLength(1);
  });
});
