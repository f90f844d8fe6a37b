import { describe, expect, it } from 'vitest';
import {
  copySlotsRefusal,
  DeferredError,
  describeAwsError,
  isExpiredCredentials,
  TargetError,
} from '../../src/errors.js';

/** An error shaped like the SDK's for an AWS error code (`name` is the code). */
function awsError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: code });
}

describe('describeAwsError for credentials that expired during the run', () => {
  it.each([
    ['ExpiredToken', 'The security token included in the request is expired'],
    ['ExpiredTokenException', 'The security token included in the request is expired.'],
    ['RequestExpired', 'Request has expired.'],
  ])('explains %s as expired credentials and names role-duration-seconds', (code, message) => {
    const text = describeAwsError('Could not delete snapshot snap-1', awsError(code, message));

    expect(text).toBe(
      `Could not delete snapshot snap-1: AWS refused the credentials (${code}): ${message.replace(/\.$/, '')}. The credentials expired during the run (or the runner's clock is off): temporary credentials last 1 hour unless asked for longer, so set 'role-duration-seconds' on aws-actions/configure-aws-credentials to more than 'wait-timeout' plus the time pruning takes (at most the role's maximum session duration).`,
    );
  });

  it('leaves other refusals as they were: a denied call names the permission, not the credentials', () => {
    const text = describeAwsError(
      'Could not list',
      awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
    );

    expect(text).toMatch(/^Could not list: AWS denied the call \(UnauthorizedOperation\)/);
    expect(text).not.toMatch(/expired|role-duration-seconds/);
  });

  it('tells expired credentials from other codes', () => {
    expect(isExpiredCredentials(awsError('ExpiredToken', 'x'))).toBe(true);
    expect(isExpiredCredentials(awsError('ExpiredTokenException', 'x'))).toBe(true);
    expect(isExpiredCredentials(awsError('RequestExpired', 'x'))).toBe(true);
    expect(isExpiredCredentials(awsError('AccessDenied', 'token expired'))).toBe(false);
    expect(isExpiredCredentials(awsError('InvalidClientTokenId', 'x'))).toBe(false);
    expect(isExpiredCredentials(new Error('ExpiredToken'))).toBe(false);
  });
});

describe('copySlotsRefusal', () => {
  const what = 'Could not copy snapshot snap-1 to eu-west-1';

  it('defers a copy that EC2 refuses with ResourceLimitExceeded, keeping AWS’s error as the cause', () => {
    const error = awsError('ResourceLimitExceeded', 'Too many snapshot copies in progress.');

    const deferred = copySlotsRefusal(what, error);

    expect(deferred).toBeInstanceOf(DeferredError);
    expect(deferred).toBeInstanceOf(TargetError);
    expect(deferred?.name).toBe('DeferredError');
    expect(deferred?.cause).toBe(error);
    expect(deferred?.message).toBe(
      `${what}: Too many snapshot copies in progress (ResourceLimitExceeded). The destination's copies in flight are at AWS's limit (other tools share it); a later run copies it.`,
    );
  });

  it.each([
    'Cannot copy: too many snapshot copies are in progress.',
    'You have reached the limit of 5 concurrent snapshot copies for this region.',
    'The request would exceed the copying limit.',
  ])('defers an RDS SnapshotQuotaExceeded that speaks of copies: %s', (message) => {
    expect(copySlotsRefusal(what, awsError('SnapshotQuotaExceededFault', message))).toBeInstanceOf(
      DeferredError,
    );
  });

  it('does not defer the plain snapshot quota, nor any other error', () => {
    expect(
      copySlotsRefusal(
        what,
        awsError('SnapshotQuotaExceeded', 'Cannot create more than 100 manual snapshots.'),
      ),
    ).toBeUndefined();
    expect(copySlotsRefusal(what, awsError('KMSKeyNotAccessibleFault', 'copy denied'))).toBe(
      undefined,
    );
    expect(copySlotsRefusal(what, new Error('copies in progress'))).toBeUndefined();
  });
});
