// A run without AWS credentials (no aws-actions/configure-aws-credentials step): the SDK's
// provider chain throws CredentialsProviderError on the first call, and the run ends with one
// error that says what to do.
import { EC2Client } from '@aws-sdk/client-ec2';
import { CredentialsProviderError } from '@smithy/core/config';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/main.js';
import type { RunReport } from '../../src/report.js';
import { quietRuns } from './fake-adapter.js';
import { A, B, C, HOME, NOW } from './fixtures.js';

const stdout = quietRuns();
const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

/** The SDK's own error when no provider of the default chain finds credentials. */
function noCredentials(): Error {
  return new CredentialsProviderError('Could not load credentials from any providers', {
    tryNextLink: false,
  });
}

describe('a run without AWS credentials', () => {
  it('fails once, naming configure-aws-credentials and id-token: write, not once per target', async () => {
    ec2.onAnyCommand().rejects(noCredentials());
    let report: RunReport | undefined;
    const inputs: Record<string, string> = {
      'target-type': 'ebs-volume',
      'resource-id': [A, B, C].join(','),
      generations: '2',
    };
    await run({
      input: (name) => inputs[name] ?? '',
      env: { AWS_REGION: HOME, GITHUB_RUN_ID: '100' },
      now: () => NOW,
      report: (written) => {
        report = written;
        return Promise.resolve();
      },
    });

    expect(report?.status).toBe('failed');
    expect(report?.errors).toHaveLength(1);
    const [error] = report?.errors ?? [];
    expect(error).toContain('aws-actions/configure-aws-credentials');
    expect(error).toContain('id-token: write');
    expect(error).toContain('Could not load credentials from any providers');
    // One ::error:: line for the run, and the advice in it once.
    const lines = stdout
      .written()
      .split('\n')
      .filter((line) => line.startsWith('::error::'));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.match(/configure-aws-credentials/g)).toHaveLength(1);
    // The first call failed: nothing was created or deleted.
    const calls = ec2.calls().map((call) => call.args[0].constructor.name);
    expect(calls.filter((name) => /^(Create|Delete)/.test(name))).toEqual([]);
  });
});
