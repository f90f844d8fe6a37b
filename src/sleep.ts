import { setTimeout as delay } from 'node:timers/promises';
import { CancelledError } from './errors.js';

/** A sleep that rejects with an AbortError when the signal fires; injectable so tests never wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/**
 * Settles like `promise`, or rejects with a CancelledError as soon as `signal` fires: for calls that
 * take no signal of their own (a listing), so that a cancelled run stops waiting for them at once.
 * The call itself may still finish in the background; it changes nothing (only reads are wrapped).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
