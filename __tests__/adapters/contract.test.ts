// The contract every adapter keeps (TargetAdapter, src/targets/target.ts), run for every target type
// over the table of target-cases.ts: what the core relies on whatever the type — sources found and
// missing, the set's own backups over every page, tags set at creation, waits that complete, fail,
// time out or are cancelled, deletions deleted, already gone, skipped or failed, copies, and calls
// refused by IAM naming the action. What only one type does is tested in its own file.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TAGS } from '../../src/constants.js';
import { CancelledError, DeferredError, TargetError } from '../../src/errors.js';
import type { Backup } from '../../src/targets/target.js';
import { rejectionOf } from './expect.js';
import {
  abortError,
  AWS_TIME,
  backupOf,
  backupTags,
  copyRequest,
  copyTags,
  createRequest,
  CREATED_AT,
  DEST,
  DEST_KEY,
  FAST,
  ownershipTags,
  pendingCopy,
  REGION,
  SET,
  tagRecord,
  type Harness,
  type Page,
  type RawSource,
  type SourceQuery,
  type Stored,
} from './fixtures.js';
import { TARGET_CASES, type TargetCase } from './target-cases.js';

const T1 = '2026-11-20T12:00:00.000Z';
const T2 = '2026-11-21T12:00:00.000Z';
const T3 = CREATED_AT;
const T4 = '2026-11-19T12:00:00.000Z';

function capitalized(noun: string): string {
  return `${noun.charAt(0).toUpperCase()}${noun.slice(1)}`;
}

describe.each(TARGET_CASES)('$type adapter (the TargetAdapter contract)', (c) => {
  const SOURCE = c.sourceId;
  /** How a wait's messages begin: `Snapshot snap-1 of vol-1`. */
  const subject = (id: string) => `${capitalized(c.noun)} ${id} of ${SOURCE}`;
  let h: Harness;

  beforeEach(() => {
    h = c.harness();
  });

  afterEach(() => {
    h.restore();
    vi.unstubAllEnvs();
  });

  const requestTags = () => createRequest(SOURCE).tags;

  /** The backup create() hands back: pending, under the id AWS gives it or the action derives. */
  function pendingBackup(): Backup {
    return backupOf(c.type, c.idOf(SOURCE, CREATED_AT), SOURCE, { tags: requestTags() });
  }

  /** A backup of the set made at `createdAt`, as AWS stores it (AWS's time 5 s after the tag). */
  function stored(createdAt: string, overrides: Partial<Stored> = {}, sourceId = SOURCE): Stored {
    return {
      id: c.idOf(sourceId, createdAt),
      tags: backupTags(sourceId, createdAt),
      awsTime: new Date(Date.parse(createdAt) + 5_000),
      ...overrides,
    };
  }

  /** A completed backup in REGION, made at `createdAt`: the original of a copy. */
  function original(overrides: Partial<Backup> = {}, createdAt = CREATED_AT): Backup {
    const id = c.idOf(SOURCE, createdAt);
    return backupOf(c.type, id, SOURCE, {
      createdAt: new Date(createdAt),
      state: 'completed',
      tags: { ...backupTags(SOURCE, createdAt), app: 'web' },
      ...c.arnOf(REGION, id),
      ...overrides,
    });
  }

  describe('findSources', () => {
    const idQuery = (ids: string[]) => [
      { Name: c.sources.idFilter, Values: ids },
      ...c.sources.alwaysFilters,
    ];

    /** Answers as AWS would from `world`: by the id filter, by tag filters, else everything. */
    function serve(world: RawSource[]): (query: SourceQuery) => Page<RawSource> {
      return ({ filters }) => ({
        items: world.filter((source) =>
          filters.every(({ Name = '', Values = [] }) => {
            if (Name === c.sources.idFilter) return Values.includes(source.id);
            if (!Name.startsWith('tag:')) return true;
            const value = source.tags?.[Name.slice('tag:'.length)];
            return value !== undefined && Values.includes(value);
          }),
        ),
      });
    }

    it('looks the ids up with a filter, not a list of ids (which fails on a missing one), and reports those that do not exist as missing', async () => {
      h.answerSources(serve([{ id: 'src-2', tags: { Name: 'two' } }]));

      const lookup = await h.adapter().findSources(['src-1', 'src-2', 'src-3'], {});

      // No tags: no lookup by tags.
      const queries = h.sourceQueries();
      expect(queries).toHaveLength(1);
      expect(queries[0]?.filters).toEqual(idQuery(['src-1', 'src-2', 'src-3']));
      expect(queries[0]?.input).not.toHaveProperty(c.sources.idList);
      expect(lookup).toEqual({
        found: [{ id: 'src-2', tags: { Name: 'two' } }],
        missing: ['src-1', 'src-3'],
      });
    });

    it('returns the sources of every page', async () => {
      const pages: Record<string, Page<RawSource>> = {
        first: { items: [{ id: 'src-1', tags: { Name: 'one' } }], next: 'p-2' },
        'p-2': { items: [{ id: 'src-2' }], next: 'p-3' },
        'p-3': { items: [{ id: 'src-3', tags: { team: 'db' } }] },
      };
      h.answerSources(({ token }) => pages[token ?? 'first']!);

      const lookup = await h.adapter().findSources(['src-1', 'src-2', 'src-3', 'src-4'], {});

      expect(h.sourceQueries().map((query) => query.token)).toEqual([undefined, 'p-2', 'p-3']);
      for (const query of h.sourceQueries()) {
        expect(query.filters).toEqual(idQuery(['src-1', 'src-2', 'src-3', 'src-4']));
      }
      expect(lookup).toEqual({
        found: [
          { id: 'src-1', tags: { Name: 'one' } },
          { id: 'src-2', tags: {} },
          { id: 'src-3', tags: { team: 'db' } },
        ],
        missing: ['src-4'],
      });
    });

    const max = c.sources.maxIdsPerFilter;
    it(`splits ${2 * max + 50} ids into filters of at most ${max} values and reports the missing ones`, async () => {
      const ids = Array.from(
        { length: 2 * max + 50 },
        (_, i) => `src-${String(i).padStart(3, '0')}`,
      );
      const absent = [ids[0]!, ids[max + 50]!, ids.at(-1)!];
      h.answerSources(serve(ids.filter((id) => !absent.includes(id)).map((id) => ({ id }))));

      const lookup = await h.adapter().findSources(ids, {});

      const valueLists = h.sourceQueries().map((query) => query.filters[0]?.Values ?? []);
      expect(valueLists.map((values) => values.length)).toEqual([max, max, 50]);
      expect(valueLists.flat()).toEqual(ids);
      for (const [i, query] of h.sourceQueries().entries()) {
        expect(query.filters).toEqual(idQuery(valueLists[i]!));
      }
      expect(lookup.found).toHaveLength(ids.length - absent.length);
      expect(lookup.missing).toEqual(absent);
    });

    it(`discovers the sources that carry every given tag (${c.sources.serverTagFilter ? 'filtered by tag' : 'read once and matched in the answer'}) and merges them with those found by id`, async () => {
      h.answerSources(
        serve([
          { id: 'src-9', tags: { backup: 'yes', env: 'prod' } },
          { id: 'src-5', tags: { backup: 'yes', env: 'prod', extra: 'x' } },
          { id: 'src-one-tag', tags: { backup: 'yes' } },
          { id: 'src-wrong-value', tags: { backup: 'yes', env: 'dev' } },
          { id: 'src-none' },
        ]),
      );

      const lookup = await h.adapter().findSources(['src-9'], { backup: 'yes', env: 'prod' });

      const queries = h.sourceQueries();
      expect(queries).toHaveLength(2);
      expect(queries[1]?.filters).toEqual(
        c.sources.serverTagFilter
          ? [
              { Name: 'tag:backup', Values: ['yes'] },
              { Name: 'tag:env', Values: ['prod'] },
              ...c.sources.alwaysFilters,
            ]
          : [],
      );
      // Nothing read per source (no ListTagsForResource).
      expect(new Set(h.commands())).toEqual(new Set([c.sources.command]));
      expect(lookup).toEqual({
        found: [
          { id: 'src-5', tags: { backup: 'yes', env: 'prod', extra: 'x' } },
          { id: 'src-9', tags: { backup: 'yes', env: 'prod' } },
        ],
        missing: [],
      });
    });

    it('turns a describe error into a TargetError naming the region, the ids and the code', async () => {
      h.answerSources(() => {
        throw c.error(c.iam.code, 'You are not authorized to describe.');
      });

      const error = await rejectionOf(h.adapter().findSources(['src-1'], {}));

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toContain(REGION);
      expect(error.message).toContain('src-1');
      expect(error.message).toContain(c.iam.code);
      expect(error.cause).toBeInstanceOf(c.ServiceException);
    });
  });

  describe('listBackups', () => {
    it(`asks AWS for the set's backups (${c.listing.commands.join(', ')}) and reads nothing per backup`, async () => {
      h.answerListing(() => ({ items: [stored(T1)] }));

      await h.adapter().listBackups(SET);

      expect(h.listingQueries()).toHaveLength(1);
      expect(h.listingQueries()[0]?.input).toMatchObject(c.listing.query(SET));
      for (const key of c.listing.unasked)
        expect(h.listingQueries()[0]?.input).not.toHaveProperty(key);
      expect(h.commands()).toEqual(c.listing.commands);
    });

    it('lists every page and keeps only the backups that carry both ownership tags of this set', async () => {
      const pages: Record<string, Page<Stored>> = {
        first: {
          // Only the set tag: tagged by hand, never managed.
          items: [
            stored(T1),
            stored(T2, { tags: { [TAGS.backupSet]: SET, [TAGS.createdAt]: T2 } }),
          ],
          next: 't-2',
        },
        't-2': {
          items: [
            // Another source of the set: the set's.
            stored(T2, {}, 'other-src'),
            // Another set (a server that ignored the filter must not leak it into this set).
            stored(T2, { tags: { ...backupTags(SOURCE, T2), [TAGS.backupSet]: 'weekly' } }),
            stored(T2, { tags: null }),
          ],
          next: 't-3',
        },
        // No backup-set tag at all.
        't-3': {
          items: [
            stored(T3),
            stored(T3, { tags: { [TAGS.source]: SOURCE, [TAGS.createdAt]: T3 } }),
          ],
        },
      };
      h.answerListing(({ token }) => pages[token ?? 'first']!);

      const backups = await h.adapter().listBackups(SET);

      expect(h.listingQueries().map((query) => query.token)).toEqual([undefined, 't-2', 't-3']);
      for (const query of h.listingQueries())
        expect(query.input).toMatchObject(c.listing.query(SET));
      expect(backups.map((b) => b.id)).toEqual([
        c.idOf(SOURCE, T1),
        c.idOf('other-src', T2),
        c.idOf(SOURCE, T3),
      ]);
      expect(backups[1]).toEqual({
        id: c.idOf('other-src', T2),
        kind: c.type,
        region: REGION,
        sourceId: 'other-src',
        set: SET,
        createdAt: new Date(T2),
        state: 'completed',
        tags: backupTags('other-src', T2),
      });
    });

    it('leaves out backups that carry the set’s tags but that AWS says were copied or made from another source', async () => {
      h.answerListing(() => ({
        items: [
          // An answer that names no origin: the tags decide.
          stored(T1),
          stored(T2, { madeFrom: SOURCE }),
          // Copied by hand with the tags (CopySnapshot, CopyImageTags, CopyTags): never the action's.
          stored(T3, { copiedFrom: c.idOf(SOURCE, T1) }),
          // Tagged by hand like the set's, but a backup of another source.
          stored(T4, { madeFrom: 'another-src' }),
        ],
      }));

      const backups = await h.adapter().listBackups(SET);

      expect(backups.map((b) => b.id)).toEqual([c.idOf(SOURCE, T1), c.idOf(SOURCE, T2)]);
    });

    it('maps AWS’s states to pending, completed and failed (with AWS’s reason), and leaves out those on their way out', async () => {
      const times = c.states.table.map((_, i) =>
        new Date(Date.parse(T1) + i * 60_000).toISOString(),
      );
      h.answerListing(() => ({
        items: c.states.table.map(([state], i) =>
          stored(times[i]!, { state, reason: 'AWS says why.' }),
        ),
      }));

      const backups = await h.adapter().listBackups(SET);

      const kept = c.states.table.flatMap(([state, expected], i) =>
        expected ? [{ id: c.idOf(SOURCE, times[i]!), aws: state, expected }] : [],
      );
      expect(backups.map(({ id, state }) => [id, state])).toEqual(
        kept.map((k) => [k.id, k.expected]),
      );
      for (const [i, backup] of backups.entries()) {
        if (backup.state === 'failed') {
          expect(backup.stateMessage).toBe(c.failedMessage(kept[i]!.aws, 'AWS says why.'));
        } else {
          expect(backup).not.toHaveProperty('stateMessage');
        }
      }
    });

    it('ages a backup by its created-at tag, and by AWS’s time when the tag runs ahead of it', async () => {
      const ahead = '2026-11-24T12:00:00.000Z';
      h.answerListing(() => ({ items: [stored(T1), stored(ahead, { awsTime: AWS_TIME })] }));

      const backups = await h.adapter().listBackups(SET);

      expect(backups.map((b) => [b.id, b.createdAt.toISOString()])).toEqual([
        [c.idOf(SOURCE, T1), T1],
        [c.idOf(SOURCE, ahead), AWS_TIME.toISOString()],
      ]);
    });

    it(
      c.untagged === 'aws-time'
        ? 'ages a backup without a valid created-at tag by AWS’s time'
        : 'leaves out a backup without a valid created-at tag (its identifier derives from the tag)',
      async () => {
        h.answerListing(() => ({
          items: [
            stored(T1, {
              tags: { ...ownershipTags(SOURCE), [TAGS.createdAt]: 'soon' },
              awsTime: AWS_TIME,
            }),
            stored(T2, { tags: ownershipTags(SOURCE), awsTime: AWS_TIME }),
          ],
        }));

        const backups = await h.adapter().listBackups(SET);

        expect(backups.map((b) => [b.id, b.createdAt.toISOString()])).toEqual(
          c.untagged === 'aws-time'
            ? [
                [c.idOf(SOURCE, T1), AWS_TIME.toISOString()],
                [c.idOf(SOURCE, T2), AWS_TIME.toISOString()],
              ]
            : [],
        );
      },
    );

    it('turns a listing error into a TargetError naming the set, the region and the code', async () => {
      h.answerListing(() => {
        throw c.error(c.iam.code, 'Not allowed.');
      });

      const error = await rejectionOf(h.adapter().listBackups(SET));

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toContain(SET);
      expect(error.message).toContain(REGION);
      expect(error.message).toContain(c.iam.code);
    });

    it('lists the set’s copies with copyOf, sourceRegion and encrypted, and leaves them off a backup made here', async () => {
      const first = original({}, T1);
      const second = original({}, T2);
      const copy = (of: Backup, overrides: Partial<Stored>): Stored => ({
        id: c.copyIdOf(of.id),
        tags: copyTags(of),
        copiedFrom: of.id,
        ...c.arnOf(DEST, c.copyIdOf(of.id)),
        ...overrides,
      });
      h.answerListing(() => ({
        items: [
          copy(first, { encrypted: true }),
          copy(second, { state: c.states.pending, encrypted: false }),
          stored(T3),
        ],
      }));

      const backups = await h.adapter({}, DEST).listBackups(SET);

      const expected = (of: Backup, state: string, encrypted: boolean) => ({
        ...pendingCopy(of, c.copyIdOf(of.id)),
        state,
        encrypted,
        ...c.arnOf(DEST, c.copyIdOf(of.id)),
      });
      expect(backups.slice(0, 2)).toEqual([
        expected(first, 'completed', true),
        expected(second, 'pending', false),
      ]);
      expect(backups[2]?.id).toBe(c.idOf(SOURCE, T3));
      expect(backups[2]).not.toHaveProperty('copyOf');
      expect(backups[2]).not.toHaveProperty('sourceRegion');
      expect(backups[2]).not.toHaveProperty('encrypted');
    });
  });

  describe('create', () => {
    it(`asks for a backup of the source with exactly the given tags, set at creation on the ${c.create.taggedResources.join(' and ')}`, async () => {
      h.answerCreate(() => ({ state: c.states.pending }));
      const request = createRequest(SOURCE);

      await h.adapter().create(request);

      const queries = h.createQueries();
      expect(queries).toHaveLength(1);
      expect(queries[0]?.sourceId).toBe(SOURCE);
      expect(queries[0]?.tagSets.map((set) => set.resource)).toEqual(c.create.taggedResources);
      for (const { tags } of queries[0]?.tagSets ?? []) {
        expect(tagRecord(tags)).toEqual(request.tags);
        expect(tags).toHaveLength(Object.keys(request.tags).length);
      }
    });

    it('returns the backup AWS accepted as pending, aged by the created-at tag, and sends nothing more', async () => {
      h.answerCreate(() => ({
        state: c.states.pending,
        tags: requestTags(),
        awsTime: new Date('2026-11-22T12:00:03Z'),
      }));

      const backup = await h.adapter().create(createRequest(SOURCE));

      expect(backup).toEqual(pendingBackup());
      expect(h.commands()).toEqual([c.create.command]);
    });

    it.each([
      ['no tag list', null],
      ['an empty tag list', {}],
    ])('keeps the requested tags when AWS answers with %s', async (_, tags) => {
      h.answerCreate(() => ({ state: c.states.pending, tags }));

      const backup = await h.adapter().create(createRequest(SOURCE));

      expect(backup).toEqual(pendingBackup());
    });

    it.each(c.create.refusals)(
      'turns %s into a TargetError naming the source and the code, waiting for nothing and sending nothing more',
      async (code, message, status) => {
        h.answerCreate(() => c.error(code, message, status));

        const error = await rejectionOf(h.adapter().create(createRequest(SOURCE)));

        expect(error).toBeInstanceOf(TargetError);
        expect(error.message).toContain(SOURCE);
        expect(error.message).toContain(code);
        expect(error.message).not.toContain('quota');
        expect(error.cause).toBeInstanceOf(c.ServiceException);
        expect(h.commands()).toEqual([c.create.command]);
        expect(h.sleep).not.toHaveBeenCalled();
      },
    );

    it('throws a CancelledError and sends nothing when the signal is already aborted', async () => {
      h.answerCreate(() => ({ state: c.states.pending }));

      const error = await rejectionOf(
        h.adapter().create(createRequest(SOURCE, { signal: AbortSignal.abort() })),
      );

      expect(error).toBeInstanceOf(CancelledError);
      expect(h.commands()).toEqual([]);
    });
  });

  describe('waitUntilDone', () => {
    const pendingRead = () => ({ state: c.states.pending, tags: requestTags() });
    const failedRead = () => ({
      state: c.states.failed,
      reason: 'AWS says why.',
      tags: requestTags(),
    });

    /** Every describe sent read the backup by its id, and nothing else was sent. */
    function expectOnlyReadsOf(id: string): void {
      for (const read of h.reads()) expect(read).toMatchObject(c.read.query(id));
      expect(new Set(h.commands())).toEqual(new Set([c.read.command]));
    }

    it('returns a backup that is not pending at once, without calling AWS', async () => {
      const done: Backup = { ...pendingBackup(), state: 'completed' };

      const result = await h.adapter().waitUntilDone(done, { maxWaitSeconds: 60 });

      expect(result).toBe(done);
      expect(h.commands()).toEqual([]);
    });

    it('polls a pending backup by its id until it completes, and returns it completed', async () => {
      h.answerReads(pendingRead(), { state: c.states.completed, tags: requestTags() });

      const result = await h.adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 });

      expect(result).toEqual({ ...pendingBackup(), state: 'completed' });
      // Pending, then completed: the read that sees it completed is the last.
      expect(h.reads()).toHaveLength(2);
      expectOnlyReadsOf(pendingBackup().id);
    });

    it.each([
      ['at the first read', false],
      ['after a poll', true],
    ])('returns a backup that fails %s as failed, with AWS’s reason', async (_, pendingFirst) => {
      h.answerReads(...(pendingFirst ? [pendingRead()] : []), failedRead());

      const result = await h.adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 });

      expect(result).toEqual({
        ...pendingBackup(),
        state: 'failed',
        stateMessage: c.failedMessage(c.states.failed, 'AWS says why.'),
      });
      expectOnlyReadsOf(pendingBackup().id);
    });

    it('throws a TargetError naming wait-timeout, leaving the backup in place, when it stays pending', async () => {
      h.answerReads(pendingRead());
      const started = performance.now();

      const error = await rejectionOf(
        h.adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 0.01 }),
      );

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toContain(pendingBackup().id);
      expect(error.message).toContain(SOURCE);
      expect(error.message).toContain('wait-timeout');
      expect(error.message).toMatch(/left in place/);
      // The waiter's shortest budget is minDelay + 1 = 2 s.
      expect(performance.now() - started).toBeLessThan(10_000);
      expectOnlyReadsOf(pendingBackup().id);
    });

    it('reports the describe error, not a timeout, when the backup cannot be read while waiting', async () => {
      h.answerReads(c.error(c.iam.code, 'You are not authorized to perform this operation.'));

      const error = await rejectionOf(
        h.adapter().waitUntilDone(pendingBackup(), { maxWaitSeconds: 0.01 }),
      );

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toMatch(
        new RegExp(`^Could not read ${c.noun} ${pendingBackup().id} while waiting for it: `),
      );
      expect(error.message).toContain(c.iam.code);
      expect(error.message).not.toMatch(/left in place/);
    });

    it.each(c.read.gone)(
      'reports at once, not at the timeout, a backup gone after it was seen (%s)',
      async (_, gone) => {
        h.answerReads(pendingRead(), gone);
        const started = performance.now();

        const error = await rejectionOf(
          h.adapter(FAST).waitUntilDone(pendingBackup(), { maxWaitSeconds: 600 }),
        );

        expect(error).toBeInstanceOf(TargetError);
        expect(error.message).toBe(
          `${subject(pendingBackup().id)} disappeared while waiting for it.`,
        );
        expect(h.reads()).toHaveLength(2);
        // Well under the 600 s wait-timeout and the 300 s visibility grace.
        expect(performance.now() - started).toBeLessThan(5_000);
      },
    );

    it('waits for a new backup that AWS does not show yet (eventual consistency), until it completes', async () => {
      h.answerReads('absent', 'absent', { state: c.states.completed, tags: requestTags() });

      const result = await h
        .adapter({ ...FAST, visibilityGraceSeconds: 30 })
        .waitUntilDone(pendingBackup(), { maxWaitSeconds: 60 });

      expect(result).toEqual({ ...pendingBackup(), state: 'completed' });
      expect(h.reads()).toHaveLength(3);
    });

    it('fails, leaving it in place, a new backup that AWS does not show for the whole visibility grace', async () => {
      h.answerReads('absent');

      const error = await rejectionOf(
        h
          .adapter({ ...FAST, visibilityGraceSeconds: 0.3 })
          .waitUntilDone(pendingBackup(), { maxWaitSeconds: 600 }),
      );

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toMatch(
        new RegExp(
          `^${subject(pendingBackup().id)} was accepted by AWS but has not become visible in .*; it is left in place \\(if it exists\\)`,
        ),
      );
      expectOnlyReadsOf(pendingBackup().id);
    });

    /** `count` pending backups of SOURCE a second apart, each with its own tags, by id. */
    function pendingMany(count: number): Map<string, Backup> {
      const all = Array.from({ length: count }, (_, i) => {
        const at = new Date(Date.parse(CREATED_AT) + i * 1000).toISOString();
        const tags = { ...requestTags(), ...backupTags(SOURCE, at) };
        return backupOf(c.type, c.idOf(SOURCE, at), SOURCE, { createdAt: new Date(at), tags });
      });
      return new Map(all.map((backup) => [backup.id, backup]));
    }

    /** The ids of every filter value of a describe the waits sent. */
    const askedIn = (read: Record<string, unknown>) =>
      ((read.Filters ?? []) as { Values?: string[] }[]).flatMap((f) => f.Values ?? []);

    it('reads every backup it waits for with one describe a poll, not one per backup', async () => {
      const waited = pendingMany(5);
      const [late] = [...waited.keys()].slice(-1);
      // First poll: all pending; second: all but the last completed; then the last completed.
      const read = (state: (id: string) => string) => (id: string) => ({
        state: state(id),
        tags: waited.get(id)?.tags ?? {},
      });
      h.answerReadsOf(
        read(() => c.states.pending),
        read((id) => (id === late ? c.states.pending : c.states.completed)),
        read(() => c.states.completed),
      );
      const adapter = h.adapter(FAST);

      const done = await Promise.all(
        [...waited.values()].map((backup) => adapter.waitUntilDone(backup, { maxWaitSeconds: 60 })),
      );

      expect(done).toEqual([...waited.values()].map((b) => ({ ...b, state: 'completed' })));
      const reads = h.reads();
      // Three polls, whatever the number of waiters (one more where a poll lands just past the
      // freshness of the previous read); five waits one by one would take fifteen.
      expect(reads.length).toBeGreaterThanOrEqual(3);
      expect(reads.length).toBeLessThanOrEqual(4);
      expect(reads[0]).toMatchObject(c.read.many(askedIn(reads[0]!)));
      expect(new Set(askedIn(reads[0]!))).toEqual(new Set(waited.keys()));
      // A backup seen completed is not asked for again.
      for (const later of reads.slice(2)) expect(askedIn(later)).toEqual([late]);
      expect(new Set(h.commands())).toEqual(new Set([c.read.command]));
    });

    it('reads a new backup first after the first delay, with every other one accepted meanwhile: one describe for waits begun apart', async () => {
      const waited = pendingMany(2);
      h.answerReadsOf((id) => ({ state: c.states.completed, tags: waited.get(id)?.tags ?? {} }));
      const adapter = h.adapter();
      const [first, second] = [...waited.values()];

      const one = adapter.waitUntilDone(first!, { maxWaitSeconds: 60 });
      // The second create is answered a fifth of a second later (the pace of mutating calls).
      await new Promise((resolve) => setTimeout(resolve, 200));
      // AWS has just answered the first pending (a read now might not even find it): no read yet.
      expect(h.reads()).toEqual([]);
      const two = adapter.waitUntilDone(second!, { maxWaitSeconds: 60 });
      const done = await Promise.all([one, two]);

      expect(done.map((backup) => backup.state)).toEqual(['completed', 'completed']);
      // The first read, a second after the first wait began, covers both.
      expect(h.reads()).toHaveLength(1);
      expect(new Set(askedIn(h.reads()[0]!))).toEqual(new Set(waited.keys()));
    });

    it(`splits the describe of a poll into calls of at most ${c.read.maxIds} ids (AWS's limit of filter values)`, async () => {
      const waited = pendingMany(c.read.maxIds + 1);
      h.answerReadsOf((id) => ({ state: c.states.completed, tags: waited.get(id)?.tags ?? {} }));
      const adapter = h.adapter(FAST);

      const done = await Promise.all(
        [...waited.values()].map((backup) => adapter.waitUntilDone(backup, { maxWaitSeconds: 60 })),
      );

      expect(done.every((backup) => backup.state === 'completed')).toBe(true);
      const asked = h.reads().map(askedIn);
      expect(asked.map((ids) => ids.length)).toEqual([c.read.maxIds, 1]);
      expect(new Set(asked.flat())).toEqual(new Set(waited.keys()));
    });

    it('fails only the backup that a poll’s describe leaves out once it was seen, the others complete', async () => {
      const waited = pendingMany(3);
      const [gone] = [...waited.keys()];
      const read = (state: string) => (id: string) =>
        state !== c.states.pending && id === gone
          ? ('absent' as const)
          : { state, tags: waited.get(id)?.tags ?? {} };
      h.answerReadsOf(read(c.states.pending), read(c.states.completed));
      const adapter = h.adapter(FAST);

      const results = await Promise.allSettled(
        [...waited.values()].map((backup) => adapter.waitUntilDone(backup, { maxWaitSeconds: 60 })),
      );

      expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
      const [first] = results;
      expect(first?.status === 'rejected' && (first.reason as Error).message).toBe(
        `${subject(gone!)} disappeared while waiting for it.`,
      );
    });

    it('throws a CancelledError promptly when the run is cancelled during the wait', async () => {
      h.answerReads(pendingRead());
      const controller = new AbortController();
      let abortedAt = 0;
      setTimeout(() => {
        abortedAt = performance.now();
        controller.abort();
      }, 100);

      const error = await rejectionOf(
        h
          .adapter({ minDelaySeconds: 30, maxDelaySeconds: 30 })
          .waitUntilDone(pendingBackup(), { maxWaitSeconds: 600, signal: controller.signal }),
      );

      expect(error).toBeInstanceOf(CancelledError);
      expect(abortedAt).toBeGreaterThan(0);
      // The waiter sleeps 30 s between polls; the abort must not wait for it.
      expect(performance.now() - abortedAt).toBeLessThan(10_000);
    });

    it('sends the describe of its polls with a signal that fires with the run’s, ending a read under way', async () => {
      const controller = new AbortController();
      // The describe hangs, as a slow answer would: only its signal can end it.
      h.answerReads('hang');
      const waiting = h
        .adapter(FAST)
        .waitUntilDone(pendingBackup(), { maxWaitSeconds: 600, signal: controller.signal });

      while (h.reads().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const [options] = h.readOptions() as { abortSignal?: AbortSignal }[];
      expect(options?.abortSignal).toBeInstanceOf(AbortSignal);
      expect(options?.abortSignal?.aborted).toBe(false);
      controller.abort();

      expect(await rejectionOf(waiting)).toBeInstanceOf(CancelledError);
      expect(options?.abortSignal?.aborted).toBe(true);
      expect(h.readOptions()).toHaveLength(1);
    });
  });

  describe('delete', () => {
    const old = () => ({ ...pendingBackup(), state: 'completed' as const });

    it('deletes the backup and reports it deleted', async () => {
      h.answerDelete('deleted');

      const outcome = await h.adapter().delete(old());

      expect(outcome).toEqual({
        result: 'deleted',
        ...(c.delete.note ? { message: c.delete.note } : {}),
      });
      expect(h.deleteInputs()).toEqual([c.delete.input(old().id)]);
    });

    it.each(c.delete.notFound)('reports %s as already gone', async (code) => {
      h.answerDelete(c.error(code));

      const outcome = await h.adapter().delete(old());

      expect(outcome).toEqual({ result: 'already-gone' });
    });

    it.each(c.delete.skips)('skips $name, leaving it in place with a message', async (skip) => {
      h.answerDelete(skip.answer);

      const outcome = await h.adapter().delete(old());

      expect(outcome.result).toBe('skipped');
      for (const says of skip.says(old().id)) {
        if (typeof says === 'string') expect(outcome.message).toContain(says);
        else expect(outcome.message).toMatch(says);
      }
      expect(h.deleteInputs()).toHaveLength(skip.deleteCalls);
    });

    it('turns any other error into a TargetError naming the backup and the code', async () => {
      const [code, message] = c.delete.failure;
      h.answerDelete(c.error(code, message));

      const error = await rejectionOf(h.adapter().delete(old()));

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toContain(old().id);
      expect(error.message).toContain(code);
      expect(h.deleteInputs()).toHaveLength(1);
    });
  });

  describe('copy (the destination’s adapter)', () => {
    /** The copy as AWS accepts it: pending, in the destination, tagged, with its own ARN (RDS). */
    const accepted = (of: Backup) => ({
      state: c.states.pending,
      tags: copyTags(of),
      ...(of.encrypted !== undefined ? { encrypted: of.encrypted } : {}),
      ...c.arnOf(DEST, c.copyIdOf(of.id)),
    });

    it.each([
      [
        'an original whose encryption is unknown, even with a key: no key',
        undefined,
        DEST_KEY,
        false,
      ],
      ['an encrypted original with a key: that key', true, DEST_KEY, true],
      ['an encrypted original without a key: the region’s default key', true, undefined, false],
      ['an unencrypted original, even with a key: no key', false, DEST_KEY, false],
    ])(
      'copies the original from its region with exactly the given tags, for %s',
      async (_, encrypted, kmsKeyId, keyed) => {
        const of = original(encrypted === undefined ? {} : { encrypted });
        h.answerCopy(() => accepted(of));

        await h.adapter({}, DEST).copy(copyRequest(of, kmsKeyId ? { kmsKeyId } : {}));

        expect(h.copyInputs()).toStrictEqual([
          { ...c.copy.input(of, copyTags(of)), ...(keyed && kmsKeyId ? c.copy.key(kmsKeyId) : {}) },
        ]);
      },
    );

    it('returns the pending copy in the destination, aged by the original’s created-at tag, and sends nothing more', async () => {
      const of = original({ encrypted: true });
      h.answerCopy(() => accepted(of));

      const copy = await h.adapter({}, DEST).copy(copyRequest(of, { kmsKeyId: DEST_KEY }));

      expect(copy).toEqual({
        ...pendingCopy(of, c.copyIdOf(of.id)),
        encrypted: true,
        ...c.arnOf(DEST, c.copyIdOf(of.id)),
      });
      expect(h.commands()).toEqual([c.copy.command]);
    });

    it('turns an AWS error into a TargetError naming the backup, the destination and AWS’s message', async () => {
      const of = original();
      const [code, message] = c.copy.failure(of.id);
      h.answerCopy(() => c.error(code, message));

      const error = await rejectionOf(h.adapter({}, DEST).copy(copyRequest(of)));

      expect(error).toBeInstanceOf(TargetError);
      expect(error).not.toBeInstanceOf(DeferredError);
      expect(error.message).toBe(
        `Could not copy ${c.noun} ${of.id} to ${DEST}: ${message.replace(/\.$/, '')} (${code}).`,
      );
      expect(error.cause).toBeInstanceOf(c.ServiceException);
      expect(h.commands()).toEqual([c.copy.command]);
    });

    it(`defers a copy refused with ${c.copy.slotsTaken[0]} for the destination’s copies in flight to a later run`, async () => {
      const of = original();
      const [code, message] = c.copy.slotsTaken;
      h.answerCopy(() => c.error(code, message));

      const error = await rejectionOf(h.adapter({}, DEST).copy(copyRequest(of)));

      expect(error).toBeInstanceOf(DeferredError);
      expect(error.message).toBe(
        `Could not copy ${c.noun} ${of.id} to ${DEST}: ${message.replace(/\.$/, '')} (${code}). The destination's copies in flight are at AWS's limit (other tools share it); a later run copies it.`,
      );
      expect(error.cause).toBeInstanceOf(c.ServiceException);
    });

    it('throws a CancelledError and sends nothing when the signal is already aborted', async () => {
      const of = original();
      h.answerCopy(() => accepted(of));

      const error = await rejectionOf(
        h.adapter({}, DEST).copy(copyRequest(of, { signal: AbortSignal.abort() })),
      );

      expect(error).toBeInstanceOf(CancelledError);
      expect(h.commands()).toEqual([]);
    });

    it('throws a CancelledError, not a TargetError, when the run is cancelled during the call, whose signal went with it', async () => {
      const controller = new AbortController();
      h.answerCopy(() => {
        controller.abort();
        return abortError();
      });

      const error = await rejectionOf(
        h.adapter({}, DEST).copy(copyRequest(original(), { signal: controller.signal })),
      );

      expect(error).toBeInstanceOf(CancelledError);
      // The signal went with the request, so the SDK could abort it.
      expect(h.firstSendOptions()).toEqual({ abortSignal: controller.signal });
    });

    it('takes one in-flight copy slot for a backup it has never listed', () => {
      expect(h.adapter({}, DEST).copySlots(original())).toBe(1);
    });

    it('returns a copy that fails while it is waited for as failed, with AWS’s reason, keeping its copy fields', async () => {
      const of = original({ encrypted: true });
      h.answerCopy(() => accepted(of));
      const copies = h.adapter({}, DEST);
      const pending = await copies.copy(copyRequest(of, { kmsKeyId: DEST_KEY }));
      const read = { ...accepted(of), copiedFrom: of.id };
      h.answerReads(read, {
        ...read,
        state: c.states.failed,
        reason: 'The KMS key is not accessible.',
      });

      const done = await copies.waitUntilDone(pending, { maxWaitSeconds: 60 });

      expect(done).toEqual({
        ...pending,
        state: 'failed',
        stateMessage: c.failedMessage(c.states.failed, 'The KMS key is not accessible.'),
      });
      expect(h.reads()).toHaveLength(2);
      for (const query of h.reads()) expect(query).toMatchObject(c.read.query(pending.id));
    });
  });

  describe('size (sizeGiB)', () => {
    it('reads each backup’s size in GiB from AWS’s own field, and leaves it out where AWS states none', async () => {
      h.answerListing(() => ({ items: [stored(T1, c.size.stored(100)), stored(T2)] }));

      const backups = await h.adapter().listBackups(SET);

      expect(backups.map((b) => b.id)).toEqual([c.idOf(SOURCE, T1), c.idOf(SOURCE, T2)]);
      expect(backups[0]?.sizeGiB).toBe(100);
      expect(backups[1]).not.toHaveProperty('sizeGiB');
    });

    it(
      c.size.createAnswers
        ? 'takes a new backup’s size from the create call’s answer'
        : 'knows a new backup’s size once the wait reads it (the create call answers with an id alone)',
      async () => {
        h.answerCreate(() => ({
          state: c.states.pending,
          tags: requestTags(),
          ...c.size.stored(50),
        }));
        const adapter = h.adapter();

        const made = await adapter.create(createRequest(SOURCE));
        h.answerReads({ state: c.states.completed, tags: requestTags(), ...c.size.stored(50) });
        const done = await adapter.waitUntilDone(made, { maxWaitSeconds: 60 });

        if (c.size.createAnswers) expect(made.sizeGiB).toBe(50);
        else expect(made).not.toHaveProperty('sizeGiB');
        expect(done.sizeGiB).toBe(50);
      },
    );

    /** The copy as AWS accepts it, stating `extra` besides. */
    const acceptedCopy = (of: Backup, extra: Partial<Stored> = {}) => ({
      state: c.states.pending,
      tags: copyTags(of),
      ...c.arnOf(DEST, c.copyIdOf(of.id)),
      ...extra,
    });

    it('gives a copy its original’s size where the copy call’s answer states none', async () => {
      const of = original({ sizeGiB: 40 });
      h.answerCopy(() => acceptedCopy(of));

      const copy = await h.adapter({}, DEST).copy(copyRequest(of));

      expect(copy.sizeGiB).toBe(40);
    });

    it(
      c.size.copyAnswers
        ? 'takes a copy’s size from the copy call’s answer'
        : 'states no size for the copy of an original of unknown size (the copy call answers with an id alone)',
      async () => {
        const of = original();
        h.answerCopy(() => acceptedCopy(of, c.size.stored(40)));

        const copy = await h.adapter({}, DEST).copy(copyRequest(of));

        if (c.size.copyAnswers) expect(copy.sizeGiB).toBe(40);
        else expect(copy).not.toHaveProperty('sizeGiB');
      },
    );
  });

  describe('a call refused by IAM, through the action’s own client', () => {
    const denied = (what: string, action: string, policy: string, tagging = '') =>
      `${what}: AWS denied ${action} (${c.iam.code}): ${c.iam.message}; the role needs that permission${tagging} (see the IAM policy for ${policy} in docs/iam.md).`;

    it(`create names ${c.iam.create}, and ${c.iam.tagging} for the tags it sets at creation`, async () => {
      const error = await rejectionOf(c.iam.deniedAdapter(REGION).create(createRequest(SOURCE)));

      expect(error).toBeInstanceOf(TargetError);
      expect(error.message).toBe(
        denied(
          c.createFailed(SOURCE),
          c.iam.create,
          c.iam.policy,
          `, and ${c.iam.tagging} for the tags it sets at creation`,
        ),
      );
    });

    it(`listBackups names ${c.iam.list}, through the paginator`, async () => {
      const error = await rejectionOf(c.iam.deniedAdapter(REGION).listBackups(SET));

      expect(error.message).toContain(`AWS denied ${c.iam.list} (${c.iam.code})`);
    });

    it(`delete names ${c.iam.delete}, with every policy that grants it`, async () => {
      const id = pendingBackup().id;

      const error = await rejectionOf(
        c.iam.deniedAdapter(REGION).delete({ ...pendingBackup(), state: 'completed' }),
      );

      expect(error.message).toBe(denied(c.iam.deleteFailed(id), c.iam.delete, c.iam.deletePolicy));
    });
  });

  it('has the optional members of TargetAdapter that its API needs, and only those', () => {
    const adapter = h.adapter();

    expect({
      strays: typeof adapter.strays === 'function',
      quota: typeof adapter.quota === 'function',
      copiesNamedAfterOriginal: adapter.copiesNamedAfterOriginal === true,
    }).toEqual(c.optional);
  });
});

/** A request that AWS answers "that name is taken", where the name derives from set, source, time. */
interface Retried {
  /** Sends the request through an adapter that looks the name up for `graceSeconds`. */
  run: (graceSeconds?: number) => Promise<Backup>;
  answerTaken: (error: Error) => void;
  tags: Record<string, string>;
  /** The id of the backup under the derived name, and its region. */
  id: string;
  region: string;
  failed: string;
  sent: () => unknown[];
}

describe.each(TARGET_CASES.filter((c) => c.duplicate))(
  '$type adapter adopts its own backup under a name AWS says is taken (a request the SDK sent again)',
  (c: TargetCase) => {
    const duplicate = c.duplicate!;
    const SOURCE = c.sourceId;
    let h: Harness;

    beforeEach(() => {
      h = c.harness();
    });

    afterEach(() => {
      h.restore();
    });

    const requests: Record<'create' | 'copy', () => Retried> = {
      create: () => {
        const tags = { ...backupTags(SOURCE), [TAGS.run]: '42' };
        return {
          run: (grace) =>
            h
              .adapter({ visibilityGraceSeconds: grace })
              .create({ source: { id: SOURCE, tags: {} }, set: SET, tags }),
          answerTaken: (error) => h.answerCreate(() => error),
          tags,
          id: c.idOf(SOURCE, CREATED_AT),
          region: REGION,
          failed: c.createFailed(SOURCE),
          sent: () => h.createQueries(),
        };
      },
      copy: () => {
        const id = c.idOf(SOURCE, CREATED_AT);
        const of = backupOf(c.type, id, SOURCE, { state: 'completed', ...c.arnOf(REGION, id) });
        return {
          run: (grace) => h.adapter({ visibilityGraceSeconds: grace }, DEST).copy(copyRequest(of)),
          answerTaken: (error) => h.answerCopy(() => error),
          tags: copyTags(of),
          id: c.copyIdOf(id),
          region: DEST,
          failed: `Could not copy ${c.noun} ${id} to ${DEST}`,
          sent: () => h.copyInputs(),
        };
      },
    };

    describe.each(duplicate.requests)('on a %s', (kind) => {
      let request: Retried;

      beforeEach(() => {
        request = requests[kind]();
        request.answerTaken(c.error(duplicate.code, 'The name is already taken.'));
      });

      it('adopts the backup under the name when its set, source, created-at and copy-of tags are the request’s', async () => {
        const found = { id: request.id, ...c.arnOf(request.region, request.id) };
        h.answerReads({ ...found, state: c.states.pending, tags: request.tags });

        const backup = await request.run();

        expect(backup).toMatchObject({
          ...found,
          region: request.region,
          state: 'pending',
          sourceId: SOURCE,
          set: SET,
          createdAt: new Date(CREATED_AT),
          tags: request.tags,
        });
        expect(request.sent()).toHaveLength(1);
        expect(h.reads()).toHaveLength(1);
        expect(h.reads()[0]).toMatchObject(duplicate.lookup(request.id, SOURCE));
        expect(h.sleep).not.toHaveBeenCalled();
      });

      it('reads the name again within the visibility grace until the backup shows, then adopts it', async () => {
        h.answerReads('absent', 'absent', { id: request.id, tags: request.tags });

        const backup = await request.run(60);

        expect(backup).toMatchObject({ id: request.id, state: 'completed' });
        expect(h.reads()).toHaveLength(3);
        // Pauses double from a sixtieth of the grace.
        expect(h.sleep.mock.calls.map(([ms]) => ms)).toEqual([1_000, 2_000]);
      });

      it.each([
        ['another created-at', { [TAGS.createdAt]: '2026-11-22T11:00:00.000Z' }],
        ['another backup set', { [TAGS.backupSet]: 'weekly' }],
        ['another source', { [TAGS.source]: 'src-other' }],
        ['another copy-of', { [TAGS.copyOf]: 'sr-elsewhere' }],
        ['none of the action’s tags', null],
      ])(
        'reports the name taken at once, adopting nothing, when the backup under it has %s',
        async (_, differing) => {
          h.answerReads({
            id: request.id,
            tags: differing ? { ...request.tags, ...differing } : { Name: 'hand-made' },
          });

          const error = await rejectionOf(request.run(300));

          expect(error).toBeInstanceOf(TargetError);
          expect(error.message).toBe(
            `${request.failed}: The name is already taken (${duplicate.code}).${duplicate.hint(request.region)}`,
          );
          expect(request.sent()).toHaveLength(1);
          // Without waiting out the grace.
          expect(h.reads()).toHaveLength(1);
          expect(h.sleep).not.toHaveBeenCalled();
        },
      );

      it('reports the name taken once the grace has passed without the backup showing', async () => {
        h.answerReads('absent');

        const error = await rejectionOf(request.run(60));

        expect(error).toBeInstanceOf(TargetError);
        expect(error.message).toContain(duplicate.code);
        // Pauses of 1, 2, 4, 8 and 16 s: the next one would pass the 60 s grace.
        expect(h.sleep.mock.calls.map(([ms]) => ms)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
      });
    });
  },
);
