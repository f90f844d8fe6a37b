// A call refused for want of a permission names the IAM action: src/aws.ts records it on the error
// of the action's own clients (here with the HTTP handler replaced), src/errors.ts puts it in the
// sentence. That each adapter's refused calls name their action is part of the contract
// (contract.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { DeleteDBSnapshotCommand } from '@aws-sdk/client-rds';
import { ec2Client, rdsClient } from '../../src/aws.js';
import {
  describeAwsError,
  iamActionOf,
  isAccessDenied,
  recordIamAction,
} from '../../src/errors.js';
import { rejectionOf } from './expect.js';
import { actionOf, answerHttp, ec2ErrorXml, rdsErrorXml } from './fixtures.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

const RDS_DENIED =
  'User: arn:aws:sts::123456789012:assumed-role/backup/gha is not authorized to perform: ' +
  'rds:DeleteDBSnapshot on resource: arn:aws:rds:eu-west-1:123456789012:snapshot:sr-x ' +
  'because no identity-based policy allows the rds:DeleteDBSnapshot action';

describe("the action's clients record the IAM action of a failed call", () => {
  it('EC2: the command, as ec2:<Action>, non-enumerable, and the 403 is not retried', async () => {
    const client = ec2Client('ap-south-2');
    const sent = answerHttp(client, () => ({
      status: 403,
      body: ec2ErrorXml(
        'UnauthorizedOperation',
        'You are not authorized to perform this operation.',
      ),
    }));

    const error = await rejectionOf(client.send(new DescribeSnapshotsCommand({})));

    expect(iamActionOf(error)).toBe('ec2:DescribeSnapshots');
    expect(Object.keys(error)).not.toContain('iamAction');
    expect(isAccessDenied(error)).toBe(true);
    expect(sent.map((request) => actionOf(request.body))).toEqual(['DescribeSnapshots']);
  });

  it('RDS: rds:<Action>', async () => {
    const client = rdsClient('ap-south-2');
    answerHttp(client, () => ({ status: 403, body: rdsErrorXml('AccessDenied', RDS_DENIED) }));

    const error = await rejectionOf(
      client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'sr-x' })),
    );

    expect(iamActionOf(error)).toBe('rds:DeleteDBSnapshot');
    expect(describeAwsError('Could not delete DB snapshot sr-x', error)).toBe(
      `Could not delete DB snapshot sr-x: AWS denied rds:DeleteDBSnapshot (AccessDenied): ${RDS_DENIED}; ` +
        'the role needs that permission (see the IAM policy for rds-instance and rds-cluster in docs/iam.md).',
    );
  });
});

describe('describeAwsError', () => {
  it('names an action it has no README entry for, and a refusal without a recorded action', () => {
    const unknown = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    recordIamAction(unknown, 'kms:CreateGrant');
    expect(describeAwsError('Could not copy', unknown)).toBe(
      'Could not copy: AWS denied kms:CreateGrant (AccessDeniedException): no; the role lacks a permission (see the IAM policy for your target-type in docs/iam.md).',
    );
    const bare = Object.assign(new Error('Not authorized.'), { name: 'UnauthorizedOperation' });
    expect(describeAwsError('Could not tag', bare)).toBe(
      'Could not tag: AWS denied the call (UnauthorizedOperation): Not authorized; the role lacks a permission (see the IAM policy for your target-type in docs/iam.md).',
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
