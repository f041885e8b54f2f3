import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

// Values of the containerInsights cluster setting that turn it on.
const ON = new Set(['enabled', 'enhanced']);

/**
 * C21, warning: every ECS cluster turns Container Insights on in its ClusterSettings
 * (`containerInsights` `enabled` or `enhanced`). The account-level default is not visible in the
 * template, so a cluster that relies on it is reported. Intrinsic settings are unknown.
 */
export class ClusterContainerInsights implements FintechRule {
  /** Metadata of `Fintech-C21-ClusterWithoutContainerInsights`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C21-ClusterWithoutContainerInsights',
    catalogId: 'C21',
    title: 'ECS clusters turn Container Insights on',
    description: 'Without Container Insights there are no per-task CPU, memory, restart or network metrics, so a memory leak or a crash loop is found by customers before dashboards and alarms show it. ' +
      'Judged on the ClusterSettings of ECS clusters (AWS::ECS::Cluster). Not judged: the account-level containerInsights setting, ' +
      'which the template cannot show (a cluster that relies on it is reported, hence a warning), intrinsic settings.',
    fix: 'Set containerInsightsV2: ecs.ContainerInsights.ENHANCED (or ENABLED) on the ecs.Cluster.',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'ClusterContainerInsights';
  public readonly infos = [ClusterContainerInsights.INFO];
  public readonly resourceTypes = ['AWS::ECS::Cluster'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const settings = properties.ClusterSettings;
    if (settings !== undefined && !Array.isArray(settings)) return [];
    let value: unknown;
    for (const setting of settings ?? []) {
      // A setting whose name synth cannot read may be containerInsights: unknown.
      if (!TemplateValue.isObject(setting) || TemplateValue.isIntrinsic(setting) || typeof setting.Name !== 'string') return [];
      if (setting.Name === 'containerInsights') value = setting.Value;
    }
    if (value !== undefined && (typeof value !== 'string' || ON.has(value.toLowerCase()))) return [];
    const state = value === undefined ? 'has no containerInsights cluster setting' : `sets containerInsights to "${String(value)}"`;
    return [findingOn(resource, ClusterContainerInsights.INFO.id,
      `${resource.type} ${resource.logicalId} ${state}, so Container Insights collects no task metrics.`, ['Properties/ClusterSettings'])];
  }
}
