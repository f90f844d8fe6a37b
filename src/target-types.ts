/**
 * What differs between target types, in one table: which ids name a source, how the service writes
 * them and its tags, how many copies a destination takes in flight, what applies to which type.
 */
import type { TargetType } from './constants.js';

export interface TargetTypeFacts {
  /** The ids of a source, and one to show in messages. */
  idPattern: RegExp;
  idExample: string;
  /** The service keeps identifiers in lower case and matches them regardless of case (RDS). */
  lowerCaseIds: boolean;
  /** The characters the service allows in tag keys and values; undefined: any. */
  tagText?: RegExp;
  /** Tag keys and values the service reserves, beyond `aws:` keys. */
  reservedTagText?: RegExp;
  /** Copies in flight one destination region takes at once; the rest wait for a later run. */
  copyLimit: number;
  /** Whether `no-reboot: false` means anything (only an AMI reboots its instance). */
  reboots: boolean;
  /** Whether copies take an option group (`copy-option-group`: RDS DB snapshots). */
  optionGroups: boolean;
  /** Whether an encrypted backup crosses regions only with a key of the destination (RDS). */
  copyNeedsKey: boolean;
  /** One source a step (a file set): `resource-id` names exactly one. */
  singleSource?: true;
}

/** EC2 ids: `vol-`, `i-`… and 8 or 17 hexadecimal digits. */
const ec2Id = (prefix: string): RegExp => new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);
/** RDS identifiers: 1–63 letters, digits or hyphens, a letter first, no `--`, no trailing hyphen. */
const RDS_ID = /^[A-Za-z](?:-?[A-Za-z0-9]){0,62}$/;
/** The characters RDS allows in tag keys and values (its API reference's pattern). */
const RDS_TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** RDS reserves keys and values that start with `aws:` or `rds:`. */
const RDS_RESERVED = /^(?:aws|rds):/i;

const EC2 = {
  lowerCaseIds: false,
  copyLimit: 20,
  optionGroups: false,
  copyNeedsKey: false,
} as const;
const RDS = {
  idPattern: RDS_ID,
  lowerCaseIds: true,
  tagText: RDS_TAG_TEXT,
  reservedTagText: RDS_RESERVED,
  reboots: false,
  copyNeedsKey: true,
} as const;

export const TARGET_TYPE_FACTS: Readonly<Record<TargetType, TargetTypeFacts>> = {
  'ebs-volume': {
    ...EC2,
    idPattern: ec2Id('vol'),
    idExample: 'vol-0123456789abcdef0',
    reboots: false,
  },
  'ec2-image': {
    ...EC2,
    idPattern: ec2Id('i'),
    idExample: 'i-0123456789abcdef0',
    reboots: true,
  },
  // One set of snapshots per instance; each snapshot of a set counts against the copy limit.
  'ec2-instance': {
    ...EC2,
    idPattern: ec2Id('i'),
    idExample: 'i-0123456789abcdef0',
    reboots: false,
  },
  'rds-instance': { ...RDS, idExample: 'prod-db', copyLimit: 20, optionGroups: true },
  // Aurora: 5 cluster snapshot copies in flight per destination.
  'rds-cluster': { ...RDS, idExample: 'prod-aurora', copyLimit: 5, optionGroups: false },
  // A file set's name: one S3 key segment of the backup area (`<prefix><set>/<file set>/`).
  files: {
    idPattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/,
    idExample: 'app-data',
    lowerCaseIds: false,
    copyLimit: 0,
    reboots: false,
    optionGroups: false,
    copyNeedsKey: false,
    singleSource: true,
  },
};
