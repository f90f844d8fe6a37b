/**
 * AWS client construction in one place: region, retries for throttling, pacing of mutating calls,
 * the IAM action of failed calls and the user agent.
 * Credentials and endpoints come from the SDK's default chain and environment
 * (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL_RDS`, `AWS_ENDPOINT_URL_S3`,
 * `AWS_ENDPOINT_URL_SSM`), never
 * from inputs.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { MiddlewareStack } from '@smithy/types';
import { ACTION_NAME, ACTION_VERSION } from './constants.js';
import { recordIamAction } from './errors.js';
import { paceMutations, sharedPacer } from './pacing.js';

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

const shared = {
  maxAttempts: MAX_ATTEMPTS,
  retryMode: 'adaptive',
  customUserAgent: [[ACTION_NAME, ACTION_VERSION]] as [string, string][],
  requestHandler: {
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    throwOnRequestTimeout: true,
  },
} as const;

/** One EC2 client per region, reused by every target of the run; its mutating calls are paced. */
export function ec2Client(region: string): EC2Client {
  const client = new EC2Client({ ...shared, region });
  paceMutations(client.middlewareStack, sharedPacer('ec2', region));
  recordIamActions(client.middlewareStack, 'ec2');
  return client;
}

/**
 * One RDS client per region. `maxAttempts` lowers the retries for advisory calls that have a
 * fallback, such as reading the snapshot quota.
 */
export function rdsClient(region: string, maxAttempts = MAX_ATTEMPTS): RDSClient {
  const client = new RDSClient({ ...shared, maxAttempts, region });
  paceMutations(client.middlewareStack, sharedPacer('rds', region));
  recordIamActions(client.middlewareStack, 'rds');
  return client;
}

/**
 * One SSM client per region, for the quiesce commands around a backup (`pre-command`). Paced like
 * EC2's mutating calls: SendCommand shares Systems Manager's request rate with the account.
 */
export function ssmClient(region: string): SSMClient {
  const client = new SSMClient({ ...shared, region });
  paceMutations(client.middlewareStack, sharedPacer('ssm', region));
  recordIamActions(client.middlewareStack, 'ssm');
  return client;
}

/**
 * An S3 request carries a part of up to `partSize` bytes (the `files` target's uploads: several
 * parts in parallel over the runner's uplink), so its whole request may take minutes on a slow
 * link; a connection that stops moving for `S3_SOCKET_IDLE_TIMEOUT_MS` fails at once instead (a
 * download's body too, which no request timeout covers once its headers arrived).
 */
export const S3_REQUEST_TIMEOUT_MS = 15 * 60_000;
export const S3_SOCKET_IDLE_TIMEOUT_MS = 60_000;

/**
 * One S3 client per region. Not paced: S3 takes thousands of writes per second per prefix, and a
 * busy one answers `SlowDown` (503), which the adaptive retry strategy slows down for.
 */
export function s3Client(region: string): S3Client {
  const client = new S3Client({
    ...shared,
    region,
    requestHandler: {
      ...shared.requestHandler,
      requestTimeout: S3_REQUEST_TIMEOUT_MS,
      socketTimeout: S3_SOCKET_IDLE_TIMEOUT_MS,
    },
  });
  recordIamActions(client.middlewareStack, 's3');
  return client;
}

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
