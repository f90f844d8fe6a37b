/** The RDS client: the one module of the run that loads `@aws-sdk/client-rds`'s client. */
import { RDSClient } from '@aws-sdk/client-rds';
import { CLIENT_SETTINGS, MAX_ATTEMPTS, recordIamActions } from './aws-client.js';
import { paceMutations, sharedPacer } from './pacing.js';

/**
 * One RDS client per region. `maxAttempts` lowers the retries for advisory calls that have a
 * fallback, such as reading the snapshot quota.
 */
export function rdsClient(region: string, maxAttempts = MAX_ATTEMPTS): RDSClient {
  const client = new RDSClient({ ...CLIENT_SETTINGS, maxAttempts, region });
  paceMutations(client.middlewareStack, sharedPacer('rds', region));
  recordIamActions(client.middlewareStack, 'rds');
  return client;
}
