import { App, Stack } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ENV, alertTopic, dataKey, dataTable, errorRateAlarm, handler, isDurable, rateAlarm, tagWorkload } from '../careful-team';

/** The model the advisor runs on, pinned to one version. */
const MODEL_ID = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

/**
 * The card advisor: a Bedrock agent that answers cardholders' questions about their own payments. It remembers a
 * summary of each customer's sessions (30 days in dev, 90 in durable stages) under the team's key, looks payments up
 * through an action-group function that only the agent may invoke, and is held by a guardrail encrypted with the same
 * key. Payment status changes reach the mobile app through an AppSync Events API (IAM-authorized, request logs kept a
 * year). The function's error rate and the Events API's 5xx rate page the team.
 */
export function build(app: App, stage: string, defects: { readonly memoryOnServiceKey?: boolean; readonly eventLogsOff?: boolean } = {}): void {
  const stack = new Stack(app, `CardAdvisor-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'card-advisor');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const payments = dataTable(stack, 'Payments', 'customerId', key, stage);
  const lookup = handler(stack, 'LookupPayments', stage, { environment: { POWERTOOLS_SERVICE_NAME: 'card-advisor', LOG_LEVEL: 'INFO', TABLE_NAME: payments.tableName } });
  payments.grantReadData(lookup);
  errorRateAlarm(stack, 'LookupPaymentsErrors', lookup, topic);

  const guardrail = new bedrock.CfnGuardrail(stack, 'Guardrail', {
    name: `card-advisor-${stage}`,
    blockedInputMessaging: 'I can only help with questions about your card payments.',
    blockedOutputsMessaging: 'I cannot share that.',
    kmsKeyArn: key.keyArn,
    sensitiveInformationPolicyConfig: {
      piiEntitiesConfig: [{ type: 'CREDIT_DEBIT_CARD_NUMBER', action: 'ANONYMIZE' }, { type: 'CREDIT_DEBIT_CARD_CVV', action: 'BLOCK' }],
    },
  });

  const modelArn = `arn:${stack.partition}:bedrock:${stack.region}::foundation-model/${MODEL_ID}`;
  const agentArn = `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:agent/*`;
  const agentRole = new iam.Role(stack, 'AgentRole', {
    assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': agentArn } },
    }),
    description: 'The card advisor agent: its model, its guardrail and its key',
  });
  agentRole.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [modelArn] }));
  agentRole.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:ApplyGuardrail'], resources: [guardrail.attrGuardrailArn] }));
  key.grantEncryptDecrypt(agentRole);

  const agent = new bedrock.CfnAgent(stack, 'Advisor', {
    agentName: `card-advisor-${stage}`,
    agentResourceRoleArn: agentRole.roleArn,
    foundationModel: MODEL_ID,
    instruction: 'Answer the signed-in cardholder\'s questions about their own card payments, using the payment lookup only.',
    idleSessionTtlInSeconds: 600,
    customerEncryptionKeyArn: defects.memoryOnServiceKey ? undefined : key.keyArn,
    memoryConfiguration: { enabledMemoryTypes: ['SESSION_SUMMARY'], storageDays: isDurable(stage) ? 90 : 30 },
    guardrailConfiguration: { guardrailIdentifier: guardrail.attrGuardrailId, guardrailVersion: 'DRAFT' },
    actionGroups: [{
      actionGroupName: 'payments',
      actionGroupExecutor: { lambda: lookup.functionArn },
      functionSchema: {
        functions: [{
          name: 'listRecentPayments',
          description: 'The cardholder\'s payments of the last 30 days',
          parameters: { customerId: { type: 'string', required: true, description: 'The signed-in customer' } },
        }],
      },
    }],
    autoPrepare: true,
  });
  lookup.addPermission('AgentInvoke', {
    principal: new iam.ServicePrincipal('bedrock.amazonaws.com'),
    sourceArn: agent.attrAgentArn,
    sourceAccount: stack.account,
  });
  new bedrock.CfnAgentAlias(stack, 'AdvisorAlias', { agentAliasName: stage, agentId: agent.attrAgentId });

  const notifications = new appsync.EventApi(stack, 'PaymentNotifications', {
    apiName: `payment-notifications-${stage}`,
    authorizationConfig: { authProviders: [{ authorizationType: appsync.AppSyncAuthorizationType.IAM }] },
    logConfig: defects.eventLogsOff ? undefined : { fieldLogLevel: appsync.AppSyncFieldLogLevel.ERROR, retention: logs.RetentionDays.ONE_YEAR },
  });
  notifications.addChannelNamespace('payments');
  notifications.grantPublish(lookup);

  const eventsMetric = (metricName: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/AppSync', metricName, dimensionsMap: { ApiId: notifications.apiId }, statistic: 'Sum' });
  rateAlarm(stack, 'NotificationErrors', eventsMetric('5XXError'), eventsMetric('Requests'), {
    description: 'Server error rate of the payment notifications API above 1%: check its logs, runbook https://wiki.example.com/runbooks/payment-notifications',
    threshold: 1,
    topic,
  });
}
