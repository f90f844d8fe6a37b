/**
 * The streamed upload of the `files` target (`S3Store.upload`): lib-storage's Upload, written only
 * where no object has the key, with its part size and a body checked as it passes, so that a body
 * that fails or gives other than its length stores nothing.
 */
import { finished, type Readable, Transform, type TransformCallback } from 'node:stream';
import type { S3Client, StorageClass } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CancelledError, TargetError } from '../errors.js';
import { awsCall } from './aws-call.js';
import { conflictRefusal, isPreconditionFailed } from './s3-answers.js';

export interface UploadOptions {
  storageClass: string;
  /**
   * The body's length when known (a file's size): the body must then give exactly that many bytes,
   * else the upload fails and stores nothing; parts grow past `partSize` where S3's 10,000 parts
   * would not hold it. A body of unknown length must fit in 10,000 parts of `partSize`.
   */
  contentLength?: number;
  signal?: AbortSignal;
  /** Bytes uploaded so far, after each part (once, at the end, for a single-part upload). */
  onProgress?: (loaded: number) => void;
}

/** Where uploads go and in what parts: a store's client and bucket, its part size and queue. */
export interface UploadPlace {
  client: S3Client;
  bucket: string;
  partSize: number;
  queueSize: number;
}

/** The part size of uploads unless the store is told otherwise. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** Parts in flight at once unless the store is told otherwise. */
export const DEFAULT_QUEUE_SIZE = 4;
/** S3's limit of parts in a multipart upload. */
const MAX_PARTS = 10_000;

/**
 * Streams `body` to `key` with lib-storage's Upload: one PutObject up to `partSize`, a multipart
 * upload above it, at most about (queueSize + 1) × partSize bytes in memory. StorageClass is on
 * the PutObject or CreateMultipartUpload, If-None-Match: * on the PutObject or
 * CompleteMultipartUpload: 'created', or 'exists' when an object already has the key (412).
 *
 * S3 takes no condition on CreateMultipartUpload or UploadPart, so a multipart upload to a key
 * that exists learns it only at CompleteMultipartUpload, after sending every part: callers check
 * `exists()` first for content above `partSize`.
 *
 * A body stream that errors (e.g. a file that changed while it was read), or that gives other
 * than `contentLength` bytes, makes it reject with that error: no PutObject or
 * CompleteMultipartUpload is sent, and the parts sent are discarded (AbortMultipartUpload).
 * The signal aborts the upload (`upload.abort()`): it rejects at once with a CancelledError;
 * parts in flight finish, then the multipart upload is aborted.
 */
export async function uploadObject(
  place: UploadPlace,
  key: string,
  body: Readable,
  { storageClass, contentLength, signal, onProgress }: UploadOptions,
): Promise<'created' | 'exists'> {
  const what = `Could not upload s3://${place.bucket}/${key}`;
  if (signal?.aborted) {
    body.destroy();
    throw new CancelledError();
  }
  const checked = checkBody(body, contentLength, what);
  try {
    return await awsCall<'created' | 'exists'>(
      what,
      async () => {
        const upload = new Upload({
          client: place.client,
          params: {
            Bucket: place.bucket,
            Key: key,
            Body: checked.stream,
            StorageClass: storageClass as StorageClass,
            IfNoneMatch: '*',
          },
          partSize: partSizeFor(place.partSize, contentLength),
          queueSize: place.queueSize,
        });
        if (onProgress) upload.on('httpUploadProgress', (p) => onProgress(p.loaded ?? 0));
        const abort = (): void => void upload.abort();
        signal?.addEventListener('abort', abort, { once: true });
        try {
          await upload.done();
          return 'created';
        } finally {
          signal?.removeEventListener('abort', abort);
        }
      },
      {
        signal,
        recover: (error) => (isPreconditionFailed(error) ? 'exists' : undefined),
        refusal: conflictRefusal,
      },
    );
  } catch (error) {
    if (checked.error() !== undefined && !(error instanceof CancelledError)) throw checked.error();
    throw error;
  } finally {
    checked.close();
  }
}

/** The part size for a body of `length` bytes: `partSize`, or more where 10,000 parts would not hold it. */
function partSizeFor(partSize: number, length: number | undefined): number {
  return Math.max(partSize, Math.ceil((length ?? 0) / MAX_PARTS));
}

/** An upload's body passed through a check, and what went wrong with it. */
interface CheckedBody {
  stream: Transform;
  /** The body's own error, or the length check's; undefined while it is sound. */
  error(): unknown;
  /** Closes both streams (and the body's file): an upload that stopped early left them unread. */
  close(): void;
}

/**
 * `body` passed through: it errors with the body's error (or the body's premature close), or with
 * a TargetError at its end when it gave other than `length` bytes (a file that grew or shrank
 * while it was read). The error is recorded as it happens, so the upload rejects with it rather
 * than with what it did to the upload.
 */
function checkBody(body: Readable, length: number | undefined, what: string): CheckedBody {
  let seen = 0;
  let failure: unknown;
  let closed = false;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      seen += chunk.length;
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      if (length === undefined || seen === length) return done();
      failure ??= new TargetError(
        `${what}: read ${seen} bytes where ${length} were expected: it changed while it was read, so nothing was stored.`,
      );
      done(failure as Error);
    },
  });
  finished(body, (error) => {
    if (!error || closed) return;
    failure ??= error;
    stream.destroy(error);
  });
  body.pipe(stream);
  return {
    stream,
    error: () => failure,
    close: () => {
      closed = true;
      body.unpipe(stream);
      body.destroy();
      stream.destroy();
    },
  };
}
