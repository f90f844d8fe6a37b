/**
 * Credentials are never printed (DESIGN.md §5): with step debug on, a successful run, a run with a
 * failed target and a run with an invalid input must not show the access key id, the secret access
 * key (nor its first 8 characters) or the session token anywhere a workflow could see them: the
 * log, the step outputs and the job summary. A proxy between the action and moto proves that the
 * runs did sign their requests with exactly these credentials.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MISSING_VOLUME,
  createVolume,
  errorLines,
  expectStatus,
  expectSuccess,
  motoEndpoint,
  reset,
  runAction,
  snapshotsOfSet,
  type ActionRun,
} from './helpers.js';

/** Recognisable, unique values in the shapes AWS uses (temporary credentials, as OIDC gives). */
const unique = randomBytes(16).toString('hex').toUpperCase();
const ACCESS_KEY_ID = `ASIA${unique.slice(0, 16)}`;
const SECRET_ACCESS_KEY = `Zq8s${randomBytes(27)
  .toString('base64')
  .replace(/[^A-Za-z0-9]/g, 'x')}Secret`;
const SESSION_TOKEN = `IQoJb3JpZ2luX2VjE${randomBytes(96).toString('base64')}SessionToken${unique}`;
const SECRETS: Record<string, string> = {
  'access key id': ACCESS_KEY_ID,
  'secret access key': SECRET_ACCESS_KEY,
  'the secret access key’s first 8 characters': SECRET_ACCESS_KEY.slice(0, 8),
  'session token': SESSION_TOKEN,
};

const ENV = {
  AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
  AWS_SESSION_TOKEN: SESSION_TOKEN,
  RUNNER_DEBUG: '1',
  ACTIONS_STEP_DEBUG: 'true',
};

/** A forwarding proxy in front of moto that keeps the headers of every request. */
let proxy: { endpoint: string; headers: IncomingHttpHeaders[]; close: () => Promise<void> };

beforeAll(async () => {
  const upstream = new URL(motoEndpoint());
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    headers.push(request.headers);
    const forward = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: request.url,
        method: request.method,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on('error', () => response.writeHead(502).end());
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
afterAll(() => proxy.close());
beforeEach(async () => {
  await reset();
  proxy.headers.length = 0;
});

function run(inputs: Record<string, string>, runId?: string): Promise<ActionRun> {
  return runAction(inputs, { env: ENV, endpoint: proxy.endpoint, ...(runId ? { runId } : {}) });
}

/** Everything of a run that a workflow, its log or a later step can see. */
function visible(run: ActionRun): Record<string, string> {
  return {
    stdout: run.stdout,
    stderr: run.stderr,
    summary: run.summary,
    ...Object.fromEntries(
      Object.entries(run.outputs).map(([name, value]) => [`output ${name}`, value]),
    ),
  };
}

function expectNoSecret(run: ActionRun): void {
  for (const [where, text] of Object.entries(visible(run))) {
    for (const [what, secret] of Object.entries(SECRETS)) {
      expect(text.includes(secret), `the ${what} appears in ${where}:\n${text}`).toBe(false);
    }
  }
}

/** The runs signed every request with these credentials (so the check above means something). */
function expectSignedWithTheseCredentials(): void {
  expect(proxy.headers.length).toBeGreaterThan(0);
  for (const headers of proxy.headers) {
    expect(headers.authorization).toContain(`Credential=${ACCESS_KEY_ID}/`);
    expect(headers['x-amz-security-token']).toBe(SESSION_TOKEN);
  }
}

describe('credentials in step debug mode', () => {
  it('never show in a successful run that backs up and prunes', async () => {
    const volume = await createVolume();
    const inputs = { 'target-type': 'ebs-volume', 'resource-id': volume, generations: '1' };
    const first = await run(inputs, '1001');
    const second = await run(inputs, '1002');

    expectSuccess(first);
    expectSuccess(second);
    expect(second.outputs['deleted-count']).toBe('1');
    expect((await snapshotsOfSet(volume)).map((snapshot) => snapshot.id)).toEqual([
      second.outputs['backup-id'],
    ]);
    expectSignedWithTheseCredentials();
    expectNoSecret(first);
    expectNoSecret(second);
  });

  it('never show in a run with a missing volume', async () => {
    const volume = await createVolume();
    const failed = await run({
      'target-type': 'ebs-volume',
      'resource-id': `${volume}\n${MISSING_VOLUME}`,
      generations: '1',
    });

    expectStatus(failed, 'partial', 1);
    expect(errorLines(failed).join('\n')).toContain(MISSING_VOLUME);
    expectSignedWithTheseCredentials();
    expectNoSecret(failed);
  });

  it('never show in a run that AWS refuses', async () => {
    // An endpoint that answers every call as EC2 does to credentials without the permission.
    const requests: IncomingHttpHeaders[] = [];
    const server = createServer((request, response) => {
      requests.push(request.headers);
      request.resume();
      response
        .writeHead(403, { 'Content-Type': 'text/xml' })
        .end(
          '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code>' +
            '<Message>You are not authorized to perform this operation.</Message></Error></Errors>' +
            '<RequestID>5e4c8a2f-0000-4000-8000-000000000000</RequestID></Response>',
        );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const refused = await runAction(
        { 'target-type': 'ebs-volume', 'resource-id': MISSING_VOLUME, generations: '1' },
        { env: ENV, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
      );

      expectStatus(refused, 'failed', 1);
      expect(errorLines(refused).join('\n')).toContain('UnauthorizedOperation');
      expect(requests.length).toBeGreaterThan(0);
      expect(requests[0]?.authorization).toContain(`Credential=${ACCESS_KEY_ID}/`);
      expectNoSecret(refused);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('never show in a run with an invalid input', async () => {
    const invalid = await run({
      'target-type': 'ebs-volume',
      'resource-id': MISSING_VOLUME,
      generations: '0',
    });

    expect(invalid.code).toBe(1);
    expect(errorLines(invalid)).toHaveLength(1);
    expect(proxy.headers).toEqual([]);
    expectNoSecret(invalid);
  });
});
