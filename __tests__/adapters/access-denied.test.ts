// A call refused for want of a permission names the IAM action (src/aws.ts records it on the error,
// src/errors.ts puts it in the message): through the action's own clients with the HTTP handler
// replaced, and through the adapters that turn the error into a target's failure.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { DeleteDBSnapshotCommand } from '@aws-sdk/client-rds';
import { ec2Client, rdsClient } from '../../src/aws.js';
import {
  describeAwsError,
  iamActionOf,
  isAccessDenied,
  recordIamAction,
  TargetError,
} from '../../src/errors.js';
import { EbsVolumeAdapter } from '../../src/targets/ebs-volume.js';
import { rdsInstanceAdapter } from '../../src/targets/rds-instance.js';
import type { Backup } from '../../src/targets/target.js';
import { rejectionOf } from './expect.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

const EC2_DENIED =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code>' +
  '<Message>You are not authorized to perform this operation. Encoded authorization failure message: abc</Message>' +
  '</Error></Errors><RequestID>req</RequestID></Response>';

const RDS_DENIED =
  '<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>' +
  '<Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/backup/gha is not ' +
  'authorized to perform: rds:DeleteDBSnapshot on resource: arn:aws:rds:eu-west-1:123456789012:snapshot:sr-x ' +
  'because no identity-based policy allows the rds:DeleteDBSnapshot action</Message></Error>' +
  '<RequestId>req</RequestId></ErrorResponse>';

/** Answers every request of `client` with HTTP 403 and `xml`; returns the actions requested. */
function denyAll(client: { config: object }, xml: string): string[] {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  const actions: string[] = [];
  Object.assign(client.config, {
    requestHandler: {
      handle: (request: { body?: unknown }) => {
        actions.push(/Action=(\w+)/.exec(String(request.body))?.[1] ?? '?');
        return Promise.resolve({
          response: {
            statusCode: 403,
            headers: { 'content-type': 'text/xml;charset=UTF-8' },
            body: new TextEncoder().encode(xml),
          },
        });
      },
    },
  });
  return actions;
}

const source = { id: 'vol-0123456789abcdef0', tags: {} };
const tags = {
  'snapshot-rotation:backup-set': 'default',
  'snapshot-rotation:source': source.id,
  'snapshot-rotation:created-at': '2026-01-01T00:00:00.000Z',
};

describe("the action's clients record the IAM action of a failed call", () => {
  it('EC2: the command, as ec2:<Action>, non-enumerable, and the 403 is not retried', async () => {
    const client = ec2Client('ap-south-2');
    const sent = denyAll(client, EC2_DENIED);

    const error = await rejectionOf(client.send(new DescribeSnapshotsCommand({})));

    expect(iamActionOf(error)).toBe('ec2:DescribeSnapshots');
    expect(Object.keys(error)).not.toContain('iamAction');
    expect(isAccessDenied(error)).toBe(true);
    expect(sent).toEqual(['DescribeSnapshots']);
  });

  it('RDS: rds:<Action>', async () => {
    const client = rdsClient('ap-south-2');
    denyAll(client, RDS_DENIED);

    const error = await rejectionOf(
      client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'sr-x' })),
    );

    expect(iamActionOf(error)).toBe('rds:DeleteDBSnapshot');
    expect(describeAwsError('Could not delete DB snapshot sr-x', error)).toBe(
      'Could not delete DB snapshot sr-x: AWS denied rds:DeleteDBSnapshot (AccessDenied): ' +
        'User: arn:aws:sts::123456789012:assumed-role/backup/gha is not authorized to perform: ' +
        'rds:DeleteDBSnapshot on resource: arn:aws:rds:eu-west-1:123456789012:snapshot:sr-x ' +
        'because no identity-based policy allows the rds:DeleteDBSnapshot action; the role needs ' +
        "that permission (see the README's IAM policy for rds-instance and rds-cluster).",
    );
  });
});

describe('a target refused by IAM fails with the action named', () => {
  it('ebs-volume create: ec2:CreateSnapshot, and the tagging permission it implies', async () => {
    const client = ec2Client('ap-south-2');
    denyAll(client, EC2_DENIED);
    const adapter = new EbsVolumeAdapter(client, 'ap-south-2');

    const error = await rejectionOf(adapter.create({ source, set: 'default', tags }));

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toBe(
      `Could not snapshot ${source.id}: AWS denied ec2:CreateSnapshot (UnauthorizedOperation): ` +
        'You are not authorized to perform this operation. Encoded authorization failure message: abc; ' +
        'the role needs that permission, and ec2:CreateTags for the tags it sets at creation ' +
        "(see the README's IAM policy for ebs-volume).",
    );
  });

  it('ebs-volume listing through the paginator: ec2:DescribeSnapshots', async () => {
    const client = ec2Client('ap-south-2');
    denyAll(client, EC2_DENIED);
    const adapter = new EbsVolumeAdapter(client, 'ap-south-2');

    const error = await rejectionOf(adapter.listBackups('default'));

    expect(error.message).toContain('AWS denied ec2:DescribeSnapshots (UnauthorizedOperation)');
  });

  it('ebs-volume delete: ec2:DeleteSnapshot, with both policies that grant it', async () => {
    const client = ec2Client('ap-south-2');
    denyAll(client, EC2_DENIED);
    const adapter = new EbsVolumeAdapter(client, 'ap-south-2');
    const backup: Backup = {
      id: 'snap-0123456789abcdef0',
      kind: 'ebs-volume',
      region: 'ap-south-2',
      sourceId: source.id,
      set: 'default',
      createdAt: new Date('2026-01-01T00:00:00Z'),
      state: 'completed',
      tags,
    };

    const error = await rejectionOf(adapter.delete(backup));

    expect(error.message).toMatch(
      /^Could not delete snapshot snap-0123456789abcdef0: AWS denied ec2:DeleteSnapshot \(UnauthorizedOperation\): .*; the role needs that permission \(see the README's IAM policy for ebs-volume or ec2-image\)\.$/,
    );
  });

  it('rds-instance create: rds:CreateDBSnapshot and rds:AddTagsToResource', async () => {
    const client = rdsClient('ap-south-2');
    denyAll(client, RDS_DENIED.replaceAll('DeleteDBSnapshot', 'CreateDBSnapshot'));
    const adapter = rdsInstanceAdapter(client, 'ap-south-2');

    const error = await rejectionOf(
      adapter.create({ source: { id: 'db1', tags: {} }, set: 'default', tags }),
    );

    expect(error.message).toContain('AWS denied rds:CreateDBSnapshot (AccessDenied)');
    expect(error.message).toContain(
      "the role needs that permission, and rds:AddTagsToResource for the tags it sets at creation (see the README's IAM policy for rds-instance and rds-cluster).",
    );
  });
});

describe('describeAwsError', () => {
  it('names an action it has no README entry for, and a refusal without a recorded action', () => {
    const unknown = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    recordIamAction(unknown, 'kms:CreateGrant');
    expect(describeAwsError('Could not copy', unknown)).toBe(
      "Could not copy: AWS denied kms:CreateGrant (AccessDeniedException): no; the role lacks a permission (see the README's minimal IAM policy for your target-type).",
    );
    const bare = Object.assign(new Error('Not authorized.'), { name: 'UnauthorizedOperation' });
    expect(describeAwsError('Could not tag', bare)).toBe(
      "Could not tag: AWS denied the call (UnauthorizedOperation): Not authorized; the role lacks a permission (see the README's minimal IAM policy for your target-type).",
    );
  });

  it('keeps the first action recorded, and leaves other errors as they were', () => {
    const error = Object.assign(new Error('Volume not found.'), {
      name: 'InvalidVolume.NotFound',
    });
    recordIamAction(error, 'ec2:CreateSnapshot');
    recordIamAction(error, 'ec2:DescribeVolumes');
    expect(iamActionOf(error)).toBe('ec2:CreateSnapshot');
    expect(describeAwsError('Could not snapshot vol-1', error)).toBe(
      'Could not snapshot vol-1: Volume not found (InvalidVolume.NotFound).',
    );
  });
});
