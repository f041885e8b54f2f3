import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/**
 * C19 for HTTP and WebSocket APIs (API Gateway v2): every `AWS::ApiGatewayV2::Stage` writes access logs
 * (`AccessLogSettings.DestinationArn`) and throttles its routes by default (`DefaultRouteSettings` with
 * `ThrottlingRateLimit` and `ThrottlingBurstLimit`). Must not judge: web ACLs (WAF cannot be associated with HTTP or
 * WebSocket APIs), X-Ray (v2 APIs do not support it), route authorization (synth cannot know which routes are meant to be
 * public, e.g. a signed webhook; function URLs without auth are judged by `Fintech-C06-PublicResourcePolicy`), the implicit
 * stage of a quick-create API (`Target` on the Api), and intrinsic settings.
 */
export class HttpApiStageSettings implements FintechRule {
  /** Metadata of `Fintech-C19-HttpApiStageWithoutAccessLogs`. */
  public static readonly WITHOUT_ACCESS_LOGS: RuleInfo = {
    id: 'Fintech-C19-HttpApiStageWithoutAccessLogs',
    catalogId: 'C19',
    title: 'HTTP and WebSocket API stages write access logs',
    description: 'Access logs are the only record of who called a payments API (or opened a WebSocket connection), from where and with which result; audits and incident reviews need them, and they cannot be produced after the fact. HttpApi and WebSocketStage write none unless told to. Not judged: web ACLs and X-Ray (HTTP and WebSocket APIs support neither), route authorization (synth cannot know which routes are meant to be public), the implicit stage of a quick-create API.',
    fix: 'Give the stage accessLogSettings with a destination: new apigwv2.HttpStage(this, "Stage", { httpApi, accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(logGroup) } }), or AccessLogSettings on a CfnStage.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  /** Metadata of `Fintech-C19-HttpApiStageWithoutThrottling`. */
  public static readonly WITHOUT_THROTTLING: RuleInfo = {
    id: 'Fintech-C19-HttpApiStageWithoutThrottling',
    catalogId: 'C19',
    title: 'HTTP and WebSocket API stages throttle their routes',
    description: 'Without a default route throttle an HTTP or WebSocket API takes up to the account-wide limit (10,000 requests per second shared by every API of the region), so one noisy client or retry storm can starve every other API and overrun the backend. Both DefaultRouteSettings limits must be set; per-route settings are not read. Not judged: intrinsic settings.',
    fix: 'Set throttle: { rateLimit, burstLimit } on the HttpStage or WebSocketStage (DefaultRouteSettings ThrottlingRateLimit and ThrottlingBurstLimit on a CfnStage).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'HttpApiStageSettings';
  public readonly infos = [HttpApiStageSettings.WITHOUT_ACCESS_LOGS, HttpApiStageSettings.WITHOUT_THROTTLING];
  public readonly resourceTypes = ['AWS::ApiGatewayV2::Stage'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const findings: RuleFinding[] = [];
    const api = TemplateValue.refTarget(properties.ApiId);
    const protocol = api ? resource.stack.resource(api)?.properties?.ProtocolType : undefined;
    const of = api ? ` of ${typeof protocol === 'string' ? `${protocol} ` : ''}API ${api}` : '';
    const name = typeof properties.StageName === 'string' ? ` "${properties.StageName}"` : '';
    const logs = properties.AccessLogSettings;
    if (!TemplateValue.isIntrinsic(logs) && (!TemplateValue.isObject(logs) || logs.DestinationArn === undefined)) {
      findings.push(findingOn(resource, HttpApiStageSettings.WITHOUT_ACCESS_LOGS.id,
        `${resource.type} ${resource.logicalId}${name}${of} has no AccessLogSettings DestinationArn, so no request to it is logged.`,
        ['Properties/AccessLogSettings']));
    }
    const defaults = properties.DefaultRouteSettings;
    if (!TemplateValue.isIntrinsic(defaults)) {
      const settings = TemplateValue.isObject(defaults) ? defaults : {};
      const missing = ['ThrottlingRateLimit', 'ThrottlingBurstLimit'].filter(limit => settings[limit] === undefined);
      if (missing.length > 0) {
        findings.push(findingOn(resource, HttpApiStageSettings.WITHOUT_THROTTLING.id,
          `${resource.type} ${resource.logicalId}${name}${of} has no DefaultRouteSettings ${missing.join(' or ')}, so its routes are limited only by the account-wide quota.`,
          ['Properties/DefaultRouteSettings']));
      }
    }
    return findings;
  }
}
