import { Stack, Stage } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as xray from 'aws-cdk-lib/aws-xray';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct, Node } from 'constructs';
import { ContentCanary, ContentCanaryProps } from './content-canary';
import { ContributorInsights } from './contributor-insights';
import { SavedQueries } from './saved-queries';
import { CentralMonitoringBus, ChangeEventService, ServiceChangeEvents } from './service-change-events';
import { ServiceDashboard } from './service-dashboard';
import { TraceSamplingRule } from './trace-sampling-rule';
import { ProtectedRestApi } from '../api/protected-rest-api';
import { FargateWebService } from '../compute/fargate-web-service';
import { FintechStage } from '../stage/fintech-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';

/** A part of `WorkloadObservability` that can be left out with `exclude`. */
export enum ObservabilityPart {
  /** The X-Ray sampling rule and the X-Ray groups with insights. */
  TRACING = 'tracing',
  /** Contributor Insights rules on the log groups, and throttled-key insights on DynamoDB tables. */
  CONTRIBUTOR_INSIGHTS = 'contributorInsights',
  /** Logs Insights queries saved over the log groups. */
  SAVED_QUERIES = 'savedQueries',
  /** The CloudWatch dashboard. */
  DASHBOARD = 'dashboard',
  /** EventBridge rules on configuration changes and alarm state changes. */
  CHANGE_EVENTS = 'changeEvents',
  /** The Synthetics canaries of `publicEndpoints`. */
  CANARIES = 'canaries',
}

const ALL_PARTS: readonly string[] = Object.values(ObservabilityPart);

/** A public endpoint that `WorkloadObservability` checks with a `ContentCanary`. */
export interface PublicEndpoint extends ContentCanaryProps {
  /**
   * Short name of the endpoint, e.g. `health`: the canary's construct id and, unless `nameBase` is set, the base of its
   * name. Lowercase letters, digits and hyphens; unique among the endpoints.
   */
  readonly name: string;
}

/** Business metrics graphed in the first row of the dashboard (`ServiceDashboard.addBusinessMetrics`). */
export interface WorkloadKpis {
  /** The metrics' namespace, e.g. `Ledger`. */
  readonly namespace: string;

  /** The metrics to graph, e.g. `['PaymentsCaptured', 'PaymentsDeclined']`. */
  readonly metricNames: string[];

  /** The dimensions the handlers publish the metrics with, e.g. `{ service: 'payments' }`. */
  readonly dimensions: { [name: string]: string };

  /**
   * Title of the row.
   *
   * @default - the namespace
   */
  readonly title?: string;

  /**
   * Statistic of every metric.
   *
   * @default 'Sum'
   */
  readonly statistic?: string;
}

/** Properties of `WorkloadObservability`. */
export interface WorkloadObservabilityProps {
  /**
   * The construct whose tree is searched for resources to observe: a Stack, or a Stage such as the workload's
   * `FintechStage`. Stages nested in it are not searched, nor stacks of another account or region, whose
   * resources a stack here cannot reference.
   *
   * @default - the `FintechStage` enclosing this construct, or its Stack outside one
   */
  readonly workload?: IConstruct;

  /**
   * Parts to leave out.
   *
   * @default - none: every part is created
   */
  readonly exclude?: ObservabilityPart[];

  /**
   * Share of requests traced once the sampling rule's reservoir is used up, from 0 to 1.
   *
   * @default 0.1, the rate of the observability blueprint (C11)
   */
  readonly samplingRate?: number;

  /**
   * Base of the names of what this creates: `<application>-<base>-<stage>` for the dashboard, `<base>-sampling`,
   * `<base>-queries` and so on for the other parts. Set it when a stage has more than one `WorkloadObservability`.
   *
   * @default - each part's default name ('service' for the dashboard, 'sampling', 'queries', 'traces-<service>')
   */
  readonly nameBase?: string;

  /**
   * Business metrics graphed in the first row of the dashboard.
   *
   * @default - no business metrics row
   */
  readonly kpis?: WorkloadKpis;

  /**
   * ARN of a central monitoring event bus the change events are forwarded to (`ServiceChangeEventsProps.centralBusArn`).
   *
   * @default - the enclosing stage's `centralMonitoringBusArn` (`monitoring` in `.projenrc.ts`); without one, change events
   * go to the stage's alert topic only
   */
  readonly centralBusArn?: string;

  /**
   * Public endpoints checked by a `ContentCanary` each. Their URLs cannot be discovered reliably (custom domains,
   * CloudFront in front of an API), so they are listed here.
   *
   * @default - no canaries
   */
  readonly publicEndpoints?: PublicEndpoint[];
}

/** What `WorkloadObservability` found, as construct paths. */
export interface ObservedResources {
  /** Lambda functions (`lambda.Function`, `TracedFunction` and other `NodejsFunction`s included). */
  readonly functions: string[];
  /** REST APIs with a deployment stage (`ProtectedRestApi` and other `RestApiBase`s). */
  readonly restApis: string[];
  /** SQS queues, dead-letter queues of other found queues excepted. */
  readonly queues: string[];
  /** Dead-letter queues of the found queues, graphed in their queue's row. */
  readonly deadLetterQueues: string[];
  /** DynamoDB tables (`Table` and `TableV2`, `SecureTable` and `SecureGlobalTable` included). */
  readonly tables: string[];
  /** Step Functions state machines. */
  readonly stateMachines: string[];
  /** Web services of this library (`FargateWebService`): their load balancer, target group and ECS service. */
  readonly webServices: string[];
  /**
   * What was left out: functions CDK or a library created for itself (behind a `SingletonFunction` or a custom
   * resources `Provider`), REST APIs without a deployment stage, and resources of stacks in another account or region.
   */
  readonly skipped: string[];
}

// The X-Ray groups: one per service that writes trace segments of its own, matching its resources by service name.
interface TracedService {
  readonly label: string;
  readonly nameSuffix: string;
  readonly names: string[];
}

/**
 * One step to observe a workload (C11, C24): it searches the workload's construct tree for Lambda functions, REST
 * APIs, SQS queues (with their dead-letter queues), DynamoDB tables, Step Functions state machines and
 * `FargateWebService`s, and composes for them the library's observability constructs:
 * - tracing: a `TraceSamplingRule` (rate 0.1) and an X-Ray group with insights per traced service in use (Lambda,
 *   API Gateway, Step Functions), whose filter matches the found resources by name: at most three groups, one per
 *   service rather than one per resource;
 * - `ContributorInsights` over the functions' log groups and the access log groups of `ProtectedRestApi`s, and
 *   DynamoDB Contributor Insights on throttled keys for each `Table` whose contributor insights setting was left unset
 *   (a table that sets it, either way, keeps its setting; `TableV2` keeps its own, since its replicas render it);
 * - `SavedQueries` over the same log groups;
 * - a `ServiceDashboard` with a row per resource, after a row of `kpis` when given;
 * - `ServiceChangeEvents` for the services found (Lambda, API Gateway, DynamoDB, SQS), forwarded to `centralBusArn`;
 * - a `ContentCanary` per entry of `publicEndpoints`.
 * Each part can be left out with `exclude`.
 *
 * The search runs when this construct is created, so create it after the workload's resources. It skips functions
 * CDK and libraries create for themselves: those behind a `SingletonFunction` (e.g. `AwsCustomResource`'s) and those
 * of a custom resources `Provider` (its framework and the handlers it calls); the other providers CDK creates (log
 * retention, bucket notifications, S3 auto-delete) are not `lambda.Function`s and are never found. A function used
 * directly as a custom resource's service token, without a `Provider`, is observed like any other. It also skips what
 * observability constructs contain, this one's included. Load balancers and ECS services are observed as parts of a
 * `FargateWebService` only (on the dashboard): elsewhere which target group and service sit behind which load
 * balancer cannot be told from the tree.
 */
export class WorkloadObservability extends Construct {
  /** What was found. */
  public readonly discovered: ObservedResources;
  /** The sampling rule; undefined when tracing is excluded. */
  public readonly samplingRule?: TraceSamplingRule;
  /** The X-Ray groups, one per traced service found; empty when tracing is excluded. */
  public readonly traceGroups: xray.CfnGroup[] = [];
  /** The Contributor Insights rules; undefined when excluded or when no function or `ProtectedRestApi` log group was found. */
  public readonly contributorInsights?: ContributorInsights;
  /** Paths of the tables on which this turned on DynamoDB Contributor Insights for throttled keys. */
  public readonly tablesWithContributorInsights: string[] = [];
  /** The saved queries; undefined when excluded or when no function or `ProtectedRestApi` log group was found. */
  public readonly savedQueries?: SavedQueries;
  /** The dashboard; undefined when excluded. */
  public readonly dashboard?: ServiceDashboard;
  /** The change event rules; undefined when excluded. */
  public readonly changeEvents?: ServiceChangeEvents;
  /** The canaries, one per public endpoint; empty when excluded or when no endpoint is given. */
  public readonly canaries: ContentCanary[] = [];

  constructor(scope: Construct, id: string, props: WorkloadObservabilityProps = {}) {
    super(scope, id);
    const at = `WorkloadObservability at ${this.node.path}`;
    const excluded = validateExclude(at, props.exclude ?? []);
    const included = (part: ObservabilityPart) => !excluded.has(part);
    const endpoints = props.publicEndpoints ?? [];
    validateEndpoints(at, endpoints);

    const workload = props.workload ?? FintechStage.tryEnclosing(this) ?? Stack.of(this);
    const found = discover(workload, Stack.of(this));
    this.discovered = {
      functions: found.functions.map(pathOf),
      restApis: found.restApis.map(pathOf),
      queues: found.queues.map(pathOf),
      deadLetterQueues: [...found.deadLetterQueues.values()].map(pathOf),
      tables: found.tables.map(pathOf),
      stateMachines: found.stateMachines.map(pathOf),
      webServices: found.webServices.map(pathOf),
      skipped: found.skipped,
    };
    const count = found.functions.length + found.restApis.length + found.queues.length + found.tables.length +
      found.stateMachines.length + found.webServices.length;
    if (count === 0) {
      throw new Error(`${at}: ${workload.node.path || '(app)'} has no observable resources (Lambda functions, REST APIs, SQS queues, ` +
        'DynamoDB tables, state machines, web services); create WorkloadObservability after the workload\'s resources, in the same Stack or Stage as they are' +
        `${found.skipped.length > 0 ? ` (skipped: ${found.skipped.join('; ')})` : ''}.`);
    }

    const name = (base: string) => (props.nameBase ? `${props.nameBase}-${base}` : base);
    const functionLogGroups = found.functions.map((fn, i) => this.functionLogGroup(fn, i));
    const accessLogGroups = found.restApis.filter((api): api is ProtectedRestApi => api instanceof ProtectedRestApi).map(api => api.accessLogGroup);

    if (included(ObservabilityPart.TRACING)) {
      // The observability blueprint traces 10% after the reservoir (C11).
      this.samplingRule = new TraceSamplingRule(this, 'Sampling', { fixedRate: props.samplingRate ?? 0.1, nameBase: name('sampling') });
      for (const service of tracedServices(found)) {
        const group = new xray.CfnGroup(this, `${service.label}Traces`, {
          // Group names have the sampling rules' limits, 1-32 characters (X-Ray CreateGroup, checked 2026-12).
          groupName: PhysicalName.of(this, name(`traces-${service.nameSuffix}`), { kind: NameKind.XRAY_SAMPLING_RULE }),
          filterExpression: service.names.map(serviceName => `service("${serviceName}")`).join(' OR '),
          insightsConfiguration: { insightsEnabled: true, notificationsEnabled: false },
        });
        this.traceGroups.push(group);
      }
    }

    if (included(ObservabilityPart.CONTRIBUTOR_INSIGHTS)) {
      if (functionLogGroups.length > 0 || accessLogGroups.length > 0) {
        this.contributorInsights = new ContributorInsights(this, 'ContributorInsights', {
          ...(accessLogGroups.length > 0 ? { apiAccessLogGroups: accessLogGroups } : {}),
          ...(functionLogGroups.length > 0 ? { functionLogGroups } : {}),
          ...(props.nameBase ? { nameBase: props.nameBase } : {}),
        });
      }
      for (const table of found.tables) {
        if (enableThrottledKeyInsights(table)) this.tablesWithContributorInsights.push(pathOf(table));
      }
    }

    const logGroups = [...functionLogGroups, ...accessLogGroups];
    if (included(ObservabilityPart.SAVED_QUERIES) && logGroups.length > 0) {
      this.savedQueries = new SavedQueries(this, 'SavedQueries', { logGroups, nameBase: name('queries') });
    }

    if (included(ObservabilityPart.DASHBOARD)) {
      const dashboard = new ServiceDashboard(this, 'Dashboard', { nameBase: props.nameBase ?? 'service' });
      if (props.kpis) {
        const { namespace, metricNames, dimensions, title, statistic } = props.kpis;
        dashboard.addBusinessMetrics(namespace, metricNames, dimensions, { ...(title ? { title } : {}), ...(statistic ? { statistic } : {}) });
      }
      for (const api of found.restApis) dashboard.addRestApi(api);
      for (const fn of found.functions) dashboard.addFunction(fn);
      for (const stateMachine of found.stateMachines) dashboard.addStateMachine(stateMachine);
      for (const queue of found.queues) dashboard.addQueue(queue, found.deadLetterQueueOf.get(queue));
      for (const table of found.tables) dashboard.addTable(table);
      for (const web of found.webServices) dashboard.addWebService(web.loadBalancer, web.targetGroup, web.service, `Web service ${web.node.path}`);
      this.dashboard = dashboard;
    }

    if (included(ObservabilityPart.CHANGE_EVENTS)) {
      const services = [
        ...(found.functions.length > 0 ? [ChangeEventService.LAMBDA] : []),
        ...(found.restApis.length > 0 ? [ChangeEventService.API_GATEWAY] : []),
        ...(found.tables.length > 0 ? [ChangeEventService.DYNAMODB] : []),
        ...(found.queues.length > 0 ? [ChangeEventService.SQS] : []),
      ];
      const centralBusArn = props.centralBusArn ?? FintechStage.tryEnclosing(this)?.centralMonitoringBusArn;
      this.changeEvents = new ServiceChangeEvents(this, 'ChangeEvents', {
        services,
        ...(centralBusArn !== undefined ? { centralBusArn } : {}),
      });
    }

    if (included(ObservabilityPart.CANARIES)) {
      for (const endpoint of endpoints) {
        const { name: endpointName, ...canaryProps } = endpoint;
        this.canaries.push(new ContentCanary(this, `Canary-${endpointName}`, { ...canaryProps, nameBase: endpoint.nameBase ?? endpointName }));
      }
    }
  }

  // Reading `logGroup` of a function without one of its own would create a LogRetention custom resource: import it by name instead.
  private functionLogGroup(fn: lambda.Function, index: number): logs.ILogGroup {
    const loggingConfig = (fn.node.defaultChild as lambda.CfnFunction).loggingConfig as lambda.CfnFunction.LoggingConfigProperty | undefined;
    if (loggingConfig?.logGroup !== undefined || fn.node.tryFindChild('LogRetention') !== undefined) return fn.logGroup;
    return logs.LogGroup.fromLogGroupName(this, `FunctionLogGroup${index}`, `/aws/lambda/${fn.functionName}`);
  }
}

interface Discovery {
  readonly functions: lambda.Function[];
  readonly restApis: apigateway.RestApiBase[];
  readonly queues: sqs.Queue[];
  readonly deadLetterQueues: Set<sqs.Queue>;
  readonly deadLetterQueueOf: Map<sqs.Queue, sqs.Queue>;
  readonly tables: Array<dynamodb.Table | dynamodb.TableV2>;
  readonly stateMachines: sfn.StateMachine[];
  readonly webServices: FargateWebService[];
  readonly skipped: string[];
}

// Observability constructs: what they contain (a dead-letter queue, a canary's bucket) is not the workload's.
function isObservabilityConstruct(c: IConstruct): boolean {
  return c instanceof WorkloadObservability || c instanceof ServiceChangeEvents || c instanceof ContentCanary || c instanceof CentralMonitoringBus;
}

// One walk of the tree, in creation order; subtrees of nested stages, other environments and observability constructs are pruned.
function discover(workload: IConstruct, here: Stack): Discovery {
  const functions: lambda.Function[] = [];
  const restApis: apigateway.RestApiBase[] = [];
  const queues: sqs.Queue[] = [];
  const tables: Array<dynamodb.Table | dynamodb.TableV2> = [];
  const stateMachines: sfn.StateMachine[] = [];
  const webServices: FargateWebService[] = [];
  const skipped: string[] = [];
  // Functions CDK or a library made for itself: behind a SingletonFunction, or a Provider's framework and handlers.
  // Nodes, since a SingletonFunction names its function only by its node (`permissionsNode`).
  const internal = new Set<Node>();

  const visit = (c: IConstruct): void => {
    if (c !== workload && Stage.isStage(c)) return;
    if (isObservabilityConstruct(c)) return;
    if (Stack.isStack(c) && !sameEnvironment(c, here)) {
      skipped.push(`${pathOf(c)} (another account or region)`);
      return;
    }
    if (c instanceof lambda.SingletonFunction) internal.add(c.permissionsNode);
    if (c instanceof cr.Provider) {
      internal.add(c.onEventHandler.node);
      if (c.isCompleteHandler) internal.add(c.isCompleteHandler.node);
      for (const inner of c.node.findAll()) if (inner instanceof lambda.Function) internal.add(inner.node);
    }
    if (c instanceof lambda.Function) functions.push(c);
    else if (c instanceof apigateway.RestApiBase) restApis.push(c);
    else if (c instanceof sqs.Queue) queues.push(c);
    else if (c instanceof dynamodb.Table || c instanceof dynamodb.TableV2) tables.push(c);
    else if (c instanceof sfn.StateMachine) stateMachines.push(c);
    else if (c instanceof FargateWebService) webServices.push(c);
    for (const child of c.node.children) visit(child);
  };
  visit(workload);

  const observed = functions.filter(fn => !internal.has(fn.node));
  for (const fn of functions) if (internal.has(fn.node)) skipped.push(`${pathOf(fn)} (a function CDK or a library made for itself)`);
  // deploymentStage is unset on an API made with deploy: false; it has no stage to graph.
  const deployed = restApis.filter(api => api.deploymentStage !== undefined);
  for (const api of restApis) if (api.deploymentStage === undefined) skipped.push(`${pathOf(api)} (a REST API without a deployment stage)`);

  const deadLetterQueueOf = new Map<sqs.Queue, sqs.Queue>();
  for (const queue of queues) {
    const dlq = queue.deadLetterQueue?.queue;
    if (dlq instanceof sqs.Queue && queues.includes(dlq)) deadLetterQueueOf.set(queue, dlq);
  }
  const deadLetterQueues = new Set(deadLetterQueueOf.values());
  return {
    functions: observed,
    restApis: deployed,
    queues: queues.filter(queue => !deadLetterQueues.has(queue)),
    deadLetterQueues,
    deadLetterQueueOf,
    tables,
    stateMachines,
    webServices,
    skipped,
  };
}

// Equal strings are the same environment, also for environment-agnostic stacks (the same pseudo-parameter tokens).
function sameEnvironment(stack: Stack, here: Stack): boolean {
  return stack.account === here.account && stack.region === here.region;
}

function tracedServices(found: Discovery): TracedService[] {
  // X-Ray names a function's nodes after the function, a REST API's after `<api name>/<stage>`, a state machine's after it.
  const services: TracedService[] = [
    { label: 'Lambda', nameSuffix: 'lambda', names: found.functions.map(fn => fn.functionName) },
    { label: 'ApiGateway', nameSuffix: 'apigateway', names: found.restApis.map(api => `${api.restApiName}/${api.deploymentStage.stageName}`) },
    { label: 'StepFunctions', nameSuffix: 'stepfunctions', names: found.stateMachines.map(sm => sm.stateMachineName) },
  ];
  return services.filter(service => service.names.length > 0);
}

// Turns on throttled-key insights on a Table whose setting is unset; a setting made by the user, either way, stays.
function enableThrottledKeyInsights(table: dynamodb.Table | dynamodb.TableV2): boolean {
  const cfn = table.node.defaultChild;
  if (!(cfn instanceof dynamodb.CfnTable) || cfn.contributorInsightsSpecification !== undefined) return false;
  cfn.contributorInsightsSpecification = { enabled: true, mode: dynamodb.ContributorInsightsMode.THROTTLED_KEYS };
  return true;
}

function validateExclude(at: string, exclude: readonly string[]): Set<string> {
  for (const part of exclude) {
    if (!ALL_PARTS.includes(part)) {
      throw new Error(`${at}: exclude has "${part}", which is not a part; use some of ${ALL_PARTS.map(p => `'${p}'`).join(', ')} (ObservabilityPart).`);
    }
  }
  return new Set(exclude);
}

function validateEndpoints(at: string, endpoints: readonly PublicEndpoint[]): void {
  const seen = new Set<string>();
  for (const endpoint of endpoints) {
    if (typeof endpoint.name !== 'string' || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(endpoint.name)) {
      throw new Error(`${at}: public endpoint name "${endpoint.name}" is not a short name; use lowercase letters, digits and hyphens, e.g. "health".`);
    }
    if (seen.has(endpoint.name)) {
      throw new Error(`${at}: two public endpoints are named "${endpoint.name}"; give each a name of its own, e.g. "health" and "quote".`);
    }
    seen.add(endpoint.name);
  }
}

function pathOf(c: IConstruct): string {
  return c.node.path;
}
