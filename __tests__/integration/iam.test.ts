/**
 * The IAM policy for `ebs-volume` (docs/iam.md, and the README's Quick start), enforced: the bundled
 * action runs as an IAM user of a moto server that enforces IAM, with that policy as the user's
 * inline policy. It must
 * create and prune with it; without one of the actions it needs, it must fail with a message that
 * names that action, and delete nothing it should keep.
 *
 * A second moto server, so the shared one of the other tests never enforces IAM: started here with
 * INITIAL_NO_AUTH_ACTION_COUNT=0 (enforcing from its first request), or named by
 * MOTO_IAM_ENDPOINT_URL (GitHub CI's second service container, started with the same variable).
 * The setup (the IAM user, its policy and key, the volume and earlier snapshots) is made in a
 * window without authentication opened through moto's `/moto-api/reset-auth` (which sets the number
 * of requests served before enforcement starts, and restarts the count): "inf" opens it, 0 closes
 * it, so no request count has to be kept in step with the setup.
 *
 * What moto 5.2.5 enforces (moto/core/authorization.py, moto/iam/access_control.py): that a
 * request is signed by a known access key (AuthFailure otherwise), and the Action element of the
 * user's policies (AccessDenied, with the action named). What it does not: it checks every EC2 and
 * RDS request against the resource "*" (so a statement that names ARNs never applies), and it
 * ignores conditions (a statement applies whatever its Condition says). The documented policy is
 * therefore put in the form in which moto can evaluate it: its Allow statements on "*" without
 * their conditions, its Deny statements (all conditional) left out. What this test proves is that
 * the actions the policy allows are enough and that each is needed; the resources and conditions
 * (tags at creation, deletes only of tagged backups, keep=true) are checked by
 * __tests__/unit/iam-policy.test.ts against the adapters, not by moto. moto's policy validator
 * does see every policy of docs/iam.md as written, below.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { resetMoto, startMoto, type Moto } from '../../scripts/moto.mjs';
import { readmePolicies, readmePolicyOf, type Policy } from '../readme-iam.js';
import {
  DAY_MS,
  DEFAULT_SET,
  MOTO_CREDENTIALS,
  REGION,
  TAG,
  expectSuccess,
  runAction,
  runLog,
  type ActionRun,
} from './helpers.js';

let moto: Moto;

/** How many requests moto serves before it enforces IAM ("inf": never); restarts its count. */
async function authFreeRequests(count: number | 'inf'): Promise<void> {
  const response = await fetch(`${moto.endpoint}/moto-api/reset-auth`, {
    method: 'POST',
    body: String(count),
  });
  if (!response.ok) {
    throw new Error(`moto at ${moto.endpoint} refused reset-auth: HTTP ${response.status}`);
  }
  await response.body?.cancel();
}

/** Runs the setup without authentication, then enforces IAM again. */
async function asAdmin<T>(work: () => Promise<T>): Promise<T> {
  await authFreeRequests('inf');
  try {
    return await work();
  } finally {
    await authFreeRequests(0);
  }
}

/** One IAM Query API call (the project has no IAM client; moto does not check signatures here). */
async function iam(params: Record<string, string>): Promise<string> {
  const response = await fetch(`${moto.endpoint}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${REGION}/iam/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Version: '2010-05-08', ...params }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`IAM ${params.Action} failed: HTTP ${response.status} ${text}`);
  return text;
}

interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

let users = 0;

/** An IAM user whose only permissions are `policy` (inline); returns its access key. */
async function userWith(policy: Policy): Promise<AccessKey> {
  const name = `backup-${++users}`;
  await iam({ Action: 'CreateUser', UserName: name });
  await iam({
    Action: 'PutUserPolicy',
    UserName: name,
    PolicyName: 'snapshot-rotation',
    PolicyDocument: JSON.stringify(policy),
  });
  const answer = await iam({ Action: 'CreateAccessKey', UserName: name });
  const accessKeyId = /<AccessKeyId>([^<]+)</.exec(answer)?.[1];
  const secretAccessKey = /<SecretAccessKey>([^<]+)</.exec(answer)?.[1];
  if (!accessKeyId || !secretAccessKey) throw new Error(`moto made no access key: ${answer}`);
  return { accessKeyId, secretAccessKey };
}

/**
 * The policy in the form moto evaluates (see the top of this file): its Allow statements on "*"
 * without conditions; its Deny statements, all conditional, left out (moto would apply them to
 * every request).
 */
function asMotoEvaluatesIt(policy: Policy): Policy {
  return {
    Version: policy.Version,
    Statement: policy.Statement.filter((statement) => statement.Effect === 'Allow').map(
      ({ Sid, Effect, Action }) => ({ ...(Sid ? { Sid } : {}), Effect, Action, Resource: '*' }),
    ),
  };
}

/** The policy without one action (which it must have allowed). */
function without(policy: Policy, action: string): Policy {
  let found = false;
  const statements = policy.Statement.flatMap((statement) => {
    const actions = (
      Array.isArray(statement.Action) ? statement.Action : [statement.Action]
    ).filter((candidate) => candidate !== action || !(found = true));
    return actions.length > 0 ? [{ ...statement, Action: actions }] : [];
  });
  if (!found) throw new Error(`the policy does not allow ${action}`);
  return { ...policy, Statement: statements };
}

/** An EC2 client of the enforcing moto: the setup's (any key while authentication is off). */
function ec2(credentials: AccessKey = MOTO_CREDENTIALS) {
  return new EC2Client({ region: REGION, endpoint: moto.endpoint, credentials });
}

interface Scene {
  volume: string;
  /** A snapshot made by hand: never the action's. */
  manual: string;
  /** The set's backup of an earlier run, two days old: pruned by `generations: 1`. */
  earlier: string;
}

/** A volume with a manual snapshot and an earlier backup of the set (made without auth). */
async function scene(): Promise<Scene> {
  const client = ec2();
  const volume = (
    await client.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 1 }))
  ).VolumeId!;
  const manual = (
    await client.send(new CreateSnapshotCommand({ VolumeId: volume, Description: 'by hand' }))
  ).SnapshotId!;
  const earlier = (
    await client.send(
      new CreateSnapshotCommand({
        VolumeId: volume,
        TagSpecifications: [
          {
            ResourceType: 'snapshot',
            Tags: [
              { Key: TAG.set, Value: DEFAULT_SET },
              { Key: TAG.source, Value: volume },
              { Key: TAG.createdAt, Value: new Date(Date.now() - 2 * DAY_MS).toISOString() },
            ],
          },
        ],
      }),
    )
  ).SnapshotId!;
  return { volume, manual, earlier };
}

/** The ids of the snapshots of the volume (read without auth). */
async function snapshotsOf(volume: string): Promise<string[]> {
  return asAdmin(async () => {
    const answer = await ec2().send(
      new DescribeSnapshotsCommand({ Filters: [{ Name: 'volume-id', Values: [volume] }] }),
    );
    return (answer.Snapshots ?? []).map((snapshot) => snapshot.SnapshotId!).sort();
  });
}

/**
 * Makes (without auth) a user whose only permissions are `policy` and a scene, then runs the
 * bundled action as that user against the enforcing moto.
 */
async function runAsUserWith(policy: Policy): Promise<Scene & { run: ActionRun }> {
  const { key, ...made } = await asAdmin(async () => ({
    key: await userWith(policy),
    ...(await scene()),
  }));
  const run = await runAction(
    { 'target-type': 'ebs-volume', 'resource-id': made.volume, generations: '1' },
    {
      endpoint: moto.endpoint,
      env: { AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey },
    },
  );
  return { ...made, run };
}

/** The documented policy for ebs-volume (docs/iam.md), as moto evaluates it. */
const ebsPolicy = (): Policy => asMotoEvaluatesIt(readmePolicyOf('ebs-volume'));

beforeAll(async () => {
  moto = await startMoto({
    endpointVariable: 'MOTO_IAM_ENDPOINT_URL',
    env: { INITIAL_NO_AUTH_ACTION_COUNT: '0' },
    log: (message) => console.log(`[moto, enforcing IAM] ${message}`),
  });
  if (inject('motoEndpoints').includes(moto.endpoint)) {
    throw new Error(
      `MOTO_IAM_ENDPOINT_URL names a shared moto server (${moto.endpoint}) of the other tests, which must not enforce IAM: give this test a server of its own.`,
    );
  }
  await authFreeRequests(0);
  // A server that does not enforce IAM would let every run below succeed: fail loudly instead.
  const unknownKey = await ec2()
    .send(new DescribeVolumesCommand({}))
    .then(
      () => undefined,
      (error: Error) => error.name,
    );
  if (unknownKey !== 'AuthFailure') {
    throw new Error(
      `The moto server at ${moto.endpoint} does not enforce IAM (an unknown access key got ${unknownKey ?? 'an answer'}, not AuthFailure). ` +
        'Start it with INITIAL_NO_AUTH_ACTION_COUNT=0 (MOTO_IAM_ENDPOINT_URL names it).',
    );
  }
});

afterAll(async () => {
  await moto?.stop();
});

beforeEach(() => asAdmin(() => resetMoto(moto.endpoint)));

describe("the IAM policies of docs/iam.md under moto's IAM", () => {
  it("moto's policy validator accepts every policy of docs/iam.md as written", async () => {
    const policies = readmePolicies();
    expect(policies.size).toBe(7); // six policies and the quiescing permissions
    await asAdmin(async () => {
      for (const [name, policy] of policies) {
        await iam({
          Action: 'CreatePolicy',
          PolicyName: `readme-${name.replace(/\W+/g, '-')}`,
          PolicyDocument: JSON.stringify(policy),
        });
      }
    });
  });

  it('with the ebs-volume policy, the action snapshots the volume and prunes the set', async () => {
    const { run, volume, manual, earlier } = await runAsUserWith(ebsPolicy());

    expectSuccess(run);
    const made = run.outputs['backup-id'] ?? '';
    expect(made).toMatch(/^snap-/);
    expect(JSON.parse(run.outputs['deleted-ids'] ?? '[]')).toEqual([
      { region: REGION, id: earlier },
    ]);
    expect(await snapshotsOf(volume)).toEqual([made, manual].sort());
  });

  it('without ec2:CreateSnapshot, the run fails naming it and deletes nothing', async () => {
    const { run, volume, manual, earlier } = await runAsUserWith(
      without(ebsPolicy(), 'ec2:CreateSnapshot'),
    );

    expect(run.code, runLog(run)).not.toBe(0);
    expect(run.outputs.status).toBe('failed');
    expect(run.stdout).toContain(
      `Could not snapshot ${volume}: AWS denied ec2:CreateSnapshot (AccessDenied)`,
    );
    expect(run.stdout).toContain(
      'the role needs that permission, and ec2:CreateTags for the tags it sets at creation (see the IAM policy for ebs-volume in docs/iam.md)',
    );
    expect(JSON.parse(run.outputs['deleted-ids'] ?? '[]')).toEqual([]);
    expect(await snapshotsOf(volume)).toEqual([earlier, manual].sort());
  });

  it('without ec2:DeleteSnapshot, the run backs up, fails naming it and keeps the old backup', async () => {
    const { run, volume, manual, earlier } = await runAsUserWith(
      without(ebsPolicy(), 'ec2:DeleteSnapshot'),
    );

    expect(run.code, runLog(run)).not.toBe(0);
    expect(run.outputs.status).not.toBe('success');
    expect(run.stdout).toContain(
      `Could not delete snapshot ${earlier}: AWS denied ec2:DeleteSnapshot (AccessDenied)`,
    );
    expect(run.stdout).toContain(
      'the role needs that permission (see the IAM policy for ebs-volume or ec2-image or ec2-instance in docs/iam.md)',
    );
    // The target failed, so its backup is read from the report (not from `backup-id`).
    const report = JSON.parse(run.outputs.report ?? '{}') as {
      targets?: { backup?: { id?: string }; deleted?: { id: string; result?: string }[] }[];
    };
    const made = report.targets?.[0]?.backup?.id ?? '';
    expect(made, runLog(run)).toMatch(/^snap-/);
    expect(report.targets?.[0]?.deleted).toMatchObject([{ id: earlier, result: 'failed' }]);
    expect(JSON.parse(run.outputs['deleted-ids'] ?? '[]')).toEqual([]);
    expect(await snapshotsOf(volume)).toEqual([earlier, made, manual].sort());
  });
});
