import { App } from 'aws-cdk-lib';
import { FintechStage } from '../src';
import { IntegInputProps } from '../src/testing/integ-input';

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

/**
 * The input of an integ test that needs its account at synth: `FINTECH_INTEG_ACCOUNT`, the 12-digit id of the account it
 * deploys to, bootstrapped in `regions` (integ:deploy stops before any AWS call, naming it, when unset). Offline the clearly
 * fake placeholder 123456789012 stands in for it; `account` is the value to build the stacks with.
 */
export function integAccount(regions: readonly string[], why?: string): { input: IntegInputProps; account: string } {
  const input = {
    name: 'FINTECH_INTEG_ACCOUNT',
    description: `the 12-digit id of the account the test deploys to${why ? ` (${why})` : ''}, bootstrapped in ${regions.join(' and ')}`,
    placeholder: '123456789012',
    pattern: '^[0-9]{12}$',
  };
  return { input, account: process.env[input.name] || input.placeholder };
}
