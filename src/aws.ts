/**
 * AWS client construction in one place: region, retries for throttling, pacing of mutating calls
 * and the user agent.
 * Credentials and endpoints come from the SDK's default chain and environment
 * (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL_RDS`), never from inputs.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';
import { ACTION_NAME, ACTION_VERSION } from './constants.js';
import { paceMutations, sharedPacer } from './pacing.js';

/**
 * Attempts per call, first try included. `adaptive` mode adds client-side rate limiting on top of
 * the standard exponential backoff, so a busy account's `RequestLimitExceeded` / `Throttling`
 * answers slow the run down instead of failing it.
 */
export const MAX_ATTEMPTS = 10;

const shared = {
  maxAttempts: MAX_ATTEMPTS,
  retryMode: 'adaptive',
  customUserAgent: [[ACTION_NAME, ACTION_VERSION]] as [string, string][],
} as const;

/** One EC2 client per region, reused by every target of the run; its mutating calls are paced. */
export function ec2Client(region: string): EC2Client {
  const client = new EC2Client({ ...shared, region });
  paceMutations(client.middlewareStack, sharedPacer('ec2', region));
  return client;
}

/**
 * One RDS client per region. `maxAttempts` lowers the retries for advisory calls that have a
 * fallback, such as reading the snapshot quota.
 */
export function rdsClient(region: string, maxAttempts = MAX_ATTEMPTS): RDSClient {
  const client = new RDSClient({ ...shared, maxAttempts, region });
  paceMutations(client.middlewareStack, sharedPacer('rds', region));
  return client;
}
