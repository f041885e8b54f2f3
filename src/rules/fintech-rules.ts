import { StageRemovalPolicyRule } from './removal/stage-removal-policy-rule';
import { FintechRule } from './rule';
import { RequiredTags } from './tags/required-tags';

/** Every rule of the pack, in catalog order: the pack is this list. Add a rule file here. */
export const FINTECH_RULES: readonly FintechRule[] = [
  new RequiredTags(),
  new StageRemovalPolicyRule(),
];
