import { App } from 'aws-cdk-lib';
import { FintechFinding } from '../../../src/rules/fintech-checks';
import { testApp, validate } from '../rule-harness';
import { DURABLE_STAGES } from './careful-team';

/** A finding on one line, for failure messages that show what the rule said. */
export function describeFinding(f: FintechFinding): string {
  return `${f.severity} ${f.ruleId} ${f.constructPath}: ${f.message}`;
}

/**
 * Every unacknowledged finding of one corpus app built for one stage, judged as that stage (staging and prod are
 * durable), with `context` (feature flags) set on the app.
 */
export function findingsOfCorpusApp(
  build: (app: App, stage: string) => void, stage: string, context: Readonly<Record<string, unknown>> = {},
): FintechFinding[] {
  const app = testApp();
  for (const [key, value] of Object.entries(context)) app.node.setContext(key, value);
  build(app, stage);
  return validate(app, { stage, durableStages: DURABLE_STAGES }).findings.filter(f => f.acknowledgedReason === undefined);
}
