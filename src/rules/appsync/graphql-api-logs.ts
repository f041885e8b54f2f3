import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/**
 * C19 for AppSync: a GraphQL API writes request logs to CloudWatch Logs, which takes a `LogConfig` (with the
 * `CloudWatchLogsRoleArn` AppSync assumes to write them, which CloudFormation requires; CDK's `logConfig` creates that
 * role), and an Events API (`AWS::AppSync::Api`) does the same with `EventConfig.LogConfig`. Must not judge: the log
 * level (for GraphQL, `NONE` still writes request-level logs; which resolver or handler details to keep is the team's
 * choice), intrinsic values, an Events API whose `EventConfig` is an intrinsic.
 */
export class GraphqlApiLogs implements FintechRule {
  /** Metadata of `Fintech-C19-GraphqlApiWithoutLogs`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C19-GraphqlApiWithoutLogs',
    catalogId: 'C19',
    title: 'AppSync GraphQL APIs write request logs',
    description: 'Request logs are the only record of which client ran which query or mutation on a banking API, when, and with which result; audits and incident reviews need them, and they cannot be produced after the fact. ' +
      'AppSync writes them only with a LogConfig. Not judged: the field log level (NONE still writes request logs), intrinsic settings; AppSync Events APIs are Fintech-C19-EventApiWithoutLogs.',
    fix: 'Set logConfig on the appsync.GraphqlApi (e.g. { fieldLogLevel: FieldLogLevel.ERROR, excludeVerboseContent: true, retention }): CDK creates the role AppSync writes with.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  /** Metadata of `Fintech-C19-EventApiWithoutLogs`. */
  public static readonly EVENT_API: RuleInfo = {
    id: 'Fintech-C19-EventApiWithoutLogs',
    catalogId: 'C19',
    title: 'AppSync Events APIs write request logs',
    description: 'An Events API pushes payment and account events to connected clients; its request logs are the only record of which client connected, subscribed to which channel or published what, and when. ' +
      'AppSync writes them only with EventConfig.LogConfig. Not judged: the log level (which handler details to keep is the team\'s choice), intrinsic settings.',
    fix: 'Set logConfig on the appsync.EventApi (e.g. { fieldLogLevel: AppSyncFieldLogLevel.ERROR, retention }): CDK creates the role AppSync writes with; on a CfnApi, set EventConfig.LogConfig with CloudWatchLogsRoleArn and LogLevel.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'GraphqlApiLogs';
  public readonly infos = [GraphqlApiLogs.INFO, GraphqlApiLogs.EVENT_API];
  public readonly resourceTypes = ['AWS::AppSync::GraphQLApi', 'AWS::AppSync::Api'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    if (resource.type === 'AWS::AppSync::Api') return this.checkEventApi(resource);
    if (resource.properties?.LogConfig !== undefined) return [];
    return [findingOn(resource, GraphqlApiLogs.INFO.id,
      `${resource.type} ${resource.logicalId} has no LogConfig, so AppSync writes no request logs: nothing records who ran which query or mutation.`,
      ['Properties/LogConfig'])];
  }

  private checkEventApi(resource: TemplateResource): RuleFinding[] {
    const config = resource.properties?.EventConfig;
    // EventConfig is required by CloudFormation; an intrinsic one is unknown.
    if (config !== undefined && (!TemplateValue.isObject(config) || TemplateValue.isIntrinsic(config))) return [];
    if (config?.LogConfig !== undefined) return [];
    return [findingOn(resource, GraphqlApiLogs.EVENT_API.id,
      `${resource.type} ${resource.logicalId} has no EventConfig.LogConfig, so AppSync writes no request logs: nothing records who connected, subscribed or published.`,
      [config === undefined ? 'Properties/EventConfig' : 'Properties/EventConfig/LogConfig'])];
  }
}
