// The rate table of src/pacing.ts, checked against the source and AWS's documented buckets: every
// mutating call an adapter sends (`new XCommand(` of a name imported from `@aws-sdk/client-<service>`)
// has an entry of its own; ours never bursts past half of AWS's bucket nor refills faster than
// AWS; and EC2's figures are those of "Request throttling for the Amazon EC2 API". An adapter that
// starts a new mutating call fails here until its bucket is looked up and written down.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMutating, MAX_BURST, METERS, type PacedService } from '../../src/pacing.js';
import { ROOT } from '../readme-iam.js';

const SRC = join(ROOT, 'src');

function sourceFiles(dir: string = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every `service action` the source sends: `new XCommand(` of a name imported from a client. */
function sentCommands(): { service: string; action: string; file: string }[] {
  const sent: { service: string; action: string; file: string }[] = [];
  for (const path of sourceFiles()) {
    const text = readFileSync(path, 'utf8');
    const serviceOf = new Map<string, string>();
    for (const match of text.matchAll(
      /import\s*(type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-(\w+)'/g,
    )) {
      if (match[1]) continue;
      for (const raw of match[2]!.split(',')) {
        const local = raw
          .trim()
          .split(/\s+as\s+/)
          .pop()!;
        if (local && !local.startsWith('type ')) serviceOf.set(local, match[3]!);
      }
    }
    for (const match of text.matchAll(/\bnew\s+(\w+)Command\s*\(/g)) {
      const service = serviceOf.get(`${match[1]}Command`);
      if (service) sent.push({ service, action: match[1]!, file: relative(ROOT, path) });
    }
  }
  return sent;
}

const PACED: readonly string[] = ['ec2', 'rds', 'ssm'];

describe('the rate table', () => {
  const sent = sentCommands();

  it('finds the calls of every paced service in the source (the reader works)', () => {
    const services = new Set(sent.map((call) => call.service));
    for (const service of [...PACED, 's3']) expect(services).toContain(service);
    expect(sent.filter((call) => isMutating(call.action)).length).toBeGreaterThanOrEqual(15);
  });

  it.each(PACED)('lists every mutating call of %s that an adapter sends', (service) => {
    const missing = sent
      .filter((call) => call.service === service && isMutating(call.action))
      .filter((call) => !METERS[service as PacedService][call.action])
      .map((call) => `${call.action} (${call.file})`);
    expect(missing).toEqual([]);
  });

  it('lists nothing that no adapter sends', () => {
    const sentNames = new Set(sent.map((call) => `${call.service} ${call.action}`));
    const stale = Object.entries(METERS).flatMap(([service, actions]) =>
      Object.keys(actions).filter((action) => !sentNames.has(`${service} ${action}`)),
    );
    expect(stale).toEqual([]);
  });

  it("keeps every bucket within half of AWS's and never refills faster than AWS", () => {
    for (const [service, actions] of Object.entries(METERS)) {
      for (const [action, meter] of Object.entries(actions)) {
        const where = `${service} ${action}`;
        expect(meter.rate.burst, where).toBeGreaterThanOrEqual(1);
        expect(meter.rate.burst, where).toBeLessThanOrEqual(MAX_BURST);
        expect(meter.rate.perSecond, where).toBeGreaterThan(0);
        if (meter.aws) {
          expect(meter.rate.burst, where).toBeLessThanOrEqual(meter.aws.burst / 2);
          expect(meter.rate.perSecond, where).toBeLessThanOrEqual(meter.aws.perSecond);
        }
      }
    }
  });

  // The EC2 API reference's tables (uncategorized actions; the "Mutating actions" category for
  // the rest), copied here by hand so that a change of the table in src/pacing.ts is a deliberate one.
  it.each([
    ['CreateSnapshot', 100, 5],
    ['CreateSnapshots', 100, 5],
    ['DeleteSnapshot', 100, 5],
    ['DeregisterImage', 100, 5],
    ['CopyImage', 100, 1],
    ['CreateTags', 100, 10],
    ['CreateImage', 50, 5],
    ['CopySnapshot', 50, 5],
  ])(
    "EC2 %s: AWS's bucket %i, refilled %i per second, and ours refills as fast",
    (action, burst, perSecond) => {
      const meter = METERS.ec2[action]!;
      expect(meter.aws).toEqual({ burst, perSecond });
      expect(meter.rate).toEqual({ burst: Math.min(MAX_BURST, burst / 2), perSecond });
      expect(meter.bucket).toBeUndefined();
    },
  );

  it("shares one bucket among RDS's operations, as RDS meters them (300, 12 per second)", () => {
    const buckets = new Set(Object.values(METERS.rds).map((meter) => meter.bucket));
    expect(buckets.size).toBe(1);
    expect([...buckets][0]).toBeDefined();
    for (const meter of Object.values(METERS.rds)) {
      expect(meter.aws).toEqual({ burst: 300, perSecond: 12 });
    }
  });
});
