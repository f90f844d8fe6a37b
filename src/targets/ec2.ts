/** What the EC2-based adapters share: filters, source lookup, snapshot deletion. */
import { DeleteSnapshotCommand, type EC2Client, type Filter, type Tag } from '@aws-sdk/client-ec2';
import { awsErrorCode } from '../errors.js';
import { awsCall } from './aws-call.js';
import { fromAwsTags } from './tags.js';
import type { DeleteOutcome, Source, SourceLookup } from './target.js';

/** Server-side `tag:Key=Value` filters: a resource must carry all of them. */
export function tagFilters(record: Readonly<Record<string, string>>): Filter[] {
  return Object.entries(record).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
}

/** Splits a list into chunks of at most `size` (EC2 takes at most 200 values per filter). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Deletes one EBS snapshot. Already gone counts as done; a snapshot still used by an image
 * (`InvalidSnapshot.InUse`) is left in place and reported, never an error that stops the run.
 */
export async function deleteSnapshot(
  ec2: EC2Client,
  snapshotId: string,
  signal?: AbortSignal,
): Promise<DeleteOutcome> {
  return awsCall<DeleteOutcome>(
    `Could not delete snapshot ${snapshotId}`,
    async () => {
      await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }), {
        abortSignal: signal,
      });
      return { result: 'deleted' };
    },
    {
      signal,
      recover: (error) => {
        const code = awsErrorCode(error);
        if (code === 'InvalidSnapshot.NotFound') return { result: 'already-gone' };
        if (code === 'InvalidSnapshot.InUse') {
          return {
            result: 'skipped',
            message: `${snapshotId} is still used by an image (InvalidSnapshot.InUse); left in place.`,
            inUse: true,
          };
        }
        // EBS snapshot lock refuses deletion until the lock expires; AWS documents no error code
        // for it, so the refusal is known by what it says.
        if (isLockRefusal(error)) {
          return {
            result: 'skipped',
            message: `${snapshotId} is locked (EBS snapshot lock), and AWS refuses to delete it until the lock expires; left in place: ${error instanceof Error ? error.message : String(error)}`,
          };
        }
        return undefined;
      },
    },
  );
}

/** A refusal whose message says the snapshot is locked (EBS snapshot lock). */
function isLockRefusal(error: unknown): boolean {
  return error instanceof Error && /\block(ed)?\b/i.test(error.message);
}

export interface Ec2SourceQuery {
  /** The describe filter that selects by id: `volume-id`, `instance-id`. */
  idFilter: string;
  /** What the resources are called in messages: `volumes`, `instances`. */
  noun: string;
  region: string;
  /** One describe call's pages for the given filters, as ids with their tags. */
  pages: (
    filters: Filter[],
  ) => AsyncIterable<{ id: string | undefined; tags: Tag[] | undefined }[]>;
}

/**
 * Looks up resources by id and by tags. Ids go in a filter (at most 200 values each), which, unlike
 * the describe call's id list, returns the resources that exist instead of failing on a missing one.
 */
export async function findEc2Sources(
  ids: readonly string[],
  tags: Readonly<Record<string, string>>,
  query: Ec2SourceQuery,
): Promise<SourceLookup> {
  const found = new Map<string, Source>();
  const describe = (filters: Filter[], what: string): Promise<void> =>
    awsCall(`Could not look up ${what} in ${query.region}`, async () => {
      for await (const page of query.pages(filters)) {
        for (const { id, tags: resourceTags } of page) {
          if (id) found.set(id, { id, tags: fromAwsTags(resourceTags) });
        }
      }
    });
  for (const part of chunks(ids, 200)) {
    await describe([{ Name: query.idFilter, Values: part }], `${query.noun} ${part.join(', ')}`);
  }
  if (Object.keys(tags).length > 0) await describe(tagFilters(tags), `${query.noun} by tags`);
  return {
    found: [...found.values()].sort((a, b) => a.id.localeCompare(b.id)),
    missing: ids.filter((id) => !found.has(id)),
  };
}
