import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as transfer from 'aws-cdk-lib/aws-transfer';
import { ENV, alertTopic, dataBucket, dataKey, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, removalFor, tagWorkload } from '../careful-team';

/** What a variant of the app leaves out (for the defect corpus). */
export interface PartnerSftpOptions {
  /** Leave EventBridge out of the key policy, though it writes undelivered events into a queue on that key. */
  readonly withoutEventsOnKey?: boolean;
  /** Count on the rule target's dead-letter queue alone: the function keeps no event it fails on. */
  readonly targetDlqOnly?: boolean;
}

/**
 * Settlement files from a partner bank: an AWS Transfer Family SFTP server (raw `CfnServer`, service-managed users, the
 * 2024 security policy, structured logs) puts each partner's files under its own prefix of an encrypted inbox bucket; the
 * bucket's EventBridge events start an ingest function, the rule target and the function each keep what they fail on.
 */
export function build(app: App, stage: string, options: PartnerSftpOptions = {}): void {
  const stack = new Stack(app, `PartnerSftp-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'partner-sftp');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  // EventBridge writes undelivered events into the encrypted dead-letter queue with the queue's key.
  if (!options.withoutEventsOnKey) key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const inbox = dataBucket(stack, 'Inbox', key, stage, { eventBridgeEnabled: true });

  const transferLogs = new logs.LogGroup(stack, 'TransferLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const loggingRole = new iam.Role(stack, 'TransferLogging', { assumedBy: new iam.ServicePrincipal('transfer.amazonaws.com') });
  transferLogs.grantWrite(loggingRole);
  const server = new transfer.CfnServer(stack, 'Server', {
    protocols: ['SFTP'],
    endpointType: 'PUBLIC',
    identityProviderType: 'SERVICE_MANAGED',
    domain: 'S3',
    securityPolicyName: 'TransferSecurityPolicy-2024-01',
    loggingRole: loggingRole.roleArn,
    structuredLogDestinations: [transferLogs.logGroupArn],
  });
  // The partner's role reaches its own prefix only; its home directory is that prefix.
  const partnerRole = new iam.Role(stack, 'PartnerAccess', { assumedBy: new iam.ServicePrincipal('transfer.amazonaws.com') });
  inbox.grantReadWrite(partnerRole, 'partner-a/*');
  new transfer.CfnUser(stack, 'PartnerA', {
    serverId: server.attrServerId,
    userName: `partner-a-${stage}`,
    role: partnerRole.roleArn,
    homeDirectoryType: 'LOGICAL',
    homeDirectoryMappings: [{ entry: '/', target: `/${inbox.bucketName}/partner-a` }],
    sshPublicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPartnerAExampleKey partner-a'],
  });

  const undelivered = deadLetterQueue(stack, 'Undelivered', key, stage);
  const failed = options.targetDlqOnly ? undefined : deadLetterQueue(stack, 'IngestFailures', key, stage);
  const ingest = handler(stack, 'Ingest', stage, {
    environment: { INBOX: inbox.bucketName },
    ...(failed ? { onFailure: new destinations.SqsDestination(failed), retryAttempts: 2 } : {}),
  });
  inbox.grantRead(ingest, 'partner-a/*');
  new events.Rule(stack, 'FileArrived', {
    eventPattern: { source: ['aws.s3'], detailType: ['Object Created'], detail: { bucket: { name: [inbox.bucketName] } } },
    targets: [new targets.LambdaFunction(ingest, { deadLetterQueue: undelivered, retryAttempts: 4, maxEventAge: Duration.hours(2) })],
  });
  errorRateAlarm(stack, 'IngestErrors', ingest, topic);
  firstMessageAlarm(stack, 'UndeliveredAlarm', undelivered, topic);
  if (failed) firstMessageAlarm(stack, 'IngestFailuresAlarm', failed, topic);
}
