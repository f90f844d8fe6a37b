// What only `rds-instance` and `rds-cluster` do (DESIGN §4, §5, §8), beyond the contract every
// adapter keeps (contract.test.ts): RDS's error codes in either form, sources' states, encryption and
// option groups, identifiers derived from set, source and time (and what that makes of copies made
// by hand), the manual-snapshot quota, and copies named after their original by ARN. A real RDSClient
// is wrapped by aws-sdk-client-mock (fixtures.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeAccountAttributesCommand, RDSServiceException } from '@aws-sdk/client-rds';
import { TAGS } from '../../src/constants.js';
import { DeferredError, hasAwsCode, TargetError } from '../../src/errors.js';
import type { Backup } from '../../src/targets/target.js';
import { rejectionOf } from './expect.js';
import {
  backupOf,
  backupTags,
  copyRequest,
  createRequest,
  copyTags,
  CREATED_AT,
  DEST,
  DEST_KEY,
  pendingCopy,
  rdsArn,
  rdsError,
  rdsHarness,
  rdsTestClient,
  REGION,
  SET,
  type RdsHarness,
} from './fixtures.js';
import { RDS_CLUSTER, RDS_INSTANCE, type TargetCase } from './target-cases.js';

const T1 = '2026-11-20T12:00:00.000Z';
const T2 = '2026-11-21T12:00:00.000Z';

/** What the tests below need to know of each flavor beyond its row in target-cases.ts. */
const FLAVORS = [
  {
    type: 'rds-instance',
    c: RDS_INSTANCE,
    identifier: 'DBSnapshotIdentifier',
    maxIdentifierLength: 255,
    quotaName: 'ManualSnapshots',
  },
  {
    type: 'rds-cluster',
    c: RDS_CLUSTER,
    identifier: 'DBClusterSnapshotIdentifier',
    maxIdentifierLength: 63,
    quotaName: 'ManualClusterSnapshots',
  },
] as const satisfies {
  type: 'rds-instance' | 'rds-cluster';
  c: TargetCase;
  identifier: string;
  maxIdentifierLength: number;
  quotaName: string;
}[];

let h: RdsHarness;

/** A harness of `type` of its own for each test of the describe block that calls it. */
function harnessPerTest(type: 'rds-instance' | 'rds-cluster'): void {
  beforeEach(() => {
    h = rdsHarness(type);
  });
  afterEach(() => {
    h.restore();
  });
}

describe('hasAwsCode with RDS exceptions', () => {
  it.each([
    ['DBSnapshotNotFound', 'DBSnapshotNotFoundFault'],
    ['DBSnapshotNotFoundFault', 'DBSnapshotNotFound'],
    ['DBSnapshotNotFoundFault', 'DBSnapshotNotFoundFault'],
    ['DBSnapshotNotFound', 'DBSnapshotNotFound'],
  ])('matches an exception named %s when asked for %s', (name, code) => {
    expect(hasAwsCode(rdsError(name), code)).toBe(true);
  });

  it('does not match a different code that merely shares a prefix', () => {
    expect(hasAwsCode(rdsError('DBSnapshotNotFoundFault'), 'DBSnapshot')).toBe(false);
    expect(hasAwsCode(rdsError('DBClusterSnapshotNotFoundFault'), 'DBSnapshotNotFound')).toBe(
      false,
    );
  });
});

describe.each(FLAVORS)('$type adapter', (f) => {
  const SOURCE = f.c.sourceId;
  /** The identifier the action gives a backup of `sourceId` made at `iso`. */
  const idAt = (iso: string, sourceId = SOURCE) => f.c.idOf(sourceId, iso);

  harnessPerTest(f.type);

  describe('findSources', () => {
    it('gives a source that is not available a problem naming its status', async () => {
      h.answerSources(() => ({
        items: [
          { id: 'src-stopped', status: 'stopped' },
          { id: 'src-ok', status: 'available' },
        ],
      }));

      const lookup = await h.adapter().findSources(['src-stopped', 'src-ok'], {});

      const stopped = lookup.found.find((s) => s.id === 'src-stopped');
      expect(stopped?.problem).toContain("'stopped'");
      expect(stopped?.problem).toContain('src-stopped');
      expect(lookup.found.find((s) => s.id === 'src-ok')).not.toHaveProperty('problem');
    });

    it('sets encrypted from StorageEncrypted, and leaves it off when RDS does not say', async () => {
      h.answerSources(() => ({
        items: [
          { id: 'src-enc', encrypted: true },
          { id: 'src-plain', encrypted: false },
          { id: 'src-unknown' },
        ],
      }));

      const lookup = await h.adapter().findSources(['src-enc', 'src-plain', 'src-unknown'], {});

      expect(lookup).toEqual({
        found: [
          { id: 'src-enc', tags: {}, encrypted: true },
          { id: 'src-plain', tags: {}, encrypted: false },
          { id: 'src-unknown', tags: {} },
        ],
        missing: [],
      });
      expect(lookup.found[2]).not.toHaveProperty('encrypted');
    });
  });

  describe('listBackups (identifiers derived from set, source and created-at)', () => {
    it('counts a snapshot under its derived identifier whatever the case, and a copy under the identifier of its copy-of tag', async () => {
      const copyOf = (id: string) => ({
        ...backupTags(SOURCE, T2),
        [TAGS.copyOf]: id,
        [TAGS.sourceRegion]: 'eu-west-1',
      });
      h.answerListing(() => ({
        items: [
          { id: idAt(T1).toUpperCase(), tags: backupTags(SOURCE, T1) },
          // RDS keeps identifiers in lower case; the source tag may differ in case.
          { id: idAt(T2), tags: backupTags(SOURCE, T2), madeFrom: SOURCE.toUpperCase() },
          // The action's copy (from another region) keeps its original's identifier.
          { id: 'sr-original-identifier', tags: copyOf('sr-original-identifier') },
          // A copy-of tag that names another identifier: copied again by hand.
          { id: 'sr-copied-again', tags: copyOf('sr-original-identifier') },
        ],
      }));

      const backups = await h.adapter().listBackups(SET);

      expect(backups.map((b) => [b.id, b.copyOf])).toEqual([
        [idAt(T1).toUpperCase(), undefined],
        [idAt(T2), undefined],
        ['sr-original-identifier', 'sr-original-identifier'],
      ]);
    });

    it('leaves out a same-region copy made by hand that carries every tag of the set, since RDS names no source on it', async () => {
      h.answerListing(() => ({
        items: [
          { id: idAt(T1), tags: backupTags(SOURCE, T1) },
          // Copied within the region with CopyTags: the same tags, no source snapshot named, and
          // an identifier the action would never give it.
          { id: `${idAt(T1)}-copy`, tags: backupTags(SOURCE, T1) },
          { id: 'manual-before-upgrade', tags: backupTags(SOURCE, T1) },
        ],
      }));

      const backups = await h.adapter().listBackups(SET);

      expect(backups.map((b) => b.id)).toEqual([idAt(T1)]);
    });
  });

  describe('quota', () => {
    it(`reads ${f.quotaName} Used/Max from DescribeAccountAttributes`, async () => {
      h.rds.on(DescribeAccountAttributesCommand).resolves({
        AccountQuotas: [
          { AccountQuotaName: 'DBInstances', Used: 3, Max: 40 },
          { AccountQuotaName: 'ManualSnapshots', Used: 17, Max: 100 },
          { AccountQuotaName: 'ManualClusterSnapshots', Used: 9, Max: 150 },
        ],
      });

      const quota = await h.adapter().quota();

      expect(quota).toEqual(
        f.quotaName === 'ManualSnapshots'
          ? { name: 'ManualSnapshots', used: 17, max: 100 }
          : { name: 'ManualClusterSnapshots', used: 9, max: 150 },
      );
      expect(h.commands()).toEqual(['DescribeAccountAttributesCommand']);
    });

    it('sends DescribeAccountAttributes through quotaClient when one is given', async () => {
      const quotaClient = rdsTestClient();
      const quotaStub = mockClient(quotaClient);
      try {
        quotaStub.on(DescribeAccountAttributesCommand).resolves({
          AccountQuotas: [{ AccountQuotaName: f.quotaName, Used: 5, Max: 100 }],
        });

        const quota = await h.adapter({ quotaClient }).quota();

        expect(quota).toEqual({ name: f.quotaName, used: 5, max: 100 });
        expect(quotaStub.commandCalls(DescribeAccountAttributesCommand)).toHaveLength(1);
        expect(h.commands()).toEqual([]);
      } finally {
        quotaStub.restore();
      }
    });

    it('throws a TargetError naming the quota and the region when DescribeAccountAttributes fails, and counts nothing', async () => {
      h.rds.on(DescribeAccountAttributesCommand).rejects(rdsError('AccessDenied', 'Not allowed.'));
      h.answerListing(() => ({ items: [{ id: idAt(T1) }, { id: idAt(T2) }] }));

      const error = await rejectionOf(h.adapter().quota());

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toMatch(
        new RegExp(`^Could not read the ${f.quotaName} quota in ${REGION}: `),
      );
      expect(error.message).toContain('AccessDenied');
      // Never a guess (100, AWS's default) from a count: the account's quota may be higher.
      expect(h.listingQueries()).toHaveLength(0);
    });

    it('throws a TargetError when DescribeAccountAttributes does not state the quota', async () => {
      h.rds.on(DescribeAccountAttributesCommand).resolves({
        AccountQuotas: [
          { AccountQuotaName: 'DBInstances', Used: 3, Max: 40 },
          // Named, but without numbers: not usable.
          { AccountQuotaName: f.quotaName },
        ],
      });
      h.answerListing(() => ({ items: [{ id: idAt(T1) }, { id: idAt(T2) }] }));

      const error = await rejectionOf(h.adapter().quota());

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toBe(`RDS did not state the ${f.quotaName} quota in ${REGION}.`);
      expect(h.listingQueries()).toHaveLength(0);
    });
  });

  describe('create', () => {
    it(`names the snapshot rdsSnapshotIdentifier(set, source, created-at, ${f.maxIdentifierLength})`, async () => {
      h.answerCreate(() => ({ state: 'creating' }));

      await h.adapter().create(createRequest(SOURCE));

      const input = h.createQueries()[0]?.input;
      expect(input?.[f.identifier]).toBe(idAt(CREATED_AT));
      expect(input?.[f.identifier]).toMatch(/^sr-nightly-/);
    });

    it(`keeps the identifier within ${f.maxIdentifierLength} characters for a long source id`, async () => {
      // RDS source identifiers are at most 63 characters: the cluster snapshot limit needs shortening.
      const longId = `db-${'x'.repeat(60)}`;
      h.answerCreate(() => ({ state: 'creating' }));

      await h
        .adapter()
        .create(
          createRequest(SOURCE, { source: { id: longId, tags: {} }, tags: backupTags(longId) }),
        );

      const id = String(h.createQueries()[0]?.input[f.identifier]);
      expect(id).toBe(idAt(CREATED_AT, longId));
      expect(id.length).toBeLessThanOrEqual(f.maxIdentifierLength);
      expect(id).toMatch(/^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/);
    });

    it('still returns a pending Backup when the answer carries no snapshot at all', async () => {
      const request = createRequest(SOURCE);
      h.answerCreate(() => undefined);

      const backup = await h.adapter().create(request);

      expect(backup).toMatchObject({ id: idAt(CREATED_AT), state: 'pending', tags: request.tags });
    });

    it.each(['SnapshotQuotaExceeded', 'SnapshotQuotaExceededFault'])(
      'turns %s into a TargetError that explains the manual snapshot quota',
      async (code) => {
        h.answerCreate(() => rdsError(code, 'Cannot create more than 100 manual snapshots.'));

        const error = await rejectionOf(h.adapter().create(createRequest(SOURCE)));

        expect(error).toBeInstanceOf(TargetError);
        expect(error.message).toContain('quota');
        expect(error.message).toContain(SOURCE);
        expect(error.message).toContain(code);
        expect(error.cause).toBeInstanceOf(RDSServiceException);
      },
    );
  });

  describe('waitUntilDone (one describe by the identifier filter a poll)', () => {
    const filterName = f.type === 'rds-instance' ? 'db-snapshot-id' : 'db-cluster-snapshot-id';
    const times = [T1, T2, CREATED_AT];
    const pending = (iso: string, id = idAt(iso)) =>
      backupOf(f.type, id, SOURCE, { createdAt: new Date(iso), tags: backupTags(SOURCE, iso) });

    it('reads every page of the filtered describe (MaxRecords 100, then Marker)', async () => {
      h.answerListing(({ token }) =>
        token === 'page-2'
          ? { items: [{ id: idAt(CREATED_AT), tags: backupTags(SOURCE, CREATED_AT) }] }
          : {
              items: [T1, T2].map((iso) => ({ id: idAt(iso), tags: backupTags(SOURCE, iso) })),
              next: 'page-2',
            },
      );
      const adapter = h.adapter();

      const done = await Promise.all(
        times.map((iso) => adapter.waitUntilDone(pending(iso), { maxWaitSeconds: 60 })),
      );

      expect(done.map((b) => [b.id, b.state])).toEqual(
        times.map((iso) => [idAt(iso), 'completed']),
      );
      const queries = h.listingQueries();
      expect(queries.map((q) => q.token)).toEqual([undefined, 'page-2']);
      for (const { input } of queries) {
        expect(input).toMatchObject({ MaxRecords: 100 });
        expect(input).not.toHaveProperty(f.identifier);
        expect(input).not.toHaveProperty('SnapshotType');
        const filters = input.Filters as { Name: string; Values: string[] }[];
        expect(filters.map((filter) => filter.Name)).toEqual([filterName]);
        expect(new Set(filters[0]?.Values)).toEqual(new Set(times.map((iso) => idAt(iso))));
      }
    });

    it('reads a new snapshot first after the first delay, with every other snapshot accepted meanwhile: one describe for waits begun apart', async () => {
      h.answerListing(({ input }) => {
        const filters = input.Filters as { Values: string[] }[];
        const asked = new Set(filters[0]?.Values);
        const items = [T1, T2].filter((iso) => asked.has(idAt(iso)));
        return { items: items.map((iso) => ({ id: idAt(iso), tags: backupTags(SOURCE, iso) })) };
      });
      const adapter = h.adapter();

      const first = adapter.waitUntilDone(pending(T1), { maxWaitSeconds: 60 });
      // The second create is answered a fifth of a second later (the pace of mutating calls).
      await new Promise((resolve) => setTimeout(resolve, 200));
      const second = adapter.waitUntilDone(pending(T2), { maxWaitSeconds: 60 });
      const done = await Promise.all([first, second]);

      expect(done.map((b) => b.state)).toEqual(['completed', 'completed']);
      // No read at once; the first one, a second later, covers both.
      const queries = h.listingQueries();
      expect(queries).toHaveLength(1);
      const filters = queries[0]?.input.Filters as { Values: string[] }[];
      expect(new Set(filters[0]?.Values)).toEqual(new Set([idAt(T1), idAt(T2)]));
    });

    it('asks in lower case (RDS stores identifiers so; filter values are case-sensitive) and answers the wait under the identifier as asked', async () => {
      const asked = idAt(T1).toUpperCase();
      h.answerListing(() => ({ items: [{ id: idAt(T1), tags: backupTags(SOURCE, T1) }] }));

      const done = await h.adapter().waitUntilDone(pending(T1, asked), { maxWaitSeconds: 60 });

      expect(done).toMatchObject({ id: asked, state: 'completed' });
      expect(h.listingQueries()[0]?.input.Filters).toEqual([
        { Name: filterName, Values: [idAt(T1)] },
      ]);
    });
  });

  describe('copy (the destination’s adapter)', () => {
    const SNAPSHOT_ID = idAt(CREATED_AT);
    const COPY_ARN = rdsArn(f.type, DEST, SNAPSHOT_ID);

    function original(overrides: Partial<Backup> = {}): Backup {
      return backupOf(f.type, SNAPSHOT_ID, SOURCE, {
        state: 'completed',
        arn: rdsArn(f.type, REGION, SNAPSHOT_ID),
        ...overrides,
      });
    }

    it(
      f.type === 'rds-instance'
        ? 'gives the copy the option group named for the destination (OptionGroupName)'
        : 'sends no option group: cluster snapshot copies take none',
      async () => {
        const of = original();
        h.answerCopy(() => ({ state: 'pending', tags: copyTags(of), arn: COPY_ARN }));

        await h.adapter({}, DEST).copy(copyRequest(of, { optionGroup: 'og-dr-mysql' }));

        if (f.type === 'rds-instance') {
          expect(h.copyInputs()[0]).toMatchObject({ OptionGroupName: 'og-dr-mysql' });
        } else {
          expect(h.copyInputs()[0]).not.toHaveProperty('OptionGroupName');
        }
      },
    );

    it('keeps the original’s encryption on the copy when RDS’s answer does not say', async () => {
      const of = original({ encrypted: true });
      h.answerCopy(() => ({ state: 'pending', tags: copyTags(of), arn: COPY_ARN }));

      const copy = await h.adapter({}, DEST).copy(copyRequest(of, { kmsKeyId: DEST_KEY }));

      expect(copy.encrypted).toBe(true);
      expect(copy.arn).toBe(COPY_ARN);
    });

    it('returns a pending copy from the request’s tags when RDS answers without the snapshot', async () => {
      const of = original({ encrypted: false });
      h.answerCopy(() => undefined);

      const copy = await h.adapter({}, DEST).copy(copyRequest(of));

      expect(copy).toEqual({ ...pendingCopy(of, SNAPSHOT_ID), encrypted: false });
    });

    it('throws a TargetError without calling RDS when the original has no ARN', async () => {
      const of = original();
      delete of.arn;

      const error = await rejectionOf(h.adapter({}, DEST).copy(copyRequest(of)));

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toBe(
        `Could not copy ${f.c.noun} ${SNAPSHOT_ID} to ${DEST}: RDS named no ARN for it.`,
      );
      expect(h.commands()).toEqual([]);
    });

    it('adds the quota hint naming the destination region on SnapshotQuotaExceeded (not for copies in progress)', async () => {
      h.answerCopy(() =>
        rdsError(
          'SnapshotQuotaExceededFault',
          'The request cannot be processed because it would exceed the maximum number of snapshots.',
        ),
      );

      const error = await rejectionOf(h.adapter({}, DEST).copy(copyRequest(original())));

      expect(error).toBeInstanceOf(TargetError);
      expect(error).not.toBeInstanceOf(DeferredError);
      expect(error.message).toBe(
        `Could not copy ${f.c.noun} ${SNAPSHOT_ID} to ${DEST}: The request cannot be processed because it would exceed the maximum number of snapshots (SnapshotQuotaExceededFault). The account is at its manual snapshot quota in ${DEST}; delete old manual snapshots or ask AWS for a higher quota.`,
      );
    });
  });
});

describe('rds-instance sources: Aurora members, states and option groups', () => {
  harnessPerTest('rds-instance');

  async function lookUp(
    items: { id: string; status?: string; optionGroup?: string; clusterId?: string }[],
  ) {
    h.answerSources(() => ({ items }));
    return h.adapter().findSources(
      items.map((item) => item.id),
      {},
    );
  }

  it('gives an Aurora member instance a problem that points to target-type rds-cluster with the cluster id', async () => {
    const lookup = await lookUp([{ id: 'aurora-1-instance-1', clusterId: 'aurora-1' }]);

    expect(lookup.missing).toEqual([]);
    const problem = lookup.found[0]?.problem ?? '';
    expect(problem).toContain('target-type: rds-cluster');
    expect(problem).toContain('aurora-1');
    expect(problem).toContain('resource-id: aurora-1');
  });

  it('lets an instance in storage-optimization be snapshotted, as RDS allows', async () => {
    const lookup = await lookUp([{ id: 'db-growing', status: 'storage-optimization' }]);

    expect(lookup.found).toEqual([{ id: 'db-growing', tags: {} }]);
  });

  it.each(['modifying', 'backing-up', 'stopped', 'rebooting'])(
    'gives an instance that is %s a problem naming its state and the states RDS allows',
    async (status) => {
      const lookup = await lookUp([{ id: 'db-busy', status }]);

      expect(lookup.found[0]?.problem).toBe(
        `db-busy is '${status}'; RDS takes a DB snapshot only of an instance that is 'available' or 'storage-optimization', so a later run will try again.`,
      );
    },
  );

  it('reads the option group of an instance from its first OptionGroupMemberships entry', async () => {
    const lookup = await lookUp([
      { id: 'db-og', optionGroup: 'og-prod-mysql' },
      { id: 'db-plain' },
    ]);

    expect(lookup.found).toEqual([
      { id: 'db-og', tags: {}, optionGroup: 'og-prod-mysql' },
      { id: 'db-plain', tags: {} },
    ]);
  });
});

describe('rds-cluster sources', () => {
  harnessPerTest('rds-cluster');

  it('gives a cluster that is not available a problem naming its state', async () => {
    h.answerSources(() => ({ items: [{ id: 'aurora-busy', status: 'storage-optimization' }] }));

    const lookup = await h.adapter().findSources(['aurora-busy'], {});

    expect(lookup.found[0]?.problem).toBe(
      "aurora-busy is 'storage-optimization'; Aurora takes a cluster snapshot only of a cluster that is 'available', so a later run will try again.",
    );
  });
});

describe('the size of an RDS snapshot (AllocatedStorage)', () => {
  const sizesOf = async (
    type: 'rds-instance' | 'rds-cluster',
    items: { sizeGiB?: number; engine?: string }[],
  ) => {
    const c = type === 'rds-instance' ? RDS_INSTANCE : RDS_CLUSTER;
    const times = items.map((_, i) => new Date(Date.parse(T1) + i * 60_000).toISOString());
    const harness = rdsHarness(type);
    try {
      harness.answerListing(() => ({
        items: items.map((item, i) => ({
          id: c.idOf(c.sourceId, times[i]!),
          tags: backupTags(c.sourceId, times[i]),
          ...item,
        })),
      }));
      const backups = await harness.adapter().listBackups(SET);
      expect(backups).toHaveLength(items.length);
      return backups.map((backup) => backup.sizeGiB);
    } finally {
      harness.restore();
    }
  };

  it('leaves an Aurora cluster snapshot without a size: its AllocatedStorage (1, or 0) is not its storage, which grows', async () => {
    const sizes = await sizesOf('rds-cluster', [
      { sizeGiB: 1, engine: 'aurora-postgresql' },
      { sizeGiB: 0, engine: 'aurora-mysql' },
      { sizeGiB: 1, engine: 'aurora' },
      // A Multi-AZ DB cluster's storage is allocated: its size.
      { sizeGiB: 100, engine: 'mysql' },
    ]);

    expect(sizes).toEqual([undefined, undefined, undefined, 100]);
  });

  it('leaves a DB snapshot whose AllocatedStorage is 0 without a size', async () => {
    const sizes = await sizesOf('rds-instance', [{ sizeGiB: 0 }, { sizeGiB: 20 }, {}]);

    expect(sizes).toEqual([undefined, 20, undefined]);
  });
});
