/** The SSM client: the one module of the run that loads `@aws-sdk/client-ssm`'s client. */
import { SSMClient } from '@aws-sdk/client-ssm';
import { CLIENT_SETTINGS, recordIamActions } from './aws-client.js';
import { paceMutations, sharedPacer } from './pacing.js';

/**
 * One SSM client per region, for the quiesce commands around a backup (`pre-command`). Paced like
 * EC2's mutating calls: SendCommand shares Systems Manager's request rate with the account.
 */
export function ssmClient(region: string): SSMClient {
  const client = new SSMClient({ ...CLIENT_SETTINGS, region });
  paceMutations(client.middlewareStack, sharedPacer('ssm', region));
  recordIamActions(client.middlewareStack, 'ssm');
  return client;
}
