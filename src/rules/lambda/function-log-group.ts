import { isCustomResourceProvider } from '../custom-resource-providers';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

const PREFIX = '/aws/lambda/';

/** The `/aws/lambda/<function>` log groups a template creates or sets retention on. */
interface FunctionLogGroups {
  /** Functions named by `Ref` in a log group name. */
  readonly byRef: ReadonlySet<string>;
  /** Literal function names. */
  readonly byName: ReadonlySet<string>;
  /** A log group name could not be read: it may be any function's. */
  readonly unknown: boolean;
}

/**
 * C20, warning: a Lambda function logs to a log group the template manages. Without LoggingConfig
 * LogGroup, Lambda creates `/aws/lambda/<function name>` on first invocation, with no retention and
 * outside the stack. Accepted: LoggingConfig.LogGroup set, an `AWS::Logs::LogGroup` named
 * `/aws/lambda/<function name>` (literal, `Fn::Join` or `Fn::Sub` with a `Ref` to the function), or a
 * `Custom::LogRetention` for that name (CDK's deprecated `logRetention`). Unreadable names are unknown.
 */
export class FunctionLogGroup implements FintechRule {
  /** Metadata of `Fintech-C20-FunctionWithoutLogGroup`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C20-FunctionWithoutLogGroup',
    catalogId: 'C20',
    title: 'Lambda functions log to a log group of the stack',
    description: 'Without an explicit log group Lambda creates /aws/lambda/<name> itself: it never expires, it is not encrypted with the stage key, and it survives the stack, so the next deployment of an ephemeral stage finds it in the way.',
    fix: 'Use a TracedFunction, or pass logGroup: new logs.LogGroup(this, ..., { retention }) to the lambda.Function.',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'FunctionLogGroup';
  public readonly infos = [FunctionLogGroup.INFO];
  public readonly resourceTypes = ['AWS::Lambda::Function'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties || isCustomResourceProvider(resource)) return [];
    const logging = properties.LoggingConfig;
    const readableLogging = logging === undefined || (TemplateValue.isObject(logging) && !TemplateValue.isIntrinsic(logging));
    if (!readableLogging || (TemplateValue.isObject(logging) && logging.LogGroup !== undefined)) return [];
    const managed = resource.stack.memo('FunctionLogGroup.index', () => indexLogGroups(resource.stack));
    const name = properties.FunctionName;
    if (managed.unknown || managed.byRef.has(resource.logicalId) || (typeof name === 'string' && managed.byName.has(name))) return [];
    return [findingOn(resource, FunctionLogGroup.INFO.id,
      `${resource.type} ${resource.logicalId} has no LoggingConfig LogGroup and the template has no ${PREFIX}<function name> log group, so Lambda creates one that never expires and outlives the stack.`,
      ['Properties/LoggingConfig'])];
  }
}

function indexLogGroups(stack: StackTemplate): FunctionLogGroups {
  const byRef = new Set<string>();
  const byName = new Set<string>();
  let unknown = false;
  for (const group of [...stack.resourcesOfType('AWS::Logs::LogGroup'), ...stack.resourcesOfType('Custom::LogRetention')]) {
    if (!group.properties) {
      unknown = true;
      continue;
    }
    const name = group.properties.LogGroupName;
    if (name === undefined) continue; // a generated name is never /aws/lambda/...
    if (typeof name === 'string') {
      if (name.startsWith(PREFIX)) byName.add(name.slice(PREFIX.length));
      continue;
    }
    const fn = functionRefIn(name);
    if (fn) byRef.add(fn); else unknown = true;
  }
  return { byRef, byName, unknown };
}

/** The function a `/aws/lambda/` name built with `Fn::Join` or `Fn::Sub` refers to. */
function functionRefIn(name: unknown): string | undefined {
  if (!TemplateValue.isObject(name)) return undefined;
  const join = name['Fn::Join'];
  if (Array.isArray(join) && join[0] === '' && Array.isArray(join[1]) && join[1].length === 2 && join[1][0] === PREFIX) return TemplateValue.refTarget(join[1][1]);
  const sub = name['Fn::Sub'];
  const body = Array.isArray(sub) ? sub[0] : sub;
  return typeof body === 'string' ? /^\/aws\/lambda\/\$\{([^}.!]+)\}$/.exec(body)?.[1] : undefined;
}
