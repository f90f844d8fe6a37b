/**
 * `target-type: files`: the bundled action backs up a directory of the runner into moto's S3,
 * through the AWS_SEMANTICS proxy, then changes, rotates and restores it as a workflow would.
 *
 * Time: the action reads the system clock. Content clean-up depends on the age S3 gives each object
 * (LastModified), so the tests that need old content put a proxy in front of moto that shows every
 * listed object `days` older than it is: what a run months later would see, without a clock hook in
 * the product.
 */
import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  S3Client,
  type _Object,
} from '@aws-sdk/client-s3';
import type { ActionRun } from '../../scripts/action-runner.mjs';
import { AWS_SEMANTICS } from '../../scripts/aws-fidelity.mjs';
import {
  DAY_MS,
  MOTO_CREDENTIALS,
  REGION,
  expectOneError,
  expectSuccess,
  jsonOutput,
  motoEndpoint,
  proxyPerTest,
  runAction,
  runLog,
  runOffline,
} from './helpers.js';

const BUCKET = 'runner-backups';
const AREA = 'snapshot-rotation/default/app-data/';
/** Older than any racy window: a file unchanged since is not read again. */
const LONG_AGO = new Date('2026-01-01T00:00:00Z');
/** When a file is changed in a test: later than LONG_AGO, still long before the run. */
const CHANGED = new Date('2026-06-01T00:00:00Z');

const ownProxy = proxyPerTest();
let workspace: string;
let s3: S3Client;

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'files-ws-'));
  s3 = new S3Client({
    region: REGION,
    endpoint: motoEndpoint().replace('//localhost', '//127.0.0.1'),
    credentials: MOTO_CREDENTIALS,
    forcePathStyle: true,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

/** Writes files under the workspace's `data/`, dated long ago unless told. */
async function writeTree(files: Record<string, string | Buffer>, mtime = LONG_AGO): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(workspace, 'data', path);
    await mkdir(join(full, '..'), { recursive: true });
    await writeFile(full, content);
    await utimes(full, mtime, mtime);
  }
}

function backUp(extra: Record<string, string> = {}, endpoint?: string): Promise<ActionRun> {
  return runAction(
    {
      'target-type': 'files',
      'resource-id': 'app-data',
      path: 'data/**',
      bucket: BUCKET,
      generations: '2',
      'pack-threshold': '1KiB',
      ...extra,
    },
    { env: { GITHUB_WORKSPACE: workspace }, ...(endpoint ? { endpoint } : {}) },
  );
}

async function objects(folder = ''): Promise<_Object[]> {
  const found: _Object[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: `${AREA}${folder}`,
        ContinuationToken: token,
      }),
    );
    found.push(...(page.Contents ?? []));
    token = page.NextContinuationToken;
  } while (token);
  return found;
}

interface FilesSection {
  scanned: number;
  changed: number;
  uploaded: { files: number; objects: number; bytes: number };
  reused: number;
  contentDeleted: { objects: number; bytes: number };
  deferred: { key: string; freeAt: string }[];
  restore?: { state: string; files: number };
}

function filesOf(run: ActionRun): FilesSection {
  const report = jsonOutput<{ targets: { files: FilesSection }[] }>(run, 'report');
  return report.targets[0]!.files;
}

/** Every file under `dir`: path → bytes, mode and mtime. */
async function treeOf(
  dir: string,
): Promise<Record<string, { data: string; mode: number; mtimeMs: number }>> {
  const tree: Record<string, { data: string; mode: number; mtimeMs: number }> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const info = await stat(full);
    tree[relative(dir, full)] = {
      data: (await readFile(full)).toString('base64'),
      mode: info.mode & 0o7777,
      mtimeMs: Math.floor(info.mtimeMs),
    };
  }
  return tree;
}

describe('files: backups', () => {
  it('stores every file at first, then only the contents that changed; identical files once', async () => {
    const big = Buffer.alloc(4096, 1);
    await writeTree({
      'a.txt': 'alpha',
      'copy-of-a.txt': 'alpha',
      'b.txt': 'bravo',
      'nested/big.bin': big,
      'nested/same-big.bin': big,
      'c.txt': 'charlie',
    });
    const first = await backUp();
    expectSuccess(first);
    expect(first.outputs['backup-id']).toMatch(new RegExp(`^${AREA}manifests/.+\\.json$`));
    expect(filesOf(first)).toMatchObject({
      scanned: 6,
      changed: 6,
      uploaded: { files: 6, objects: 2 },
      reused: 0,
    });
    // One object for both big files; the four small ones (three contents) in one pack.
    expect((await objects('data/')).map((o) => o.Size)).toEqual([4096]);
    expect(await objects('packs/')).toHaveLength(1);
    expect((await objects('data/'))[0]!.StorageClass).toBe('GLACIER_IR');

    await writeTree(
      { 'b.txt': 'bravo, changed', 'nested/big.bin': Buffer.alloc(4096, 2) },
      CHANGED,
    );
    const second = await backUp();
    expectSuccess(second);
    expect(filesOf(second)).toMatchObject({
      scanned: 6,
      changed: 2,
      uploaded: { files: 2, objects: 2, bytes: expect.any(Number) as number },
      reused: 4,
    });
    expect(await objects('data/')).toHaveLength(2);
    expect(await objects('packs/')).toHaveLength(2);
  });

  it('restores a backup byte for byte, with modes and times, and writes nothing to the bucket', async () => {
    await writeTree({
      'a.txt': 'alpha',
      'deep/er/b.bin': Buffer.alloc(3000, 9),
      empty: '',
      'space name é.txt': 'unicode',
    });
    await chmod(join(workspace, 'data', 'a.txt'), 0o640);
    await chmod(join(workspace, 'data', 'deep/er/b.bin'), 0o755);
    expectSuccess(await backUp());
    const before = (await objects()).map((o) => `${o.Key}@${o.ETag}`).sort();

    const restored = await backUp({ 'restore-to': 'restored' });
    expectSuccess(restored);
    expect(restored.outputs['restore-state']).toBe('restored');
    expect(filesOf(restored).restore).toMatchObject({ state: 'restored', files: 4 });
    expect(await treeOf(join(workspace, 'restored'))).toEqual(
      await treeOf(join(workspace, 'data')),
    );
    expect((await objects()).map((o) => `${o.Key}@${o.ETag}`).sort()).toEqual(before);
  });

  it('makes no change in a dry run', async () => {
    await writeTree({ 'a.txt': 'alpha', 'big.bin': Buffer.alloc(2048, 3) });
    const run = await backUp({ 'dry-run': 'true' });
    expectSuccess(run);
    expect(await objects()).toEqual([]);
  });
});

/** A proxy in front of moto that shows every listed S3 object `days` older than it is. */
async function agedProxy(days: number): Promise<string> {
  const proxy = await ownProxy({
    after: (_call, answer) => {
      const text = answer.body.toString('utf8');
      if (!text.includes('<ListBucketResult')) return answer;
      const shifted = text.replace(
        /<LastModified>([^<]+)<\/LastModified>/g,
        (_whole, time: string) =>
          `<LastModified>${new Date(Date.parse(time) - days * DAY_MS).toISOString()}</LastModified>`,
      );
      return { ...answer, body: Buffer.from(shifted) };
    },
  });
  return proxy.endpoint;
}

describe('files: rotation', () => {
  it('deletes the oldest manifest by generations, defers its content within the class minimum, deletes it once old enough', async () => {
    await writeTree({ 'db.dump': Buffer.alloc(2048, 1), 'small.txt': 'v1' });
    expectSuccess(await backUp());
    const firstContent = (await objects('data/'))[0]!.Key!;
    for (const version of [2, 3]) {
      const changed = new Date(CHANGED.getTime() + version * DAY_MS);
      await writeTree(
        { 'db.dump': Buffer.alloc(2048, version), 'small.txt': `v${version}` },
        changed,
      );
      expectSuccess(await backUp());
    }
    // Three runs, generations 2: the first manifest went; its content is younger than a day.
    expect(await objects('manifests/')).toHaveLength(2);
    expect((await objects('data/')).map((o) => o.Key)).toContain(firstContent);

    // Ten days on: past the grace, within GLACIER_IR's 90 days: kept, with the date it is free.
    await writeTree({ 'small.txt': 'v4' }, new Date(CHANGED.getTime() + 4 * DAY_MS));
    const later = await backUp({}, await agedProxy(10));
    expectSuccess(later);
    const deferred = filesOf(later).deferred;
    expect(deferred.map((item) => item.key)).toContain(firstContent.slice(AREA.length));
    expect((await objects('data/')).map((o) => o.Key)).toContain(firstContent);

    // A hundred days on: free, deleted; what the kept manifests reference stays.
    const muchLater = await backUp({}, await agedProxy(100));
    expectSuccess(muchLater);
    expect(filesOf(muchLater).contentDeleted.objects).toBeGreaterThan(0);
    const left = (await objects('data/')).map((o) => o.Key);
    expect(left).not.toContain(firstContent);
    const restored = await backUp({ 'restore-to': 'restored' });
    expectSuccess(restored);
    expect(await readFile(join(workspace, 'restored', 'db.dump'))).toEqual(Buffer.alloc(2048, 3));
  });

  it('deletes content early with allow-early-delete', async () => {
    await writeTree({ 'db.dump': Buffer.alloc(2048, 1) });
    expectSuccess(await backUp({ generations: '1' }));
    await writeTree({ 'db.dump': Buffer.alloc(2048, 2) }, CHANGED);
    expectSuccess(await backUp({ generations: '1' }));
    const run = await backUp(
      { generations: '1', 'allow-early-delete': 'true' },
      await agedProxy(2),
    );
    expectSuccess(run);
    expect(filesOf(run).deferred).toEqual([]);
    expect(await objects('data/')).toHaveLength(1);
  });
});

describe('files: archive classes', () => {
  it('restores GLACIER content across runs: requested, in progress while S3 restores it, restored', async () => {
    await writeTree({ 'archive.bin': Buffer.alloc(2048, 5), 'note.txt': 'small' });
    expectSuccess(await backUp({ 'storage-class': 'GLACIER' }));
    // As on AWS, S3 takes a while to restore (moto restores at once): 1.5 s here, hours there.
    const proxy = await ownProxy({ fidelity: { ...AWS_SEMANTICS, s3RestoreMs: 1500 } });
    const restore = () =>
      backUp({ 'storage-class': 'GLACIER', 'restore-to': 'out' }, proxy.endpoint);
    const first = await restore();
    expectSuccess(first);
    expect(first.outputs['restore-state']).toBe('requested');
    const second = await restore();
    expectSuccess(second);
    expect(second.outputs['restore-state']).toBe('in-progress');
    expect(second.summary).toContain('archived objects being restored by S3');
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const third = await restore();
    expectSuccess(third);
    expect(third.outputs['restore-state']).toBe('restored');
    expect(await readFile(join(workspace, 'out', 'archive.bin'))).toEqual(Buffer.alloc(2048, 5));
  });
});

describe('files: bad inputs', () => {
  it.each([
    ['no bucket', { bucket: '' }, 'bucket'],
    ['an unknown storage class', { 'storage-class': 'COLD' }, 'storage-class'],
    ['a pattern that matches nothing', { path: 'data/**\nnothing/*.db' }, 'path'],
    ['copy-to-regions', { 'copy-to-regions': 'us-west-2' }, 'copy-to-regions'],
  ])('fails on %s before any AWS call, naming the input', async (_what, extra, input) => {
    await writeTree({ 'a.txt': 'alpha' });
    const { run, requests } = await runOffline(
      {
        'target-type': 'files',
        'resource-id': 'app-data',
        path: 'data/**',
        bucket: BUCKET,
        generations: '2',
        ...extra,
      },
      { env: { GITHUB_WORKSPACE: workspace } },
    );
    expect(expectOneError(run), runLog(run)).toContain(`'${input}'`);
    expect(requests).toEqual([]);
  });
});
