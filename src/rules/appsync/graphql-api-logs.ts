import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

/**
 * C19 for AppSync: a GraphQL API writes request logs to CloudWatch Logs, which takes a `LogConfig` (with the
 * `CloudWatchLogsRoleArn` AppSync assumes to write them, which CloudFormation requires; CDK's `logConfig` creates that
 * role). Must not judge: the field log level (`NONE` still writes request-level logs; which resolver details to keep is
 * the team's choice), AppSync Events APIs, intrinsic values.
 */
export class GraphqlApiLogs implements FintechRule {
  /** Metadata of `Fintech-C19-GraphqlApiWithoutLogs`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C19-GraphqlApiWithoutLogs',
    catalogId: 'C19',
    title: 'AppSync GraphQL APIs write request logs',
    description: 'Request logs are the only record of which client ran which query or mutation on a banking API, when, and with which result; audits and incident reviews need them, and they cannot be produced after the fact. ' +
      'AppSync writes them only with a LogConfig. Not judged: the field log level (NONE still writes request logs), AppSync Events APIs, intrinsic settings.',
    fix: 'Set logConfig on the appsync.GraphqlApi (e.g. { fieldLogLevel: FieldLogLevel.ERROR, excludeVerboseContent: true, retention }): CDK creates the role AppSync writes with.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'GraphqlApiLogs';
  public readonly infos = [GraphqlApiLogs.INFO];
  public readonly resourceTypes = ['AWS::AppSync::GraphQLApi'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    if (resource.properties?.LogConfig !== undefined) return [];
    return [findingOn(resource, GraphqlApiLogs.INFO.id,
      `${resource.type} ${resource.logicalId} has no LogConfig, so AppSync writes no request logs: nothing records who ran which query or mutation.`,
      ['Properties/LogConfig'])];
  }
}
