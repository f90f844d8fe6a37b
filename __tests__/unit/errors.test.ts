import { CredentialsProviderError } from '@smithy/core/config';
import { describe, expect, it } from 'vitest';
import {
  copySlotsRefusal,
  DeferredError,
  describeAwsError,
  isExpiredCredentials,
  isMissingCredentials,
  TargetError,
} from '../../src/errors.js';

/** An error shaped like the SDK's for an AWS error code (`name` is the code). */
function awsError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: code });
}

describe('describeAwsError when the job has no AWS credentials', () => {
  it('names configure-aws-credentials and id-token: write for the SDK’s CredentialsProviderError', () => {
    const error = new CredentialsProviderError('Could not load credentials from any providers', {
      tryNextLink: false,
    });

    expect(describeAwsError('Could not look up volumes vol-1 in us-east-1', error)).toBe(
      "Could not look up volumes vol-1 in us-east-1: the job has no AWS credentials (CredentialsProviderError: Could not load credentials from any providers). Add a step before this one that uses aws-actions/configure-aws-credentials with 'role-to-assume' (the role this action runs as) and 'aws-region', and give the job 'permissions: id-token: write' (with 'contents: read') so that step can assume the role by OIDC; see the README's Quick start.",
    );
    expect(isMissingCredentials(error)).toBe(true);
  });

  it('knows the error by its name, whichever copy of the SDK threw it', () => {
    const error = awsError(
      'CredentialsProviderError',
      'Could not resolve credentials using profile: [ci] in configuration/credentials file(s).',
    );

    expect(describeAwsError('Could not list', error)).toMatch(
      /^Could not list: the job has no AWS credentials \(CredentialsProviderError: Could not resolve credentials using profile: \[ci\] in configuration\/credentials file\(s\)\)\. Add a step .*aws-actions\/configure-aws-credentials.*'permissions: id-token: write'/,
    );
  });

  it('leaves refusals by AWS as they were: those credentials exist', () => {
    for (const code of ['ExpiredToken', 'UnauthorizedOperation', 'InvalidClientTokenId']) {
      const error = awsError(code, 'refused');
      expect(isMissingCredentials(error)).toBe(false);
      expect(describeAwsError('Could not list', error)).not.toMatch(/id-token/);
    }
  });
});

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
