// The quiescing inputs (src/quiesce-inputs.ts) and the seconds of the duration grammar.
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/constants.js';
import { parseDuration } from '../../src/duration.js';
import { readQuiesceConfig } from '../../src/quiesce-inputs.js';

const reader =
  (inputs: Record<string, string>) =>
  (name: string): string =>
    inputs[name] ?? DEFAULTS[name as keyof typeof DEFAULTS] ?? '';

describe('readQuiesceConfig', () => {
  it('is undefined without quiescing inputs, for every type', () => {
    expect(readQuiesceConfig(reader({}), 'ebs-volume')).toBeUndefined();
    expect(readQuiesceConfig(reader({}), 'files')).toBeUndefined();
  });

  it('runs shell lines with AWS-RunShellScript, its execution timeout the pre timeout', () => {
    const config = readQuiesceConfig(
      reader({
        'pre-command': 'sync\nfsfreeze -f /data\n',
        'post-command': 'fsfreeze -u /data',
        'pre-command-timeout': '1m30s',
      }),
      'ec2-image',
    );
    expect(config).toEqual({
      pre: {
        document: 'AWS-RunShellScript',
        parameters: { commands: ['sync', 'fsfreeze -f /data'], executionTimeout: ['90'] },
      },
      post: {
        document: 'AWS-RunShellScript',
        parameters: { commands: ['fsfreeze -u /data'], executionTimeout: ['90'] },
      },
      timeoutMs: 90_000,
      onFailure: 'crash-consistent',
    });
  });

  it("runs a document of one's own as DLM does: command=pre-script, then post-script", () => {
    const config = readQuiesceConfig(
      reader({ 'quiesce-document': 'MyQuiesce', 'quiesce-failure': 'skip' }),
      'ec2-instance',
    );
    expect(config).toMatchObject({
      pre: { document: 'MyQuiesce', parameters: { command: ['pre-script'] } },
      post: { document: 'MyQuiesce', parameters: { command: ['post-script'] } },
      timeoutMs: 30_000,
      onFailure: 'skip',
    });
  });

  it.each([
    [{ 'pre-command': 'sync' }, 'rds-instance', /pre-command.*applies only to target-type/],
    [{ 'quiesce-failure': 'skip' }, 'files', /quiesce-failure.*applies only/],
    [{ 'pre-command': 'a', 'quiesce-document': 'Doc' }, 'ebs-volume', /both set/],
    [{ 'post-command': 'fsfreeze -u /data' }, 'ebs-volume', /post-command.*without/],
    [{ 'pre-command-timeout': '10s' }, 'ebs-volume', /pre-command-timeout.*without/],
    [{ 'pre-command': 'a', 'pre-command-timeout': '30' }, 'ebs-volume', /pre-command-timeout/],
    [{ 'pre-command': 'a', 'pre-command-timeout': '2h' }, 'ebs-volume', /at most 1h/],
    [{ 'pre-command': 'a', 'quiesce-failure': 'ignore' }, 'ebs-volume', /quiesce-failure/],
    [{ 'quiesce-document': 'a b' }, 'ebs-volume', /quiesce-document/],
  ])('refuses %o for %s', (inputs, type, message) => {
    expect(() => readQuiesceConfig(reader(inputs), type as 'ebs-volume')).toThrow(message);
  });
});

describe('seconds in the duration grammar', () => {
  it('only where an input asks for them', () => {
    expect(parseDuration('30s', { seconds: true })).toBe(30_000);
    expect(parseDuration('1m30s', { seconds: true })).toBe(90_000);
    expect(parseDuration('30s')).toBeUndefined();
    expect(parseDuration('0s', { seconds: true })).toBeUndefined();
    expect(parseDuration('90m', { seconds: true })).toBe(5_400_000);
  });
});
