import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

// Stage names that say "production" whatever stage the stack is deployed in.
const PRODUCTION_NAMES = new Set(['prod', 'production']);

/**
 * C19: every API Gateway stage throttles all methods (a `MethodSettings` entry for `/*` and `*`
 * with ThrottlingRateLimit and ThrottlingBurstLimit), writes access logs, and is not named "prod"
 * or "production" inside a stage of another name (CDK's RestApi names its stage "prod" by default).
 * Intrinsic settings are unknown; the stage-name check needs an enclosing stage (`stack.stageName`).
 */
export class StageSettings implements FintechRule {
  /** Stage without default throttling. */
  public static readonly WITHOUT_THROTTLING: RuleInfo = {
    id: 'Fintech-C19-StageWithoutThrottling',
    catalogId: 'C19',
    title: 'API Gateway stages throttle every method',
    description: 'Without stage throttling an API accepts up to the account-wide limit (10,000 requests per second shared by every API of the region), so one noisy client or retry storm can starve every other API and overload the backend. ' +
      'Judged on REST API stages (AWS::ApiGateway::Stage): only a MethodSettings entry for ResourcePath "/*" and HttpMethod "*" ' +
      'with both limits counts, per-method throttling alone does not. ' +
      'Not judged: the implicit stage of a Deployment\'s StageName (Fintech-C19-RestApiWithoutExplicitStage reports an API served only by one), ' +
      'HTTP and WebSocket stages (Fintech-C19-HttpApiStageWithoutThrottling), intrinsic settings.',
    fix: 'Use a ProtectedRestApi, or set deployOptions.throttlingRateLimit and throttlingBurstLimit on the apigateway.RestApi.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Stage without access logs. */
  public static readonly WITHOUT_ACCESS_LOGS: RuleInfo = {
    id: 'Fintech-C19-StageWithoutAccessLogs',
    catalogId: 'C19',
    title: 'API Gateway stages write access logs',
    description: 'Access logs are the only record of who called a payments API, from where and with which result; audits and incident reviews need them, and they cannot be produced after the fact. ' +
      'Judged on REST API stages (AWS::ApiGateway::Stage), whose AccessLogSetting must name a DestinationArn. ' +
      'Not judged: the implicit stage of a Deployment\'s StageName (Fintech-C19-RestApiWithoutExplicitStage reports an API served only by one), ' +
      'HTTP and WebSocket stages (Fintech-C19-HttpApiStageWithoutAccessLogs), the log format and destination, intrinsic settings.',
    fix: 'Use a ProtectedRestApi, or set deployOptions.accessLogDestination (a LogGroupLogDestination) on the apigateway.RestApi.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  /** Stage hard-coded to "prod". */
  public static readonly STAGE_NAME_HARD_CODED: RuleInfo = {
    id: 'Fintech-C19-StageNameHardCoded',
    catalogId: 'C19',
    title: 'API Gateway stage names come from the environment',
    description: 'A stage named "prod" in a dev or staging deployment makes URLs, logs and dashboards claim production; CDK\'s RestApi uses "prod" unless told otherwise. ' +
      'Judged on the StageName of REST API stages and deployments and of HTTP and WebSocket stages. ' +
      'Not judged: stacks outside a stage (directly in the app, with no stage name to compare), names other than prod and production, ' +
      'a name equal to the enclosing stage\'s, intrinsic names.',
    fix: 'Use a ProtectedRestApi, or set deployOptions.stageName to FintechStage.of(this).stageName.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'StageSettings';
  public readonly infos = [StageSettings.WITHOUT_THROTTLING, StageSettings.WITHOUT_ACCESS_LOGS, StageSettings.STAGE_NAME_HARD_CODED];
  // HTTP and WebSocket API stages are judged for their name only; their logs and throttling by Fintech-C19-HttpApiStage*.
  public readonly resourceTypes = ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment', 'AWS::ApiGatewayV2::Stage'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const findings: RuleFinding[] = [];
    const name = properties.StageName;
    const stageName = resource.stack.stageName;
    if (typeof name === 'string' && PRODUCTION_NAMES.has(name.toLowerCase()) && stageName !== '' && stageName.toLowerCase() !== name.toLowerCase()) {
      findings.push(findingOn(resource, StageSettings.STAGE_NAME_HARD_CODED.id,
        `${resource.type} ${resource.logicalId} has StageName "${name}" but is deployed in stage "${stageName}".`, ['Properties/StageName']));
    }
    // A deployment's implicit stage is judged by Fintech-C19-RestApiWithoutExplicitStage; its settings live in StageDescription.
    if (resource.type !== 'AWS::ApiGateway::Stage') return findings;
    if (throttlesEveryMethod(properties.MethodSettings) === false) {
      findings.push(findingOn(resource, StageSettings.WITHOUT_THROTTLING.id,
        `${resource.type} ${resource.logicalId} has no MethodSettings entry for ResourcePath "/*" and HttpMethod "*" with ThrottlingRateLimit and ThrottlingBurstLimit, so it is limited only by the account-wide quota.`,
        ['Properties/MethodSettings']));
    }
    const accessLogs = properties.AccessLogSetting;
    if (!TemplateValue.isIntrinsic(accessLogs) && (!TemplateValue.isObject(accessLogs) || accessLogs.DestinationArn === undefined)) {
      findings.push(findingOn(resource, StageSettings.WITHOUT_ACCESS_LOGS.id,
        `${resource.type} ${resource.logicalId} has no AccessLogSetting DestinationArn, so no request to it is logged.`, ['Properties/AccessLogSetting']));
    }
    return findings;
  }
}

/** Whether method settings throttle every method by default; undefined when they cannot be read. */
function throttlesEveryMethod(settings: unknown): boolean | undefined {
  if (settings === undefined) return false;
  if (!Array.isArray(settings)) return undefined;
  let unknown = false;
  for (const setting of settings) {
    if (!TemplateValue.isObject(setting) || TemplateValue.isIntrinsic(setting)) {
      unknown = true;
      continue;
    }
    const path = setting.ResourcePath;
    const method = setting.HttpMethod;
    if (TemplateValue.isIntrinsic(path) || TemplateValue.isIntrinsic(method)) {
      unknown = true;
      continue;
    }
    if (path === '/*' && method === '*' && setting.ThrottlingRateLimit !== undefined && setting.ThrottlingBurstLimit !== undefined) return true;
  }
  return unknown ? undefined : false;
}
