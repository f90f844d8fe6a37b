/**
 * The records the whole action works on, the pure core and the adapters alike: a backup, a source
 * resource, a quota. Each adapter translates its AWS API into these; nothing here knows of AWS.
 */
import type { TargetType } from './constants.js';

/** Where a backup is in its life: only `completed` backups count as generations. */
export type BackupState = 'pending' | 'completed' | 'failed';

/** One backup (snapshot, image, DB snapshot) as the core sees it. */
export interface Backup {
  id: string;
  kind: TargetType;
  region: string;
  /** Source resource id from the `snapshot-rotation:source` tag. */
  sourceId: string;
  /** Backup set from the `snapshot-rotation:backup-set` tag. */
  set: string;
  /** Age reference: the `created-at` tag, else the AWS creation time. */
  createdAt: Date;
  state: BackupState;
  /** AWS's own explanation of a failed state, when it gives one. */
  stateMessage?: string;
  tags: Record<string, string>;
  /** For a copy: the backup it was copied from (`copy-of` tag) and that backup's region. */
  copyOf?: string;
  sourceRegion?: string;
  /** Whether AWS stores it encrypted; undefined when the answer does not say. */
  encrypted?: boolean;
  /** The ARN, where the service names backups by ARN across regions (RDS). */
  arn?: string;
  /** In an archive storage tier (EBS `StorageTier: archive`): AWS copies it only once restored. */
  archived?: boolean;
  /**
   * The resources a backup is made of when it is more than one (`ec2-instance`: the snapshots of
   * the set, one per volume); kept, copied and deleted together. Absent for a single resource.
   */
  members?: BackupMember[];
  /** Size in GiB where AWS gives one: a snapshot's volume size, the sum of an AMI's volumes, RDS allocated storage. */
  sizeGiB?: number;
}

/** One resource of a backup made of several: an `ec2-instance` set's snapshot of one volume. */
export interface BackupMember {
  id: string;
  /** The device name the volume was attached as (`/dev/xvda`), when known. */
  device?: string;
  state: BackupState;
  encrypted?: boolean;
}

/** A source resource that was found and can be backed up. */
export interface Source {
  id: string;
  /** The resource's own tags (copied onto the backup when `copy-tags` is on). */
  tags: Record<string, string>;
  /** Why this resource cannot be backed up now (wrong state, wrong target type); fails the target. */
  problem?: string;
  /** Whether its storage is encrypted (RDS says so; EC2 sources leave it undefined). */
  encrypted?: boolean;
  /** The option group it uses (RDS DB instances); copies across regions need one there too. */
  optionGroup?: string;
  /**
   * The EC2 instance a quiesce command runs on: the instance itself, or the one an EBS volume is
   * attached to (absent for a detached volume and for the other target types).
   */
  instanceId?: string;
}

/** An account quota on the number of backups, as the service reports it. */
export interface BackupQuota {
  /** The quota's name, for messages: `ManualSnapshots`. */
  name: string;
  used: number;
  max: number;
}
