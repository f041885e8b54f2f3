import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { AlertTopic } from '../alarms/alert-topic';
import { hygienicAlarm } from '../alarms/hygienic-alarm';
import { API_P99_LATENCY, DATAPOINTS_TO_ALARM, EVALUATION_PERIODS } from '../alarms/monitoring-defaults';
import { SecureBucket } from '../data/secure-bucket';
import { CURRENT_SYNTHETICS_NODE_RUNTIME } from '../facts/current-runtimes';
import { NameKind, PhysicalName } from '../stage/physical-name';

/** Properties of a `ContentCanary`. */
export interface ContentCanaryProps {
  /** The https URL requested, e.g. `api.urlForPath('/health')`. */
  readonly url: string;

  /**
   * HTTP status the response must have.
   *
   * @default 200
   */
  readonly expectedStatus?: number;

  /**
   * Text the response body must contain. Set this, `expectedJsonPath`, or both: a canary that checks only
   * reachability passes while the service returns an error page.
   *
   * @default - the body text is not checked
   */
  readonly expectedText?: string;

  /**
   * Dotted JSON path into the response body, e.g. `$.status` or `$.checks.database`, whose value must equal `expectedJsonValue`.
   *
   * @default - the body is not parsed as JSON
   */
  readonly expectedJsonPath?: string;

  /**
   * Value expected at `expectedJsonPath`, compared as text: a string as is, other values as JSON (`true`, `42`, `null`).
   *
   * @default - required when `expectedJsonPath` is set
   */
  readonly expectedJsonValue?: string;

  /**
   * Longest a run's request may take, DNS and TLS included, before the run fails.
   *
   * @default Duration.seconds(3), the p99 latency API alarms tolerate
   */
  readonly maxLatency?: Duration;

  /**
   * How often the canary runs, whole minutes from 1 to 60; also the period of the alarm's metric.
   *
   * @default Duration.minutes(5)
   */
  readonly schedule?: Duration;

  /**
   * Periods the alarm evaluates.
   *
   * @default 3
   */
  readonly alarmEvaluationPeriods?: number;

  /**
   * Failing periods among `alarmEvaluationPeriods` that raise the alarm.
   *
   * @default 2
   */
  readonly alarmDatapointsToAlarm?: number;

  /**
   * How long screenshots, HAR files and logs of runs stay in the artifacts bucket.
   *
   * @default Duration.days(30)
   */
  readonly artifactRetention?: Duration;

  /**
   * Base of the canary name, `<application>-<base>-<stage>`, shortened with a hash to 21 characters.
   *
   * @default 'canary'
   */
  readonly nameBase?: string;
}

// Four runs an hour see an outage within minutes at a few dollars a month per canary.
const DEFAULT_SCHEDULE = Duration.minutes(5);
// A month of run artifacts covers the investigation of any incident the alarm paged for.
const DEFAULT_ARTIFACT_RETENTION = Duration.days(30);
// Dotted paths only: the generated script walks them key by key.
const JSON_PATH = /^\$(\.[A-Za-z0-9_-]+)+$/;

/**
 * A CloudWatch Synthetics canary (C24) that requests an https URL on a schedule and fails a run unless the
 * status is the expected one, the body contains the expected text or JSON value, and the request took less
 * than `maxLatency`. It runs on the library's current Synthetics runtime with active tracing, keeps its
 * artifacts in an encrypted `SecureBucket` with a lifecycle, and alarms to the stage's `AlertTopic` when
 * `SuccessPercent` drops below 100.
 */
export class ContentCanary extends Construct {
  /** The canary. */
  public readonly canary: synthetics.Canary;
  /** Bucket of run artifacts. */
  public readonly artifacts: SecureBucket;
  /** Alarm on `SuccessPercent` below 100. */
  public readonly alarm: cloudwatch.Alarm;
  /** The canary name, at most 21 characters. */
  public readonly canaryName: string;
  /** The generated canary script (`index.handler`). */
  public readonly script: string;

  constructor(scope: Construct, id: string, props: ContentCanaryProps) {
    super(scope, id);
    const at = `ContentCanary at ${this.node.path}`;
    validate(at, props);
    const schedule = props.schedule ?? DEFAULT_SCHEDULE;
    const maxLatency = props.maxLatency ?? API_P99_LATENCY;
    const jsonKeys = props.expectedJsonPath ? props.expectedJsonPath.split('.').slice(1) : undefined;
    this.script = canaryScript({
      url: props.url,
      expectedStatus: props.expectedStatus ?? 200,
      expectedText: props.expectedText,
      jsonKeys,
      expectedJsonValue: props.expectedJsonValue,
      maxLatencyMs: maxLatency.toMilliseconds(),
    });

    this.artifacts = new SecureBucket(this, 'Artifacts');
    const retention = props.artifactRetention ?? DEFAULT_ARTIFACT_RETENTION;
    this.artifacts.addLifecycleRule({
      expiration: retention,
      // The bucket is versioned: expired artifacts leave noncurrent versions that must go too.
      noncurrentVersionExpiration: Duration.days(1),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    });

    this.canaryName = PhysicalName.of(this, props.nameBase ?? 'canary', { kind: NameKind.SYNTHETICS_CANARY });
    this.canary = new synthetics.Canary(this, 'Canary', {
      canaryName: this.canaryName,
      runtime: new synthetics.Runtime(CURRENT_SYNTHETICS_NODE_RUNTIME, synthetics.RuntimeFamily.NODEJS),
      test: synthetics.Test.custom({ code: synthetics.Code.fromInline(this.script), handler: 'index.handler' }),
      schedule: synthetics.Schedule.rate(schedule),
      activeTracing: true,
      artifactsBucketLocation: { bucket: this.artifacts, prefix: 'runs' },
      artifactS3EncryptionMode: synthetics.ArtifactsEncryptionMode.KMS,
      artifactS3KmsKey: this.artifacts.dataKey!.key,
      // Deleting the canary also deletes its function and layer, so ephemeral stages leave nothing behind.
      provisionedResourceCleanup: true,
    });
    // Active tracing sends segments from the canary's function; the CDK default role does not allow it.
    this.canary.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments'], resources: ['*'] }));

    const checks = [
      `status ${props.expectedStatus ?? 200}`,
      ...(props.expectedText !== undefined ? [`body containing ${JSON.stringify(props.expectedText)}`] : []),
      ...(props.expectedJsonPath ? [`${props.expectedJsonPath} = ${JSON.stringify(props.expectedJsonValue)}`] : []),
      `under ${maxLatency.toHumanString()}`,
    ];
    this.alarm = hygienicAlarm(this, 'Alarm', {
      owner: at,
      alarmName: PhysicalName.of(this, `${props.nameBase ?? 'canary'}-success`),
      description: `Canary ${this.canaryName} failed runs against ${Token.isUnresolved(props.url) ? 'its URL' : props.url} ` +
        `(expects ${checks.join(', ')}). Open the canary's runs in the CloudWatch Synthetics console for the failing check, screenshots and logs.`,
      metric: this.canary.metricSuccessPercent({ period: schedule, statistic: cloudwatch.Stats.AVERAGE }),
      threshold: 100,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: props.alarmEvaluationPeriods ?? EVALUATION_PERIODS,
      datapointsToAlarm: props.alarmDatapointsToAlarm ?? Math.min(DATAPOINTS_TO_ALARM, props.alarmEvaluationPeriods ?? EVALUATION_PERIODS),
      // A canary that stops running checks nothing: silence is a failure here.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alertTopic: AlertTopic.of(this),
    });
  }
}

function validate(at: string, props: ContentCanaryProps): void {
  if (typeof props.url !== 'string' || (!Token.isUnresolved(props.url) && !/^https:\/\/[^/\s]+/.test(props.url))) {
    throw new Error(`${at}: url "${props.url}" is not an https URL; pass e.g. "https://api.example.com/health" or api.urlForPath('/health').`);
  }
  const status = props.expectedStatus ?? 200;
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new Error(`${at}: expectedStatus ${status} is not an HTTP status code; use a whole number from 100 to 599, e.g. 200.`);
  }
  if (props.expectedText === undefined && props.expectedJsonPath === undefined) {
    throw new Error(`${at}: neither expectedText nor expectedJsonPath is set, so the canary would check reachability only; ` +
      'set expectedText (e.g. "ok") or expectedJsonPath with expectedJsonValue (e.g. "$.status" and "ok").');
  }
  if (props.expectedText !== undefined && props.expectedText.length === 0) {
    throw new Error(`${at}: expectedText is empty, which every body contains; set the text a healthy response has, e.g. "ok".`);
  }
  if (props.expectedJsonPath !== undefined && !JSON_PATH.test(props.expectedJsonPath)) {
    throw new Error(`${at}: expectedJsonPath "${props.expectedJsonPath}" is not a dotted JSON path; use "$." and keys separated by dots, e.g. "$.checks.database".`);
  }
  if ((props.expectedJsonPath === undefined) !== (props.expectedJsonValue === undefined)) {
    throw new Error(`${at}: expectedJsonPath and expectedJsonValue go together; set both (e.g. "$.status" and "ok") or neither.`);
  }
  const maxLatency = props.maxLatency ?? API_P99_LATENCY;
  if (maxLatency.toMilliseconds() <= 0) {
    throw new Error(`${at}: maxLatency ${maxLatency.toHumanString()} fails every run; use a positive duration such as Duration.seconds(3).`);
  }
  const schedule = props.schedule ?? DEFAULT_SCHEDULE;
  const minutes = schedule.toSeconds() / 60;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
    throw new Error(`${at}: schedule ${schedule.toHumanString()} must be whole minutes from 1 to 60; use e.g. Duration.minutes(5).`);
  }
}


interface ScriptSpec {
  readonly url: string;
  readonly expectedStatus: number;
  readonly expectedText?: string;
  readonly jsonKeys?: string[];
  readonly expectedJsonValue?: string;
  readonly maxLatencyMs: number;
}

// The part of the canary script that does not depend on props; plain JavaScript for the Synthetics Node.js runtime.
const SCRIPT_BODY = [
  'function jsonValueAt(body, keys) {',
  '  let node;',
  '  try {',
  '    node = JSON.parse(body);',
  '  } catch (error) {',
  "    return '(body is not JSON)';",
  '  }',
  '  for (const key of keys) {',
  "    if (node === null || typeof node !== 'object' || !(key in node)) return '(missing)';",
  '    node = node[key];',
  '  }',
  "  return typeof node === 'string' ? node : JSON.stringify(node);",
  '}',
  '',
  'function problemsOf(status, body, latencyMs) {',
  '  const problems = [];',
  "  if (status !== EXPECTED_STATUS) problems.push('status ' + status + ', expected ' + EXPECTED_STATUS);",
  "  if (EXPECTED_TEXT !== null && !body.includes(EXPECTED_TEXT)) problems.push('body does not contain ' + JSON.stringify(EXPECTED_TEXT));",
  '  if (EXPECTED_JSON_PATH !== null) {',
  '    const actual = jsonValueAt(body, EXPECTED_JSON_PATH);',
  "    if (actual !== EXPECTED_JSON_VALUE) problems.push('$.' + EXPECTED_JSON_PATH.join('.') + ' is ' + actual + ', expected ' + EXPECTED_JSON_VALUE);",
  '  }',
  "  if (latencyMs > MAX_LATENCY_MS) problems.push('took ' + latencyMs + ' ms, more than ' + MAX_LATENCY_MS + ' ms');",
  '  return problems;',
  '}',
  '',
  'exports.handler = async () => {',
  '  const started = Date.now();',
  "  await synthetics.executeHttpStep('checkContent', {",
  '    hostname: TARGET.hostname,',
  '    port: TARGET.port || 443,',
  '    path: TARGET.pathname + TARGET.search,',
  "    method: 'GET',",
  "    protocol: 'https:',",
  '  }, (response) => new Promise((resolve, reject) => {',
  "    let body = '';",
  "    response.on('data', (chunk) => { body += chunk; });",
  "    response.on('error', reject);",
  "    response.on('end', () => {",
  '      const latencyMs = Date.now() - started;',
  '      const problems = problemsOf(response.statusCode, body, latencyMs);',
  '      if (problems.length > 0) {',
  "        reject(new Error(TARGET.href + ': ' + problems.join('; ')));",
  '      } else {',
  "        log.info(TARGET.href + ': status ' + response.statusCode + ', content as expected, ' + latencyMs + ' ms');",
  '        resolve();',
  '      }',
  '    });',
  '  }));',
  '};',
  '',
].join('\n');

// Values are embedded with JSON.stringify, so any text in the props stays a string literal in the script.
function canaryScript(spec: ScriptSpec): string {
  return [
    "// Generated by fintech-infra-template's ContentCanary: change the construct's props, not this script.",
    "const synthetics = require('Synthetics');",
    "const log = require('SyntheticsLogger');",
    '',
    `const TARGET = new URL(${JSON.stringify(spec.url)});`,
    `const EXPECTED_STATUS = ${spec.expectedStatus};`,
    `const EXPECTED_TEXT = ${JSON.stringify(spec.expectedText ?? null)};`,
    `const EXPECTED_JSON_PATH = ${JSON.stringify(spec.jsonKeys ?? null)};`,
    `const EXPECTED_JSON_VALUE = ${JSON.stringify(spec.expectedJsonValue ?? null)};`,
    `const MAX_LATENCY_MS = ${spec.maxLatencyMs};`,
    '',
    SCRIPT_BODY,
  ].join('\n');
}
