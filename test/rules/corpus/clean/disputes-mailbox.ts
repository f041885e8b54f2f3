import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as actions from 'aws-cdk-lib/aws-ses-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { ENV, alertTopic, dataBucket, dataKey, dataStream, deadLetterQueue, firstMessageAlarm, removalFor, tagWorkload } from '../careful-team';

/** What a variant of the app leaves out (for the defect corpus). */
export interface DisputesMailboxOptions {
  /** Leave SNS out of the key policy, though it writes undeliverable notices into a queue on that key. */
  readonly withoutSnsOnKey?: boolean;
}

/**
 * Card disputes by e-mail: SES receives mail for the disputes address (spam dropped by SES's own filter, TLS required,
 * scanned) into an encrypted bucket; dispute notices go to the card network's HTTPS endpoint through an encrypted topic
 * whose subscription keeps what it cannot deliver; the intake's logs stream to the security team's SIEM through Kinesis.
 */
export function build(app: App, stage: string, options: DisputesMailboxOptions = {}): void {
  const stack = new Stack(app, `Disputes-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'disputes');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  // SES encrypts the mail it stores; SNS writes undeliverable notices into the encrypted dead-letter queue.
  key.grantEncryptDecrypt(new iam.ServicePrincipal('ses.amazonaws.com'));
  if (!options.withoutSnsOnKey) key.grant(new iam.ServicePrincipal('sns.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');

  const mail = dataBucket(stack, 'Mail', key, stage);
  new ses.ReceiptRuleSet(stack, 'Inbound', {
    dropSpam: true,
    rules: [{
      recipients: [`disputes-${stage}@bank.example.com`],
      actions: [new actions.S3({ bucket: mail, objectKeyPrefix: 'inbound/', kmsKey: key })],
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
    }],
  });

  const notices = new sns.Topic(stack, 'NetworkNotices', { masterKey: key, enforceSSL: true });
  const undelivered = deadLetterQueue(stack, 'UndeliveredNotices', key, stage);
  firstMessageAlarm(stack, 'UndeliveredNoticesAlarm', undelivered, topic);
  notices.addSubscription(new subscriptions.UrlSubscription('https://disputes.card-network.example.com/notices', {
    protocol: sns.SubscriptionProtocol.HTTPS,
    deadLetterQueue: undelivered,
  }));

  const intakeLogs = new logs.LogGroup(stack, 'IntakeLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  new logs.SubscriptionFilter(stack, 'ToSiem', {
    logGroup: intakeLogs,
    destination: new destinations.KinesisDestination(dataStream(stack, 'Siem', key, stage)),
    filterPattern: logs.FilterPattern.allEvents(),
  });
}
