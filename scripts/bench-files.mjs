/**
 * (c) of `npm run bench`: the bundled action backs up one large file (default 1 GiB) into moto's S3
 * with `target-type: files`, then again unchanged; prints the wall time, the bytes sent and the
 * action's peak resident memory (read in its own process by scripts/rss-probe.mjs), to show that a
 * file is streamed in parts, never held in memory.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, runAction } from './action-runner.mjs';
import { resetMoto, startMoto } from './moto.mjs';

/** @param {number} mib */
export async function benchFiles(mib) {
  console.log(
    `\n(c) One file of ${mib} MiB backed up by the bundled action (target-type: files)\n`,
  );
  const moto = await startMoto({ log: (message) => console.log(`[moto] ${message}`) });
  const workspace = await mkdtemp(join(tmpdir(), 'snapshot-rotation-bench-files-'));
  try {
    await resetMoto(moto.endpoint);
    const endpoint = moto.endpoint.replace('//localhost', '//127.0.0.1');
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    await mkdir(join(workspace, 'data'));
    const block = randomBytes(1024 * 1024);
    const out = createWriteStream(join(workspace, 'data', 'big.bin'));
    for (let i = 0; i < mib; i++) {
      // Each MiB differs (its first bytes count), so no part repeats another.
      block.writeUInt32BE(i, 0);
      if (!out.write(block)) await new Promise((resolve) => out.once('drain', resolve));
    }
    await new Promise((resolve, reject) =>
      out.end((/** @type {unknown} */ error) => (error ? reject(error) : resolve(undefined))),
    );
    // Dated a day back, as a file written before the nightly run: the second run need not read it.
    const yesterday = new Date(Date.now() - 86_400_000);
    await utimes(join(workspace, 'data', 'big.bin'), yesterday, yesterday);
    const probe = join(workspace, 'rss');
    for (const label of ['first backup (uploads it)', 'second backup (unchanged)']) {
      const started = performance.now();
      const run = await runAction({
        inputs: {
          'target-type': 'files',
          'resource-id': 'bench',
          path: 'data/**',
          bucket: 'bench',
          'storage-class': 'STANDARD',
          generations: '2',
        },
        endpoint,
        env: {
          GITHUB_WORKSPACE: workspace,
          NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, 'scripts/rss-probe.mjs')).href}`,
          RSS_PROBE_FILE: probe,
        },
        timeoutMs: 60 * 60_000,
      });
      const seconds = (performance.now() - started) / 1000;
      if (run.code !== 0) throw new Error(`${label} failed:\n${run.stdout}\n${run.stderr}`);
      const report = JSON.parse(run.outputs.report ?? '{}');
      const files = report.targets?.[0]?.files ?? {};
      const peakMiB = Number(await readFile(probe, 'utf8')) / 1024;
      console.log(
        `${label.padEnd(28)} ${seconds.toFixed(1).padStart(6)} s  sent ${(files.uploaded?.bytes / 1048576).toFixed(0)} MiB  ` +
          `hashed ${files.changed} file(s)  peak RSS of the action ${peakMiB.toFixed(0)} MiB`,
      );
    }
  } finally {
    await rm(workspace, { recursive: true, force: true });
    await moto.stop();
  }
}
