import { setTimeout as delay } from 'node:timers/promises';

/** A sleep that rejects with an AbortError when the signal fires; injectable so tests never wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });
