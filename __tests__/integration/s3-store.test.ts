/**
 * S3Store (src/targets/s3-store.ts) against moto's S3, through the project's own client
 * (`s3Client`: its retries, timeouts and IAM action recording): conditional writes, a multipart
 * upload of a few KiB, the archive classes' restore, deletions. It runs the sources, not the
 * bundle: the `files` target's runs of dist/index.js are tested elsewhere.
 *
 * Parts of 1 KiB need lib-storage's client-side minimum lowered (here, never in src) and moto's
 * (`S3_UPLOAD_PART_MIN_SIZE=1024`, which global-setup.ts gives the servers it starts; a server named
 * by MOTO_ENDPOINT_URL(S) must be started with it).
 *
 * What moto does not do as AWS does, and so is not proven here (adapters/s3-store.test.ts covers it
 * with answers as AWS documents them): moto ignores `Quiet` on DeleteObjects and takes more than
 * 1,000 keys; it never answers 409 (ConditionalRequestConflict, RestoreAlreadyInProgress); and its
 * restores finish at once (`ongoing-request="true"` is never seen).
 */
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { resetMoto } from '../../scripts/moto.mjs';
import { s3Client } from '../../src/aws.js';
import { TargetError } from '../../src/errors.js';
import type { StoredObjectInfo } from '../../src/targets/s3-answers.js';
import { S3Store } from '../../src/targets/s3-store.js';
import { MOTO_CREDENTIALS, REGION, motoEndpoint } from './helpers.js';

const BUCKET = 'files-backups';
/** The part size of the multipart uploads here, and the minimum moto is started with. */
const PART = 1024;

type UploadStatics = { MIN_PART_SIZE: number };
const LIB_MIN_PART = (Upload as unknown as UploadStatics).MIN_PART_SIZE;

/**
 * moto itself, by address: with an IP address the SDK addresses the bucket by path
 * (`http://127.0.0.1:port/bucket/key`); with `localhost` (CI's service containers) it would name a
 * host `bucket.localhost`.
 */
function endpoint(): string {
  return motoEndpoint().replace(/\/\/localhost(?=[:/]|$)/, '//127.0.0.1');
}

/** `size` bytes counting up from `from` (mod 251). */
function bytes(size: number, from = 0): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, i) => (from + i) % 251));
}

/** A stream of `data` in chunks of 300 bytes. */
function streamOf(data: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; i += 300) pieces.push(data.subarray(i, i + 300));
  return Readable.from(pieces);
}

async function read(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(parts);
}

async function listAll(store: S3Store, prefix: string): Promise<StoredObjectInfo[]> {
  const objects: StoredObjectInfo[] = [];
  for await (const page of store.list(prefix)) objects.push(...page);
  return objects;
}

/** Runs a multipart upload, naming the fix when moto refuses parts of 1 KiB. */
async function uploadInParts(
  store: S3Store,
  key: string,
  data: Buffer,
  storageClass: string,
): Promise<'created' | 'exists'> {
  try {
    return await store.upload(key, streamOf(data), { storageClass, contentLength: data.length });
  } catch (error) {
    if (error instanceof Error && /EntityTooSmall/.test(error.message)) {
      throw new Error(
        `moto at ${motoEndpoint()} refuses parts of ${PART} bytes: start it with S3_UPLOAD_PART_MIN_SIZE=${PART} (global-setup.ts does for the servers it starts). ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
}

let client: S3Client;
let store: S3Store;

beforeAll(() => {
  // Tests only: AWS takes parts of 5 MiB at least, and so does src.
  (Upload as unknown as UploadStatics).MIN_PART_SIZE = PART;
});

afterAll(() => {
  (Upload as unknown as UploadStatics).MIN_PART_SIZE = LIB_MIN_PART;
});

beforeEach(async () => {
  await resetMoto(motoEndpoint());
  vi.stubEnv('AWS_ENDPOINT_URL_S3', endpoint());
  vi.stubEnv('AWS_ACCESS_KEY_ID', MOTO_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', MOTO_CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  client = s3Client(REGION);
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  store = new S3Store(client, BUCKET, { partSize: PART, queueSize: 2 });
});

afterEach(() => {
  client.destroy();
  vi.unstubAllEnvs();
});

describe('S3Store against moto', () => {
  it('writes a small object once: created, then exists, and the first content stays', async () => {
    const key = 'set/manifests/2026-11-22T120000Z';

    expect(await store.putIfAbsent(key, 'first', { storageClass: 'STANDARD' })).toBe('created');
    expect(await store.putIfAbsent(key, 'second', { storageClass: 'STANDARD' })).toBe('exists');

    expect(await store.getText(key)).toBe('first');
    expect(await store.exists(key)).toBe(true);
    expect(await store.exists('set/manifests/none')).toBe(false);
  });

  it('uploads in parts with the storage class; a second upload to the key finds it taken', async () => {
    const key = 'set/data/ab/abcdef';
    const data = bytes(5 * PART + 100);

    expect(await uploadInParts(store, key, data, 'STANDARD_IA')).toBe('created');

    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    // A multipart upload's ETag ends with its number of parts.
    expect(head.ETag).toMatch(/-6"$/);
    expect(await listAll(store, 'set/data/')).toEqual([
      {
        key,
        size: data.length,
        lastModified: expect.any(Date) as Date,
        storageClass: 'STANDARD_IA',
      },
    ]);
    expect((await read(await store.download(key))).equals(data)).toBe(true);
    const ranged = await read(await store.download(key, { range: { start: 1000, end: 1099 } }));
    expect(ranged.equals(data.subarray(1000, 1100))).toBe(true);

    // S3 learns at CompleteMultipartUpload that the key is taken; the parts sent are dropped.
    expect(await uploadInParts(store, key, bytes(3 * PART, 7), 'STANDARD_IA')).toBe('exists');
    expect((await read(await store.download(key))).equals(data)).toBe(true);
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  it('stores nothing of a body that fails midway, and leaves no multipart upload behind', async () => {
    const torn = new TargetError('the file changed while it was read.');
    const body = Readable.from(
      (async function* () {
        yield bytes(3 * PART);
        // Long enough for the first parts to reach moto.
        await new Promise((resolve) => setTimeout(resolve, 200));
        throw torn;
      })(),
    );

    await expect(store.upload('set/data/torn', body, { storageClass: 'STANDARD' })).rejects.toBe(
      torn,
    );

    expect(await store.exists('set/data/torn')).toBe(false);
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  it('restores a GLACIER object: archived, refused, requested, then restored and readable', async () => {
    const key = 'set/data/cd/cdef01';
    expect(await store.putIfAbsent(key, 'cold bytes', { storageClass: 'GLACIER' })).toBe('created');

    expect(await store.readability(key)).toEqual({ state: 'archived', storageClass: 'GLACIER' });
    const refused = store.download(key);
    await expect(refused).rejects.toThrow(TargetError);
    await expect(refused).rejects.toThrow(
      new RegExp(`^Could not download s3://${BUCKET}/${key}: .*InvalidObjectState`),
    );

    expect(await store.requestRestore(key, { days: 2, tier: 'Standard' })).toBe('requested');

    // moto finishes a restore at once.
    const restored = await store.readability(key);
    expect(restored).toMatchObject({ state: 'restored', storageClass: 'GLACIER' });
    const hours = ((restored.expiry?.getTime() ?? 0) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(24);
    expect(hours).toBeLessThanOrEqual(49);
    expect((await read(await store.download(key))).toString()).toBe('cold bytes');
    // Asked again while a restored copy exists: S3 answers 200.
    expect(await store.requestRestore(key, { days: 2, tier: 'Standard' })).toBe('restored');
  });

  it('deletes keys, a missing one counting as deleted', async () => {
    for (const name of ['a', 'b', 'c']) {
      await store.putIfAbsent(`set/data/${name}`, name, { storageClass: 'STANDARD' });
    }

    const result = await store.deleteKeys(['set/data/a', 'set/data/b', 'set/data/missing']);

    expect(result).toEqual({
      deleted: ['set/data/a', 'set/data/b', 'set/data/missing'],
      failed: [],
    });
    expect((await listAll(store, 'set/')).map((o) => o.key)).toEqual(['set/data/c']);
  });
});
