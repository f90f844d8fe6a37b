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
 * calls with AWS's throttling and server errors.
 */
import { createServer, request as httpRequest } from 'node:http';

/**
 * @typedef {{ service: string, region: string, action: string, fault?: string }} Call
 * @typedef {{ status: number, headers?: Record<string, string>, body: string | Buffer }} Answer
 * @typedef {(call: Call) => Answer | undefined | Promise<Answer | undefined>} BeforeHook
 * @typedef {(call: Call, answer: Answer) => Answer | Promise<Answer>} AfterHook
 * @typedef {{
 *   endpoint: string,
 *   calls: Call[],
 *   count: (filter?: { service?: string, action?: string | RegExp, region?: string }) => number,
 *   byAction: () => Record<string, number>,
 *   reset: () => void,
 *   stop: () => Promise<void>,
 * }} CountingProxy
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
  const action =
    new URLSearchParams(body).get('Action') ??
    (typeof target === 'string' ? target.split('.').pop() : undefined) ??
    `${url.split('?')[0]}`;
  return { service: scope?.[2] ?? 'unsigned', region: scope?.[1] ?? '', action: action ?? '' };
}

/**
 * Starts the proxy on a free local port in front of `target` (e.g. `http://127.0.0.1:5000`).
 *
 * @param {string} target
 * @param {{ before?: BeforeHook, after?: AfterHook }} [hooks]
 * @returns {Promise<CountingProxy>}
 */
export async function startCountingProxy(target, { before, after } = {}) {
  const upstream = new URL(target);
  /** @type {Call[]} */
  const calls = [];
  /**
   * Sends the request to the target and reads the whole answer.
   *
   * @param {import('node:http').IncomingMessage} request
   * @param {Buffer} body
   * @returns {Promise<Answer>}
   */
  const forward = (request, body) =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          protocol: upstream.protocol,
          hostname: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
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
  const server = createServer((request, response) => {
    /** @type {Buffer[]} */
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const call = describeCall(body.toString('utf8'), request.headers, request.url ?? '');
      calls.push(call);
      void (async () => {
        let answer = before ? await before(call) : undefined;
        if (answer) call.fault = String(answer.status);
        else {
          answer = await forward(request, body);
          if (after) answer = await after(call, answer);
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
    },
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
