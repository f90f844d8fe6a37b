/**
 * How an RDS snapshot reads as a backup: the set's tags and the identifier the action gives, the
 * statuses, and the record of a snapshot RDS has just accepted. Shared by both RDS flavors.
 */
import type { RDSClient } from '@aws-sdk/client-rds';
import { chunks } from '../chunks.js';
import type { Clock } from '../clock.js';
import { TAGS } from '../constants.js';
import { hasAwsCode, TargetError } from '../errors.js';
import { rdsSnapshotIdentifier } from '../naming.js';
import { RDS_FILTER_VALUES, type RdsFlavor, type RdsSnapshot } from './rds-flavor.js';
import { ownedBackup, toAwsTags } from './tags.js';
import type { Backup, BackupState } from './target.js';

export class RdsSnapshotRecords {
  constructor(
    private readonly rds: RDSClient,
    private readonly flavor: RdsFlavor,
    private readonly region: string,
    private readonly clock: Clock,
  ) {}

  /**
   * The set's records of those of `ids` that exist (the batched describe of the waits): one call
   * per RDS_FILTER_VALUES identifiers and page, whatever the number of snapshots waited for. RDS
   * stores identifiers in lower case and compares filter values as given, so they are asked in
   * lower case and each record carries the identifier as it was asked for. `signal` goes with
   * every call.
   */
  async describeMany(ids: string[], signal?: AbortSignal): Promise<Backup[]> {
    const asked = new Map(ids.map((id) => [id.toLowerCase(), id]));
    const found: Backup[] = [];
    for (const part of chunks([...asked.keys()], RDS_FILTER_VALUES)) {
      for await (const page of this.flavor.snapshotsNamed(this.rds, part, signal)) {
        for (const snapshot of page) {
          const backup = this.toBackup(snapshot);
          if (backup)
            found.push({ ...backup, id: asked.get(backup.id.toLowerCase()) ?? backup.id });
        }
      }
    }
    return found;
  }

  /** The snapshot of that identifier, if any: `{ backup }`, undefined in it when none of the set's. */
  async byIdentifier(
    id: string,
    signal: AbortSignal | undefined,
  ): Promise<{ backup: Backup | undefined } | undefined> {
    const snapshot = await this.read(id, signal);
    return snapshot ? { backup: this.toBackup(snapshot) } : undefined;
  }

  /** The record of a snapshot RDS has just accepted (created or copied) under `id`. */
  accepted(
    id: string,
    snapshot: Partial<RdsSnapshot> | undefined,
    tags: Readonly<Record<string, string>>,
  ): Backup {
    const made = this.toBackup({
      id,
      status: snapshot?.status ?? 'creating',
      createdAt: snapshot?.createdAt,
      arn: snapshot?.arn,
      encrypted: snapshot?.encrypted,
      sizeGiB: snapshot?.sizeGiB,
      // The tags were set by this very call; an answer without them still names our snapshot.
      tags: snapshot?.tags?.length ? snapshot.tags : toAwsTags(tags),
    });
    if (!made) throw new TargetError(`RDS did not return the ${this.flavor.snapshotNoun} ${id}.`);
    return made;
  }

  /**
   * The set's record of a snapshot, or undefined when it is none of the set's. Beyond the tags (a
   * copy made by hand with `CopyTags` carries them all, and RDS names no source on a copy within
   * one region), the identifier must be the one the action gives: derived from set, source and
   * `created-at`, or for a copy the original's.
   */
  toBackup(snapshot: RdsSnapshot): Backup | undefined {
    const backup = ownedBackup(this.flavor.type, this.region, this.clock, {
      id: snapshot.id,
      tags: snapshot.tags,
      state: snapshotState(snapshot.status),
      awsTime: snapshot.createdAt,
      stateMessage: `status ${snapshot.status}`,
      encrypted: snapshot.encrypted,
      arn: snapshot.arn,
      sizeGiB: snapshot.sizeGiB,
      madeFrom: snapshot.madeFrom,
      copiedFrom: snapshot.copiedFrom,
    });
    if (!backup) return undefined;
    const createdAt = new Date(backup.tags[TAGS.createdAt] ?? '');
    const expected = backup.copyOf
      ? backup.copyOf
      : !Number.isNaN(createdAt.getTime())
        ? rdsSnapshotIdentifier(
            backup.set,
            backup.sourceId,
            createdAt,
            this.flavor.maxIdentifierLength,
          )
        : undefined;
    return expected?.toLowerCase() === backup.id.toLowerCase() ? backup : undefined;
  }

  private async read(
    id: string,
    signal: AbortSignal | undefined,
  ): Promise<RdsSnapshot | undefined> {
    try {
      return await this.flavor.describeSnapshot(this.rds, id, signal);
    } catch (error) {
      if (hasAwsCode(error, this.flavor.snapshotNotFound)) return undefined;
      throw error;
    }
  }
}

/** RDS snapshot statuses as the core sees them; deleted ones no longer count. */
function snapshotState(status: string | undefined): BackupState | undefined {
  switch (status) {
    case 'available':
      return 'completed';
    case 'deleting':
    case 'deleted':
      return undefined;
    case 'failed':
    case 'error':
    case 'incompatible-restore':
    case 'incompatible-parameters':
      return 'failed';
    default:
      return 'pending';
  }
}
