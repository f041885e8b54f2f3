import { App } from 'aws-cdk-lib';
import { FintechStage } from '../src';

/**
 * The ephemeral `integ` stage in us-east-1 that each construct's integ test deploys into, named for `application`;
 * with `alarmEmail`, the stage's alert topic has that subscriber (C08).
 */
export function integStage(app: App, application: string, alarmEmail?: string): FintechStage {
  const environment = { name: 'integ', region: 'us-east-1', durable: false };
  return new FintechStage(app, 'integ', {
    config: { application, team: 'platform', costCenter: 'cc-0000', ...(alarmEmail ? { alarmEmail } : {}), environments: [environment] },
    environment,
  });
}
