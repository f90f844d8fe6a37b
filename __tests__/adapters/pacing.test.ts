// Pacing of mutating calls (src/pacing.ts): the pacer's bound with fake timers, and, through the
// action's own clients with the HTTP handler replaced, which calls wait for it and how often.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CreateTagsCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DeleteDBSnapshotCommand } from '@aws-sdk/client-rds';
import { ec2Client, rdsClient } from '../../src/aws.js';
import { isMutating, MUTATIONS_PER_SECOND, paceMutations, pacer } from '../../src/pacing.js';
import { answerHttp, ec2ErrorXml } from './fixtures.js';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('pacer', () => {
  it('lets through 5 calls at once, then one every 200 ms: never more than 5 in any second', async () => {
    vi.useFakeTimers();
    const pace = pacer();
    const passed: number[] = [];
    const start = Date.now();
    const calls = Array.from({ length: 12 }, () =>
      pace().then(() => passed.push(Date.now() - start)),
    );

    await vi.advanceTimersByTimeAsync(0);
    expect(passed).toHaveLength(MUTATIONS_PER_SECOND);
    await vi.advanceTimersByTimeAsync(999);
    expect(passed).toHaveLength(MUTATIONS_PER_SECOND);
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all(calls);
    // A bucket of 5 that refills at 5 per second: the burst, then one call every 200 ms.
    expect(passed).toEqual([0, 0, 0, 0, 0, 1000, 1200, 1400, 1600, 1800, 2000, 2200]);
    for (let i = 0; i + MUTATIONS_PER_SECOND < passed.length; i += 1) {
      expect(passed[i + MUTATIONS_PER_SECOND]! - passed[i]!).toBeGreaterThanOrEqual(1000);
    }
  });

  it('does not delay calls that come slower than the rate', async () => {
    vi.useFakeTimers();
    const pace = pacer(2);
    for (let i = 0; i < 4; i += 1) {
      let done = false;
      void pace().then(() => (done = true));
      await vi.advanceTimersByTimeAsync(0);
      expect(done).toBe(true);
      await vi.advanceTimersByTimeAsync(600);
    }
  });
});

describe('isMutating', () => {
  it.each([
    ['CreateSnapshotCommand', true],
    ['DeleteSnapshotCommand', true],
    ['CopyImageCommand', true],
    ['DeregisterImageCommand', true],
    ['CreateTagsCommand', true],
    ['CreateDBSnapshotCommand', true],
    ['DescribeSnapshotsCommand', false],
    ['DescribeAccountAttributesCommand', false],
    ['ListTagsForResourceCommand', false],
    ['GetSnapshotBlockPublicAccessStateCommand', false],
  ])('%s → %s', (name, expected) => {
    expect(isMutating(name)).toBe(expected);
  });
});

describe('paced clients (HTTP handler replaced)', () => {
  const ok = (action: string): string =>
    `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` +
    `<requestId>req</requestId><return>true</return></${action}Response>`;
  const throttled = ec2ErrorXml('RequestLimitExceeded', 'Request limit exceeded.');

  it('paces mutating commands once each (not their SDK retries) and never reads', async () => {
    const client = new EC2Client({ region: 'us-east-1', maxAttempts: 3 });
    const pace = vi.fn(() => Promise.resolve());
    paceMutations(client.middlewareStack, pace);
    let first = true;
    const sent = answerHttp(client, (body) => {
      if (body.includes('Action=DescribeSnapshots')) {
        return { status: 200, body: ok('DescribeSnapshots').replace('<return>true</return>', '') };
      }
      if (first) {
        first = false;
        return { status: 503, body: throttled };
      }
      return { status: 200, body: ok('CreateTags') };
    });

    await client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    expect(pace).not.toHaveBeenCalled();

    await client.send(new CreateTagsCommand({ Resources: ['snap-1'], Tags: [] }));
    expect(sent.filter((s) => s.body.includes('Action=CreateTags'))).toHaveLength(2);
    expect(pace).toHaveBeenCalledTimes(1);
  });

  // Real timers (fake timers stall the SDK's send path). The bound is a lower one: a busy machine
  // only makes the sixth call later, so this cannot flake the other way.
  it(
    "holds the action's EC2 client to 5 mutating calls per second per region",
    { timeout: 10_000 },
    async () => {
      const client = ec2Client('eu-south-2');
      const sent = answerHttp(client, () => ({ status: 200, body: ok('CreateTags') }));

      await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          client.send(new CreateTagsCommand({ Resources: [`snap-${i}`], Tags: [] })),
        ),
      );

      expect(sent).toHaveLength(6);
      expect(sent[5]!.at - sent[0]!.at).toBeGreaterThanOrEqual(900);
    },
  );

  it("paces the action's RDS client too", { timeout: 10_000 }, async () => {
    const client = rdsClient('eu-south-2');
    const sent = answerHttp(client, (body) => {
      const action = /Action=(\w+)/.exec(body)?.[1] ?? 'Unknown';
      return {
        status: 200,
        body:
          `<${action}Response xmlns="http://rds.amazonaws.com/doc/2014-10-31/">` +
          `<${action}Result></${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`,
      };
    });

    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: `s-${i}` })),
      ),
    );

    const deletes = sent.filter((s) => s.body.includes('Action=DeleteDBSnapshot'));
    expect(deletes).toHaveLength(6);
    expect(deletes[5]!.at - deletes[0]!.at).toBeGreaterThanOrEqual(900);
  });
});
