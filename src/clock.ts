/**
 * Where time comes from. The run and the adapters are handed a `Clock`; only the entry (`run()`
 * without a `now`) and the adapter factory fall back to the system clock, so tests set the time.
 */
export type Clock = () => Date;

/** The system's time: the one place outside the tests that reads it. */
export const systemClock: Clock = () => new Date();
