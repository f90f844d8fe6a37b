/** Looking up DB instances or clusters by id and by tags (RDS filters by id, not by tag). */
import type { Filter, RDSClient } from '@aws-sdk/client-rds';
import { awsCall } from './aws-call.js';
import { chunks } from '../chunks.js';
import { RDS_FILTER_VALUES, type RdsFlavor } from './rds-flavor.js';
import { fromAwsTags } from './tags.js';
import type { Source, SourceLookup } from './target.js';

/**
 * The sources among `ids` (at most RDS_FILTER_VALUES per filter; a filter returns what exists instead of failing)
 * and, when `tags` are given, every source carrying all of them (read once, matched in the answer).
 */
export async function findRdsSources(
  rds: RDSClient,
  flavor: RdsFlavor,
  region: string,
  ids: readonly string[],
  tags: Readonly<Record<string, string>>,
): Promise<SourceLookup> {
  const found = new Map<string, Source>();
  const wanted = Object.entries(tags);
  const collect = (filters: Filter[], keep: (source: Source) => boolean, what: string) =>
    awsCall(`Could not look up ${what} in ${region}`, async () => {
      for await (const page of flavor.sources(rds, filters)) {
        for (const raw of page) {
          if (!raw.id) continue;
          const problem = flavor.problem(raw);
          const source: Source = {
            id: raw.id,
            tags: fromAwsTags(raw.tags),
            ...(problem ? { problem } : {}),
            ...(raw.encrypted !== undefined ? { encrypted: raw.encrypted } : {}),
            ...(raw.optionGroup ? { optionGroup: raw.optionGroup } : {}),
          };
          if (keep(source)) found.set(source.id, source);
        }
      }
    });
  // A filter returns what exists instead of failing.
  for (const part of chunks(ids, RDS_FILTER_VALUES)) {
    await collect([{ Name: flavor.idFilter, Values: part }], () => true, part.join(', '));
  }
  if (wanted.length > 0) {
    // RDS cannot filter by tag: read every source once and match the tags in the answer.
    const matches = (source: Source) => wanted.every(([key, value]) => source.tags[key] === value);
    await collect([], matches, `${flavor.sourceNoun}s by tags`);
  }
  return {
    found: [...found.values()].sort((a, b) => a.id.localeCompare(b.id)),
    missing: ids.filter((id) => !found.has(id)),
  };
}
