/**
 * Every AWS client of the action and what they share, in one import for tests and scripts. The run
 * never imports this module: it loads a service's own module (`aws-ec2.ts`…) on demand, so that a
 * run loads only the SDK clients of its target type (src/targets/index.ts).
 */
export * from './aws-client.js';
export { ec2Client } from './aws-ec2.js';
export { rdsClient } from './aws-rds.js';
export { S3_REQUEST_TIMEOUT_MS, S3_SOCKET_IDLE_TIMEOUT_MS, s3Client } from './aws-s3.js';
export { ssmClient } from './aws-ssm.js';
