import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  AmountBand, BusinessKpiAlarms, FintechStage, ObservabilityPart, PaymentKpiMetric, PublicEndpoint, WorkloadObservability,
} from 'fintech-infra-template';

/** A service whose handlers publish payment KPIs with `PaymentKpis` (`fintech-infra-template/lib/observability/payment-kpis`). */
export interface PaymentService {
  /** The handlers' `POWERTOOLS_SERVICE_NAME`, e.g. `payment-webhook`: the `service` dimension the alarms select. */
  readonly serviceName: string;

  /**
   * Expected average payment amount per currency, in minor units: an average outside its band alarms.
   *
   * @default - no amount alarms (the success and fraud rate alarms only)
   */
  readonly averageAmountBands?: AmountBand[];
}

/** Options of `ObservabilityStack`. */
export interface ObservabilityStackProps extends StackProps {
  /**
   * Services publishing payment KPIs: each gets the success rate, fraud rate and amount alarms (`BusinessKpiAlarms`) and a
   * row of the dashboard, the first one on top.
   *
   * @default - no business KPI alarms and no KPI row
   */
  readonly paymentServices?: PaymentService[];

  /**
   * Public endpoints checked from outside by a canary each (status, content and latency), alarmed on their success rate.
   *
   * @default - no canaries
   */
  readonly publicEndpoints?: PublicEndpoint[];

  /**
   * Parts of `WorkloadObservability` to leave out, e.g. `[ObservabilityPart.CANARIES]`.
   *
   * @default - none
   */
  readonly exclude?: ObservabilityPart[];
}

/** The KPIs graphed in a payment service's dashboard row. */
const KPI_ROW = [PaymentKpiMetric.SUCCEEDED, PaymentKpiMetric.FAILED, PaymentKpiMetric.FRAUD_TRIGGERED];

/**
 * What a fintech review asks to see, over every workload stack of the stage it is created in (create it last):
 * `WorkloadObservability` finds the stage's functions, APIs, queues, tables, state machines and web services and adds
 * the X-Ray sampling rule (0.1) and groups, Contributor Insights, saved Logs Insights queries, one dashboard, change
 * events and alarm state changes forwarded to the central monitoring bus (`monitoring` in `.projenrc.ts`), and canaries;
 * `BusinessKpiAlarms` alarm on each payment service's success rate, fraud rate and average amount.
 */
export class ObservabilityStack extends Stack {
  public readonly observability: WorkloadObservability;
  /** The KPI alarms of each payment service, in the order of `paymentServices`. */
  public readonly kpiAlarms: BusinessKpiAlarms[];

  constructor(scope: Construct, id: string, props: ObservabilityStackProps = {}) {
    super(scope, id, props);
    const stage = FintechStage.of(this);
    const services = props.paymentServices ?? [];
    const kpiDimensions = (service: PaymentService) => ({ service: service.serviceName, stage: stage.environmentName });

    this.observability = new WorkloadObservability(this, 'Workload', {
      workload: stage,
      ...(props.exclude ? { exclude: props.exclude } : {}),
      ...(props.publicEndpoints ? { publicEndpoints: props.publicEndpoints } : {}),
      ...(services.length > 0 ? {
        kpis: { namespace: stage.application, metricNames: KPI_ROW, dimensions: kpiDimensions(services[0]), title: `Payments: ${services[0].serviceName}` },
      } : {}),
    });
    for (const service of services.slice(1)) {
      this.observability.dashboard?.addBusinessMetrics(stage.application, KPI_ROW, kpiDimensions(service), { title: `Payments: ${service.serviceName}` });
    }

    this.kpiAlarms = services.map(service => new BusinessKpiAlarms(this, `Kpis-${service.serviceName}`, {
      namespace: stage.application,
      serviceName: service.serviceName,
      ...(service.averageAmountBands ? { averageAmountBands: service.averageAmountBands } : {}),
    }));

    // What operators look for first, and what the integ test reads.
    if (this.observability.dashboard) new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboard.dashboardName });
    for (const group of this.observability.traceGroups) new CfnOutput(this, `${group.node.id}Group`, { value: group.groupName! });
    for (const canary of this.observability.canaries) new CfnOutput(this, `${canary.node.id}Name`, { value: canary.canaryName });
  }
}
