/**
 * Every S3 call of the `files` target, for one bucket: listings, small objects written only where
 * no object has the key, streamed uploads (`s3-upload.ts`), deletions in batches, the archive
 * classes' restores and downloads. It translates S3 into plain records (`s3-answers.ts`) and
 * decides nothing: which keys to write, keep, restore or delete is the core's. Each call goes
 * through `awsCall`, so a failure reads `Could not upload s3://bucket/key: …` like the others.
 */
import type { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  RestoreObjectCommand,
  paginateListObjectsV2,
  type S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { chunks } from '../chunks.js';
import { hasAwsCode } from '../errors.js';
import { awsCall } from './aws-call.js';
import {
  bodyOf,
  conflictRefusal,
  deleteResultOf,
  headRefusal,
  isByteRange,
  isConflict,
  isNotFound,
  isPreconditionFailed,
  objectInfo,
  readabilityOf,
  type ByteRange,
  type DeleteResult,
  type Readability,
  type StoredObjectInfo,
} from './s3-answers.js';
import {
  DEFAULT_PART_SIZE,
  DEFAULT_QUEUE_SIZE,
  uploadObject,
  type UploadOptions,
  type UploadPlace,
} from './s3-upload.js';

export interface S3StoreOptions {
  /** Bytes per part of a multipart upload (default 8 MiB; S3 takes at least 5 MiB). */
  partSize?: number;
  /** Parts uploaded at once; an upload holds at most about (queueSize + 1) × partSize in memory. */
  queueSize?: number;
}

export interface PutOptions {
  storageClass: string;
  contentType?: string;
  signal?: AbortSignal;
}

export type RestoreTier = 'Expedited' | 'Standard' | 'Bulk';

/** Objects per page of a listing, and keys per `DeleteObjects`: S3's maximum for both. */
export const S3_BATCH = 1000;
/** Attempts of a conditional PutObject that S3 answered 409 `ConditionalRequestConflict`. */
export const CONFLICT_ATTEMPTS = 3;

export class S3Store {
  /** Where `upload` puts its parts: this store's client and bucket, its part size and queue. */
  private readonly uploads: UploadPlace;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    options: S3StoreOptions = {},
  ) {
    this.uploads = {
      client,
      bucket,
      partSize: options.partSize ?? DEFAULT_PART_SIZE,
      queueSize: options.queueSize ?? DEFAULT_QUEUE_SIZE,
    };
  }

  /** `s3://bucket/key`, as messages name an object. */
  url(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  /** Every object under prefix, page by page (ListObjectsV2 paginator, 1000 per page). */
  async *list(prefix: string, signal?: AbortSignal): AsyncIterable<StoredObjectInfo[]> {
    const what = `Could not list ${this.url(prefix)}`;
    const pages = paginateListObjectsV2(
      { client: this.client, pageSize: S3_BATCH },
      { Bucket: this.bucket, Prefix: prefix },
      { abortSignal: signal },
    )[Symbol.asyncIterator]();
    for (;;) {
      const page = await awsCall(what, () => pages.next(), { signal });
      if (page.done) return;
      yield (page.value.Contents ?? []).map((object) => objectInfo(object, what));
    }
  }

  /** A small object's text (manifests), as UTF-8; invalid UTF-8 is an error. */
  getText(key: string, signal?: AbortSignal): Promise<string> {
    const what = `Could not read ${this.url(key)}`;
    return awsCall(
      what,
      async () => {
        const body = await this.body(what, key, undefined, signal);
        const parts: Buffer[] = [];
        for await (const chunk of body) parts.push(Buffer.from(chunk as Uint8Array));
        return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(parts));
      },
      { signal },
    );
  }

  /**
   * Writes a small object only if no object has that key (If-None-Match: *): 'created', or
   * 'exists' on 412 PreconditionFailed. A 409 ConditionalRequestConflict (another write of the key
   * was in progress) is retried at once, as AWS says to, up to `CONFLICT_ATTEMPTS` attempts.
   */
  async putIfAbsent(
    key: string,
    body: string | Uint8Array,
    { storageClass, contentType, signal }: PutOptions,
  ): Promise<'created' | 'exists'> {
    const what = `Could not write ${this.url(key)}`;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await awsCall<'created' | 'exists' | 'conflict'>(
        what,
        async () => {
          await this.client.send(
            new PutObjectCommand({
              Bucket: this.bucket,
              Key: key,
              Body: body,
              StorageClass: storageClass as StorageClass,
              ...(contentType === undefined ? {} : { ContentType: contentType }),
              IfNoneMatch: '*',
            }),
            { abortSignal: signal },
          );
          return 'created';
        },
        {
          signal,
          recover: (error) => {
            if (isPreconditionFailed(error)) return 'exists';
            if (isConflict(error) && attempt < CONFLICT_ATTEMPTS) return 'conflict';
            return undefined;
          },
          refusal: conflictRefusal,
        },
      );
      if (outcome !== 'conflict') return outcome;
    }
  }

  /** Whether an object has the key (HeadObject; 404/NotFound → false). */
  exists(key: string, signal?: AbortSignal): Promise<boolean> {
    return awsCall(
      `Could not look up ${this.url(key)}`,
      async () => {
        await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), {
          abortSignal: signal,
        });
        return true;
      },
      {
        signal,
        recover: (error) => (isNotFound(error) ? false : undefined),
        refusal: headRefusal,
      },
    );
  }

  /**
   * Streams `body` to `key`, written only where no object has the key: 'created', or 'exists'
   * (`uploadObject` in `s3-upload.ts` says how, and what a body that fails or changes does).
   */
  upload(key: string, body: Readable, options: UploadOptions): Promise<'created' | 'exists'> {
    return uploadObject(this.uploads, key, body, options);
  }

  /**
   * Deletes the keys with DeleteObjects, at most 1000 a request, Quiet: S3 then answers only the
   * keys it could not delete, returned with their code and message, not thrown (a key that does
   * not exist counts as deleted, as S3 says). A request refused as a whole throws.
   */
  async deleteKeys(keys: readonly string[], signal?: AbortSignal): Promise<DeleteResult> {
    const result: DeleteResult = { deleted: [], failed: [] };
    for (const batch of chunks(keys, S3_BATCH)) {
      const answer = await awsCall(
        `Could not delete ${batch.length} object(s) from ${this.url('')}`,
        () =>
          this.client.send(
            new DeleteObjectsCommand({
              Bucket: this.bucket,
              Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
            }),
            { abortSignal: signal },
          ),
        { signal },
      );
      const { deleted, failed } = deleteResultOf(batch, answer.Errors);
      result.deleted.push(...deleted);
      result.failed.push(...failed);
    }
    return result;
  }

  /**
   * Where an object stands for reading, from HeadObject's StorageClass and Restore header:
   * 'readable' (not an archive class: GLACIER_IR is read directly), 'archived' (GLACIER or
   * DEEP_ARCHIVE, no restore), 'restoring' (ongoing-request="true"), 'restored'
   * (ongoing-request="false", until its expiry-date).
   */
  readability(key: string, signal?: AbortSignal): Promise<Readability> {
    return awsCall(
      `Could not look up ${this.url(key)}`,
      async () => {
        const head = await this.client.send(
          new HeadObjectCommand({ Bucket: this.bucket, Key: key }),
          { abortSignal: signal },
        );
        return readabilityOf(head.StorageClass ?? 'STANDARD', head.Restore);
      },
      { signal, refusal: headRefusal },
    );
  }

  /**
   * Asks for a readable copy of an archived object for `days` days at `tier` (RestoreObject):
   * 'requested' (202), 'restored' (200: a restored copy exists; its expiry moves to `days` from
   * now), 'restoring' (409 RestoreAlreadyInProgress).
   */
  requestRestore(
    key: string,
    { days, tier, signal }: { days: number; tier: RestoreTier; signal?: AbortSignal },
  ): Promise<'requested' | 'restored' | 'restoring'> {
    return awsCall<'requested' | 'restored' | 'restoring'>(
      `Could not restore ${this.url(key)}`,
      async () => {
        const answer = await this.client.send(
          new RestoreObjectCommand({
            Bucket: this.bucket,
            Key: key,
            RestoreRequest: { Days: days, GlacierJobParameters: { Tier: tier } },
          }),
          { abortSignal: signal },
        );
        return answer.$metadata.httpStatusCode === 200 ? 'restored' : 'requested';
      },
      {
        signal,
        recover: (error) =>
          hasAwsCode(error, 'RestoreAlreadyInProgress') ? 'restoring' : undefined,
      },
    );
  }

  /**
   * The object's body as a Node Readable; with `range`, bytes start..end inclusive (a ranged GET,
   * `Range: bytes=start-end`; S3 ends it at the object's end). Errors of the stream itself (a
   * connection lost midway) come from the stream.
   */
  async download(
    key: string,
    { range, signal }: { range?: ByteRange; signal?: AbortSignal } = {},
  ): Promise<Readable> {
    if (range && !isByteRange(range)) {
      throw new RangeError(
        `A byte range is start..end with 0 <= start <= end, not ${range.start}..${range.end}.`,
      );
    }
    const what = `Could not download ${this.url(key)}`;
    return awsCall(what, () => this.body(what, key, range, signal), { signal });
  }

  /** GetObject's body; a ranged answer must start where asked. */
  private async body(
    what: string,
    key: string,
    range: ByteRange | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Readable> {
    const answer = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
      }),
      { abortSignal: signal },
    );
    return bodyOf(answer, what, range);
  }
}
