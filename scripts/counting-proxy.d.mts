/** Types of counting-proxy.mjs for the TypeScript tests; the JSDoc there is the documentation. */
import type { IncomingHttpHeaders } from 'node:http';
export interface Call {
  service: string;
  region: string;
  action: string;
  /** The HTTP status of the answer a `before` hook gave instead of the target. */
  fault?: string;
}
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}
export type BeforeHook = (call: Call) => Answer | undefined | Promise<Answer | undefined>;
export type AfterHook = (call: Call, answer: Answer) => Answer | Promise<Answer>;
export interface CountingProxy {
  endpoint: string;
  calls: Call[];
  count: (filter?: { service?: string; action?: string | RegExp; region?: string }) => number;
  byAction: () => Record<string, number>;
  reset: () => void;
  stop: () => Promise<void>;
}
export declare function describeCall(body: string, headers: IncomingHttpHeaders, url: string): Call;
export declare function startCountingProxy(
  target: string,
  hooks?: { before?: BeforeHook; after?: AfterHook },
): Promise<CountingProxy>;
export declare const FAULTS: Record<
  'RequestLimitExceeded' | 'Throttling' | 'InternalError' | 'InternalFailure',
  Answer
>;
export declare function faults(options: {
  rate: number;
  seed: number;
  services?: string[];
  serverErrors?: boolean;
}): BeforeHook;
