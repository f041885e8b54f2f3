import { Delivery, listOf } from '../events/deliveries';
import { StackTemplate } from '../stack-template';
import { TemplateValue } from '../template-value';
import { functionNamed } from './function-references';

/** A function invoked by an AWS service under the function's resource policy, beyond the deliveries of `deliveriesOf`. */
export interface FunctionInvocation extends Delivery {
  readonly service: 'ses' | 'iot' | 'logs';
  /** Whether the service invokes asynchronously (InvocationType Event), so Lambda discards what fails every retry. */
  readonly asynchronous: boolean;
}

/**
 * The functions that SES receipt rules (Lambda actions), IoT topic rules (Lambda actions and the error action) and
 * CloudWatch Logs subscription filters of one template invoke, their names followed across stacks (`functionNamed`).
 * SES invokes asynchronously unless the action's InvocationType is RequestResponse (an intrinsic one counts as
 * synchronous, so it is never reported as asynchronous); IoT and CloudWatch Logs always do.
 */
export function functionInvocationsOf(stack: StackTemplate): readonly FunctionInvocation[] {
  return stack.memo('lambda.serviceInvocations', () => {
    const invocations: FunctionInvocation[] = [];
    const add = (service: FunctionInvocation['service'], producer: FunctionInvocation['producer'], location: string, value: unknown, asynchronous: boolean) => {
      if (value === undefined) return;
      invocations.push({ service, producer, location: `Properties/${location}`, value, target: functionNamed(stack, value), deadLetter: false, asynchronous });
    };
    for (const rule of stack.resourcesOfType('AWS::SES::ReceiptRule')) {
      listOf(TemplateValue.literalObject(rule.properties?.Rule)?.Actions).forEach((action, i) => {
        const lambda = TemplateValue.literalObject(TemplateValue.literalObject(action)?.LambdaAction);
        const type = lambda?.InvocationType;
        add('ses', rule, `Rule/Actions/${i}/LambdaAction/FunctionArn`, lambda?.FunctionArn, type === undefined || type === 'Event');
      });
    }
    for (const rule of stack.resourcesOfType('AWS::IoT::TopicRule')) {
      const payload = TemplateValue.literalObject(rule.properties?.TopicRulePayload);
      listOf(payload?.Actions).forEach((action, i) => {
        add('iot', rule, `TopicRulePayload/Actions/${i}/Lambda/FunctionArn`, TemplateValue.literalObject(TemplateValue.literalObject(action)?.Lambda)?.FunctionArn, true);
      });
      add('iot', rule, 'TopicRulePayload/ErrorAction/Lambda/FunctionArn',
        TemplateValue.literalObject(TemplateValue.literalObject(payload?.ErrorAction)?.Lambda)?.FunctionArn, true);
    }
    // A Kinesis stream or Firehose destination names no function, which readers of the target (`functionOf`) leave out.
    for (const filter of stack.resourcesOfType('AWS::Logs::SubscriptionFilter')) add('logs', filter, 'DestinationArn', filter.properties?.DestinationArn, true);
    return invocations;
  });
}
