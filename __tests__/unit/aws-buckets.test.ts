// The proxy's model of AWS's request token buckets (scripts/counting-proxy.mjs `awsBuckets`), with a
// fake clock: EC2's bucket per action and Region, its categories, RDS's one bucket per Region.
import { describe, expect, it } from 'vitest';
import { awsBuckets, type Call } from '../../scripts/counting-proxy.mjs';

const call = (
  service: string,
  action: string,
  region = 'us-east-1',
  params: Record<string, string> = {},
): Call => ({ service, action, region, params });

/** How many of `count` calls at the hook's instant it throttles. */
async function throttledOf(hook: ReturnType<typeof awsBuckets>, made: Call, count: number) {
  let throttled = 0;
  for (let i = 0; i < count; i += 1) if (await hook(made)) throttled += 1;
  return throttled;
}

describe('awsBuckets', () => {
  it("throttles EC2's CreateSnapshot past 100 at once, then lets 5 per second through", async () => {
    let t = 0;
    const hook = awsBuckets({ now: () => t });
    expect(await throttledOf(hook, call('ec2', 'CreateSnapshot'), 100)).toBe(0);
    expect(await hook(call('ec2', 'CreateSnapshot'))).toMatchObject({ status: 503 });
    t = 1000;
    expect(await throttledOf(hook, call('ec2', 'CreateSnapshot'), 6)).toBe(1);
    expect(hook.throttled()).toBe(2);
  });

  it('keeps actions and Regions apart', async () => {
    const hook = awsBuckets({ now: () => 0 });
    await throttledOf(hook, call('ec2', 'CreateSnapshot'), 100);
    expect(await throttledOf(hook, call('ec2', 'DeleteSnapshot'), 100)).toBe(0);
    expect(await throttledOf(hook, call('ec2', 'CreateSnapshot', 'eu-west-1'), 100)).toBe(0);
    expect(hook.throttled()).toBe(0);
  });

  it('gives unfiltered, unpaginated DescribeSnapshots the smaller bucket (50)', async () => {
    const hook = awsBuckets({ now: () => 0 });
    expect(await throttledOf(hook, call('ec2', 'DescribeSnapshots'), 60)).toBe(10);
    const filtered = call('ec2', 'DescribeSnapshots', 'us-east-1', { 'Filter.1.Name': 'tag:x' });
    expect(await throttledOf(hook, filtered, 100)).toBe(0);
  });

  it("meters every RDS operation of a Region in one bucket (300) with RDS's answer", async () => {
    const hook = awsBuckets({ now: () => 0 });
    expect(await throttledOf(hook, call('rds', 'CreateDBSnapshot'), 150)).toBe(0);
    expect(await throttledOf(hook, call('rds', 'DescribeDBSnapshots'), 150)).toBe(0);
    expect(await hook(call('rds', 'DeleteDBSnapshot'))).toMatchObject({ status: 400 });
    expect(await hook(call('s3', 'PutObject'))).toBeUndefined();
  });
});
