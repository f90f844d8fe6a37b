// The `files` adapter (src/targets/files.ts) over an in-memory bucket: what it counts as a backup,
// how a run's changes reach the manifest, what it refuses to overwrite, how clean-up and restores
// report. The bucket as S3 answers is tested in s3-store.test.ts; runs of the bundle in
// integration/files.test.ts.
import { Readable } from 'node:stream';
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TAGS } from '../../src/constants.js';
import { TargetError } from '../../src/errors.js';
import type { FilesConfig } from '../../src/files-inputs.js';
import { parseManifest } from '../../src/manifest.js';
import { scanFiles } from '../../src/targets/file-scan.js';
import { FilesAdapter } from '../../src/targets/files.js';
import type { Readability, StoredObjectInfo } from '../../src/targets/s3-answers.js';
import type { S3Store } from '../../src/targets/s3-store.js';
import type { Backup } from '../../src/targets/target.js';
import { PAST_MS, tempDirEachTest, tree } from './temp-tree.js';

const NOW = new Date('2026-11-29T02:30:00.000Z');
const AREA = 'snapshot-rotation/default/app/';

/** A bucket in memory with the answers S3Store gives; `archived` keys answer as GLACIER. */
class MemoryStore {
  readonly objects = new Map<string, { body: Buffer; storageClass: string; at: Date }>();
  readonly archived = new Map<string, Readability['state']>();
  failDelete = new Set<string>();
  existsAlready = new Set<string>();
  /** Uploads under these key prefixes fail. */
  failUploads: string[] = [];
  downloads = 0;
  /** The prefix of each listing (one ListObjectsV2 paginator each). */
  readonly listed: string[] = [];
  /** The time S3 gives what is written now. */
  now = NOW;

  async *list(prefix: string): AsyncIterable<StoredObjectInfo[]> {
    this.listed.push(prefix);
    yield await Promise.resolve(
      [...this.objects]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, object]) => ({
          key,
          size: object.body.length,
          lastModified: object.at,
          storageClass: object.storageClass,
        })),
    );
  }
  getText(key: string): Promise<string> {
    return Promise.resolve(this.objects.get(key)!.body.toString('utf8'));
  }
  putIfAbsent(key: string, body: string, options: { storageClass: string }) {
    if (this.objects.has(key) || this.existsAlready.has(key)) return Promise.resolve('exists');
    const at = this.now;
    this.objects.set(key, { body: Buffer.from(body), storageClass: options.storageClass, at });
    return Promise.resolve('created');
  }
  exists(key: string): Promise<boolean> {
    return Promise.resolve(this.objects.has(key));
  }
  async upload(key: string, body: Readable, options: { storageClass: string }) {
    const parts: Buffer[] = [];
    for await (const part of body) parts.push(part as Buffer);
    if (this.failUploads.some((prefix) => key.startsWith(prefix))) {
      throw new TargetError(`Could not upload ${key}: InternalError.`);
    }
    if (this.objects.has(key)) return 'exists';
    this.objects.set(key, {
      body: Buffer.concat(parts),
      storageClass: options.storageClass,
      at: this.now,
    });
    return 'created';
  }
  deleteKeys(keys: readonly string[]) {
    const failed = keys
      .filter((key) => this.failDelete.has(key))
      .map((key) => ({ key, code: 'AccessDenied', message: 'Access Denied' }));
    for (const key of keys) if (!this.failDelete.has(key)) this.objects.delete(key);
    return Promise.resolve({ deleted: keys.filter((key) => !this.failDelete.has(key)), failed });
  }
  readability(key: string): Promise<Readability> {
    const state = this.archived.get(key) ?? 'readable';
    return Promise.resolve({ state, storageClass: state === 'readable' ? 'STANDARD' : 'GLACIER' });
  }
  requestRestore(key: string) {
    this.archived.set(key, 'restoring');
    return Promise.resolve('requested' as const);
  }
  download(key: string, options: { range?: { start: number; end: number } } = {}) {
    this.downloads += 1;
    const body = this.objects.get(key)!.body;
    const { start, end } = options.range ?? { start: 0, end: body.length - 1 };
    return Promise.resolve(Readable.from([body.subarray(start, end + 1)]));
  }
}

let dir = '';
tempDirEachTest('files-adapter-', (made) => {
  dir = made;
});

function config(extra: Partial<FilesConfig> = {}): FilesConfig {
  return {
    patterns: 'data/**',
    workspace: dir,
    bucket: 'bucket',
    prefix: 'snapshot-rotation/',
    storageClass: 'GLACIER_IR',
    followSymbolicLinks: false,
    packThresholdBytes: 16,
    allowEarlyDelete: false,
    ...extra,
  };
}

async function adapterOver(store: MemoryStore, extra: Partial<FilesConfig> = {}, now = NOW) {
  const files = config(extra);
  const scan = await scanFiles(files);
  return new FilesAdapter(store as unknown as S3Store, 'us-east-1', files, 'default', 'app', scan, {
    clock: () => now,
    concurrency: 2,
    log: () => {},
  });
}

/** Writes the tree under data/, dated long ago (so a later run may trust size and time). */
async function writeData(files: Record<string, string>): Promise<void> {
  await tree(path.join(dir, 'data'), files);
  for (const name of Object.keys(files)) {
    await utimes(path.join(dir, 'data', name), PAST_MS / 1000, PAST_MS / 1000);
  }
}

function request(createdAt = NOW, runId = '7') {
  const warnings: string[] = [];
  return {
    warnings,
    request: {
      source: { id: 'app', tags: {} },
      set: 'default',
      tags: {
        [TAGS.backupSet]: 'default',
        [TAGS.source]: 'app',
        [TAGS.createdAt]: createdAt.toISOString(),
        [TAGS.run]: runId,
      },
      warn: (message: string) => warnings.push(message),
    },
  };
}

describe('FilesAdapter', () => {
  it('counts only manifests of exactly its key shape as backups', async () => {
    const store = new MemoryStore();
    await writeData({ 'a.txt': 'alpha' });
    const adapter = await adapterOver(store);
    await adapter.create(request().request);
    for (const key of [
      `${AREA}manifests/notes.json`,
      `${AREA}manifests/2026-11-29.json`,
      `${AREA}other`,
    ]) {
      store.objects.set(key, { body: Buffer.from('{}'), storageClass: 'STANDARD', at: NOW });
    }
    const backups = await adapter.listBackups('default');
    expect(backups.map((backup) => backup.id)).toEqual([
      `${AREA}manifests/2026-11-29T02-30-00-000Z-run7.json`,
    ]);
    expect(backups[0]).toMatchObject({ kind: 'files', sourceId: 'app', state: 'completed' });
    expect(await adapter.listBackups('weekly')).toEqual([]);
  });

  it('leaves out a file that changed while it was read, warns, and stores the rest', async () => {
    const store = new MemoryStore();
    await writeData({ 'a.txt': 'alpha', 'b.txt': 'bravo, long enough to be its own object' });
    const adapter = await adapterOver(store);
    // The file grows after the scan: its size no longer matches what was scanned.
    await writeFile(
      path.join(dir, 'data', 'b.txt'),
      'bravo, long enough to be its own object, and more',
    );
    const { request: req, warnings } = request();
    const backup = await adapter.create(req);
    const manifest = parseManifest(await store.getText(backup.id), backup.id);
    expect(manifest.files.map((file) => file.path)).toEqual(['a.txt']);
    expect(warnings).toEqual(['b.txt changed while it was read; it is left out of this backup.']);
    expect(adapter.files.changedWhileRead).toEqual(['b.txt']);
  });

  it('never overwrites a manifest: one that exists already fails the backup', async () => {
    const store = new MemoryStore();
    await writeData({ 'a.txt': 'alpha' });
    store.existsAlready.add(`${AREA}manifests/2026-11-29T02-30-00-000Z-run7.json`);
    const adapter = await adapterOver(store);
    await expect(adapter.create(request().request)).rejects.toThrow(
      new TargetError(
        `The manifest ${AREA}manifests/2026-11-29T02-30-00-000Z-run7.json exists already; it was left as it is.`,
      ),
    );
  });

  it('reports what clean-up would delete in a dry run, and deletes nothing', async () => {
    const store = new MemoryStore();
    await writeData({ 'a.txt': 'alpha, long enough to be its own object' });
    const adapter = await adapterOver(store, {}, NOW);
    const first = await adapter.create(request().request);
    const later = new Date(NOW.getTime() + 200 * 86_400_000);
    await adapter.collectUnreferenced([], { now: later, dryRun: true });
    expect(adapter.files.contentDeleted.objects).toBe(1);
    expect([...store.objects.keys()].filter((key) => key.includes('/data/'))).toHaveLength(1);
    expect(store.objects.has(first.id)).toBe(true);
  });

  it('fails the clean-up naming what S3 refused, after deleting the rest', async () => {
    const store = new MemoryStore();
    await writeData({ 'a.txt': 'alpha, long enough to be its own object', 'b.txt': 'b' });
    const adapter = await adapterOver(store);
    await adapter.create(request().request);
    const pack = [...store.objects.keys()].find((key) => key.includes('/packs/'))!;
    store.failDelete.add(pack);
    const error = await adapter
      .collectUnreferenced([], { now: new Date(NOW.getTime() + 200 * 86_400_000), dryRun: false })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as Error).message).toContain(`${pack.slice(AREA.length)} (AccessDenied)`);
    expect([...store.objects.keys()].filter((key) => key.includes('/data/'))).toEqual([]);
    expect(adapter.files.contentDeleted.objects).toBe(1);
  });

  describe('the content area data/, listed once a run', () => {
    const LATER = new Date(NOW.getTime() + 200 * 86_400_000);
    const BIG = (name: string) => `${name}, long enough to be its own object`;
    const dataKeys = (store: MemoryStore) =>
      [...store.objects.keys()].filter((key) => key.startsWith(`${AREA}data/`));
    const dataListings = (store: MemoryStore) =>
      store.listed.filter((prefix) => prefix === `${AREA}data/`).length;

    /** A first run long ago stored a.txt and b.txt; a second one, 200 days later, runs now. */
    async function secondRun(store: MemoryStore, files: Record<string, string>) {
      await writeData({ 'a.txt': BIG('alpha'), 'b.txt': BIG('bravo') });
      const first = await (await adapterOver(store)).create(request().request);
      const before = new Set(dataKeys(store));
      await writeData(files);
      store.now = LATER;
      store.listed.length = 0;
      const adapter = await adapterOver(store, {}, LATER);
      const kept = await adapter.listBackups('default');
      const second = await adapter.create(request(LATER, '8').request);
      const added = dataKeys(store).filter((key) => !before.has(key));
      return { adapter, first, second, kept, before, added };
    }

    it('plans the create on it and reuses it for the clean-up: one listing, nothing referenced deleted', async () => {
      const store = new MemoryStore();
      // b.txt changes: its old content is the first run's only, the new one this run's.
      const { adapter, first, second, kept, added } = await secondRun(store, {
        'b.txt': BIG('bravo, changed'),
      });
      expect(kept.map((backup) => backup.id)).toEqual([first.id]);
      expect(added).toHaveLength(1);

      // What the area holds before the clean-up, this run's content included, as it is counted.
      const bytes = [...store.objects]
        .filter(([key]) => !key.includes('/manifests/'))
        .reduce((sum, [, object]) => sum + object.body.length, 0);
      // The first run's manifest is pruned: only the second one remains.
      await adapter.collectUnreferenced([second], { now: LATER, dryRun: false });

      expect(dataListings(store)).toBe(1);
      const manifest = parseManifest(await store.getText(second.id), second.id);
      const referenced = manifest.files.map((file) =>
        'object' in file.content ? `${AREA}${file.content.object}` : '',
      );
      // What the kept manifest references stays (a.txt's old content, b.txt's new one); only
      // b.txt's old content, referenced by the pruned manifest alone, went.
      expect(dataKeys(store).sort()).toEqual(referenced.sort());
      expect(referenced).toEqual(expect.arrayContaining(added));
      expect(adapter.files.contentDeleted.objects).toBe(1);
      // The content stored by this run counts among the stored bytes, from the shared listing.
      expect(adapter.files.storedBytes).toEqual({ GLACIER_IR: bytes });
    });

    it('keeps the content this run stored even where no remaining manifest references it: it is new', async () => {
      const store = new MemoryStore();
      const { adapter, added } = await secondRun(store, { 'b.txt': BIG('bravo, changed') });

      await adapter.collectUnreferenced([], { now: LATER, dryRun: false });

      expect(dataListings(store)).toBe(1);
      // The first run's content (200 days old, referenced by nothing left) went; this run's stays.
      expect(dataKeys(store)).toEqual(added);
      expect(adapter.files.contentDeleted.objects).toBe(2);
    });

    it('lists it again for the clean-up after a create that failed midway, and keeps what that create stored', async () => {
      const store = new MemoryStore();
      await writeData({ 'a.txt': BIG('alpha'), 'c.txt': 'c' });
      store.failUploads.push(`${AREA}packs/`);
      const adapter = await adapterOver(store);
      await expect(adapter.create(request().request)).rejects.toThrow(/InternalError/);
      const stored = dataKeys(store);
      expect(stored).toHaveLength(1);

      await adapter.collectUnreferenced([], { now: NOW, dryRun: false });

      expect(dataListings(store)).toBe(2);
      expect(dataKeys(store)).toEqual(stored);
      expect(adapter.files.storedBytes).toEqual({ GLACIER_IR: BIG('alpha').length });
    });

    it('is listed by the clean-up itself in a run that created nothing', async () => {
      const store = new MemoryStore();
      await writeData({ 'a.txt': BIG('alpha') });
      const first = await (await adapterOver(store)).create(request().request);
      store.listed.length = 0;
      const adapter = await adapterOver(store, {}, LATER);

      await adapter.collectUnreferenced([first], { now: LATER, dryRun: false });

      expect(dataListings(store)).toBe(1);
      expect(dataKeys(store)).toHaveLength(1);
    });
  });

  it('asks S3 to restore archived content and downloads nothing until it is restored', async () => {
    const store = new MemoryStore();
    await writeData({ 'a.txt': 'alpha, long enough to be its own object', 'b.txt': 'b' });
    const backup: Backup = await (await adapterOver(store)).create(request().request);
    for (const key of store.objects.keys()) {
      if (!key.includes('/manifests/')) store.archived.set(key, 'archived');
    }
    const restore = { to: 'out', backup: backup.id, tier: 'Bulk' as const, days: 2 };
    const first = await (await adapterOver(store)).restore(restore, dir);
    expect(first).toMatchObject({ state: 'requested', waiting: 2, files: 0 });
    const second = await (await adapterOver(store)).restore(restore, dir);
    expect(second).toMatchObject({ state: 'in-progress', waiting: 2 });
    expect(store.downloads).toBe(0);
    for (const key of store.archived.keys()) store.archived.set(key, 'restored');
    const third = await (await adapterOver(store)).restore(restore, dir);
    expect(third).toMatchObject({ state: 'restored', files: 2 });
    expect(await readFile(path.join(dir, 'out', 'b.txt'), 'utf8')).toBe('b');
    expect((await stat(path.join(dir, 'out', 'a.txt'))).mtimeMs).toBeCloseTo(PAST_MS, -1);
  });

  it('names the backup it cannot restore', async () => {
    const store = new MemoryStore();
    await writeData({ 'a.txt': 'alpha' });
    const adapter = await adapterOver(store);
    await expect(
      adapter.restore({ to: 'out', backup: 'latest', tier: 'Standard', days: 1 }, dir),
    ).rejects.toThrow(
      /File set app has no backup in s3:\/\/bucket\/snapshot-rotation\/default\/app\//,
    );
  });
});
