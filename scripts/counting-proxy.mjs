/**
 * A counting HTTP proxy in front of an AWS endpoint (moto): every request is forwarded unchanged and
 * counted by service, region and action, outside the action, so that the tests and the benchmark can
 * say how many AWS calls a run made without trusting the action's own account of it. Query-protocol
 * services (EC2, RDS) name the action in the form body (`Action=DescribeSnapshots`); JSON services
 * (KMS) in the `X-Amz-Target` header. The service and region come from the SigV4 credential scope.
 */
import { createServer, request as httpRequest } from 'node:http';

/**
 * @typedef {{ service: string, region: string, action: string }} Call
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
 * @returns {Promise<CountingProxy>}
 */
export async function startCountingProxy(target) {
  const upstream = new URL(target);
  /** @type {Call[]} */
  const calls = [];
  const server = createServer((request, response) => {
    /** @type {Buffer[]} */
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      calls.push(describeCall(body.toString('utf8'), request.headers, request.url ?? ''));
      const forward = httpRequest(
        {
          protocol: upstream.protocol,
          hostname: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      forward.on('error', (error) => {
        response.writeHead(502).end(String(error));
      });
      forward.end(body);
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
