/**
 * Links to a backup in the AWS Management Console, in its own Region and partition: the EC2
 * console's snapshot and AMI pages, the RDS console's snapshot page, the S3 console's object page
 * for a file set's manifest. Pure.
 */
import { partitionOf } from './aws-names.js';

/** The console's host per partition; a Region's console is `<region>.<host>`. */
const CONSOLE_HOSTS: Readonly<Record<string, string>> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** `https://<region>.<partition's console host>`, or undefined for a Region of no known console. */
export function consoleOrigin(region: string): string | undefined {
  const host = CONSOLE_HOSTS[partitionOf(region) ?? ''];
  return host && /^[a-z0-9-]+$/.test(region) ? `https://${region}.${host}` : undefined;
}

/** What a console link needs to know of a backup. */
export interface LinkedBackup {
  id: string;
  region: string;
}

/**
 * The console page of one backup (or of one member snapshot of an `ec2-instance` set, which is an
 * EBS snapshot): undefined when the type or Region has none. `files` needs the bucket.
 */
export function backupConsoleUrl(
  targetType: string,
  backup: LinkedBackup,
  bucket?: string,
): string | undefined {
  const origin = consoleOrigin(backup.region);
  if (!origin) return undefined;
  const region = encodeURIComponent(backup.region);
  const id = encodeURIComponent(backup.id);
  switch (targetType) {
    case 'ec2-instance':
      // A set's id names no console page; its members are EBS snapshots.
      return backup.id.startsWith('snap-') ? backupConsoleUrl('ebs-volume', backup) : undefined;
    case 'ebs-volume':
      return `${origin}/ec2/home?region=${region}#SnapshotDetails:snapshotId=${id}`;
    case 'ec2-image':
      return `${origin}/ec2/home?region=${region}#ImageDetails:imageId=${id}`;
    case 'rds-instance':
      return `${origin}/rds/home?region=${region}#db-snapshot:id=${id}`;
    case 'rds-cluster':
      // The page RDS's own event notifications link a DB cluster snapshot to ("Identifier Link").
      return `${origin}/rds/home?region=${region}#snapshot:engine=aurora;id=${id}`;
    case 'files':
      return bucket
        ? `${origin}/s3/object/${encodeURIComponent(bucket)}?region=${region}&prefix=${backup.id.split('/').map(encodeURIComponent).join('/')}`
        : undefined;
    default:
      return undefined;
  }
}
