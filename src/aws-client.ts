/**
 * What every AWS client of the action shares: retries for throttling, timeouts, the user agent and
 * the IAM action named on failed calls. Each service's client is made in its own module
 * (`aws-ec2.ts`, `aws-rds.ts`, `aws-s3.ts`, `aws-ssm.ts`) so that a run loads only the SDK clients
 * of its target type; this one imports no SDK code.
 * Credentials and endpoints come from the SDK's default chain and environment
 * (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL_RDS`, `AWS_ENDPOINT_URL_S3`,
 * `AWS_ENDPOINT_URL_SSM`), never from inputs.
 */
import type { MiddlewareStack } from '@smithy/types';
import { ACTION_NAME, ACTION_VERSION } from './constants.js';
import { recordIamAction } from './errors.js';

/**
 * Attempts per call, first try included. `adaptive` mode adds client-side rate limiting on top of
 * the standard exponential backoff, so a busy account's `RequestLimitExceeded` / `Throttling`
 * answers slow the run down instead of failing it.
 */
export const MAX_ATTEMPTS = 10;

/**
 * No call may hang a job: a connection must open within 5 s and a whole request be answered within
 * 60 s (the largest answer, a page of 1,000 snapshots, takes seconds), else it fails with a
 * `TimeoutError`, which the retry strategy retries like any transient error. Without
 * `throwOnRequestTimeout` the SDK would only log a warning and keep waiting.
 */
export const CONNECTION_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 60_000;

/** The configuration every client starts from; a service's module adds the region. */
export const CLIENT_SETTINGS = {
  maxAttempts: MAX_ATTEMPTS,
  retryMode: 'adaptive',
  customUserAgent: [[ACTION_NAME, ACTION_VERSION]] as [string, string][],
  requestHandler: {
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    throwOnRequestTimeout: true,
  },
} as const;

/**
 * The IAM action of each S3 command the `files` target sends: unlike EC2's and RDS's, S3's actions
 * are not named after its commands (the parts of a multipart upload are `s3:PutObject`).
 */
export const S3_IAM_ACTIONS: Readonly<Record<string, string>> = {
  ListObjectsV2: 's3:ListBucket',
  HeadObject: 's3:GetObject',
  GetObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  DeleteObjects: 's3:DeleteObject',
  RestoreObject: 's3:RestoreObject',
};

/** The IAM action a command of `service` needs: `ec2:CreateSnapshot`, `s3:ListBucket`… */
export function iamActionOfCommand(service: 'ec2' | 'rds' | 's3' | 'ssm', command: string): string {
  return (service === 's3' ? S3_IAM_ACTIONS[command] : undefined) ?? `${service}:${command}`;
}

/**
 * Records on the error of every failed command the IAM action it needed (`ec2:CreateSnapshot`:
 * the service prefix and the command's name; S3's from `S3_IAM_ACTIONS`), so that a refusal
 * (`UnauthorizedOperation`, `AccessDenied`) names the missing permission; the SDK's errors do not
 * name their operation.
 * In the initialize step, outside the retry loop: the error seen is the one the caller gets.
 */
export function recordIamActions<I extends object, O extends object>(
  stack: MiddlewareStack<I, O>,
  service: 'ec2' | 'rds' | 's3' | 'ssm',
): void {
  stack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const command = context.commandName?.replace(/Command$/, '');
        if (command) recordIamAction(error, iamActionOfCommand(service, command));
        throw error;
      }
    },
    { step: 'initialize', name: 'recordIamActions', override: true },
  );
}
