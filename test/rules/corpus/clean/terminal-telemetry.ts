import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as logsDestinations from 'aws-cdk-lib/aws-logs-destinations';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import {
  ENV, alertTopic, dataKey, dataTable, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, removalFor, tagWorkload,
} from '../careful-team';

/** What a variant of the app leaves out (for the defect corpus). */
export interface TerminalTelemetryOptions {
  /** The telemetry function keeps no failed events: no on-failure destination. */
  readonly telemetryWithoutDestination?: boolean;
  /** The telemetry function's resource policy does not let IoT invoke it. */
  readonly withoutIotPermission?: boolean;
}

/**
 * Card terminal telemetry, handed to functions by three AWS services that invoke them asynchronously: an IoT topic
 * rule sends each terminal's health report to a function that records it (failed rule actions go to an encrypted
 * queue), merchants' fault reports mailed to the support address reach a triage function through an SES receipt
 * rule, and the terminal fleet's error log lines reach an alerting function through a log subscription filter. Every
 * function keeps the events it fails on in one encrypted queue, with an alarm on its first message.
 */
export function build(app: App, stage: string, options: TerminalTelemetryOptions = {}): void {
  const stack = new Stack(app, `TerminalTelemetry-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'terminal-telemetry');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const health = dataTable(stack, 'TerminalHealth', 'terminalId', key, stage);

  const failed = deadLetterQueue(stack, 'FailedEvents', key, stage);
  firstMessageAlarm(stack, 'FailedEventsAlarm', failed, topic);
  const onFailure = new destinations.SqsDestination(failed);
  const fn = (id: string, props: Partial<lambda.FunctionProps> = {}) => {
    const created = handler(stack, id, stage, { onFailure, ...props });
    errorRateAlarm(stack, `${id}Errors`, created, topic);
    return created;
  };

  // IoT: health reports of the terminals, recorded per terminal; a rule action IoT cannot perform goes to the queue.
  const record = fn('RecordHealth', {
    environment: { POWERTOOLS_SERVICE_NAME: 'terminal-telemetry', LOG_LEVEL: 'INFO', TABLE_NAME: health.tableName },
    ...(options.telemetryWithoutDestination ? { onFailure: undefined } : {}),
  });
  health.grantWriteData(record);
  const ruleRole = new iam.Role(stack, 'TelemetryRuleRole', {
    assumedBy: new iam.ServicePrincipal('iot.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
    description: 'Lets the terminal telemetry rule queue the actions it could not perform',
  });
  failed.grantSendMessages(ruleRole);
  const rule = new iot.CfnTopicRule(stack, 'TerminalHealthRule', {
    topicRulePayload: {
      description: 'Terminal health reports',
      sql: 'SELECT terminalId, battery, paperLevel, firmware, timestamp() AS receivedAt FROM \'terminals/+/health\'',
      awsIotSqlVersion: '2016-03-23',
      ruleDisabled: false,
      actions: [{ lambda: { functionArn: record.functionArn } }],
      errorAction: { sqs: { queueUrl: failed.queueUrl, roleArn: ruleRole.roleArn, useBase64: false } },
    },
  });
  if (!options.withoutIotPermission) {
    record.addPermission('FromTelemetryRule', {
      principal: new iam.ServicePrincipal('iot.amazonaws.com'),
      sourceArn: rule.attrArn,
      sourceAccount: stack.account,
    });
  }

  // SES: merchants' fault reports to the support address, triaged by a function (SES invokes it as an Event).
  const triage = fn('TriageFaultReport');
  new ses.ReceiptRuleSet(stack, 'SupportInbound', {
    dropSpam: true,
    rules: [{
      recipients: [`terminal-support-${stage}@bank.example.com`],
      actions: [new sesActions.Lambda({ function: triage })],
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
    }],
  });

  // CloudWatch Logs: the fleet gateway's error lines, each raising an alert through a function.
  const gatewayLogs = new logs.LogGroup(stack, 'FleetGatewayLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  new logs.SubscriptionFilter(stack, 'GatewayErrors', {
    logGroup: gatewayLogs,
    destination: new logsDestinations.LambdaDestination(fn('RaiseGatewayAlert')),
    filterPattern: logs.FilterPattern.stringValue('$.level', '=', 'ERROR'),
  });
}
