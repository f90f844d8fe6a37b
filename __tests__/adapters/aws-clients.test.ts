// The AWS clients of src/aws.ts never let a call hang a job: a connection must open within 5 s and
// an answer arrive within 60 s, else the call fails with a TimeoutError, which the SDK's retry
// strategy sends again like any transient error.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { ec2Client, MAX_ATTEMPTS, rdsClient, REQUEST_TIMEOUT_MS } from '../../src/aws.js';

const REGION = 'eu-west-1';

const EC2_ANSWER =
  '<?xml version="1.0" encoding="UTF-8"?><DescribeSnapshotsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
  '<requestId>req-1</requestId><snapshotSet/></DescribeSnapshotsResponse>';
const RDS_ANSWER =
  '<DescribeDBSnapshotsResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBSnapshotsResult>' +
  '<DBSnapshots/></DescribeDBSnapshotsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>' +
  '</DescribeDBSnapshotsResponse>';

/** The SDK's handler as the clients hold it: its settings, once a request has resolved them. */
interface Handler {
  httpHandlerConfigs(): Record<string, unknown>;
}

let server: Server | undefined;

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A local endpoint for both services; `answer` decides per request (undefined: never answers). */
async function endpoint(
  answer: (count: number, request: IncomingMessage) => string | undefined,
): Promise<{ requests: () => number }> {
  let count = 0;
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    count += 1;
    const body = answer(count, request);
    request.resume();
    if (body === undefined) return;
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  vi.stubEnv('AWS_ENDPOINT_URL', `http://127.0.0.1:${port}`);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  return { requests: () => count };
}

describe('AWS clients', () => {
  it.each([
    [
      'ec2Client',
      async () => {
        const client = ec2Client(REGION);
        await client.send(new DescribeSnapshotsCommand({}));
        return client.config.requestHandler as unknown as Handler;
      },
    ],
    [
      'rdsClient',
      async () => {
        const client = rdsClient(REGION);
        await client.send(new DescribeDBSnapshotsCommand({}));
        return client.config.requestHandler as unknown as Handler;
      },
    ],
  ])(
    '%s opens connections within 5 s and fails a request unanswered after 60 s (throwOnRequestTimeout)',
    async (name, handlerAfterOneCall) => {
      await endpoint(() => (name === 'ec2Client' ? EC2_ANSWER : RDS_ANSWER));

      const handler = await handlerAfterOneCall();

      expect(handler.httpHandlerConfigs()).toMatchObject({
        connectionTimeout: 5_000,
        requestTimeout: 60_000,
        throwOnRequestTimeout: true,
      });
    },
  );

  it('fails a request left unanswered for 60 s with a TimeoutError and sends it again', async () => {
    const { requests } = await endpoint((count) => (count === 1 ? undefined : EC2_ANSWER));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const client = ec2Client(REGION);

    const answer = client.send(new DescribeSnapshotsCommand({}));
    while (requests() === 0) await vi.advanceTimersByTimeAsync(10);
    // Still waiting just before the timeout…
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS - 1_000);
    expect(requests()).toBe(1);
    // …and sent again (after the retry strategy's short back-off) once it has passed.
    await vi.advanceTimersByTimeAsync(1_000);
    for (let waited = 0; requests() < 2 && waited < 30_000; waited += 100) {
      await vi.advanceTimersByTimeAsync(100);
    }
    const result = await answer;

    expect(result.Snapshots).toEqual([]);
    expect(result.$metadata.attempts).toBe(2);
    expect(requests()).toBe(2);
  });
});

describe('AWS clients when every answer hangs', () => {
  it('gives up with a TimeoutError once every attempt has timed out', async () => {
    const { requests } = await endpoint(() => undefined);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const client = ec2Client(REGION);

    let settled: unknown;
    client.send(new DescribeSnapshotsCommand({})).then(
      () => (settled = 'answered'),
      (error: unknown) => (settled = error),
    );
    // At most 10 attempts of 60 s each, plus back-offs of at most 20 s: 15 minutes is ample.
    for (let waited = 0; settled === undefined && waited < 15 * 60_000; waited += 1_000) {
      await vi.advanceTimersByTimeAsync(1_000);
    }

    expect(settled).toBeInstanceOf(Error);
    expect((settled as Error).name).toBe('TimeoutError');
    expect(requests()).toBe(MAX_ATTEMPTS);
  });
});
