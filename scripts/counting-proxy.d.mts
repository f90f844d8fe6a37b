/** Types of counting-proxy.mjs for the TypeScript tests; the JSDoc there is the documentation. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Answer, AwsFidelity, FidelityOptions } from './aws-fidelity.mjs';
export type { Answer };
export interface Call {
  service: string;
  region: string;
  action: string;
  /** Query-protocol parameters of the form body (EC2, RDS); empty for other protocols. */
  params: Record<string, string>;
  /** The HTTP status of the answer a `before` hook gave instead of the target. */
  fault?: string;
}
export interface HookContext {
  headers: IncomingHttpHeaders;
  method?: string;
  url?: string;
  body?: string;
  /** A request of the proxy's own to the target (not counted). */
  send: (params: Record<string, string>, region?: string) => Promise<Answer>;
}
/** The proxy always passes `context`; it is optional so that hooks can call one another. */
export type BeforeHook = (
  call: Call,
  context?: HookContext,
) => Answer | undefined | Promise<Answer | undefined>;
export type AfterHook = (
  call: Call,
  answer: Answer,
  context?: HookContext,
) => Answer | Promise<Answer>;
export interface CountingProxy {
  endpoint: string;
  calls: Call[];
  count: (filter?: { service?: string; action?: string | RegExp; region?: string }) => number;
  byAction: () => Record<string, number>;
  /** Forgets the counted calls and the fidelity model's state. */
  reset: () => void;
  stop: () => Promise<void>;
  /** The AWS-fidelity model, when started with `fidelity`. */
  fidelity: AwsFidelity | undefined;
}
export declare function describeCall(body: string, headers: IncomingHttpHeaders, url: string): Call;
export declare function startCountingProxy(
  target: string,
  hooks?: { before?: BeforeHook; after?: AfterHook; fidelity?: FidelityOptions },
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
export declare const EC2_BUCKETS: Record<string, [number, number]>;
export declare const RDS_BUCKET: [number, number];
export declare function awsBuckets(options?: {
  now?: () => number;
}): BeforeHook & { throttled: () => number };
