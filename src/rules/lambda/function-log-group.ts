import { isCustomResourceProvider } from '../custom-resource-providers';
import { isEdgeFunction } from './edge-functions';
import { followedResource, resolveAcrossStacks } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplatePeers, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

const PREFIX = '/aws/lambda/';

/** The `/aws/lambda/<function>` log groups the templates validated together create or set retention on. */
interface FunctionLogGroups {
  /** Functions named by `Ref` in a log group name, followed across stacks. */
  readonly byRef: ReadonlySet<TemplateResource>;
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
 * `Custom::LogRetention` for that name (CDK's deprecated `logRetention`), in any stack of the stage (an observability
 * stack's log group for another stack's function, through an export or a nested-stack parameter). Unreadable names
 * are unknown. Must not judge Lambda@Edge functions: they log to `/aws/lambda/us-east-1.<name>` in every region that serves them.
 */
export class FunctionLogGroup implements FintechRule {
  /** Metadata of `Fintech-C20-FunctionWithoutLogGroup`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C20-FunctionWithoutLogGroup',
    catalogId: 'C20',
    title: 'Lambda functions log to a log group of the stack',
    description: 'Without an explicit log group Lambda creates /aws/lambda/<name> itself: it never expires, it is not encrypted with the stage key, and it survives the stack, so the next deployment of an ephemeral stage finds it in the way. ' +
      'Not judged: Lambda@Edge functions, which log to /aws/lambda/us-east-1.<name> in every region that serves them.',
    fix: 'Use a TracedFunction, or pass logGroup: new logs.LogGroup(this, ..., { retention }) to the lambda.Function.',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'FunctionLogGroup';
  public readonly infos = [FunctionLogGroup.INFO];
  public readonly resourceTypes = ['AWS::Lambda::Function'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties || isCustomResourceProvider(resource) || isEdgeFunction(resource)) return [];
    const logging = properties.LoggingConfig;
    const readableLogging = logging === undefined || (TemplateValue.isObject(logging) && !TemplateValue.isIntrinsic(logging));
    if (!readableLogging || (TemplateValue.isObject(logging) && logging.LogGroup !== undefined)) return [];
    const managed = resource.stack.peers.memo('FunctionLogGroup.index', () => indexLogGroups(resource.stack.peers));
    const name = properties.FunctionName;
    if (managed.unknown || managed.byRef.has(resource) || (typeof name === 'string' && managed.byName.has(name))) return [];
    return [findingOn(resource, FunctionLogGroup.INFO.id,
      `${resource.type} ${resource.logicalId} has no LoggingConfig LogGroup and no stack of the stage has a ${PREFIX}<function name> log group, so Lambda creates one that never expires and outlives the stack.`,
      ['Properties/LoggingConfig'])];
  }
}

function indexLogGroups(peers: TemplatePeers): FunctionLogGroups {
  const byRef = new Set<TemplateResource>();
  const byName = new Set<string>();
  let unknown = false;
  for (const template of peers.templates) {
    for (const group of [...template.resourcesOfType('AWS::Logs::LogGroup'), ...template.resourcesOfType('Custom::LogRetention')]) {
      if (!group.properties) {
        unknown = true;
        continue;
      }
      if (group.properties.LogGroupName === undefined) continue; // a generated name is never /aws/lambda/...
      const { stack, value: name } = resolveAcrossStacks(template, group.properties.LogGroupName);
      if (typeof name === 'string') {
        if (name.startsWith(PREFIX)) byName.add(name.slice(PREFIX.length));
        continue;
      }
      const fn = functionIn(name);
      const target = fn === undefined ? undefined : followedResource(stack, fn, 'AWS::Lambda::Function');
      if (target) byRef.add(target); else unknown = true;
    }
  }
  return { byRef, byName, unknown };
}

/** What names the function in a `/aws/lambda/` name built with `Fn::Join` or `Fn::Sub`: a `Ref`, an import, a parameter. */
function functionIn(name: unknown): unknown {
  if (!TemplateValue.isObject(name)) return undefined;
  const join = name['Fn::Join'];
  if (Array.isArray(join) && join[0] === '' && Array.isArray(join[1]) && join[1].length === 2 && join[1][0] === PREFIX) return join[1][1];
  const sub = name['Fn::Sub'];
  const body = Array.isArray(sub) ? sub[0] : sub;
  const variable = typeof body === 'string' ? /^\/aws\/lambda\/\$\{([^}.!]+)\}$/.exec(body)?.[1] : undefined;
  if (variable === undefined) return undefined;
  const variables = Array.isArray(sub) && TemplateValue.isObject(sub[1]) ? sub[1] : {};
  return variable in variables ? variables[variable] : { Ref: variable };
}
