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

/**
 * The signal of work done for several parties at once (one describe for many waiters): it fires
 * once every party that joined has given up (its own signal fired), never while one still waits,
 * and never at all once a party joined without a signal. `join` answers how to leave without
 * giving up (the party got its answer); call it when done, whatever happened.
 */
export class SharedSignal {
  private readonly controller = new AbortController();
  private waiting = 0;
  private unbounded = false;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  join(signal: AbortSignal | undefined): () => void {
    if (!signal) {
      this.unbounded = true;
      return () => {};
    }
    this.waiting += 1;
    const giveUp = (): void => {
      this.waiting -= 1;
      if (this.waiting === 0 && !this.unbounded) this.controller.abort();
    };
    if (signal.aborted) {
      giveUp();
      return () => {};
    }
    signal.addEventListener('abort', giveUp, { once: true });
    return () => signal.removeEventListener('abort', giveUp);
  }
}
