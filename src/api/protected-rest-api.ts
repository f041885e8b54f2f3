import { CfnOutput, Duration, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ApiGatewayAccountSetting } from './api-gateway-account-setting';
import { RestApiMonitoringOptions } from '../alarms/monitor-options';
import { monitorRestApi } from '../alarms/monitor-rest-api';
import { DataKey, KeyConsumer } from '../encryption/data-key';
import { FintechWebAcl, WebAclScope } from '../network/fintech-web-acl';
import { FintechStage } from '../stage/fintech-stage';
import { followStage } from '../stage/follow-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { kebabId } from '../stage/stage-path-base';

// Public through this module: the index exports it with the API that uses it.

/** Properties of a `ProtectedRestApi`. */
export interface ProtectedRestApiProps {
  /**
   * Name of the API Gateway stage. Inside a `FintechStage` the stage is always named after the
   * environment (`dev`, `prod`, ...), so this may only repeat that name; outside one it is required
   * unless the `fintech:stage` context names the stage.
   *
   * @default - the environment name of the enclosing `FintechStage`, else the `fintech:stage` context
   */
  readonly stageName?: string;

  /**
   * Base of the physical names: the API `<application>-<base>-<stage>`, the web ACL
   * `<application>-<base>-waf-<stage>` and the access log group `<application>-<base>-access-logs-<stage>`.
   * Only used inside a `FintechStage`.
   *
   * @default - the construct id in kebab case, e.g. `payments-api` for `PaymentsApi`
   */
  readonly nameBase?: string;

  /**
   * Description of the API.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Steady-state requests per second the stage accepts from all clients together; API Gateway
   * answers 429 above it.
   *
   * @default 100
   */
  readonly rateLimit?: number;

  /**
   * Requests the stage accepts at once above `rateLimit` (the token bucket's size).
   *
   * @default 200
   */
  readonly burstLimit?: number;

  /**
   * Requests per second one client IP address may send before the web ACL blocks it. WAF counts
   * per evaluation window, so the rule's limit is this figure times `rateEvaluationWindow`; a figure
   * whose limit falls below WAF's minimum of 10 fails synth.
   *
   * @default 10
   */
  readonly requestsPerSecondPerIp?: number;

  /**
   * Window over which WAF counts each IP's requests: 60, 120, 300 or 600 seconds.
   *
   * @default Duration.seconds(60)
   */
  readonly rateEvaluationWindow?: Duration;

  /**
   * AWS managed rule groups to add to the three every API gets (AWSManagedRulesCommonRuleSet,
   * AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesAmazonIpReputationList), by name,
   * e.g. `AWSManagedRulesSQLiRuleSet`. Evaluated after those, in the order given.
   *
   * @default - none
   */
  readonly additionalManagedRuleGroups?: string[];

  /**
   * How long access logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly accessLogRetention?: logs.RetentionDays;

  /**
   * Key that encrypts the access log group; Logs is allowed to use it for this API's access log group.
   *
   * @default - a new `DataKey` inside a `FintechStage`, otherwise a new KMS key with rotation on
   */
  readonly dataKey?: DataKey;

  /**
   * Make sure the account's API Gateway CloudWatch role (`AWS::ApiGateway::Account`), without which
   * API Gateway cannot write access logs, is set before the stage is created. It is one setting per
   * account and region, so the API does not create its own: it uses `ApiGatewayAccountSetting.of(this)`,
   * one per `FintechStage` and region (in the stage's `ApiGatewayAccount` stack, which the API's stack
   * then depends on), or one per stack outside a `FintechStage`. Set false where the account baseline
   * already sets it.
   *
   * @default true
   */
  readonly cloudWatchRole?: boolean;

  /**
   * Integration of methods that do not name one.
   *
   * @default - none
   */
  readonly defaultIntegration?: apigateway.Integration;

  /**
   * Options of methods that do not set their own, e.g. an authorizer.
   *
   * @default - none
   */
  readonly defaultMethodOptions?: apigateway.MethodOptions;

  /**
   * Media types the API treats as binary.
   *
   * @default - none
   */
  readonly binaryMediaTypes?: string[];

  /**
   * Resource policy of the API.
   *
   * @default - no resource policy
   */
  readonly policy?: iam.PolicyDocument;

  /**
   * The stage's alarms (C07, C09): 5XX rate, 4XX rate and p99 latency; outside a `FintechStage` too
   * (the stack's `AlertTopic` then has no email subscribed: subscribe one, or give `alertTopic`).
   *
   * @default - all three, routed to the stack's `AlertTopic`
   */
  readonly monitoring?: RestApiMonitoring;
}

/** What a `ProtectedRestApi` alarms on. */
export interface RestApiMonitoring extends RestApiMonitoringOptions {
  /**
   * Create the alarms. Turn off only where another alarm watches the API.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

// A ceiling well below the account's shared 10,000 rps quota, so one API cannot starve the others in the account; raise it from measured traffic.
const DEFAULT_RATE_LIMIT = 100;
// Twice the rate absorbs a short spike (e.g. a client's retry wave) without letting it last.
const DEFAULT_BURST_LIMIT = 200;
// PCI DSS v4.0 requirement 10.5.1: keep audit log history for at least 12 months.
const DEFAULT_ACCESS_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
// API Gateway stage names: letters, digits, hyphens and underscores, at most 128 characters (CreateStage API reference, checked 2026-11).
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** Where each `$context` variable goes in the JSON access log: who called, what, and what WAF and the integration said. */
const ACCESS_LOG_FIELDS: { [field: string]: string } = {
  requestId: apigateway.AccessLogField.contextRequestId(),
  extendedRequestId: apigateway.AccessLogField.contextExtendedRequestId(),
  ip: apigateway.AccessLogField.contextIdentitySourceIp(),
  caller: apigateway.AccessLogField.contextIdentityCaller(),
  user: apigateway.AccessLogField.contextIdentityUser(),
  userAgent: apigateway.AccessLogField.contextIdentityUserAgent(),
  requestTime: apigateway.AccessLogField.contextRequestTime(),
  httpMethod: apigateway.AccessLogField.contextHttpMethod(),
  resourcePath: apigateway.AccessLogField.contextResourcePath(),
  status: apigateway.AccessLogField.contextStatus(),
  protocol: apigateway.AccessLogField.contextProtocol(),
  responseLength: apigateway.AccessLogField.contextResponseLength(),
  responseLatency: apigateway.AccessLogField.contextResponseLatency(),
  integrationStatus: apigateway.AccessLogField.contextIntegrationStatus(),
  integrationError: apigateway.AccessLogField.contextIntegrationErrorMessage(),
  wafResponseCode: apigateway.AccessLogField.contextWafResponseCode(),
  xrayTraceId: apigateway.AccessLogField.contextXrayTraceId(),
};

/**
 * An API Gateway REST API that is protected and observable by default (C11, C19): a regional
 * endpoint; one explicit stage named after the environment, with X-Ray tracing, metrics, stage
 * throttling and JSON access logs to a KMS-encrypted log group (retained in durable stages); and a
 * WAFv2 web ACL on the stage with AWS managed rule groups and a per-IP rate rule built from a
 * per-second figure. Alarms on the stage's 5XX rate, 4XX rate and p99 latency go to the stack's
 * `AlertTopic` (C07, C08, C09). Access logging needs the account's API Gateway CloudWatch role: the API
 * uses the one `ApiGatewayAccountSetting` of its stage and region instead of creating its own.
 * Use it like `apigateway.RestApi`: `api.root.addResource('payments').addMethod('POST', ...)`.
 */
export class ProtectedRestApi extends apigateway.RestApi {
  /** The stage's name: the environment name inside a `FintechStage`. */
  public readonly stageName: string;
  /** The log group that receives the stage's JSON access logs. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The key that encrypts the access logs. */
  public readonly accessLogKey: kms.IKey;
  /** The web ACL associated with the stage. */
  public readonly webAcl: FintechWebAcl;
  /** The web ACL's name, when physical names come from the `FintechStage`. */
  public readonly webAclName?: string;
  /** The per-IP limit of the rate rule, in requests per evaluation window. */
  public readonly rateLimitPerWindow: number;
  /** The rate rule's evaluation window, in seconds. */
  public readonly rateEvaluationWindowSeconds: number;
  /** The stage's alarms: 5XX rate, 4XX rate, then p99 latency; empty when monitoring is off. */
  public readonly alarms: cloudwatch.Alarm[];

  private readonly deployment: apigateway.Deployment;

  constructor(scope: Construct, id: string, props: ProtectedRestApiProps = {}) {
    const at = `ProtectedRestApi at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    const stage = enclosingStage(scope);
    const stageName = resolveStageName(at, stage, props.stageName, stage ? '' : FintechStage.settingsOf(scope).stageName);
    const nameBase = props.nameBase ?? kebabId(id, 'api');
    const name = (base: string, kind?: NameKind) => (stage ? PhysicalName.of(scope, base, { kind }) : undefined);
    const restApiName = name(nameBase);

    super(scope, id, {
      ...(restApiName ? { restApiName } : {}),
      description: props.description,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      deploy: false,
      // One account setting per stage and region (ApiGatewayAccountSetting), never one per API: each would overwrite the last.
      cloudWatchRole: false,
      defaultIntegration: props.defaultIntegration,
      defaultMethodOptions: props.defaultMethodOptions,
      binaryMediaTypes: props.binaryMediaTypes,
      policy: props.policy,
    });
    this.stageName = stageName;
    followStage(this);

    const rateLimit = props.rateLimit ?? DEFAULT_RATE_LIMIT;
    const burstLimit = props.burstLimit ?? DEFAULT_BURST_LIMIT;
    checkThrottling(at, rateLimit, burstLimit);

    const logGroupName = name(`${nameBase}-access-logs`, NameKind.LOG_GROUP);
    this.accessLogKey = this.createAccessLogKey(stage, nameBase, logGroupName, props.dataKey);
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      ...(logGroupName ? { logGroupName } : {}),
      encryptionKey: this.accessLogKey,
      retention: props.accessLogRetention ?? DEFAULT_ACCESS_LOG_RETENTION,
    });

    if (props.cloudWatchRole ?? true) {
      // RestApiBase makes every stage attached later depend on cloudWatchAccount, so access logging works on first deploy.
      this.cloudWatchAccount = ApiGatewayAccountSetting.of(this).cfnAccount;
    }
    this.deployment = new apigateway.Deployment(this, 'Deployment', { api: this, description: props.description ?? `Deployment of ${stageName}` });
    this.deploymentStage = new apigateway.Stage(this, 'Stage', {
      deployment: this.deployment,
      stageName,
      tracingEnabled: true,
      metricsEnabled: true,
      throttlingRateLimit: rateLimit,
      throttlingBurstLimit: burstLimit,
      accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
      accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
    });
    // Stack outputs are what integ tests and other stacks read (C22); RestApi adds the same one when it deploys itself.
    new CfnOutput(this, 'Endpoint', { value: this.urlForPath() });

    this.webAclName = name(`${nameBase}-waf`);
    const webAcl = new FintechWebAcl(this, 'WebAcl', {
      scope: WebAclScope.REGIONAL,
      webAclName: this.webAclName,
      description: `Protects ${this.webAclName ? restApiName : id} stage ${stageName}`,
      requestsPerSecondPerIp: props.requestsPerSecondPerIp,
      rateEvaluationWindow: props.rateEvaluationWindow,
      additionalManagedRuleGroups: props.additionalManagedRuleGroups,
    });
    this.webAcl = webAcl;
    this.rateLimitPerWindow = webAcl.rateLimitPerWindow;
    this.rateEvaluationWindowSeconds = webAcl.rateEvaluationWindowSeconds;
    webAcl.associate('WebAclAssociation', this.deploymentStage.stageArn);
    this.alarms = this.monitor(at, props.monitoring ?? {});
  }

  /**
   * Adds a custom domain name that maps to this API. Unless `options` says otherwise it accepts
   * TLS 1.2 and newer only (C18): API Gateway's own default still accepts TLS 1.0.
   */
  public override addDomainName(id: string, options: apigateway.DomainNameOptions): apigateway.DomainName {
    return super.addDomainName(id, { securityPolicy: apigateway.SecurityPolicy.TLS_1_2, ...options });
  }

  /**
   * Adds `GET /<path>` answered by API Gateway itself with 200 and `{"status": "ok"}`, no function behind it: what a canary
   * or an uptime check requests to prove DNS, TLS, WAF and the deployed stage (check `$.status` equals `ok`).
   *
   * @param path the resource path part, e.g. `health`
   * @returns the URL of the route on this API's stage
   */
  public addHealthRoute(path: string = 'health'): string {
    if (!Token.isUnresolved(path) && !/^[A-Za-z0-9._-]+$/.test(path)) {
      throw new Error(`ProtectedRestApi at ${this.node.path}: addHealthRoute path "${path}" is not one path part; use letters, digits, '.', '_' or '-', e.g. 'health'.`);
    }
    this.root.addResource(path).addMethod('GET', new apigateway.MockIntegration({
      // A request template that sets the status is what makes the mock answer; no other content type reaches it.
      passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"status": "ok"}' } }],
    }), { methodResponses: [{ statusCode: '200' }] });
    return this.urlForPath(`/${path}`);
  }

  /** The deployment of the stage; methods and resources added later change its logical id, so each change redeploys. */
  public override get latestDeployment(): apigateway.Deployment | undefined {
    return this.deployment;
  }

  private monitor(at: string, monitoring: RestApiMonitoring): cloudwatch.Alarm[] {
    const { enabled = true, ...thresholds } = monitoring;
    if (!enabled) return [];
    const { serverErrors, clientErrors, latency } = monitorRestApi(this, this, { ...thresholds, stage: this.deploymentStage, owner: at });
    return [serverErrors.alarm, clientErrors.alarm, latency];
  }

  private createAccessLogKey(stage: FintechStage | undefined, nameBase: string,
    logGroupName: string | undefined, dataKey: DataKey | undefined): kms.IKey {
    const stack = Stack.of(this);
    const logGroupArn = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${logGroupName ?? '*'}`;
    if (stage || dataKey) {
      const key = dataKey ?? new DataKey(this, 'AccessLogKey', { aliasBase: `${nameBase}-access-logs` });
      key.allowService(KeyConsumer.LOGS, { sourceArn: logGroupArn });
      return key.key;
    }
    const key = new kms.Key(this, 'AccessLogKey', { enableKeyRotation: true, description: `Access logs of ${this.node.path}` });
    // CloudWatch Logs encrypts with the log group ARN in the encryption context (its principal is regional).
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
    }));
    return key;
  }
}

function enclosingStage(scope: Construct): FintechStage | undefined {
  for (let current: Construct | undefined = scope; current; current = current.node.scope as Construct | undefined) {
    if (FintechStage.isFintechStage(current)) return current;
  }
  return undefined;
}

// Inside a FintechStage, its environment; outside, the given name, else the fintech:stage context.
function resolveStageName(at: string, stage: FintechStage | undefined, given: string | undefined, fromContext: string): string {
  if (stage) {
    if (given !== undefined && given !== stage.environmentName) {
      throw new Error(`${at}: stageName "${given}" differs from the environment "${stage.environmentName}" of its FintechStage; ` +
        'the API stage is named after the environment so each environment has its own. Drop stageName.');
    }
    return stage.environmentName;
  }
  if (given === undefined) {
    if (fromContext) return fromContext;
    throw new Error(`${at}: the API is not inside a FintechStage and no fintech:stage context is set, so its stage cannot be named after the environment; ` +
      'set stageName, e.g. stageName: \'dev\', set the context (-c fintech:stage=dev), or create it inside a FintechStage.');
  }
  if (Token.isUnresolved(given) || !STAGE_NAME.test(given)) {
    throw new Error(`${at}: stageName "${given}" is not a valid API Gateway stage name; use 1-128 letters, digits, hyphens or underscores, e.g. 'dev'.`);
  }
  return given;
}

function checkThrottling(at: string, rateLimit: number, burstLimit: number): void {
  if (!Token.isUnresolved(rateLimit) && !(Number.isFinite(rateLimit) && rateLimit > 0)) {
    throw new Error(`${at}: rateLimit ${rateLimit} must be a positive number of requests per second; use the default ${DEFAULT_RATE_LIMIT} or the rate you measured.`);
  }
  if (!Token.isUnresolved(burstLimit) && !(Number.isInteger(burstLimit) && burstLimit >= 1)) {
    throw new Error(`${at}: burstLimit ${burstLimit} must be a whole number of at least 1 (0 rejects every request); use the default ${DEFAULT_BURST_LIMIT}.`);
  }
}
