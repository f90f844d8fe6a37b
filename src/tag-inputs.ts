/** The `tags` input: the user's tags for every backup, within what AWS allows beside the action's own. Pure. */
import { INPUTS, TAG_PREFIX, type TargetType } from './constants.js';
import { invalid, readKeyValueLines } from './input-values.js';
import { TARGET_TYPE_FACTS } from './target-types.js';

// AWS allows 50 tags on a backup; the action sets up to 9 of its own (5 with quiescing, 2 on
// copies, 2 of provenance on GitHub Actions: repository and workflow).
const MAX_USER_TAGS = 41;

/**
 * `tags`: Key=Value lines without the reserved `aws:` and `snapshot-rotation:` keys (in any case),
 * at most MAX_USER_TAGS, and for RDS within what RDS tags can carry.
 */
export function readUserTags(value: string, targetType: TargetType): Record<string, string> {
  const name = INPUTS.tags;
  const tags = readKeyValueLines(name, value);
  const { tagText, reservedTagText } = TARGET_TYPE_FACTS[targetType];
  for (const [key, tagValue] of Object.entries(tags)) {
    const line = `${key}=${tagValue}`;
    const lower = key.toLowerCase();
    if (lower.startsWith('aws:') || lower.startsWith(TAG_PREFIX)) {
      throw invalid(name, line, `keys that do not start with 'aws:' or '${TAG_PREFIX}' (reserved)`);
    }
    if (tagText && (!tagText.test(key) || !tagText.test(tagValue))) {
      throw invalid(
        name,
        line,
        `only letters, digits, spaces and _ . : / = + - @ for target-type ${targetType} (all that RDS tags can carry)`,
      );
    }
    if (reservedTagText && [key, tagValue].some((text) => reservedTagText.test(text))) {
      throw invalid(
        name,
        line,
        `keys and values that do not start with 'aws:' or 'rds:' for target-type ${targetType} (RDS reserves them)`,
      );
    }
  }
  if (Object.keys(tags).length > MAX_USER_TAGS) {
    throw invalid(name, `${Object.keys(tags).length} tags`, `at most ${MAX_USER_TAGS} tags`);
  }
  return tags;
}
