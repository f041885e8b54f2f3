import { AspectPriority, Aspects } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FintechStage, StageSettings, StageSettingsSource } from './fintech-stage';
import { StageRemovalPolicy } from './stage-removal-policy';

// Constructs that already carry their own removal-policy aspect.
const FOLLOWING = new WeakSet<IConstruct>();

/**
 * The stage settings a construct of this library follows (`FintechStage.settingsOf`). Inside a `FintechStage` the stage's
 * aspect already decides removal; outside one, the construct gets its own `StageRemovalPolicy` aspect for the resolved
 * durability, so its data is retained (or, with `fintech:durable=false`, destroyed) while sibling resources the library did
 * not create keep what their code set. Internal: call it with `this` after `super`.
 */
export function followStage(construct: IConstruct): StageSettings {
  const settings = FintechStage.settingsOf(construct);
  if (settings.source !== StageSettingsSource.FINTECH_STAGE && !FOLLOWING.has(construct)) {
    FOLLOWING.add(construct);
    // MUTATING, as in FintechStage: emptying an ephemeral bucket adds constructs that later aspects must see.
    Aspects.of(construct).add(new StageRemovalPolicy({ durable: settings.durable }), { priority: AspectPriority.MUTATING });
  }
  return settings;
}
