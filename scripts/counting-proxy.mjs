/**
 * A counting HTTP proxy in front of an AWS endpoint (moto): every request is counted by service,
 * region and action, outside the action, so that the tests and the benchmark can say how many AWS
 * calls a run made without trusting the action's own account of it. Query-protocol services (EC2,
 * RDS) name the action in the form body (`Action=DescribeSnapshots`); JSON services (KMS) in the
 * `X-Amz-Target` header. The service and region come from the SigV4 credential scope.
 *
 * For fault injection, hooks may answer a request instead of moto (`before`: a throttling storm, a
 * request held while the action is killed) or change moto's answer (`after`: a lost response, a
 * snapshot shown pending). `faults()` makes a seeded `before` hook that answers a fraction of the
 * calls with AWS's throttling and server errors. Hooks see the request's parameters (`call.params`)
 * and may send requests of their own to moto (`context.send`), which are not counted.
 *
 * With `fidelity` (scripts/aws-fidelity.mjs) the proxy behaves as AWS documents where moto is
 * kinder: eventual consistency, pending backups, AMI snapshot tags, DeleteAssociatedSnapshots, RDS
 * source fields, lost answers… The order for each request: `before` (may answer), then the
 * fidelity model (forwards to moto and rewrites the answer), then `after`. A `POST /moto-api/reset`
 * through the proxy also clears the model's state.
 */
import { createServer, request as httpRequest } from 'node:http';
import { AwsFidelity } from './aws-fidelity.mjs';

/**
 * A counted call. `params` are the query-protocol parameters of the form body (EC2, RDS: `Action`,
 * `Version`, `SnapshotId.1`…), empty for other protocols; `fault` is the HTTP status of an answer
 * a `before` hook gave instead of moto.
 *
 * @typedef {{ service: string, region: string, action: string, params: Record<string, string>, fault?: string }} Call
 * @typedef {{ status: number, headers?: Record<string, string>, body: string | Buffer, drop?: boolean }} Answer
 *   `drop`: destroy the connection instead of answering (the client sees ECONNRESET)
 * @typedef {object} HookContext
 * @property {import('node:http').IncomingHttpHeaders} headers the request's headers
 * @property {(params: Record<string, string>, region?: string) => Promise<Answer>} send sends a
 *   request of the proxy's own to the target (same service, the request's headers and credentials,
 *   the region given or the request's; `Version` is the request's unless given); not counted
 * @typedef {(call: Call, context: HookContext) => Answer | undefined | Promise<Answer | undefined>} BeforeHook
 * @typedef {(call: Call, answer: Answer, context: HookContext) => Answer | Promise<Answer>} AfterHook
 * @typedef {{
 *   endpoint: string,
 *   calls: Call[],
 *   count: (filter?: { service?: string, action?: string | RegExp, region?: string }) => number,
 *   byAction: () => Record<string, number>,
 *   reset: () => void,
 *   stop: () => Promise<void>,
 *   fidelity: AwsFidelity | undefined,
 * }} CountingProxy
 *   `reset` forgets the counted calls and the fidelity model's state; `fidelity` is the model
 *   (its `set` changes options while the proxy runs, its `reset` clears only its state)
 */

/**
 * The action a request asks for.
 *
 * @param {string} body
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {string} url
 * @returns {Call}
 */
export function describeCall(body, headers, url) {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(headers.authorization ?? '');
  const target = headers['x-amz-target'];
  const form = new URLSearchParams(body);
  const query = form.has('Action');
  const action =
    form.get('Action') ??
    (typeof target === 'string' ? target.split('.').pop() : undefined) ??
    `${url.split('?')[0]}`;
  return {
    service: scope?.[2] ?? 'unsigned',
    region: scope?.[1] ?? '',
    action: action ?? '',
    params: query ? Object.fromEntries(form) : {},
  };
}

/** Request headers that describe the body or the connection, which the proxy sets itself. */
const HOP_HEADERS = ['content-length', 'transfer-encoding', 'connection', 'expect'];

/**
 * Starts the proxy on a free local port in front of `target` (e.g. `http://127.0.0.1:5000`).
 *
 * @param {string} target
 * @param {{ before?: BeforeHook, after?: AfterHook, fidelity?: import('./aws-fidelity.mjs').FidelityOptions }} [hooks]
 *   `fidelity`: the AWS behaviours to model (scripts/aws-fidelity.mjs, e.g. `AWS_SEMANTICS` or
 *   `awsLike({...})`); the model is the proxy's `fidelity`
 * @returns {Promise<CountingProxy>}
 */
export async function startCountingProxy(target, { before, after, fidelity: options } = {}) {
  const upstream = new URL(target);
  /** @type {Call[]} */
  const calls = [];
  const fidelity = options ? new AwsFidelity(options) : undefined;
  /**
   * Sends a request to the target and reads the whole answer.
   *
   * @param {{ method: string, url: string, headers: import('node:http').IncomingHttpHeaders }} request
   * @param {Buffer | string} body
   * @returns {Promise<Answer>}
   */
  const forward = (request, body) =>
    new Promise((resolve, reject) => {
      /** @type {import('node:http').OutgoingHttpHeaders} */
      const headers = {};
      for (const [key, value] of Object.entries(request.headers)) {
        if (value !== undefined && !HOP_HEADERS.includes(key)) headers[key] = value;
      }
      headers['content-length'] = Buffer.byteLength(body);
      const outgoing = httpRequest(
        {
          protocol: upstream.protocol,
          hostname: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers,
        },
        (answer) => {
          /** @type {Buffer[]} */
          const parts = [];
          answer.on('data', (part) => parts.push(part));
          answer.on('end', () => {
            /** @type {Record<string, string>} */
            const headers = {};
            for (const [key, value] of Object.entries(answer.headers)) {
              if (value !== undefined && key !== 'content-length' && key !== 'transfer-encoding') {
                headers[key] = Array.isArray(value) ? value.join(', ') : value;
              }
            }
            resolve({ status: answer.statusCode ?? 502, headers, body: Buffer.concat(parts) });
          });
          answer.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  /**
   * What hooks and the model may do for one request.
   *
   * @param {import('node:http').IncomingMessage} request
   * @param {Buffer} body
   * @param {Call} call
   */
  const contextOf = (request, body, call) => {
    const original = {
      method: request.method ?? 'POST',
      url: request.url ?? '/',
      headers: request.headers,
    };
    /** @param {Record<string, string>} params */
    const encode = (params) => new URLSearchParams(params).toString();
    return {
      headers: request.headers,
      method: original.method,
      url: original.url,
      body: body.toString('utf8'),
      /** @param {Record<string, string>} [params] */
      forward: (params) => forward(original, params ? encode(params) : body),
      /**
       * @param {Record<string, string>} params
       * @param {string} [region]
       */
      send: (params, region = call.region) => {
        // The SDK's attempt headers belong to the client's request, not to this one.
        const headers = { ...request.headers };
        delete headers['amz-sdk-invocation-id'];
        delete headers['amz-sdk-request'];
        if (headers.authorization) {
          headers.authorization = headers.authorization.replace(
            /(Credential=[^/]+\/\d{8}\/)[^/]+\//,
            `$1${region}/`,
          );
        }
        const version = call.params.Version;
        const full = { ...(version ? { Version: version } : {}), ...params };
        return forward({ method: 'POST', url: '/', headers }, encode(full));
      },
    };
  };
  const server = createServer((request, response) => {
    /** @type {Buffer[]} */
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const call = describeCall(body.toString('utf8'), request.headers, request.url ?? '');
      calls.push(call);
      const context = contextOf(request, body, call);
      void (async () => {
        let answer = before ? await before(call, context) : undefined;
        if (answer) call.fault = String(answer.status);
        else {
          const resetting =
            request.method === 'POST' && (request.url ?? '').startsWith('/moto-api/reset');
          answer =
            fidelity && !resetting ? await fidelity.handle(call, context) : await context.forward();
          if (resetting && fidelity && answer.status < 300) fidelity.reset();
          if (after) answer = await after(call, answer, context);
        }
        if (answer.drop) {
          request.socket.destroy();
          return;
        }
        response.writeHead(answer.status, answer.headers ?? {});
        response.end(answer.body);
      })().catch((error) => {
        if (!response.headersSent) response.writeHead(502);
        response.end(String(error));
      });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    calls,
    count: (filter = {}) =>
      calls.filter(
        (call) =>
          (filter.service === undefined || call.service === filter.service) &&
          (filter.region === undefined || call.region === filter.region) &&
          (filter.action === undefined ||
            (typeof filter.action === 'string'
              ? call.action === filter.action
              : filter.action.test(call.action))),
      ).length,
    byAction: () => {
      /** @type {Record<string, number>} */
      const counts = {};
      for (const call of calls) {
        const key = `${call.service}:${call.action}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return counts;
    },
    reset: () => {
      calls.length = 0;
      fidelity?.reset();
    },
    fidelity,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

/** AWS's answers for the faults of a storm, by the protocol of the service. */
export const FAULTS = {
  /** EC2's throttling answer. */
  RequestLimitExceeded: {
    status: 503,
    body:
      '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code>' +
      '<Message>Request limit exceeded.</Message></Error></Errors><RequestID>fault</RequestID></Response>',
  },
  /** The query services' throttling answer (RDS). */
  Throttling: {
    status: 400,
    body:
      '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>' +
      '</Error><RequestId>fault</RequestId></ErrorResponse>',
  },
  /** EC2's internal error. */
  InternalError: {
    status: 500,
    body:
      '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>InternalError</Code>' +
      '<Message>An internal error has occurred.</Message></Error></Errors><RequestID>fault</RequestID></Response>',
  },
  /** The query services' internal error (RDS). */
  InternalFailure: {
    status: 500,
    body:
      '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code>' +
      '<Message>An internal error has occurred.</Message></Error><RequestId>fault</RequestId></ErrorResponse>',
  },
};

/**
 * A seeded `before` hook: answers about `rate` of the calls (of the services given, all by default)
 * with a throttling answer or a server error of that service's protocol, the rest go to moto. The
 * same seed gives the same storm.
 *
 * @param {{ rate: number, seed: number, services?: string[], serverErrors?: boolean }} options
 * @returns {BeforeHook}
 */
export function faults({ rate, seed, services, serverErrors = true }) {
  let state = seed >>> 0;
  // mulberry32: small, seeded, good enough to spread faults.
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (call) => {
    if (services && !services.includes(call.service)) return undefined;
    if (random() >= rate) return undefined;
    const ec2 = call.service === 'ec2';
    const server = serverErrors && random() < 1 / 3;
    if (server) return ec2 ? FAULTS.InternalError : FAULTS.InternalFailure;
    return ec2 ? FAULTS.RequestLimitExceeded : FAULTS.Throttling;
  };
}

/**
 * EC2's request token buckets ("Request throttling for the Amazon EC2 API", tables "Request token
 * bucket sizes and refill rates"): [capacity, refill per second] of the actions the action sends
 * that have a bucket of their own, and of the categories for the rest.
 */
export const EC2_BUCKETS = {
  CreateSnapshot: [100, 5],
  CreateSnapshots: [100, 5],
  DeleteSnapshot: [100, 5],
  DeregisterImage: [100, 5],
  CopyImage: [100, 1],
  CreateTags: [100, 10],
  DeleteTags: [100, 10],
  '(non-mutating)': [100, 20],
  '(unfiltered and unpaginated)': [50, 10],
  '(mutating)': [50, 5],
};

/** EC2's describes that draw on the smaller bucket when sent with neither a filter nor paging. */
const EC2_UNFILTERED = [
  'DescribeInstances',
  'DescribeInstanceStatus',
  'DescribeNetworkInterfaces',
  'DescribeSecurityGroups',
  'DescribeSnapshots',
  'DescribeSpotInstanceRequests',
  'DescribeVolumes',
];

/** RDS's one bucket for all API operations of an account and Region (300, 12 per second). */
export const RDS_BUCKET = [300, 12];

/**
 * A `before` hook that throttles as AWS does: EC2's bucket per action and Region (`EC2_BUCKETS`),
 * RDS's one bucket per Region (`RDS_BUCKET`), each full at the start and refilled continuously. A
 * call that finds its bucket empty gets the service's throttling answer (`RequestLimitExceeded`,
 * `Throttling`) instead of moto's, and the proxy marks it (`call.fault`); `throttled()` counts
 * them. Other services pass. `now` (ms) is the clock, `performance.now` unless a test gives one.
 *
 * @param {{ now?: () => number }} [options]
 * @returns {BeforeHook & { throttled: () => number }}
 */
export function awsBuckets({ now = () => performance.now() } = {}) {
  /** @type {Map<string, { tokens: number, at: number }>} */
  const buckets = new Map();
  let throttled = 0;
  /** @param {Call} call @returns {[string, number[]] | undefined} */
  const bucketOf = (call) => {
    if (call.service === 'rds') return ['rds', RDS_BUCKET];
    if (call.service !== 'ec2') return undefined;
    const own = /** @type {Record<string, number[]>} */ (EC2_BUCKETS)[call.action];
    if (own) return [call.action, own];
    if (!/^(Describe|List|Get|Search)/.test(call.action))
      return ['(mutating)', EC2_BUCKETS['(mutating)']];
    const keys = Object.keys(call.params);
    const unfiltered =
      EC2_UNFILTERED.includes(call.action) &&
      !keys.some((key) => /^(Filter\.|MaxResults|NextToken)/.test(key));
    const category = unfiltered ? '(unfiltered and unpaginated)' : '(non-mutating)';
    return [category, EC2_BUCKETS[category]];
  };
  /** @type {BeforeHook} */
  const hook = (call) => {
    const found = bucketOf(call);
    if (!found) return undefined;
    const [name, [capacity, perSecond]] = found;
    const key = `${call.service} ${call.region} ${name}`;
    const time = now();
    const bucket = buckets.get(key) ?? { tokens: capacity, at: time };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((time - bucket.at) * perSecond) / 1000);
    bucket.at = time;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    throttled += 1;
    return call.service === 'ec2' ? FAULTS.RequestLimitExceeded : FAULTS.Throttling;
  };
  return Object.assign(hook, { throttled: () => throttled });
}
