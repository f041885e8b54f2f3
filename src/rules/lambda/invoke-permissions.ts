import { Delivery, ProducingService, deliveriesOf, deliveringServices, deliverySource } from '../events/deliveries';
import { sourceArnNamed } from '../iam/policy-statements';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';
import { functionNamed, functionOf } from './function-references';
import { functionInvocationsOf } from './service-invocations';

// The services that push into a function with its resource policy (AWS::Lambda::Permission): the principal the
// permission must name, and what happens when none allows them.
const INVOKERS: Partial<Record<ProducingService, { readonly principal: string; readonly outcome: string }>> = {
  s3: { principal: 's3.amazonaws.com', outcome: 'S3 refuses the notification configuration, so the deploy fails' },
  events: { principal: 'events.amazonaws.com', outcome: 'EventBridge drops every event it matches (FailedInvocations) and nothing fails at deploy time' },
  sns: { principal: 'sns.amazonaws.com', outcome: 'SNS cannot deliver a single message and nothing fails at deploy time' },
  cloudwatch: { principal: 'lambda.alarms.cloudwatch.amazonaws.com', outcome: 'the alarm\'s action fails each time it changes state and nothing fails at deploy time' },
  ses: { principal: 'ses.amazonaws.com', outcome: 'SES refuses the receipt rule, so the deploy fails' },
  iot: { principal: 'iot.amazonaws.com', outcome: 'the topic rule\'s action fails for every message (only its error action and the rule\'s metrics show it) and nothing fails at deploy time' },
  logs: { principal: 'logs.amazonaws.com', outcome: 'CloudWatch Logs refuses the subscription filter, so the deploy fails' },
};

/** What one `AWS::Lambda::Permission` of the templates allows, as written. */
interface Permission {
  readonly resource: TemplateResource;
  readonly action: unknown;
  readonly principal: unknown;
  readonly sourceArn: unknown;
}

/** The permissions of one validation by the function they name (through aliases and versions). */
interface PermissionIndex {
  readonly byFunction: ReadonlyMap<TemplateResource, readonly Permission[]>;
  /** Deliveries by services that need a permission, by the function they invoke (through aliases and versions). */
  readonly invokedBy: ReadonlyMap<TemplateResource, readonly Delivery[]>;
  /** Whether some permission names a function the templates cannot tell: it may be any of them, so none is judged. */
  readonly unknown: boolean;
}

/**
 * C05: a function that S3 notifications, EventBridge rules, SNS subscriptions, alarm actions, SES receipt rules, IoT
 * topic rules or CloudWatch Logs subscription filters of the templates invoke has an `AWS::Lambda::Permission` letting
 * that service invoke it (the grant CDK's LambdaDestination, LambdaFunction target, LambdaSubscription and SES Lambda
 * action add, and a hand-written template or a raw CfnTopicRule forgets). Permissions are found in every template of the
 * validation, on the function or an alias or version of it; one whose principal, action or function the templates
 * cannot read counts, and so does an `aws:SourceArn` they cannot resolve.
 */
export class InvokePermissions implements FintechRule {
  /** Metadata of `Fintech-C05-ProducerWithoutInvokePermission`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-ProducerWithoutInvokePermission',
    catalogId: 'C05',
    title: 'Services that invoke a function are allowed by its resource policy',
    description: 'S3, EventBridge, SNS, CloudWatch alarms, SES, IoT and CloudWatch Logs invoke a function as themselves: without an AWS::Lambda::Permission for s3.amazonaws.com, ' +
      'events.amazonaws.com, sns.amazonaws.com, lambda.alarms.cloudwatch.amazonaws.com, ses.amazonaws.com, iot.amazonaws.com or logs.amazonaws.com (or its regional name), ' +
      'S3, SES and CloudWatch Logs refuse the notification configuration, receipt rule or subscription filter (the deploy fails), EventBridge, SNS and IoT drop every event and ' +
      'message with only a failed-invocation metric or error action to show, and an alarm\'s action never runs. ' +
      'CDK\'s LambdaDestination, targets.LambdaFunction, LambdaSubscription and LambdaAction add the permission; a hand-written template or a raw CfnSubscription often does not. ' +
      'A permission counts when its action is lambda:InvokeFunction (or lambda:*), its principal the service (or *), it names the function or an alias or version of it, and its SourceArn, if any, may be the bucket, rule, topic, alarm, receipt rule, topic rule or subscribed log group that invokes; ' +
      'a principal, action, function or SourceArn the templates cannot resolve counts too. ' +
      'Not judged: functions of another account, and every function when some permission names a function the templates cannot tell.',
    fix: 'Add a lambda.CfnPermission (or fn.addPermission) with action lambda:InvokeFunction, the service\'s principal and sourceArn the bucket, rule, topic, alarm, ' +
      'topic rule or log group; CDK\'s LambdaDestination, targets.LambdaFunction, LambdaSubscription and LambdaAction (SNS and SES) do it.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'InvokePermissions';
  public readonly infos = [InvokePermissions.INFO];
  public readonly resourceTypes = ['AWS::Lambda::Function'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const { peers } = resource.stack;
    const index = peers.memo('InvokePermissions.index', () => indexPermissions(peers.templates));
    const invokers = index.invokedBy.get(resource);
    if (!invokers || index.unknown) return [];
    const permissions = index.byFunction.get(resource) ?? [];
    const denied = invokers.filter(delivery => !permissions.some(permission => allows(permission, delivery)));
    if (denied.length === 0) return [];
    const { services, described: who } = deliveringServices(denied, service => INVOKERS[service]!.principal);
    const outcome = services.map(service => INVOKERS[service]!.outcome).join('; ');
    return [findingOn(resource, InvokePermissions.INFO.id,
      `${resource.type} ${resource.logicalId} is invoked by ${who}, but no AWS::Lambda::Permission lets ${services.length === 1 ? 'that service' : 'those services'} invoke it: ${outcome}.`,
      ['Properties'],
      `Add an AWS::Lambda::Permission for each: action lambda:InvokeFunction, principal ${services.map(s => INVOKERS[s]!.principal).join(' or ')}, SourceArn the ` +
      'bucket, rule, topic, alarm, topic rule or log group (fn.addPermission, or CDK\'s LambdaDestination, targets.LambdaFunction, LambdaSubscription and LambdaAction, ' +
      'which add it).')];
  }
}

function indexPermissions(templates: readonly StackTemplate[]): PermissionIndex {
  const byFunction = new Map<TemplateResource, Permission[]>();
  const invokedBy = new Map<TemplateResource, Delivery[]>();
  let unknown = false;
  for (const stack of templates) {
    for (const delivery of [...deliveriesOf(stack), ...functionInvocationsOf(stack)]) {
      const fn = delivery.deadLetter || !INVOKERS[delivery.service] ? undefined : functionOf(delivery.target);
      if (fn) invokedBy.set(fn, [...invokedBy.get(fn) ?? [], delivery]);
    }
    for (const resource of stack.resourcesOfType('AWS::Lambda::Permission')) {
      const properties = resource.properties;
      const named = TemplateValue.isObject(properties) ? functionNamed(stack, properties.FunctionName) : { kind: 'unknown' as const };
      if (named.kind === 'unknown') {
        unknown = true;
        continue;
      }
      const fn = functionOf(named);
      if (!fn || !properties) continue;
      const permission = { resource, action: properties.Action, principal: properties.Principal, sourceArn: properties.SourceArn };
      byFunction.set(fn, [...byFunction.get(fn) ?? [], permission]);
    }
  }
  return { byFunction, invokedBy, unknown };
}

/** Whether a permission may let the delivery's service invoke the function for the delivery's source. */
function allows(permission: Permission, delivery: Delivery): boolean {
  const { action, principal, sourceArn } = permission;
  if (typeof action === 'string' && !/^(lambda:(invokefunction|\*)|\*)$/i.test(action)) return false;
  if (typeof principal === 'string' && principal !== '*' && !isPrincipalOf(principal, delivery.service)) return false;
  // A SourceArn naming another resource of the templates for certain does not count; a join, wildcard or unknown ARN may be the source.
  const named = sourceArn === undefined ? undefined : sourceArnNamed(permission.resource.stack, sourceArn);
  const source = deliverySource(delivery);
  return named === undefined || source === undefined || named === source;
}

/** Whether a literal principal is the service's: its global name, or (for CloudWatch Logs) a regional one, `.cn` endings included. */
function isPrincipalOf(principal: string, service: ProducingService): boolean {
  const name = principal.toLowerCase().replace(/\.cn$/, '');
  return name === INVOKERS[service]!.principal || (service === 'logs' && /^logs\.[a-z0-9-]+\.amazonaws\.com$/.test(name));
}
