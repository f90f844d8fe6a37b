/**
 * What `rds-instance` and `rds-cluster` share: one adapter over a small "flavor" that names the
 * calls of DB snapshots or of DB cluster snapshots. RDS has no server-side tag filter, so the set's
 * manual snapshots are found by listing manual snapshots once and reading the tags in the answer
 * (never one ListTagsForResource call per snapshot).
 */
import { systemClock, type Clock } from '../clock.js';
import { DescribeAccountAttributesCommand, type RDSClient } from '@aws-sdk/client-rds';
import { TAGS } from '../constants.js';
import {
  CancelledError,
  copySlotsRefusal,
  describeAwsError,
  hasAwsCode,
  TargetError,
} from '../errors.js';
import { rdsSnapshotIdentifier } from '../naming.js';
import { collectSet, createdAtOf, toAwsTags } from './tags.js';
import type {
  Backup,
  BackupQuota,
  CopyRequest,
  CreateRequest,
  DeleteOutcome,
  SourceLookup,
  TargetAdapter,
  WaitOptions,
} from './target.js';
import type { Sleep } from '../sleep.js';
import type { RdsFlavor, RdsSnapshot } from './rds-flavor.js';
import { findRdsSources } from './rds-sources.js';
import { RdsSnapshotRecords } from './rds-snapshots.js';
import { awsCall } from './aws-call.js';
import {
  adoptRequested,
  batchedWaits,
  waitForBackup,
  type BatchedDescribe,
  type PollingOptions,
} from './wait.js';

export interface RdsOptions extends PollingOptions {
  /** Client for the quota read, which is advisory (AWS refuses a create beyond the quota anyway). */
  quotaClient?: RDSClient;
  sleep?: Sleep;
}

/** A create or copy's outcome: the snapshot RDS answered, or the one adopted after a retry. */
interface Made {
  snapshot?: RdsSnapshot | undefined;
  adopted?: Backup;
}

export class RdsAdapter implements TargetAdapter {
  readonly type: RdsFlavor['type'];
  private readonly clock: Clock;
  private readonly records: RdsSnapshotRecords;
  /** Every snapshot this adapter waits for (new or copied here), read by one describe a poll. */
  private readonly waits: BatchedDescribe;
  /** A copy is made under its original's identifier (see copy()). */
  readonly copiesNamedAfterOriginal = true;

  constructor(
    private readonly rds: RDSClient,
    readonly region: string,
    private readonly flavor: RdsFlavor,
    private readonly options: RdsOptions = {},
  ) {
    this.type = flavor.type;
    this.records = new RdsSnapshotRecords(rds, flavor, region, options.clock ?? systemClock);
    this.clock = options.clock ?? systemClock;
    this.waits = batchedWaits(
      (ids, signal) => this.records.describeMany(ids, signal),
      options,
      this.clock,
    );
  }

  findSources(
    ids: readonly string[],
    tags: Readonly<Record<string, string>>,
  ): Promise<SourceLookup> {
    return findRdsSources(this.rds, this.flavor, this.region, ids, tags);
  }

  /** RDS filters snapshots by no tag: the account's manual snapshots, kept by their tags here. */
  listBackups(set: string, sources?: readonly string[]): Promise<Backup[]> {
    const { rds, flavor } = this;
    const toBackup = (snapshot: RdsSnapshot) => this.records.toBackup(snapshot);
    async function* pages() {
      for await (const page of flavor.manualSnapshots(rds)) yield page.map(toBackup);
    }
    return collectSet(
      pages(),
      set,
      `the manual ${flavor.snapshotNoun}s of backup set '${set}' in ${this.region}`,
      sources,
    );
  }

  /**
   * The manual snapshot quota as RDS states it (DescribeAccountAttributes). Never a guess: the
   * account's quota may have been raised above AWS's default of 100, so when it cannot be read this
   * throws, the caller warns, and AWS's own `SnapshotQuotaExceeded` decides.
   */
  async quota(): Promise<BackupQuota> {
    const answer = await awsCall(
      `Could not read the ${this.flavor.quotaName} quota in ${this.region}`,
      () => (this.options.quotaClient ?? this.rds).send(new DescribeAccountAttributesCommand({})),
    );
    const quota = answer.AccountQuotas?.find((q) => q.AccountQuotaName === this.flavor.quotaName);
    if (quota?.Used === undefined || quota.Max === undefined) {
      throw new TargetError(
        `RDS did not state the ${this.flavor.quotaName} quota in ${this.region}.`,
      );
    }
    return { name: this.flavor.quotaName, used: Number(quota.Used), max: Number(quota.Max) };
  }

  async create({ source, set, tags, signal }: CreateRequest): Promise<Backup> {
    if (signal?.aborted) throw new CancelledError();
    const createdAt = createdAtOf(tags[TAGS.createdAt], undefined, this.clock);
    const id = rdsSnapshotIdentifier(set, source.id, createdAt, this.flavor.maxIdentifierLength);
    const made = await awsCall<Made>(
      `Could not create a ${this.flavor.snapshotNoun} of ${source.id}`,
      // Tags given here replace RDS's own copying of the source's tags; the caller merged them in.
      async () => ({
        snapshot: await this.flavor.createSnapshot(
          this.rds,
          { id, sourceId: source.id, tags: toAwsTags(tags) },
          signal,
        ),
      }),
      {
        signal,
        recover: (error) => this.adoptOn(error, id, tags, signal),
        refusal: (what, error) => this.failure(what, error),
      },
    );
    return made.adopted ?? this.records.accepted(id, made.snapshot, tags);
  }

  /**
   * Identifiers are derived from set, source and time, so a request that the SDK sent again after
   * a lost answer (or a copy already made under the original's identifier) meets
   * `…AlreadyExists`: the snapshot of that identifier is adopted when its tags say it is this very
   * backup (same set, source, `created-at` and `copy-of`), never a second one made.
   */
  private async adoptOn(
    error: unknown,
    id: string,
    tags: Readonly<Record<string, string>>,
    signal: AbortSignal | undefined,
  ): Promise<Made | undefined> {
    if (!hasAwsCode(error, this.flavor.snapshotExists)) return undefined;
    const adopted = await adoptRequested(
      () => this.records.byIdentifier(id, signal),
      tags,
      this.options,
      signal,
    );
    return adopted ? { adopted } : undefined;
  }

  /**
   * CopyDBSnapshot / CopyDBClusterSnapshot, called in this (the destination) region under the
   * original's identifier. The source is named by its ARN, from which the SDK presigns the request
   * for the source region (the v3 form of the other SDKs' `SourceRegion`).
   * An encrypted original needs a key of this region (checked before the run changes anything).
   */
  async copy({ original, tags, kmsKeyId, optionGroup, signal }: CopyRequest): Promise<Backup> {
    if (signal?.aborted) throw new CancelledError();
    const what = `Could not copy ${this.flavor.snapshotNoun} ${original.id} to ${this.region}`;
    if (!original.arn) throw new TargetError(`${what}: RDS named no ARN for it.`);
    const sourceArn = original.arn;
    const made = await awsCall<Made>(
      what,
      async () => ({
        snapshot: await this.flavor.copySnapshot(
          this.rds,
          {
            sourceArn,
            id: original.id,
            tags: toAwsTags(tags),
            ...(original.encrypted === true && kmsKeyId ? { kmsKeyId } : {}),
            ...(optionGroup ? { optionGroup } : {}),
          },
          signal,
        ),
      }),
      {
        signal,
        recover: (error) => this.adoptOn(error, original.id, tags, signal),
        refusal: (failed, error) => copySlotsRefusal(failed, error) ?? this.failure(failed, error),
      },
    );
    if (made.adopted) return made.adopted;
    // The flavor's mapping always has an `encrypted` key: undefined when RDS did not say.
    const encrypted = made.snapshot?.encrypted ?? original.encrypted;
    const sizeGiB = made.snapshot?.sizeGiB ?? original.sizeGiB;
    return this.records.accepted(original.id, { ...made.snapshot, encrypted, sizeGiB }, tags);
  }

  copySlots(): number {
    return 1;
  }

  /** A create or copy error as one sentence, with what to do about the usual causes. */
  private failure(what: string, error: unknown): TargetError {
    let hint = '';
    if (hasAwsCode(error, 'SnapshotQuotaExceeded')) {
      hint = ` The account is at its manual snapshot quota in ${this.region}; delete old manual snapshots or ask AWS for a higher quota.`;
    } else if (hasAwsCode(error, this.flavor.snapshotExists)) {
      hint = ` Another ${this.flavor.snapshotNoun} in ${this.region} already has this identifier and is not one this backup set counts; rename or delete it.`;
    }
    return new TargetError(`${describeAwsError(what, error)}${hint}`, { cause: error });
  }

  /**
   * Waits through one describe shared by every snapshot this adapter waits for (new or copied),
   * the first after the first delay: snapshots made within it are read together from then on.
   */
  waitUntilDone(backup: Backup, options: WaitOptions): Promise<Backup> {
    if (backup.state === 'pending') this.waits.watch(backup.id);
    return waitForBackup(backup, options, {
      polling: this.options,
      describe: () => this.waits.describe(backup.id, options.signal),
      label: `${this.flavor.snapshotNoun} ${backup.id}`,
    });
  }

  async delete(backup: Backup, signal?: AbortSignal): Promise<DeleteOutcome> {
    return awsCall<DeleteOutcome>(
      `Could not delete ${this.flavor.snapshotNoun} ${backup.id}`,
      async () => {
        await this.flavor.deleteSnapshot(this.rds, backup.id, signal);
        return { result: 'deleted' };
      },
      {
        signal,
        recover: (error) => {
          if (hasAwsCode(error, this.flavor.snapshotNotFound)) return { result: 'already-gone' };
          if (hasAwsCode(error, 'InvalidDBSnapshotState', 'InvalidDBClusterSnapshotStateFault')) {
            return {
              result: 'skipped',
              message: `${backup.id} cannot be deleted in its current state (for example while it is copied); left for a later run.`,
            };
          }
          return undefined;
        },
      },
    );
  }
}
