/**
 * The sources of the EC2 adapters (volumes, instances), looked up by id and by tags. Each adapter
 * names its kind of source (`Ec2SourceKind`) beside its own calls.
 */
import type { EC2Client, Filter, Tag } from '@aws-sdk/client-ec2';
import { awsCall } from './aws-call.js';
import { chunks } from '../chunks.js';
import { tagFilters } from './ec2.js';
import { fromAwsTags } from './tags.js';
import type { Source, SourceLookup } from './target.js';

/** One kind of EC2 source: how it is selected, called and read. */
export interface Ec2SourceKind {
  /** The describe filter that selects by id: `volume-id`, `instance-id`. */
  idFilter: string;
  /** What the resources are called in messages: `volumes`, `instances`. */
  noun: string;
  /** One describe call's pages for the given filters, as ids with their tags. */
  pages: (
    ec2: EC2Client,
    filters: Filter[],
  ) => AsyncIterable<
    { id: string | undefined; tags: Tag[] | undefined; instanceId?: string | undefined }[]
  >;
}

/**
 * Looks up resources by id and by tags. Ids go in a filter (at most 200 values each), which, unlike
 * the describe call's id list, returns the resources that exist instead of failing on a missing one.
 */
export async function findEc2Sources(
  ec2: EC2Client,
  region: string,
  kind: Ec2SourceKind,
  ids: readonly string[],
  tags: Readonly<Record<string, string>>,
): Promise<SourceLookup> {
  const found = new Map<string, Source>();
  const describe = (filters: Filter[], what: string): Promise<void> =>
    awsCall(`Could not look up ${what} in ${region}`, async () => {
      for await (const page of kind.pages(ec2, filters)) {
        for (const { id, tags: resourceTags, instanceId } of page) {
          if (id) {
            found.set(id, {
              id,
              tags: fromAwsTags(resourceTags),
              ...(instanceId ? { instanceId } : {}),
            });
          }
        }
      }
    });
  for (const part of chunks(ids, 200)) {
    await describe([{ Name: kind.idFilter, Values: part }], `${kind.noun} ${part.join(', ')}`);
  }
  if (Object.keys(tags).length > 0) await describe(tagFilters(tags), `${kind.noun} by tags`);
  return {
    found: [...found.values()].sort((a, b) => a.id.localeCompare(b.id)),
    missing: ids.filter((id) => !found.has(id)),
  };
}
