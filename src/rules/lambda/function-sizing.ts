import { isCustomResourceProvider } from '../custom-resource-providers';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

// Lambda's defaults when a function sets neither (AWS::Lambda::Function reference, checked 2026-11).
const DEFAULT_MEMORY_MB = 128;
const DEFAULT_TIMEOUT_SECONDS = 3;

/**
 * C20, warning: every Lambda function chooses its memory size and timeout. Judged on the synthesized
 * `MemorySize` and `Timeout`: absent means Lambda's defaults (128 MB, 3 s). Any value the template states counts as
 * chosen, 128 and 3 included, and so does an intrinsic (unknown). Must not judge: CDK's custom-resource provider
 * functions (their sizes are CDK's, not the user's) and functions whose properties cannot be read.
 */
export class FunctionSizing implements FintechRule {
  /** Metadata of `Fintech-C20-FunctionWithDefaultSizing`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C20-FunctionWithDefaultSizing',
    catalogId: 'C20',
    title: 'Lambda functions choose their memory size and timeout',
    description: `A function left at Lambda's defaults runs with ${DEFAULT_MEMORY_MB} MB (and the CPU share that comes with it) ` +
      `and is killed after ${DEFAULT_TIMEOUT_SECONDS} seconds: ` +
      'a payment call to a slow dependency times out under load and is retried or lost, and nobody decided it. ' +
      'Any stated MemorySize and Timeout count as chosen, the default values and intrinsic values included. ' +
      'Not judged: functions that back CloudFormation custom resources (any function a ServiceToken names, a custom-resources Provider\'s ' +
      'framework functions and handlers), which run only at deploy time; functions whose properties cannot be read.',
    fix: 'Set memorySize and timeout on the lambda.Function (TracedFunction sets both), sized from a load test of the handler.',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'FunctionSizing';
  public readonly infos = [FunctionSizing.INFO];
  public readonly resourceTypes = ['AWS::Lambda::Function'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties || isCustomResourceProvider(resource)) return [];
    const unset = [
      ...properties.MemorySize === undefined ? [`MemorySize (${DEFAULT_MEMORY_MB} MB)`] : [],
      ...properties.Timeout === undefined ? [`Timeout (${DEFAULT_TIMEOUT_SECONDS} s)`] : [],
    ];
    if (unset.length === 0) return [];
    return [findingOn(resource, FunctionSizing.INFO.id,
      `${resource.type} ${resource.logicalId} leaves ${unset.join(' and ')} at Lambda's default${unset.length > 1 ? 's' : ''}, which nobody chose for this handler.`,
      [...properties.MemorySize === undefined ? ['Properties/MemorySize'] : [], ...properties.Timeout === undefined ? ['Properties/Timeout'] : []])];
  }
}
