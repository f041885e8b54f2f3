import { DEPRECATED_LAMBDA_RUNTIMES, DEPRECATED_SYNTHETICS_RUNTIMES, DeprecatedRuntime } from '../../facts/deprecated-runtimes';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

/** Where a type names its runtime, and which list judges it. */
interface RuntimeProperty {
  readonly property: string;
  readonly deprecated: ReadonlyMap<string, DeprecatedRuntime>;
  readonly fix: string;
}

const RUNTIME_PROPERTIES: { readonly [type: string]: RuntimeProperty | undefined } = {
  'AWS::Lambda::Function': {
    property: 'Runtime',
    deprecated: byName(DEPRECATED_LAMBDA_RUNTIMES),
    fix: 'Use a current runtime, e.g. lambda.Runtime.NODEJS_LATEST or the newest PYTHON_3_x.',
  },
  'AWS::Synthetics::Canary': {
    property: 'RuntimeVersion',
    deprecated: byName(DEPRECATED_SYNTHETICS_RUNTIMES),
    fix: 'Use a current Synthetics runtime, e.g. the newest synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_x or SYNTHETICS_NODEJS_PLAYWRIGHT_x.',
  },
};

/**
 * C14: Lambda functions and Synthetics canaries run a runtime AWS still supports. The lists, with
 * their sources and dates, are in `data/deprecated-runtimes.ts`. Container image functions have no
 * runtime; intrinsic runtimes are unknown.
 */
export class DeprecatedRuntimeRule implements FintechRule {
  /** Metadata of `Fintech-C14-DeprecatedRuntime`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C14-DeprecatedRuntime',
    catalogId: 'C14',
    title: 'Functions and canaries use a supported runtime',
    description: 'A deprecated runtime gets no security patches, and AWS blocks creating and then updating functions and canaries that use it, ' +
      'so a fix cannot be deployed when it is needed most. ' +
      'Judged on the Runtime of Lambda functions and the RuntimeVersion of Synthetics canaries, ' +
      'against lists of deprecated runtimes checked 2026-11. ' +
      'Not judged: container image functions (they name no runtime), intrinsic runtimes, the compatible runtimes of layers, ' +
      'and runtimes whose deprecation date is still ahead.',
    fix: 'Use a current runtime: lambda.Runtime.NODEJS_LATEST, the newest Python, Java or .NET runtime, or the newest Synthetics runtime.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'DeprecatedRuntime';
  public readonly infos = [DeprecatedRuntimeRule.INFO];
  public readonly resourceTypes = Object.keys(RUNTIME_PROPERTIES);

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const spec = RUNTIME_PROPERTIES[resource.type];
    const runtime = spec && resource.properties ? resource.properties[spec.property] : undefined;
    if (!spec || typeof runtime !== 'string') return [];
    // Runtime identifiers are lowercase; a differently cased literal names the same runtime.
    const deprecated = spec.deprecated.get(runtime.toLowerCase());
    if (!deprecated) return [];
    return [findingOn(resource, DeprecatedRuntimeRule.INFO.id,
      `${resource.type} ${resource.logicalId} uses ${spec.property} "${runtime}", which is deprecated (${deprecated.source}).`,
      [`Properties/${spec.property}`], spec.fix)];
  }
}

function byName(runtimes: readonly DeprecatedRuntime[]): ReadonlyMap<string, DeprecatedRuntime> {
  return new Map(runtimes.map(runtime => [runtime.name, runtime]));
}
