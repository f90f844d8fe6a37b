/**
 * Errors as sentences a user understands: which input or resource, what went wrong, what to do.
 */

/** An invalid input: reported as one `::error::` line before any AWS call. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** A failure of one target (not found, wrong state, timeout…): the other targets go on. */
export class TargetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TargetError';
  }
}

/** The run was cancelled (SIGINT/SIGTERM): stop waiting, make no new change. */
export class CancelledError extends Error {
  constructor(message = 'The run was cancelled before it finished.') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** The error code AWS gave (`InvalidVolume.NotFound`, `Throttling`…), if any. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const named = error as { name?: unknown; Code?: unknown; code?: unknown };
  for (const value of [named.Code, named.code, named.name]) {
    if (typeof value === 'string' && value !== 'Error' && value.length > 0) return value;
  }
  return undefined;
}

/**
 * True when the error carries one of the codes. RDS reports a code both as `DBSnapshotNotFound` and,
 * as the SDK's exception name, `DBSnapshotNotFoundFault`: either form matches.
 */
export function hasAwsCode(error: unknown, ...codes: string[]): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const named = error as { name?: unknown; Code?: unknown; code?: unknown };
  const found = [named.Code, named.code, named.name]
    .filter((value): value is string => typeof value === 'string')
    .map((value) => value.replace(/Fault$/, ''));
  return codes.some((code) => found.includes(code.replace(/Fault$/, '')));
}

/** One sentence for an AWS error: `<what failed>: <AWS message> (<code>)`. */
export function describeAwsError(what: string, error: unknown): string {
  if (error instanceof CancelledError || isAbort(error)) return `${what}: cancelled.`;
  const message = error instanceof Error ? error.message : String(error);
  const code = awsErrorCode(error);
  const suffix = code && !message.includes(code) ? ` (${code})` : '';
  return `${what}: ${message.replace(/\.$/, '')}${suffix}.`;
}

/** True for the errors an AbortSignal produces in the SDK and in timers. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'CancelledError');
}
