import { App } from 'aws-cdk-lib';
import { FintechChecks, FintechFinding } from '../../../src/rules/fintech-checks';
import { quietSynth, testApp, validate } from '../rule-harness';
import { DURABLE_STAGES } from './careful-team';

/** A finding on one line, for failure messages that show what the rule said. */
export function describeFinding(f: FintechFinding): string {
  return `${f.severity} ${f.ruleId} ${f.constructPath}: ${f.message}`;
}

/** How a corpus app is judged. */
export interface CorpusJudging {
  /**
   * Construct the pack without a scope, as cdk-nag 3 packs are: it then reads the cloud assembly (manifest, metadata and
   * construct tree file) instead of the construct tree.
   */
  readonly withoutScope?: boolean;
}

/**
 * Every unacknowledged finding of one corpus app built for one stage, judged as that stage (staging and prod are
 * durable), with `context` (feature flags) set on the app.
 */
export function findingsOfCorpusApp(
  build: (app: App, stage: string) => void, stage: string, context: Readonly<Record<string, unknown>> = {}, judging: CorpusJudging = {},
): FintechFinding[] {
  const app = testApp();
  for (const [key, value] of Object.entries(context)) app.node.setContext(key, value);
  build(app, stage);
  const props = { stage, durableStages: DURABLE_STAGES };
  let checks: FintechChecks;
  if (judging.withoutScope) {
    checks = FintechChecks.fromProps(props);
    checks.validate({ templatePaths: quietSynth(app).stacksRecursively.map(s => s.templateFullPath) });
  } else {
    checks = validate(app, props);
  }
  return checks.findings.filter(f => f.acknowledgedReason === undefined);
}
