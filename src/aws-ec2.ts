/** The EC2 client: the one module of the run that loads `@aws-sdk/client-ec2`'s client. */
import { EC2Client } from '@aws-sdk/client-ec2';
import { CLIENT_SETTINGS, recordIamActions } from './aws-client.js';
import { paceMutations, sharedPacer } from './pacing.js';

/** One EC2 client per region, reused by every target of the run; its mutating calls are paced. */
export function ec2Client(region: string): EC2Client {
  const client = new EC2Client({ ...CLIENT_SETTINGS, region });
  paceMutations(client.middlewareStack, sharedPacer('ec2', region));
  recordIamActions(client.middlewareStack, 'ec2');
  return client;
}
