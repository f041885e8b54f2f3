import { App, Stack, Stage } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ENV, alertTopic, dataKey, errorRateAlarm, handler, isDurable, removalFor, tagWorkload } from '../careful-team';

/** One region of the workload: a table and its reader. */
class RegionalCell extends Stage {
  constructor(scope: Construct, id: string, stage: string) {
    super(scope, id, { env: ENV });
    const stack = new Stack(this, 'Accounts');
    tagWorkload(stack, stage, 'accounts');
    const key = dataKey(stack, 'Key', stage);
    const topic = alertTopic(stack, key);
    const table = new dynamodb.Table(stack, 'Accounts', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: isDurable(stage),
      removalPolicy: removalFor(stage),
    });
    const reader = handler(stack, 'GetAccount', stage);
    table.grantReadData(reader);
    errorRateAlarm(stack, 'GetAccountErrors', reader, topic);
  }
}

/** The deployment stage holds a Stage per region: a Stage inside a Stage. */
class Deployment extends Stage {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new RegionalCell(this, 'Primary', id);
  }
}

export function build(app: App, stage: string): void {
  new Deployment(app, stage);
}
