import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PhysicalName } from '../stage/physical-name';

/** Which access log field identifies an API consumer. */
export enum ApiConsumerKey {
  /** The client's source IP (`$context.identity.sourceIp`, logged as `ip`). */
  IP = 'ip',
  /** The IAM caller of a signed request (`$context.identity.caller`, logged as `caller`). */
  CALLER = 'caller',
}

/** Which Powertools log key groups error lines. */
export enum FunctionErrorKey {
  /** The Lambda function's name (`function_name`, added by the logger's Lambda context). */
  FUNCTION_NAME = 'function_name',
  /** The Powertools service name (`service`, from `POWERTOOLS_SERVICE_NAME`). */
  SERVICE = 'service',
}

/** Properties of `ContributorInsights`. */
export interface ContributorInsightsProps {
  /**
   * API Gateway access log groups in JSON (as `ProtectedRestApi` writes them), for the top API consumers rule.
   *
   * @default - no top API consumers rule
   */
  readonly apiAccessLogGroups?: logs.ILogGroup[];

  /**
   * Field that identifies a consumer in the access logs.
   *
   * @default ApiConsumerKey.IP
   */
  readonly apiConsumerKey?: ApiConsumerKey;

  /**
   * Lambda log groups with Powertools structured JSON logs, for the error-prone functions rule.
   *
   * @default - no error-prone functions rule
   */
  readonly functionLogGroups?: logs.ILogGroup[];

  /**
   * Key that groups ERROR lines.
   *
   * @default FunctionErrorKey.FUNCTION_NAME
   */
  readonly functionErrorKey?: FunctionErrorKey;

  /**
   * Part of the rule names after the application, e.g. `payments` for `<application>-payments-top-api-consumers-<stage>`.
   *
   * @default - none: `<application>-top-api-consumers-<stage>`, `<application>-error-prone-functions-<stage>`
   */
  readonly nameBase?: string;
}

// API Gateway writes "-" for a context variable without a value, e.g. the caller of an unsigned request.
const MISSING_CONTEXT_VALUE = '-';

/**
 * CloudWatch Contributor Insights rules (C24): the top API consumers from JSON access logs (by `ip` or
 * `caller`), and the functions that log the most errors from Powertools JSON logs (level ERROR, by
 * `function_name` or `service`). Rule bodies are built from these props, never written by hand.
 */
export class ContributorInsights extends Construct {
  /** The top API consumers rule, when `apiAccessLogGroups` is set. */
  public readonly topApiConsumers?: cloudwatch.CfnInsightRule;
  /** The error-prone functions rule, when `functionLogGroups` is set. */
  public readonly errorProneFunctions?: cloudwatch.CfnInsightRule;

  constructor(scope: Construct, id: string, props: ContributorInsightsProps) {
    super(scope, id);
    const at = `ContributorInsights at ${this.node.path}`;
    const apiLogGroups = props.apiAccessLogGroups ?? [];
    const functionLogGroups = props.functionLogGroups ?? [];
    if (apiLogGroups.length === 0 && functionLogGroups.length === 0) {
      throw new Error(`${at}: neither apiAccessLogGroups nor functionLogGroups is set, so there is nothing to rank; pass e.g. apiAccessLogGroups: [api.accessLogGroup] or functionLogGroups: [fn.logGroup].`);
    }
    const name = (rule: string) => PhysicalName.of(this, props.nameBase ? `${props.nameBase}-${rule}` : rule);

    if (apiLogGroups.length > 0) {
      const key = props.apiConsumerKey ?? ApiConsumerKey.IP;
      this.topApiConsumers = this.rule('TopApiConsumers', name('top-api-consumers'), apiLogGroups, {
        Keys: [`$.${key}`],
        ...(key === ApiConsumerKey.CALLER ? { Filters: [{ Match: `$.${key}`, NotIn: [MISSING_CONTEXT_VALUE] }] } : {}),
      });
    }
    if (functionLogGroups.length > 0) {
      const key = props.functionErrorKey ?? FunctionErrorKey.FUNCTION_NAME;
      this.errorProneFunctions = this.rule('ErrorProneFunctions', name('error-prone-functions'), functionLogGroups, {
        Keys: [`$.${key}`],
        Filters: [{ Match: '$.level', In: ['ERROR'] }],
      });
    }
  }

  private rule(id: string, ruleName: string, logGroups: logs.ILogGroup[], contribution: object): cloudwatch.CfnInsightRule {
    const body = {
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: logGroups.map(group => group.logGroupName),
      LogFormat: 'JSON',
      Contribution: contribution,
      AggregateOn: 'Count',
    };
    return new cloudwatch.CfnInsightRule(this, id, {
      ruleName,
      ruleState: 'ENABLED',
      // toJsonString keeps log group names that are tokens as references inside the JSON text.
      ruleBody: Stack.of(this).toJsonString(body),
    });
  }
}
