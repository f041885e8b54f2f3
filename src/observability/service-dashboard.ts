import { Duration, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { tableSystemErrors, tableThrottles } from '../alarms/monitor-table';
import { loadBalancerRequests, tasksBelowDesired } from '../alarms/monitor-web-service';
import { ALARM_PERIOD } from '../alarms/monitoring-defaults';
import { PhysicalName } from '../stage/physical-name';

/** Properties of a `ServiceDashboard`. */
export interface ServiceDashboardProps {
  /**
   * Base of the dashboard name, `<application>-<base>-<stage>`.
   *
   * @default 'service'
   */
  readonly nameBase?: string;

  /**
   * Period of every graphed metric.
   *
   * @default Duration.minutes(5), the period of the library's alarms, so graphs and alarms agree
   */
  readonly period?: Duration;
}

/** Options of `ServiceDashboard.addBusinessMetrics`. */
export interface BusinessMetricsOptions {
  /**
   * Title of the row.
   *
   * @default - the namespace
   */
  readonly title?: string;

  /**
   * Statistic of every metric, e.g. `Sum` for counts, `p99` for amounts or durations.
   *
   * @default 'Sum'
   */
  readonly statistic?: string;
}

// A dashboard is 24 units wide: three graphs side by side per row.
const ROW_WIDTH = 24;
const GRAPH_WIDTH = 8;
const GRAPH_HEIGHT = 6;
const TITLE_HEIGHT = 1;
// Narrower business graphs would be unreadable: at most four per line.
const MIN_BUSINESS_GRAPH_WIDTH = 6;

/**
 * A per-stage CloudWatch dashboard built only from metric objects of the resources themselves, so
 * every graph carries its dimensions and never sums the whole account (C10). One row per resource,
 * error rates, latency percentiles, queue and DLQ depth and business metrics side by side.
 */
export class ServiceDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  private readonly period: Duration;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps = {}) {
    super(scope, id);
    this.period = props.period ?? ALARM_PERIOD;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: PhysicalName.of(this, props.nameBase ?? 'service'),
    });
  }

  /** A Lambda function: invocations, errors and throttles; error rate; duration p50, p90, p99. */
  public addFunction(fn: lambda.IFunction, title?: string): void {
    const sum = this.sum();
    const errors = fn.metricErrors(sum);
    const invocations = fn.metricInvocations(sum);
    this.addRow(title ?? `Function ${fn.node.path}`, [
      this.graph('Invocations, errors, throttles', [invocations, errors, fn.metricThrottles(sum)]),
      this.graph('Error rate (%)', [this.rate('error', errors, invocations, 'Error rate (%)')]),
      this.graph('Duration (ms)', [50, 90, 99].map(p => fn.metricDuration(this.percentile(p)))),
    ]);
  }

  /** A queue: messages waiting, dead-letter queue depth, age of the oldest message. */
  public addQueue(queue: sqs.IQueue, deadLetterQueue?: sqs.IQueue, title?: string): void {
    const max = { statistic: cloudwatch.Stats.MAXIMUM, period: this.period };
    this.addRow(title ?? `Queue ${queue.node.path}`, [
      this.graph('Messages visible, in flight', [
        queue.metricApproximateNumberOfMessagesVisible(max), queue.metricApproximateNumberOfMessagesNotVisible(max),
      ]),
      ...(deadLetterQueue ? [this.graph('Dead-letter queue depth', [deadLetterQueue.metricApproximateNumberOfMessagesVisible({ ...max, label: 'DLQ depth' })])] : []),
      this.graph('Age of oldest message (s)', [queue.metricApproximateAgeOfOldestMessage(max)]),
    ]);
  }

  /** One stage of a REST API: requests; 4XX and 5XX rates; latency p50, p90, p99. */
  public addRestApi(api: apigateway.RestApiBase, stage?: apigateway.StageBase, title?: string): void {
    const measured = stage ?? api.deploymentStage;
    const sum = this.sum();
    const count = measured.metricCount(sum);
    this.addRow(title ?? `API ${api.node.path}`, [
      this.graph('Requests', [count]),
      this.graph('Error rates (%)', [
        this.rate('server', measured.metricServerError(sum), count, '5XX rate (%)'),
        this.rate('client', measured.metricClientError(sum), count, '4XX rate (%)'),
      ]),
      this.graph('Latency (ms)', [50, 90, 99].map(p => measured.metricLatency(this.percentile(p)))),
    ]);
  }

  /** A state machine: executions by outcome; failure rate; execution time p50, p99. */
  public addStateMachine(stateMachine: sfn.IStateMachine, title?: string): void {
    const sum = this.sum();
    const started = stateMachine.metricStarted(sum);
    const failed = stateMachine.metricFailed(sum);
    this.addRow(title ?? `State machine ${stateMachine.node.path}`, [
      this.graph('Executions', [started, stateMachine.metricSucceeded(sum), failed, stateMachine.metricTimedOut(sum)]),
      this.graph('Failure rate (%)', [this.rate('failure', failed, started, 'Failure rate (%)')]),
      this.graph('Execution time (ms)', [50, 99].map(p => stateMachine.metricTime(this.percentile(p)))),
    ]);
  }

  /** A DynamoDB table: consumed capacity; throttle events; system errors. */
  public addTable(table: dynamodb.ITable, title?: string): void {
    const sum = this.sum();
    this.addRow(title ?? `Table ${table.node.path}`, [
      this.graph('Consumed read / write capacity', [table.metricConsumedReadCapacityUnits(sum), table.metricConsumedWriteCapacityUnits(sum)]),
      this.graph('Throttle events', [tableThrottles(table).with({ period: this.period })]),
      this.graph('System errors', [tableSystemErrors(table).with({ period: this.period })]),
    ]);
  }

  /**
   * A web service behind an Application Load Balancer (e.g. a `FargateWebService`), graphed like its alarms: requests;
   * target and load balancer 5XX rates; target response time p50, p90, p99; unhealthy targets and tasks below desired
   * (Container Insights).
   */
  public addWebService(loadBalancer: elbv2.IApplicationLoadBalancer, targetGroup: elbv2.IApplicationTargetGroup,
    service: ecs.IBaseService, title?: string): void {
    const sum = this.sum();
    const requests = loadBalancerRequests(loadBalancer).with({ period: this.period });
    this.addRow(title ?? `Web service ${service.node.path}`, [
      this.graph('Requests', [requests]),
      this.graph('Error rates (%)', [
        this.rate('target', loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, sum), loadBalancer.metrics.requestCount(sum), 'Target 5XX rate (%)'),
        this.rate('elb', loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, sum), requests, 'Load balancer 5XX rate (%)'),
      ]),
      this.graph('Target response time (s)', [50, 90, 99].map(p => loadBalancer.metrics.targetResponseTime(this.percentile(p)))),
      this.graph('Unhealthy targets, tasks below desired', [
        targetGroup.metrics.unhealthyHostCount({ statistic: cloudwatch.Stats.MAXIMUM, period: this.period }),
        tasksBelowDesired(service).with({ period: this.period }),
      ]),
    ]);
  }

  /**
   * Business metrics, e.g. those a handler publishes with Powertools Metrics (EMF), one graph each,
   * side by side. The dimensions are required, as the handler sets them (Powertools adds `service`):
   * without them the graph would show nothing or sum every publisher.
   *
   * @param namespace the metrics' namespace, e.g. `Ledger`
   * @param metricNames the metrics to graph, e.g. `['PaymentsCaptured', 'PaymentsDeclined']`
   * @param dimensions the dimensions the metrics are published with, e.g. `{ service: 'payments' }`
   */
  public addBusinessMetrics(namespace: string, metricNames: string[], dimensions: { [name: string]: string },
    options: BusinessMetricsOptions = {}): void {
    const at = `ServiceDashboard at ${this.node.path}`;
    if (!namespace || (!Token.isUnresolved(namespace) && namespace.startsWith('AWS/'))) {
      throw new Error(`${at}: business metrics namespace "${namespace}" must be your own (not empty, not AWS/...); use the namespace your handlers publish to, e.g. 'Ledger'.`);
    }
    if (metricNames.length === 0) {
      throw new Error(`${at}: addBusinessMetrics for namespace "${namespace}" has no metric names; pass the names your handlers publish, e.g. ['PaymentsCaptured'].`);
    }
    if (Object.keys(dimensions).length === 0) {
      throw new Error(`${at}: business metrics of namespace "${namespace}" have no dimensions, so the graphs would show nothing or sum every publisher; ` +
        "pass the dimensions your handlers publish with, e.g. { service: 'payments' } (Powertools Metrics' default dimension).");
    }
    const statistic = options.statistic ?? cloudwatch.Stats.SUM;
    const width = Math.max(MIN_BUSINESS_GRAPH_WIDTH, Math.floor(ROW_WIDTH / metricNames.length));
    const graphs = metricNames.map(metricName => this.graph(metricName, [
      new cloudwatch.Metric({ namespace, metricName, dimensionsMap: dimensions, statistic, period: this.period }),
    ], width));
    this.addRow(options.title ?? namespace, graphs);
  }

  private addRow(title: string, graphs: cloudwatch.IWidget[]): void {
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `### ${title}`, width: ROW_WIDTH, height: TITLE_HEIGHT }));
    this.dashboard.addWidgets(...graphs);
  }

  private graph(title: string, metrics: cloudwatch.IMetric[], width = GRAPH_WIDTH): cloudwatch.GraphWidget {
    return new cloudwatch.GraphWidget({ title, left: metrics, width, height: GRAPH_HEIGHT, period: this.period });
  }

  // Shown rates need no traffic guard (alarms have one), only no division by zero; ids are unique per graph.
  private rate(id: string, errors: cloudwatch.IMetric, requests: cloudwatch.IMetric, label: string): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `IF(FILL(${id}Requests, 0) > 0, 100 * FILL(${id}Errors, 0) / ${id}Requests, 0)`,
      usingMetrics: { [`${id}Errors`]: errors, [`${id}Requests`]: requests },
      period: this.period,
      label,
    });
  }

  private sum(): cloudwatch.MetricOptions {
    return { statistic: cloudwatch.Stats.SUM, period: this.period };
  }

  private percentile(p: number): cloudwatch.MetricOptions {
    return { statistic: cloudwatch.Stats.p(p), period: this.period, label: `p${p}` };
  }
}
