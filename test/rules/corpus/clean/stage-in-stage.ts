import { App, Stack, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ENV, alertTopic, dataKey, dataTable, errorRateAlarm, handler, tagWorkload } from '../careful-team';

/** One region of the workload: a table and its reader. */
class RegionalCell extends Stage {
  constructor(scope: Construct, id: string, stage: string) {
    super(scope, id, { env: ENV });
    const stack = new Stack(this, 'Accounts');
    tagWorkload(stack, stage, 'accounts');
    const key = dataKey(stack, 'Key', stage);
    const topic = alertTopic(stack, key);
    const table = dataTable(stack, 'Accounts', 'id', key, stage);
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
