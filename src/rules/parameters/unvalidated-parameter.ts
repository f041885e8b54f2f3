import { FintechRule, RuleFinding } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate } from '../stack-template';
import { TemplateValue } from '../template-value';

// CDK adds this SSM-backed parameter to every stack synthesized with the default synthesizer.
const CDK_BOOTSTRAP_VERSION = 'BootstrapVersion';
// SSM parameter types take a parameter name whose value SSM supplies; a pattern on the name checks nothing useful.
const SSM_TYPE = /^AWS::SSM::Parameter::/;
// CDK passes a parent stack's values into a nested stack through parameters it names `reference-to-...` (logical id `referenceto...`).
const NESTED_REFERENCE_ID = 'reference-to-';
const NESTED_REFERENCE_LOGICAL_ID = /^referenceto/;
// The legacy synthesizer passes asset locations as parameters under an `AssetParameters` scope.
const ASSET_PARAMETERS_SCOPE = 'AssetParameters';

/**
 * C22, warning: every String parameter of a template (e.g. from `new CfnParameter`) restricts its
 * values with AllowedPattern or AllowedValues. Parameters are judged in the synthesized template, so
 * parameters cdk-nag's `checkResource` never sees are covered too; the finding names the
 * CfnParameter's construct path. Skipped: CDK's BootstrapVersion and SSM parameter types, and the parameters CDK
 * itself generates, whose values no deployer types: a nested stack's references to its parent (`referenceto...`) and
 * the legacy synthesizer's asset parameters. Only parameters the user declared are judged.
 */
export class UnvalidatedParameter implements FintechRule {
  /** Metadata of `Fintech-C22-UnvalidatedParameter`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C22-UnvalidatedParameter',
    catalogId: 'C22',
    title: 'String parameters restrict their values',
    description: 'A free-text parameter accepts a typo or an injected value at deploy time (a wrong account id, an ARN of another environment, ' +
      'a name without the stage suffix) and the stack deploys with it; validation fails fast before anything changes. ' +
      'Judged on the String parameters of every template, nested and included ones too. ' +
      'Not judged: other parameter types (numbers, lists, AWS-specific and SSM parameter types, whose values CloudFormation checks or SSM supplies), ' +
      'the parameters CDK writes itself (BootstrapVersion, a nested stack\'s references to its parent, the legacy synthesizer\'s asset parameters), ' +
      'and what an AllowedPattern or AllowedValues admits.',
    fix: 'Set allowedPattern or allowedValues on the CfnParameter, or replace the parameter with a value from the stage configuration (FintechStage.of(this)).',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'UnvalidatedParameter';
  public readonly infos = [UnvalidatedParameter.INFO];

  public checkTemplate(stack: StackTemplate): RuleFinding[] {
    const parameters = stack.template.Parameters;
    if (!TemplateValue.isObject(parameters)) return [];
    const findings: RuleFinding[] = [];
    for (const [logicalId, parameter] of Object.entries(parameters)) {
      if (logicalId === CDK_BOOTSTRAP_VERSION || !TemplateValue.isObject(parameter) || generatedByCdk(stack, logicalId)) continue;
      const type = parameter.Type;
      if (typeof type !== 'string' || type !== 'String' || SSM_TYPE.test(type)) continue;
      if (parameter.AllowedPattern !== undefined || parameter.AllowedValues !== undefined) continue;
      findings.push({
        ruleId: UnvalidatedParameter.INFO.id,
        stack,
        logicalId,
        message: `Parameter ${logicalId} (Type String) has neither AllowedPattern nor AllowedValues, so any value is accepted at deploy time.`,
        locations: [`Parameters/${logicalId}`],
      });
    }
    return findings;
  }
}

/** Whether CDK generated the parameter: a nested stack's reference to its parent, or an asset parameter. */
function generatedByCdk(stack: StackTemplate, logicalId: string): boolean {
  // A nested stack's template, known by its stack or (read from the cloud assembly) by its parent's template.
  const nested = stack.stack?.nested === true || stack.parent !== undefined;
  const construct = stack.constructOf(logicalId);
  if (construct) {
    const nestedReference = nested && construct.node.id.startsWith(NESTED_REFERENCE_ID);
    return nestedReference || construct.node.scope?.node.id === ASSET_PARAMETERS_SCOPE;
  }
  // A template without its construct (copied or included): CDK's naming alone, and only in nested stacks for references.
  return (nested && NESTED_REFERENCE_LOGICAL_ID.test(logicalId)) || logicalId.startsWith(ASSET_PARAMETERS_SCOPE);
}
