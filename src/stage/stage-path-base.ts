import { Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FintechStage } from './fintech-stage';

/**
 * A name base unique in the stage and readable: the construct path below the enclosing
 * FintechStage (outside one, below the enclosing Stage or App, so the stack id comes first),
 * lowercased, e.g. "workload-ingestlogs". For keys and aliases of constructs the user did not name; PhysicalName adds the application and stage and shortens it if needed.
 * With `childId`, the base of a construct `childId` about to be created in `construct` (an L2
 * subclass names its parts before it exists).
 */
export function stagePathBase(construct: IConstruct, childId?: string): string {
  const stage = FintechStage.tryEnclosing(construct) ?? Stage.of(construct);
  const scopes = construct.node.scopes;
  const below = [...scopes.slice((stage ? scopes.indexOf(stage) : -1) + 1).map(c => c.node.id), ...(childId !== undefined ? [childId] : [])];
  return below.join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * A construct id as the base of a physical name, `CoreNetwork` -> `core-network`; `fallback` when nothing of it is
 * left (an id of only punctuation).
 */
export function kebabId(id: string, fallback: string): string {
  const base = id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return base || fallback;
}
