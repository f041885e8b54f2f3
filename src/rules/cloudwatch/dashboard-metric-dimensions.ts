import { ACCOUNT_LEVEL_METRICS, PER_RESOURCE_NAMESPACES } from './per-resource-namespaces';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

// What `TemplateValue.parseJson` puts where the body has an intrinsic.
const INTRINSIC = /@@intrinsic:\d+@@/;
// Offending metrics named in one message; the rest are counted.
const LISTED = 5;

/**
 * C10: a CloudWatch dashboard's metric widgets show no metric of a per-resource namespace
 * (`PER_RESOURCE_NAMESPACES`) without dimensions, which would add up every function, queue or API of the
 * account. The body is a JSON string, usually an `Fn::Join` of literals and intrinsics (CDK writes one):
 * intrinsic pieces become placeholders, and a body that still does not parse is unknown. Metric arrays are
 * `[namespace, name, dimName, dimValue, ..., {options}]`, where `"."` repeats the previous metric's element at
 * that position and `"..."` repeats its elements up to the ones that follow. Expressions (metric math, SEARCH,
 * Metrics Insights queries) are a deliberate aggregation and are not judged.
 */
export class DashboardMetricWithoutDimensions implements FintechRule {
  /** Metadata of `Fintech-C10-DashboardMetricWithoutDimensions`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C10-DashboardMetricWithoutDimensions',
    catalogId: 'C10',
    title: 'Dashboard metrics of per-resource namespaces carry their dimensions',
    description: 'A Lambda, SQS or API Gateway metric without dimensions is the total over every resource of the service in the account and ' +
      'region: the graph labelled "payments errors" shows every team\'s errors, and the real signal drowns. ' +
      'Judged on the metric widgets of AWS::CloudWatch::Dashboard bodies, for the AWS/ namespaces of Lambda, SQS, API Gateway, ALB, ' +
      'Step Functions, DynamoDB, ECS, SNS, Kinesis and RDS. ' +
      'Not judged: expressions (metric math, SEARCH, Metrics Insights queries), which aggregate on purpose; ' +
      'metrics meant for the whole account (Lambda concurrency, DynamoDB account limits and UserErrors); other namespaces; ' +
      'bodies, namespaces or metric names synth cannot read.',
    fix: 'Use a ServiceDashboard, or build widgets from the resources\' metric methods (fn.metricErrors(), queue.metricApproximateNumberOfMessagesVisible()), which carry their dimensions.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'DashboardMetricWithoutDimensions';
  public readonly infos = [DashboardMetricWithoutDimensions.INFO];
  public readonly resourceTypes = ['AWS::CloudWatch::Dashboard'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    // A body synth cannot read (a parameter, an intrinsic in place of the whole JSON) is unknown: nothing is reported.
    const body = resource.properties ? TemplateValue.parseJson(resource.properties.DashboardBody)?.document : undefined;
    const offending = undimensionedMetrics(body);
    if (offending.length === 0) return [];
    const listed = offending.slice(0, LISTED).join('; ') + (offending.length > LISTED ? `; and ${offending.length - LISTED} more` : '');
    return [findingOn(resource, DashboardMetricWithoutDimensions.INFO.id,
      `${resource.type} ${resource.logicalId} shows metrics of per-resource namespaces without dimensions, each the total of every resource in the account and region: ${listed}.`,
      ['Properties/DashboardBody'])];
  }
}

/** `widgets[i] ("title") metrics[j]: namespace name` for every metric of a per-resource namespace without dimensions. */
function undimensionedMetrics(body: unknown): string[] {
  const widgets = TemplateValue.isObject(body) && Array.isArray(body.widgets) ? body.widgets : [];
  const offending: string[] = [];
  widgets.forEach((widget: unknown, i: number) => {
    const properties = TemplateValue.isObject(widget) && widget.type === 'metric' ? widget.properties : undefined;
    const metrics = TemplateValue.isObject(properties) && Array.isArray(properties.metrics) ? properties.metrics : [];
    const title = TemplateValue.isObject(properties) && typeof properties.title === 'string' ? ` ("${properties.title}")` : '';
    let previous: unknown[] | undefined;
    metrics.forEach((entry: unknown, j: number) => {
      if (!Array.isArray(entry)) return;
      const metric = expandShorthand(entry, previous);
      // An entry of options only is an expression; the shorthand of the next metric still refers to the last metric.
      if (metric === undefined || metric.length === 0) return;
      previous = metric;
      const [namespace, name] = metric;
      if (typeof namespace !== 'string' || typeof name !== 'string' || INTRINSIC.test(namespace) || INTRINSIC.test(name)) return;
      if (!PER_RESOURCE_NAMESPACES.has(namespace) || ACCOUNT_LEVEL_METRICS[namespace]?.has(name)) return;
      if (metric.length <= 2) offending.push(`widgets[${i}]${title} metrics[${j}]: ${namespace} ${name}`);
    });
  });
  return offending;
}

/** The metric's elements without its options, with `.` and `...` replaced from the previous metric; undefined when they cannot be. */
function expandShorthand(entry: readonly unknown[], previous: readonly unknown[] | undefined): unknown[] | undefined {
  const optionsAt = entry.findIndex(element => TemplateValue.isObject(element));
  const items = optionsAt < 0 ? [...entry] : entry.slice(0, optionsAt);
  if (!items.some(item => item === '.' || item === '...')) return items;
  if (!previous) return undefined;
  const ellipsis = items.indexOf('...');
  const expanded = ellipsis < 0 ? items : [
    ...items.slice(0, ellipsis),
    ...previous.slice(ellipsis, Math.max(ellipsis, previous.length - (items.length - ellipsis - 1))),
    ...items.slice(ellipsis + 1),
  ];
  return expanded.map((item, k) => (item === '.' ? previous[k] : item));
}
