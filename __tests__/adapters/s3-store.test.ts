// The S3 calls of the `files` target (src/targets/s3-store.ts), against a real S3Client wrapped by
// aws-sdk-client-mock: listings page by page, conditional writes (412 is an answer, 409 is retried),
// lib-storage uploads single-part and multipart (the part minimum lowered here, never in src), a
// body that fails stops the upload before anything is stored, deletions in batches of 1,000 with
// per-key errors, the Restore header's shapes, RestoreObject's answers and ranged downloads. The
// IAM actions that S3 errors name are checked through the SDK's own middleware (answerHttp).
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  RestoreObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  type ListObjectsV2CommandInput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { iamActionOfCommand, S3_IAM_ACTIONS, s3Client } from '../../src/aws.js';
import { CancelledError, TargetError } from '../../src/errors.js';
import type { StoredObjectInfo } from '../../src/targets/s3-answers.js';
import { CONFLICT_ATTEMPTS, S3Store } from '../../src/targets/s3-store.js';
import { rejectionOf } from './expect.js';
import { answerHttp, commandNames, REGION } from './fixtures.js';

const BUCKET = 'backups';
const KEY = 'snapshot-rotation/nightly/data/ab/abcdef';
const URL = `s3://${BUCKET}/${KEY}`;
/** The part size of the multipart tests: lib-storage's minimum is lowered to it below. */
const PART = 1024;
const T = new Date('2026-11-22T12:00:00.000Z');

/** An error as the S3 client throws it for an AWS error code. */
function s3Error(code: string, status: number, message = `Simulated ${code}.`): S3ServiceException {
  return new S3ServiceException({
    name: code,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** `size` bytes counting up from `from` (mod 251), so parts and ranges are told apart. */
function bytes(size: number, from = 0): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, i) => (from + i) % 251));
}

/** A stream of `data` in chunks of `chunk` bytes. */
function streamOf(data: Buffer, chunk = 300): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunk) pieces.push(data.subarray(i, i + chunk));
  return Readable.from(pieces);
}

/**
 * A stream that gives `data`, then fails with `error` (a file that changed while it was read) once
 * `until` has settled (default: at once).
 */
function failingStream(
  data: Buffer,
  error: Error,
  until: Promise<unknown> = Promise.resolve(),
): Readable {
  return Readable.from(
    (async function* () {
      await Promise.resolve();
      yield data;
      await until;
      throw error;
    })(),
  );
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

async function text(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(parts).toString('utf8');
}

type Inputs = Record<string, unknown>;

/** The inputs of the commands of `type` sent so far. */
function inputsOf(stub: AwsClientStub<S3Client>, type: new (input: never) => object): Inputs[] {
  return stub.commandCalls(type as never).map((call) => ({ ...(call.args[0].input as Inputs) }));
}

let client: S3Client;
let s3: AwsClientStub<S3Client>;
let store: S3Store;

beforeEach(() => {
  client = new S3Client({
    region: REGION,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  s3 = mockClient(client);
  store = new S3Store(client, BUCKET, { partSize: PART, queueSize: 2 });
});

afterEach(() => {
  s3.restore();
  vi.unstubAllEnvs();
});

describe('S3Store.list', () => {
  it('lists every page under the prefix, 1000 a page, with STANDARD where S3 leaves the class out', async () => {
    const asked: { token: string | undefined; input: ListObjectsV2CommandInput }[] = [];
    s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
      asked.push({ token: input.ContinuationToken, input: { ...input } });
      if (!input.ContinuationToken) {
        return {
          Contents: [
            { Key: 'p/a', Size: 10, LastModified: T, StorageClass: 'GLACIER' },
            { Key: 'p/b', Size: 0, LastModified: T },
          ],
          IsTruncated: true,
          NextContinuationToken: 'page-2',
        };
      }
      return {
        Contents: [{ Key: 'p/c', Size: 7, LastModified: T, StorageClass: 'DEEP_ARCHIVE' }],
        IsTruncated: false,
      };
    });

    const pages = await collect(store.list('p/'));

    expect(pages).toEqual<StoredObjectInfo[][]>([
      [
        { key: 'p/a', size: 10, lastModified: T, storageClass: 'GLACIER' },
        { key: 'p/b', size: 0, lastModified: T, storageClass: 'STANDARD' },
      ],
      [{ key: 'p/c', size: 7, lastModified: T, storageClass: 'DEEP_ARCHIVE' }],
    ]);
    expect(asked.map((a) => a.token)).toEqual([undefined, 'page-2']);
    for (const { input } of asked) {
      expect(input).toMatchObject({ Bucket: BUCKET, Prefix: 'p/', MaxKeys: 1000 });
    }
  });

  it('gives an empty page for an empty prefix, and a listing error as one sentence', async () => {
    s3.on(ListObjectsV2Command).resolvesOnce({ KeyCount: 0 }).rejects(s3Error('NoSuchBucket', 404));

    expect(await collect(store.list('p/'))).toEqual([[]]);
    const error = await rejectionOf(collect(store.list('q/')));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(/^Could not list s3:\/\/backups\/q\/: Simulated NoSuchBucket/);
  });
});

describe('S3Store.putIfAbsent', () => {
  it('writes with If-None-Match: * and the storage class: created', async () => {
    s3.on(PutObjectCommand).resolves({});

    const outcome = await store.putIfAbsent(KEY, '{"v":1}', {
      storageClass: 'STANDARD_IA',
      contentType: 'application/json',
    });

    expect(outcome).toBe('created');
    expect(inputsOf(s3, PutObjectCommand)).toEqual([
      {
        Bucket: BUCKET,
        Key: KEY,
        Body: '{"v":1}',
        StorageClass: 'STANDARD_IA',
        ContentType: 'application/json',
        IfNoneMatch: '*',
      },
    ]);
  });

  it('answers exists when an object has the key (412 PreconditionFailed)', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));

    expect(await store.putIfAbsent(KEY, 'x', { storageClass: 'STANDARD' })).toBe('exists');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
  });

  it('sends it again after a 409 ConditionalRequestConflict, as AWS says to', async () => {
    s3.on(PutObjectCommand)
      .rejectsOnce(s3Error('ConditionalRequestConflict', 409))
      .rejectsOnce(s3Error('ConditionalRequestConflict', 409))
      .resolves({});

    expect(await store.putIfAbsent(KEY, 'x', { storageClass: 'STANDARD' })).toBe('created');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(3);
  });

  it('gives up after CONFLICT_ATTEMPTS conflicts, naming the object and what to expect', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));

    const error = await rejectionOf(store.putIfAbsent(KEY, 'x', { storageClass: 'STANDARD' }));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(
      new RegExp(`^Could not write ${URL}: .*ConditionalRequestConflict`),
    );
    expect(error.message).toContain('a later run uploads it again');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(CONFLICT_ATTEMPTS);
  });

  it('makes any other refusal one TargetError naming bucket and key', async () => {
    s3.on(PutObjectCommand).rejects(
      s3Error('InvalidStorageClass', 400, 'The storage class you specified is not valid'),
    );

    const error = await rejectionOf(store.putIfAbsent(KEY, 'x', { storageClass: 'FOO' }));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toBe(
      `Could not write ${URL}: The storage class you specified is not valid (InvalidStorageClass).`,
    );
  });

  it('is a CancelledError once the run is cancelled', async () => {
    const controller = new AbortController();
    s3.on(PutObjectCommand).callsFake(() => {
      controller.abort();
      throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    });

    const error = await rejectionOf(
      store.putIfAbsent(KEY, 'x', { storageClass: 'STANDARD', signal: controller.signal }),
    );

    expect(error).toBeInstanceOf(CancelledError);
    const sent = s3.commandCalls(PutObjectCommand)[0]?.args as unknown[] | undefined;
    expect(sent?.[1]).toEqual({ abortSignal: controller.signal });
  });
});

describe('S3Store.exists', () => {
  it('is true for an object, false for 404 NotFound', async () => {
    s3.on(HeadObjectCommand, { Key: 'here' })
      .resolves({ ContentLength: 3 })
      .on(HeadObjectCommand, { Key: 'gone' })
      .rejects(s3Error('NotFound', 404, 'UnknownError'));

    expect(await store.exists('here')).toBe(true);
    expect(await store.exists('gone')).toBe(false);
  });

  it('says what a 403 without a reason means (a HEAD answer has no body)', async () => {
    s3.on(HeadObjectCommand).rejects(s3Error('Unknown', 403, 'UnknownError'));

    const error = await rejectionOf(store.exists(KEY));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(new RegExp(`^Could not look up ${URL}: AWS denied s3:GetObject`));
    expect(error.message).toContain('s3:ListBucket');
  });
});

describe('S3Store.upload', () => {
  const MIN = (Upload as unknown as { MIN_PART_SIZE: number }).MIN_PART_SIZE;
  beforeAll(() => {
    // Tests only: AWS takes parts of 5 MiB at least, and so does src.
    (Upload as unknown as { MIN_PART_SIZE: number }).MIN_PART_SIZE = PART;
  });
  afterAll(() => {
    (Upload as unknown as { MIN_PART_SIZE: number }).MIN_PART_SIZE = MIN;
  });

  /** Answers a multipart upload; collects the parts' bodies by number. */
  function answerMultipart(): Map<number, Buffer> {
    const parts = new Map<number, Buffer>();
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number; Body: Uint8Array }) => {
      parts.set(input.PartNumber, Buffer.from(input.Body));
      return { ETag: `"etag-${input.PartNumber}"` };
    });
    s3.on(CompleteMultipartUploadCommand).resolves({});
    s3.on(AbortMultipartUploadCommand).resolves({});
    return parts;
  }

  it('sends a body of one part as one PutObject, with StorageClass and If-None-Match: *', async () => {
    s3.on(PutObjectCommand).resolves({});
    const progress: number[] = [];

    const outcome = await store.upload(KEY, streamOf(bytes(700)), {
      storageClass: 'GLACIER',
      contentLength: 700,
      onProgress: (loaded) => progress.push(loaded),
    });

    expect(outcome).toBe('created');
    expect(commandNames(s3)).toEqual(['PutObjectCommand']);
    const [put] = inputsOf(s3, PutObjectCommand);
    expect(put).toMatchObject({
      Bucket: BUCKET,
      Key: KEY,
      StorageClass: 'GLACIER',
      IfNoneMatch: '*',
    });
    expect(Buffer.from(put!.Body as Uint8Array).equals(bytes(700))).toBe(true);
    expect(progress).toEqual([700]);
  });

  it('sends a larger body in parts: StorageClass at the create, If-None-Match: * at the complete', async () => {
    const parts = answerMultipart();
    const progress: number[] = [];
    const data = bytes(2 * PART + 500);

    const outcome = await store.upload(KEY, streamOf(data), {
      storageClass: 'DEEP_ARCHIVE',
      contentLength: data.length,
      onProgress: (loaded) => progress.push(loaded),
    });

    expect(outcome).toBe('created');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    const [create] = inputsOf(s3, CreateMultipartUploadCommand);
    expect(create).toMatchObject({ Bucket: BUCKET, Key: KEY, StorageClass: 'DEEP_ARCHIVE' });
    expect(Buffer.concat([1, 2, 3].map((n) => parts.get(n)!)).equals(data)).toBe(true);
    const [complete] = inputsOf(s3, CompleteMultipartUploadCommand);
    expect(complete).toMatchObject({
      Bucket: BUCKET,
      Key: KEY,
      UploadId: 'upload-1',
      IfNoneMatch: '*',
    });
    expect(complete?.MultipartUpload).toMatchObject({
      Parts: [
        { PartNumber: 1, ETag: '"etag-1"' },
        { PartNumber: 2, ETag: '"etag-2"' },
        { PartNumber: 3, ETag: '"etag-3"' },
      ],
    });
    expect(progress).toHaveLength(3);
    expect(Math.max(...progress)).toBe(data.length);
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
  });

  it("answers exists when the complete finds the key taken (412), and drops the upload's parts", async () => {
    answerMultipart();
    s3.on(CompleteMultipartUploadCommand).rejects(s3Error('PreconditionFailed', 412));

    const outcome = await store.upload(KEY, streamOf(bytes(3 * PART)), {
      storageClass: 'STANDARD',
    });

    expect(outcome).toBe('exists');
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
  });

  it('answers exists for a single part whose key is taken (412)', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));

    expect(await store.upload(KEY, streamOf(bytes(10)), { storageClass: 'STANDARD' })).toBe(
      'exists',
    );
  });

  it('rejects with the error of a body that fails midway: no complete, the parts dropped', async () => {
    answerMultipart();
    let partSent: () => void = () => {};
    const sent = new Promise<void>((resolve) => (partSent = resolve));
    s3.on(UploadPartCommand).callsFake(() => {
      partSent();
      return { ETag: '"etag-1"' };
    });
    const torn = new TargetError('/data/big.bin changed while it was read.');

    const error = await rejectionOf(
      store.upload(KEY, failingStream(bytes(PART + 500), torn, sent), {
        storageClass: 'STANDARD',
      }),
    );

    expect(error).toBe(torn);
    expect(s3.commandCalls(UploadPartCommand)).toHaveLength(1);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
  });

  it('rejects with the error of a small body that fails: nothing is sent at all', async () => {
    s3.on(PutObjectCommand).resolves({});
    const failure = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });

    const error = await rejectionOf(
      store.upload(KEY, failingStream(bytes(100), failure), { storageClass: 'STANDARD' }),
    );

    expect(error).toBe(failure);
    expect(commandNames(s3)).toEqual([]);
  });

  it('stores nothing when the body gives other than contentLength bytes', async () => {
    s3.on(PutObjectCommand).resolves({});

    const error = await rejectionOf(
      store.upload(KEY, streamOf(bytes(90)), { storageClass: 'STANDARD', contentLength: 100 }),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toBe(
      `Could not upload ${URL}: read 90 bytes where 100 were expected: it changed while it was read, so nothing was stored.`,
    );
    expect(commandNames(s3)).toEqual([]);
  });

  it('stops when the run is cancelled: a CancelledError at once, then the upload aborted', async () => {
    answerMultipart();
    const controller = new AbortController();
    s3.on(UploadPartCommand).callsFake(() => {
      controller.abort();
      return { ETag: '"etag"' };
    });
    // A body that never ends: only the cancellation stops the upload.
    const endless = new Readable({ read() {} });
    endless.push(bytes(3 * PART));

    const error = await rejectionOf(
      store.upload(KEY, endless, { storageClass: 'STANDARD', signal: controller.signal }),
    );

    expect(error).toBeInstanceOf(CancelledError);
    await vi.waitFor(() => expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1));
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
    expect(endless.destroyed).toBe(true);
  });

  it('sends nothing for a run already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();

    const error = await rejectionOf(
      store.upload(KEY, streamOf(bytes(10)), {
        storageClass: 'STANDARD',
        signal: controller.signal,
      }),
    );

    expect(error).toBeInstanceOf(CancelledError);
    expect(commandNames(s3)).toEqual([]);
  });

  it('grows the parts of a body too large for 10,000 parts of partSize', async () => {
    answerMultipart();
    const data = bytes(10_000 * PART + 5_000);

    await store.upload(KEY, streamOf(data, 64 * 1024), {
      storageClass: 'STANDARD',
      contentLength: data.length,
    });

    const parts = inputsOf(s3, UploadPartCommand);
    expect(parts.length).toBeLessThanOrEqual(10_000);
    expect((parts[0]!.Body as Uint8Array).length).toBe(Math.ceil(data.length / 10_000));
  });

  it('makes an AWS refusal one TargetError naming bucket and key', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));

    const error = await rejectionOf(
      store.upload(KEY, streamOf(bytes(10)), { storageClass: 'STANDARD' }),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(new RegExp(`^Could not upload ${URL}: AWS denied`));
  });
});

describe('S3Store.deleteKeys', () => {
  it('deletes in batches of at most 1000, quietly, returning the keys S3 could not delete', async () => {
    const keys = Array.from({ length: 2500 }, (_, i) => `p/k${i}`);
    s3.on(DeleteObjectsCommand).callsFake((input: { Delete: { Objects: { Key: string }[] } }) => {
      const batch = input.Delete.Objects.map((o) => o.Key);
      return batch.includes('p/k1500')
        ? {
            Errors: [
              { Key: 'p/k1500', Code: 'AccessDenied', Message: 'Access Denied' },
              { Key: 'p/k1999', Code: 'InternalError', Message: 'Try again.' },
            ],
          }
        : {};
    });

    const result = await store.deleteKeys(keys);

    const batches = inputsOf(s3, DeleteObjectsCommand);
    expect(batches.map((b) => (b.Delete as { Objects: unknown[] }).Objects.length)).toEqual([
      1000, 1000, 500,
    ]);
    for (const batch of batches) {
      expect(batch).toMatchObject({ Bucket: BUCKET, Delete: { Quiet: true } });
    }
    expect(
      batches.flatMap((b) =>
        (b.Delete as { Objects: { Key: string }[] }).Objects.map((o) => o.Key),
      ),
    ).toEqual(keys);
    expect(result.failed).toEqual([
      { key: 'p/k1500', code: 'AccessDenied', message: 'Access Denied' },
      { key: 'p/k1999', code: 'InternalError', message: 'Try again.' },
    ]);
    expect(result.deleted).toEqual(keys.filter((k) => k !== 'p/k1500' && k !== 'p/k1999'));
  });

  it('sends nothing for no keys', async () => {
    expect(await store.deleteKeys([])).toEqual({ deleted: [], failed: [] });
    expect(commandNames(s3)).toEqual([]);
  });

  it('throws a request refused as a whole as one sentence', async () => {
    s3.on(DeleteObjectsCommand).rejects(
      s3Error('NoSuchBucket', 404, 'The specified bucket does not exist'),
    );

    const error = await rejectionOf(store.deleteKeys(['a', 'b']));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toBe(
      `Could not delete 2 object(s) from s3://${BUCKET}/: The specified bucket does not exist (NoSuchBucket).`,
    );
  });
});

describe('S3Store.readability', () => {
  const EXPIRY = 'Fri, 21 Dec 2012 00:00:00 GMT';
  it.each([
    [
      'STANDARD (no class said)',
      undefined,
      undefined,
      { state: 'readable', storageClass: 'STANDARD' },
    ],
    [
      'GLACIER_IR, read directly',
      'GLACIER_IR',
      undefined,
      { state: 'readable', storageClass: 'GLACIER_IR' },
    ],
    ['STANDARD_IA', 'STANDARD_IA', undefined, { state: 'readable', storageClass: 'STANDARD_IA' }],
    ['GLACIER, no restore', 'GLACIER', undefined, { state: 'archived', storageClass: 'GLACIER' }],
    [
      'DEEP_ARCHIVE, no restore',
      'DEEP_ARCHIVE',
      undefined,
      { state: 'archived', storageClass: 'DEEP_ARCHIVE' },
    ],
    [
      'GLACIER, restoring',
      'GLACIER',
      'ongoing-request="true"',
      { state: 'restoring', storageClass: 'GLACIER' },
    ],
    [
      'DEEP_ARCHIVE, restored',
      'DEEP_ARCHIVE',
      `ongoing-request="false", expiry-date="${EXPIRY}"`,
      { state: 'restored', storageClass: 'DEEP_ARCHIVE', expiry: new Date(EXPIRY) },
    ],
    [
      'GLACIER, restored, other fields after',
      'GLACIER',
      `ongoing-request="false", expiry-date="${EXPIRY}", restore-tier="Bulk"`,
      { state: 'restored', storageClass: 'GLACIER', expiry: new Date(EXPIRY) },
    ],
    [
      'GLACIER, restored without a date',
      'GLACIER',
      'ongoing-request="false"',
      { state: 'restored', storageClass: 'GLACIER' },
    ],
  ])('%s', async (_name, storageClass, restore, expected) => {
    s3.on(HeadObjectCommand).resolves({
      ...(storageClass ? { StorageClass: storageClass as never } : {}),
      ...(restore ? { Restore: restore } : {}),
    });

    expect(await store.readability(KEY)).toEqual(expected);
    expect(inputsOf(s3, HeadObjectCommand)).toEqual([{ Bucket: BUCKET, Key: KEY }]);
  });
});

describe('S3Store.requestRestore', () => {
  it.each([
    [202, 'requested'],
    [200, 'restored'],
  ] as const)('answers %i as %s', async (status, expected) => {
    s3.on(RestoreObjectCommand).resolves({ $metadata: { httpStatusCode: status } });

    expect(await store.requestRestore(KEY, { days: 3, tier: 'Bulk' })).toBe(expected);
    expect(inputsOf(s3, RestoreObjectCommand)).toEqual([
      {
        Bucket: BUCKET,
        Key: KEY,
        RestoreRequest: { Days: 3, GlacierJobParameters: { Tier: 'Bulk' } },
      },
    ]);
  });

  it('answers 409 RestoreAlreadyInProgress as restoring', async () => {
    s3.on(RestoreObjectCommand).rejects(s3Error('RestoreAlreadyInProgress', 409));

    expect(await store.requestRestore(KEY, { days: 1, tier: 'Standard' })).toBe('restoring');
  });

  it('makes another refusal one sentence', async () => {
    s3.on(RestoreObjectCommand).rejects(
      s3Error(
        'GlacierExpeditedRetrievalNotAvailable',
        503,
        'Glacier expedited retrievals are currently not available',
      ),
    );

    const error = await rejectionOf(store.requestRestore(KEY, { days: 1, tier: 'Expedited' }));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(new RegExp(`^Could not restore ${URL}: Glacier expedited`));
  });
});

describe('S3Store.download and getText', () => {
  it('downloads the whole object without a Range', async () => {
    s3.on(GetObjectCommand).resolves({ Body: Readable.from([Buffer.from('hello')]) as never });

    expect(await text(await store.download(KEY))).toBe('hello');
    expect(inputsOf(s3, GetObjectCommand)).toEqual([{ Bucket: BUCKET, Key: KEY }]);
  });

  it('asks for bytes start..end inclusive with a ranged GET', async () => {
    s3.on(GetObjectCommand).resolves({
      Body: Readable.from([Buffer.from('2345')]) as never,
      ContentRange: 'bytes 2-5/10',
    });

    expect(await text(await store.download(KEY, { range: { start: 2, end: 5 } }))).toBe('2345');
    expect(inputsOf(s3, GetObjectCommand)).toEqual([
      { Bucket: BUCKET, Key: KEY, Range: 'bytes=2-5' },
    ]);
  });

  it('refuses an answer that is not the range asked for, and a range that is none', async () => {
    s3.on(GetObjectCommand).resolves({ Body: Readable.from([Buffer.from('0123456789')]) as never });

    const error = await rejectionOf(store.download(KEY, { range: { start: 2, end: 5 } }));
    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toBe(
      `Could not download ${URL}: asked for bytes 2-5, S3 answered the whole object.`,
    );
    await expect(store.download(KEY, { range: { start: 5, end: 2 } })).rejects.toThrow(RangeError);
  });

  it('names the object when an archived one cannot be read', async () => {
    s3.on(GetObjectCommand).rejects(
      s3Error(
        'InvalidObjectState',
        403,
        "The operation is not valid for the object's storage class",
      ),
    );

    const error = await rejectionOf(store.download(KEY));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(
      new RegExp(`^Could not download ${URL}: .*\\(InvalidObjectState\\)`),
    );
  });

  it("reads a small object's text, and refuses text that is not UTF-8", async () => {
    s3.on(GetObjectCommand)
      .resolvesOnce({
        Body: Readable.from([Buffer.from('{"files":'), Buffer.from('[]}')]) as never,
      })
      .resolves({ Body: Readable.from([Buffer.from([0xff, 0xfe])]) as never });

    expect(await store.getText('m/1')).toBe('{"files":[]}');
    const error = await rejectionOf(store.getText('m/2'));
    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(/^Could not read s3:\/\/backups\/m\/2: /);
  });
});

describe('s3Client', () => {
  it('names IAM actions, not command names, for S3 commands', () => {
    expect(iamActionOfCommand('s3', 'ListObjectsV2')).toBe('s3:ListBucket');
    expect(iamActionOfCommand('s3', 'UploadPart')).toBe('s3:PutObject');
    expect(iamActionOfCommand('s3', 'DeleteObjects')).toBe('s3:DeleteObject');
    expect(iamActionOfCommand('ec2', 'CreateSnapshot')).toBe('ec2:CreateSnapshot');
    expect(new Set(Object.values(S3_IAM_ACTIONS))).toEqual(
      new Set([
        's3:ListBucket',
        's3:GetObject',
        's3:PutObject',
        's3:AbortMultipartUpload',
        's3:DeleteObject',
        's3:RestoreObject',
      ]),
    );
  });

  const DENIED =
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>' +
    '<Message>Access Denied</Message><RequestId>req</RequestId></Error>';

  it.each([
    ['a listing', 's3:ListBucket', (s: S3Store) => collect(s.list('p/'))],
    [
      'a write',
      's3:PutObject',
      (s: S3Store) => s.putIfAbsent('k', 'x', { storageClass: 'STANDARD' }),
    ],
    ['a deletion', 's3:DeleteObject', (s: S3Store) => s.deleteKeys(['k'])],
    [
      'a restore',
      's3:RestoreObject',
      (s: S3Store) => s.requestRestore('k', { days: 1, tier: 'Bulk' }),
    ],
    ['a download', 's3:GetObject', (s: S3Store) => s.download('k')],
  ])('names the IAM action of %s that AWS refused (%s)', async (_what, action, call) => {
    s3.restore();
    const real = s3Client(REGION);
    answerHttp(real, () => ({ status: 403, body: DENIED }));

    const error = await rejectionOf(call(new S3Store(real, BUCKET)));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(`AWS denied ${action} (AccessDenied)`);
  });

  it('names s3:GetObject for a HEAD refused without a reason', async () => {
    s3.restore();
    const real = s3Client(REGION);
    answerHttp(real, () => ({ status: 403, body: '' }));

    const error = await rejectionOf(new S3Store(real, BUCKET).exists('k'));

    expect(error.message).toMatch(
      /^Could not look up s3:\/\/backups\/k: AWS denied s3:GetObject \(HTTP 403/,
    );
  });
});
