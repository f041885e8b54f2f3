import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** Properties of an `InvokeFunctionTask`. JSONPath only: the catch keeps the error at `errorPath`. */
export interface InvokeFunctionTaskProps extends sfn.TaskStateJsonPathBaseProps {
  /** The function to invoke. */
  readonly lambdaFunction: lambda.IFunction;

  /**
   * The payload sent to the function.
   *
   * @default - the state input
   */
  readonly payload?: sfn.TaskInput;

  /**
   * Synchronous (wait for the result) or asynchronous (fire and forget) invocation.
   *
   * @default tasks.LambdaInvocationType.REQUEST_RESPONSE
   */
  readonly invocationType?: tasks.LambdaInvocationType;

  /**
   * Base64-encoded client context passed to the function.
   *
   * @default - none
   */
  readonly clientContext?: string;

  /**
   * Wait before the first retry of a Lambda service error.
   *
   * @default Duration.seconds(2)
   */
  readonly retryInterval?: Duration;

  /**
   * Attempts after the first failure; 0 turns retries off.
   *
   * @default 6
   */
  readonly retryMaxAttempts?: number;

  /**
   * Factor by which the wait grows with each retry, at least 1.
   *
   * @default 2
   */
  readonly retryBackoffRate?: number;

  /**
   * Jitter of the retry waits.
   *
   * @default sfn.JitterType.FULL
   */
  readonly retryJitter?: sfn.JitterType;

  /**
   * Where the execution goes on any error that retries did not resolve (`States.ALL`).
   *
   * @default - a new `Fail` state, named "<task> failed", reporting the caught error and cause
   */
  readonly failureState?: sfn.IChainable;

  /**
   * Where the caught error (`Error` and `Cause`) is put in the state's input before `failureState` runs.
   *
   * @default '$.error'
   */
  readonly errorPath?: string;
}

// The transient Lambda errors Step Functions recommends retrying ("Handle transient Lambda service exceptions",
// Step Functions developer guide, checked 2026-11); TooManyRequests is throttling, which backoff resolves.
const RETRIED_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
];
// The values of that guide: 2 s doubling over 6 attempts covers about two minutes of service trouble.
const DEFAULT_RETRY_INTERVAL = Duration.seconds(2);
const DEFAULT_RETRY_MAX_ATTEMPTS = 6;
const DEFAULT_RETRY_BACKOFF_RATE = 2;
// Full jitter spreads the retries of executions that failed together, so they do not throttle the function again in step.
const DEFAULT_RETRY_JITTER = sfn.JitterType.FULL;
const DEFAULT_ERROR_PATH = '$.error';

/**
 * A Step Functions task that invokes a Lambda function through the `lambda:invoke` service
 * integration, never the bare function ARN (C13). Lambda service errors and throttling are retried
 * with exponential backoff and full jitter; any error left over is caught (`States.ALL`), kept at
 * `errorPath`, and sends the execution to a failure state.
 */
export class InvokeFunctionTask extends tasks.LambdaInvoke {
  /** The state the execution goes to when the invocation fails for good. */
  public readonly failureState: sfn.IChainable;

  constructor(scope: Construct, id: string, props: InvokeFunctionTaskProps) {
    const at = `InvokeFunctionTask at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    validate(at, props);
    super(scope, id, {
      ...props,
      // Our own retry below replaces LambdaInvoke's, which has no jitter and no throttling retry.
      retryOnServiceExceptions: false,
      // payloadResponseOnly would put the bare function ARN in the state: never allowed here.
      payloadResponseOnly: false,
    });
    this.addRetry({
      errors: RETRIED_LAMBDA_ERRORS,
      interval: props.retryInterval ?? DEFAULT_RETRY_INTERVAL,
      maxAttempts: props.retryMaxAttempts ?? DEFAULT_RETRY_MAX_ATTEMPTS,
      backoffRate: props.retryBackoffRate ?? DEFAULT_RETRY_BACKOFF_RATE,
      jitterStrategy: props.retryJitter ?? DEFAULT_RETRY_JITTER,
    });
    const errorPath = props.errorPath ?? DEFAULT_ERROR_PATH;
    this.failureState = props.failureState ?? new sfn.Fail(this, 'Failed', {
      stateName: `${props.stateName ?? id} failed`,
      errorPath: `${errorPath}.Error`,
      causePath: `${errorPath}.Cause`,
    });
    this.addCatch(this.failureState, { errors: [sfn.Errors.ALL], resultPath: errorPath });
  }
}

function validate(at: string, props: InvokeFunctionTaskProps): void {
  if (props.queryLanguage === sfn.QueryLanguage.JSONATA) {
    throw new Error(`${at}: queryLanguage is JSONATA, but InvokeFunctionTask keeps the caught error at a JSONPath (errorPath); drop queryLanguage or set it to JSON_PATH for this task.`);
  }
  const attempts = props.retryMaxAttempts;
  if (attempts !== undefined && !Token.isUnresolved(attempts) && (!Number.isInteger(attempts) || attempts < 0)) {
    throw new Error(`${at}: retryMaxAttempts ${attempts} must be a whole number, 0 or more; use the default ${DEFAULT_RETRY_MAX_ATTEMPTS} unless the function must not be invoked twice.`);
  }
  const rate = props.retryBackoffRate;
  if (rate !== undefined && !Token.isUnresolved(rate) && rate < 1) {
    throw new Error(`${at}: retryBackoffRate ${rate} is below 1, so retries would come faster and faster; use 1 (fixed wait) or more, default ${DEFAULT_RETRY_BACKOFF_RATE}.`);
  }
  const errorPath = props.errorPath;
  if (errorPath !== undefined && !/^\$\.[A-Za-z0-9_.]+$/.test(errorPath)) {
    throw new Error(`${at}: errorPath "${errorPath}" is not a JSONPath into the state input; use a path such as "$.error".`);
  }
}
