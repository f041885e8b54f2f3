import * as path from 'path';
import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { BusinessKpiAlarms, ProtectedRestApi, TracedFunction } from 'fintech-infra-template';

/** The `service` dimension of the KPIs the sample payment function publishes. */
export const OBSERVED_SERVICE = 'observed-payments';

/**
 * A small payment service for the observability tests, whatever workload blueprints the repo has: `POST /payments`
 * through WAF and API Gateway to a function that publishes the payment KPIs with `PaymentKpis`, and `GET /health`.
 */
export class ObservedPaymentServiceStack extends Stack {
  public readonly api: ProtectedRestApi;
  public readonly payments: TracedFunction;
  /** `GET` answers `{"status": "ok"}`: the canary's endpoint. */
  public readonly healthUrl: string;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.payments = new TracedFunction(this, 'Payments', {
      entry: path.join(__dirname, 'integ', 'handlers', 'observed-payment.ts'),
      nameBase: 'observed-payments',
      serviceName: OBSERVED_SERVICE,
      timeout: Duration.seconds(5),
      // API Gateway waits for the answer: nothing is invoked asynchronously.
      asynchronousInvocation: false,
      environment: BusinessKpiAlarms.stageEnvironment(this),
    });
    this.api = new ProtectedRestApi(this, 'Api', { nameBase: 'observed-payments', description: 'Payments observed by the observability tests' });
    this.api.root.addResource('payments').addMethod('POST', new apigateway.LambdaIntegration(this.payments));
    this.healthUrl = this.api.addHealthRoute();
  }
}
