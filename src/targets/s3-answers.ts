/**
 * How S3's answers read for the `files` target: a listed object as a record, the `Restore` header
 * of an archived object, a GET's body, DeleteObjects' per-key errors, and the refusals S3 gives
 * that a call expects (412 on a conditional write, 409 on a conflicting one, 404 and a HEAD's
 * bodiless 403) as outcomes or sentences.
 */
import { Readable } from 'node:stream';
import type { _Error, _Object } from '@aws-sdk/client-s3';
import { awsErrorCode, describeAwsError, hasAwsCode, iamActionOf, TargetError } from '../errors.js';

/** One object of a listing. */
export interface StoredObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
  /** S3's storage class; `STANDARD` where S3 leaves it out. */
  storageClass: string;
}

/** Where an object stands for reading (`S3Store.readability`). */
export interface Readability {
  /**
   * `readable`: GET works (any class but the archive ones); `archived`: GLACIER or DEEP_ARCHIVE,
   * no restore asked; `restoring`: a restore is in progress; `restored`: a readable copy exists
   * until `expiry`.
   */
  state: 'readable' | 'archived' | 'restoring' | 'restored';
  storageClass: string;
  /** When a restored copy goes (only for `restored`, when S3 says). */
  expiry?: Date;
}

/** Bytes start..end of an object, both inclusive (a ranged GET). */
export interface ByteRange {
  start: number;
  end: number;
}

/** A range S3 can be asked for: whole bytes, 0 <= start <= end. */
export function isByteRange({ start, end }: ByteRange): boolean {
  return Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end >= start;
}

/** What a DeleteObjects removed, and the keys it could not, with S3's code and message. */
export interface DeleteResult {
  deleted: string[];
  failed: { key: string; code: string; message: string }[];
}

/** The classes whose objects must be restored before a GET (GLACIER_IR is read directly). */
const ARCHIVE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** An object of a ListObjectsV2 page as a record; `what` names the listing in the error. */
export function objectInfo(object: _Object, what: string): StoredObjectInfo {
  // Every listed object has a key and a time; an answer without them cannot be trusted with ages.
  if (object.Key === undefined || !(object.LastModified instanceof Date)) {
    throw new TargetError(`${what}: S3 listed an object without its key or LastModified.`);
  }
  return {
    key: object.Key,
    size: object.Size ?? 0,
    lastModified: object.LastModified,
    storageClass: object.StorageClass ?? 'STANDARD',
  };
}

/** GetObject's body; a ranged answer must start where asked. `what` names the read in errors. */
export function bodyOf(
  answer: { Body?: unknown; ContentRange?: string | undefined },
  what: string,
  range: ByteRange | undefined,
): Readable {
  const body = answer.Body;
  if (!(body instanceof Readable)) {
    throw new TargetError(`${what}: S3 answered without a body.`);
  }
  if (range && !answer.ContentRange?.startsWith(`bytes ${range.start}-`)) {
    body.destroy();
    throw new TargetError(
      `${what}: asked for bytes ${range.start}-${range.end}, S3 answered ${answer.ContentRange ?? 'the whole object'}.`,
    );
  }
  return body;
}

/**
 * One DeleteObjects batch as S3 answered it (Quiet): the keys it named with an error failed, with
 * their code and message; the others are deleted (a key that did not exist among them).
 */
export function deleteResultOf(
  batch: readonly string[],
  errors: readonly _Error[] | undefined,
): DeleteResult {
  const result: DeleteResult = { deleted: [], failed: [] };
  const failed = new Map<string, { code: string; message: string }>();
  for (const error of errors ?? []) {
    if (error.Key === undefined) continue;
    failed.set(error.Key, { code: error.Code ?? 'Unknown', message: error.Message ?? '' });
  }
  for (const key of batch) {
    const error = failed.get(key);
    if (error) result.failed.push({ key, ...error });
    else result.deleted.push(key);
  }
  return result;
}

/** `ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"` → its parts. */
function parseRestore(header: string | undefined): { ongoing?: boolean; expiry?: Date } {
  if (!header) return {};
  const ongoing = /ongoing-request\s*=\s*"(true|false)"/i.exec(header)?.[1]?.toLowerCase();
  const expiryText = /expiry-date\s*=\s*"([^"]+)"/i.exec(header)?.[1];
  const expiry = expiryText === undefined ? undefined : new Date(expiryText);
  return {
    ...(ongoing === undefined ? {} : { ongoing: ongoing === 'true' }),
    ...(expiry && !Number.isNaN(expiry.getTime()) ? { expiry } : {}),
  };
}

/** Where an object of `storageClass` with S3's `Restore` header stands for reading. */
export function readabilityOf(storageClass: string, restore: string | undefined): Readability {
  if (!ARCHIVE_CLASSES.has(storageClass)) return { state: 'readable', storageClass };
  const { ongoing, expiry } = parseRestore(restore);
  if (ongoing === true) return { state: 'restoring', storageClass };
  if (ongoing === false) return { state: 'restored', storageClass, ...(expiry ? { expiry } : {}) };
  return { state: 'archived', storageClass };
}

/** S3's answer to a conditional write whose key already exists (412). */
export function isPreconditionFailed(error: unknown): boolean {
  return hasAwsCode(error, 'PreconditionFailed') || httpStatusOf(error) === 412;
}

/** S3's answer to a conditional write that raced another write of the key (409). */
export function isConflict(error: unknown): boolean {
  return hasAwsCode(error, 'ConditionalRequestConflict');
}

/** S3's answer to a HEAD or GET of a key that no object has (404). */
export function isNotFound(error: unknown): boolean {
  return hasAwsCode(error, 'NotFound', 'NoSuchKey') || httpStatusOf(error) === 404;
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A HEAD request's refusal: S3 sends no body with it, so the SDK knows no code (`Unknown`, 403).
 * Without `s3:ListBucket`, S3 answers 403 for a key that does not exist, too.
 */
export function headRefusal(what: string, error: unknown): TargetError | undefined {
  const code = awsErrorCode(error);
  if (httpStatusOf(error) !== 403 || (code !== undefined && code !== 'Unknown')) return undefined;
  const action = iamActionOf(error) ?? 's3:GetObject';
  return new TargetError(
    `${what}: AWS denied ${action} (HTTP 403, a HEAD request gives no reason); the role needs ${action} on the key, and s3:ListBucket on the bucket (without it S3 answers 403 for a key that does not exist).`,
    { cause: error },
  );
}

/** A conditional write that raced another write of the same key: nothing is stored this time. */
export function conflictRefusal(what: string, error: unknown): TargetError | undefined {
  if (!isConflict(error)) return undefined;
  return new TargetError(
    `${describeAwsError(what, error)} Another write of the same key was in progress (409); nothing was stored, and a later run uploads it again.`,
    { cause: error },
  );
}
