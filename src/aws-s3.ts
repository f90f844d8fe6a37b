/** The S3 client: the one module of the run that loads `@aws-sdk/client-s3`'s client. */
import { S3Client } from '@aws-sdk/client-s3';
import { CLIENT_SETTINGS, recordIamActions } from './aws-client.js';

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
    ...CLIENT_SETTINGS,
    region,
    requestHandler: {
      ...CLIENT_SETTINGS.requestHandler,
      requestTimeout: S3_REQUEST_TIMEOUT_MS,
      socketTimeout: S3_SOCKET_IDLE_TIMEOUT_MS,
    },
  });
  recordIamActions(client.middlewareStack, 's3');
  return client;
}
