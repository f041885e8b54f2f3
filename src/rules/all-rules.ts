import { BUCKET_NOT_EMPTIED, DELETION_PROTECTION_OFF, DURABLE_DELETES_DATA, EPHEMERAL_RETAINS_DATA } from './removal/stage-removal-rules';
import { Rule } from './rule';
import { REQUIRED_TAGS } from './tags/required-tags';

/** Every rule of the pack, in catalog order: the pack is this list. */
export const ALL_RULES: readonly Rule[] = [
  REQUIRED_TAGS,
  EPHEMERAL_RETAINS_DATA,
  BUCKET_NOT_EMPTIED,
  DURABLE_DELETES_DATA,
  DELETION_PROTECTION_OFF,
];
