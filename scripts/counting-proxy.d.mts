/** Types of counting-proxy.mjs for the TypeScript tests; the JSDoc there is the documentation. */
import type { IncomingHttpHeaders } from 'node:http';
export interface Call {
  service: string;
  region: string;
  action: string;
}
export interface CountingProxy {
  endpoint: string;
  calls: Call[];
  count: (filter?: { service?: string; action?: string | RegExp; region?: string }) => number;
  byAction: () => Record<string, number>;
  reset: () => void;
  stop: () => Promise<void>;
}
export declare function describeCall(body: string, headers: IncomingHttpHeaders, url: string): Call;
export declare function startCountingProxy(target: string): Promise<CountingProxy>;
