/**
 * The `files` round of `npm run demo`: the bundled action backs up a directory of the "runner" into
 * moto's S3, backs it up again after one file changed (only that content is uploaded), then restores
 * the newest backup into another directory and checks it byte for byte.
 */
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runAction } from './action-runner.mjs';

const BUCKET = 'demo-backups';

/**
 * @param {{ endpoint: string, awsEndpoint: string, region: string, show: (run: import('./action-runner.mjs').ActionRun) => void }} options
 * @returns {Promise<number>} failures
 */
export async function filesRound({ endpoint, awsEndpoint, region, show }) {
  let failures = 0;
  const s3 = new S3Client({
    region,
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const workspace = await mkdtemp(join(tmpdir(), 'demo-files-'));
  const longAgo = new Date('2026-01-01T00:00:00Z');
  /** @param {Record<string, string | Buffer>} files @param {Date} mtime */
  const write = async (files, mtime) => {
    for (const [path, content] of Object.entries(files)) {
      const full = join(workspace, 'data', path);
      await mkdir(join(full, '..'), { recursive: true });
      await writeFile(full, content);
      await utimes(full, mtime, mtime);
    }
  };
  try {
    await write(
      {
        'config.json': '{ "replicas": 3 }\n',
        'config.backup.json': '{ "replicas": 3 }\n',
        'logs/app.log': 'started\n'.repeat(200),
        'db/table.dat': Buffer.alloc(3 * 1024 * 1024, 7),
      },
      longAgo,
    );
    const inputs = {
      'target-type': 'files',
      'resource-id': 'demo-data',
      path: 'data/**',
      bucket: BUCKET,
      generations: '2',
    };
    const env = { GITHUB_WORKSPACE: workspace };
    console.log(`${'='.repeat(72)}\nFiles: target-type: files, path: data/**, bucket: ${BUCKET}`);
    console.log(
      '  data/ holds 4 files, two of them identical; one of 3 MiB. Each run is one backup (a manifest).\n',
    );
    const first = await runAction({ inputs, endpoint: awsEndpoint, region, env, runId: '9101' });
    console.log('Files run 1: the first backup stores every content once.');
    show(first);
    if (first.code !== 0) failures++;

    await write(
      { 'logs/app.log': 'started\nrotated\n'.repeat(200) },
      new Date('2026-06-01T00:00:00Z'),
    );
    const second = await runAction({ inputs, endpoint: awsEndpoint, region, env, runId: '9102' });
    console.log('Files run 2, after logs/app.log changed: only that content is uploaded.');
    show(second);
    if (second.code !== 0) failures++;

    const listing = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    console.log(`  objects in s3://${BUCKET} now (${listing.KeyCount ?? 0}):`);
    for (const object of listing.Contents ?? []) {
      console.log(`    ${object.Key}  ${object.Size} bytes  ${object.StorageClass ?? 'STANDARD'}`);
    }

    const restore = await runAction({
      inputs: { ...inputs, 'restore-to': 'restored' },
      endpoint: awsEndpoint,
      region,
      env,
      runId: '9103',
    });
    console.log('\nFiles run 3, restore-to: restored (restore-backup: latest).');
    show(restore);
    const same = await sameTree(join(workspace, 'data'), join(workspace, 'restored'));
    console.log(`  restored tree identical to data/, byte for byte: ${same ? 'yes' : 'NO'}\n`);
    if (restore.code !== 0 || restore.outputs['restore-state'] !== 'restored' || !same) failures++;
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
  return failures;
}

/** @param {string} a @param {string} b */
async function sameTree(a, b) {
  /** @param {string} dir */
  const files = async (dir) =>
    (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
      .sort();
  const left = await files(a);
  const right = await files(b);
  if (JSON.stringify(left) !== JSON.stringify(right)) return false;
  for (const path of left) {
    if (!(await readFile(join(a, path))).equals(await readFile(join(b, path)))) return false;
  }
  return true;
}
