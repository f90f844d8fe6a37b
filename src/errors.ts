/**
 * Errors as sentences a user understands: which input or resource, what went wrong, what to do.
 */

/** An invalid input: reported as one `::error::` line before any AWS call. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** A failure of one target (not found, wrong state, timeout…): the other targets go on. */
export class TargetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TargetError';
  }
}

/**
 * AWS refused a copy for a limit that frees up by itself (the destination's copies in flight, which
 * other tools share): the copy waits for a later run instead of failing its target.
 */
export class DeferredError extends TargetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeferredError';
  }
}

/**
 * A copy refused because the destination's copies in flight are at AWS's limit: EC2 answers
 * `ResourceLimitExceeded` (20 snapshot copies in flight per destination); RDS answers
 * `SnapshotQuotaExceeded`, the code of its snapshot quota too, told apart by a message about copies.
 */
export function copySlotsRefusal(what: string, error: unknown): DeferredError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const slots =
    hasAwsCode(error, 'ResourceLimitExceeded') ||
    (hasAwsCode(error, 'SnapshotQuotaExceeded') && /\bcop(y|ies|ying)\b|concurrent/i.test(message));
  if (!slots) return undefined;
  return new DeferredError(
    `${describeAwsError(what, error)} The destination's copies in flight are at AWS's limit (other tools share it); a later run copies it.`,
    { cause: error },
  );
}

/** The run was cancelled (SIGINT/SIGTERM): stop waiting, make no new change. */
export class CancelledError extends Error {
  constructor(message = 'The run was cancelled before it finished.') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** The error code AWS gave (`InvalidVolume.NotFound`, `Throttling`…), if any. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const named = error as { name?: unknown; Code?: unknown; code?: unknown };
  for (const value of [named.Code, named.code, named.name]) {
    if (typeof value === 'string' && value !== 'Error' && value.length > 0) return value;
  }
  return undefined;
}

/**
 * True when the error carries one of the codes. RDS reports a code both as `DBSnapshotNotFound` and,
 * as the SDK's exception name, `DBSnapshotNotFoundFault`: either form matches.
 */
export function hasAwsCode(error: unknown, ...codes: string[]): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const named = error as { name?: unknown; Code?: unknown; code?: unknown };
  const found = [named.Code, named.code, named.name]
    .filter((value): value is string => typeof value === 'string')
    .map((value) => value.replace(/Fault$/, ''));
  return codes.some((code) => found.includes(code.replace(/Fault$/, '')));
}

/**
 * The codes with which AWS refuses a call for want of a permission: EC2 answers
 * `UnauthorizedOperation`, RDS `AccessDenied` (moto answers `AccessDenied` for both), JSON services
 * `AccessDeniedException`.
 */
export const ACCESS_DENIED_CODES: readonly string[] = [
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'NotAuthorized',
];

/** The IAM policies of docs/iam.md, by the name of their section. */
export type ReadmePolicy =
  | 'ebs-volume'
  | 'ec2-image'
  | 'ec2-instance'
  | 'rds-instance and rds-cluster'
  | 'files'
  | 'copies'
  | 'quiescing';

/**
 * Which README policy grants each IAM action the adapters call: named in the message of a refused
 * call. A unit test checks this table against the adapters' calls and docs/iam.md's policies.
 */
export const README_POLICIES: Readonly<Record<string, readonly ReadmePolicy[]>> = {
  'ec2:DescribeVolumes': ['ebs-volume'],
  'ec2:DescribeSnapshots': ['ebs-volume', 'ec2-image', 'ec2-instance'],
  'ec2:CreateSnapshot': ['ebs-volume'],
  'ec2:DeleteSnapshot': ['ebs-volume', 'ec2-image', 'ec2-instance'],
  'ec2:CreateSnapshots': ['ec2-instance'],
  'ec2:DescribeInstances': ['ec2-image', 'ec2-instance'],
  'ec2:DescribeImages': ['ec2-image'],
  'ec2:CreateImage': ['ec2-image'],
  'ec2:CreateTags': ['ec2-image', 'ec2-instance'],
  'ec2:DeregisterImage': ['ec2-image'],
  'ssm:DescribeInstanceInformation': ['quiescing'],
  'ssm:SendCommand': ['quiescing'],
  'ssm:GetCommandInvocation': ['quiescing'],
  'ec2:CopySnapshot': ['copies'],
  'ec2:CopyImage': ['copies'],
  'rds:DescribeDBInstances': ['rds-instance and rds-cluster'],
  'rds:DescribeDBClusters': ['rds-instance and rds-cluster'],
  'rds:DescribeDBSnapshots': ['rds-instance and rds-cluster'],
  'rds:DescribeDBClusterSnapshots': ['rds-instance and rds-cluster'],
  'rds:DescribeAccountAttributes': ['rds-instance and rds-cluster'],
  'rds:CreateDBSnapshot': ['rds-instance and rds-cluster'],
  'rds:CreateDBClusterSnapshot': ['rds-instance and rds-cluster'],
  'rds:DeleteDBSnapshot': ['rds-instance and rds-cluster'],
  'rds:DeleteDBClusterSnapshot': ['rds-instance and rds-cluster'],
  'rds:CopyDBSnapshot': ['copies'],
  'rds:CopyDBClusterSnapshot': ['copies'],
  's3:ListBucket': ['files'],
  's3:GetObject': ['files'],
  's3:PutObject': ['files'],
  's3:AbortMultipartUpload': ['files'],
  's3:DeleteObject': ['files'],
  's3:RestoreObject': ['files'],
};

/**
 * The property under which src/aws.ts records, on the error of a failed call, the IAM action of
 * that call (`ec2:CreateSnapshot`): the SDK's errors do not name their operation.
 */
const IAM_ACTION = 'iamAction';

/** Records the IAM action of the call that failed with `error` (non-enumerable; first one wins). */
export function recordIamAction(error: unknown, action: string): void {
  if (typeof error !== 'object' || error === null || IAM_ACTION in error) return;
  if (!Object.isExtensible(error)) return;
  Object.defineProperty(error, IAM_ACTION, { value: action, enumerable: false });
}

/** The IAM action recorded on the error of a failed call (`ec2:CreateSnapshot`), if any. */
export function iamActionOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const action = (error as { [IAM_ACTION]?: unknown })[IAM_ACTION];
  return typeof action === 'string' ? action : undefined;
}

/**
 * Expired temporary credentials: RDS (and other query services) answer `ExpiredToken`, JSON
 * services `ExpiredTokenException`, EC2 `RequestExpired` (which a clock off by 15 minutes gives too).
 */
export function isExpiredCredentials(error: unknown): boolean {
  return hasAwsCode(error, 'ExpiredToken', 'ExpiredTokenException', 'RequestExpired');
}

/**
 * No credentials at all: the SDK's provider chain found none (`CredentialsProviderError`, "Could
 * not load credentials from any providers"), before any request left the runner.
 */
export function isMissingCredentials(error: unknown): boolean {
  return error instanceof Error && error.name === 'CredentialsProviderError';
}

/** What to do when the runner has no AWS credentials: the set-up every first run needs. */
export const NO_CREDENTIALS_HINT =
  "Add a step before this one that uses aws-actions/configure-aws-credentials with 'role-to-assume' (the role this action runs as) and 'aws-region', and give the job 'permissions: id-token: write' (with 'contents: read') so that step can assume the role by OIDC; see the README's Quick start.";

/** True when AWS refused the call for want of a permission. */
export function isAccessDenied(error: unknown): boolean {
  return hasAwsCode(error, ...ACCESS_DENIED_CODES);
}

/**
 * One sentence for an AWS error: `<what failed>: <AWS message> (<code>)`. A call refused for want
 * of a permission names the IAM action and where the README lists it:
 * `<what failed>: AWS denied ec2:CreateSnapshot (UnauthorizedOperation): <AWS message>; the role
 * needs that permission (… see the IAM policy for ebs-volume in docs/iam.md).`
 */
export function describeAwsError(what: string, error: unknown): string {
  if (error instanceof CancelledError || isAbort(error)) return `${what}: cancelled.`;
  const message = error instanceof Error ? error.message : String(error);
  const code = awsErrorCode(error);
  if (isMissingCredentials(error)) {
    return `${what}: the job has no AWS credentials (${code}: ${message.replace(/\.$/, '')}). ${NO_CREDENTIALS_HINT}`;
  }
  if (code && isExpiredCredentials(error)) {
    return `${what}: AWS refused the credentials (${code}): ${message.replace(/\.$/, '')}. The credentials expired during the run (or the runner's clock is off): temporary credentials last 1 hour unless asked for longer, so set 'role-duration-seconds' on aws-actions/configure-aws-credentials to more than 'wait-timeout' plus the time pruning takes (at most the role's maximum session duration).`;
  }
  if (code && isAccessDenied(error)) {
    const action = iamActionOf(error);
    return `${what}: AWS denied ${action ?? 'the call'} (${code}): ${message.replace(/\.$/, '')}; ${permissionHint(action)}.`;
  }
  const suffix = code && !message.includes(code) ? ` (${code})` : '';
  return `${what}: ${message.replace(/\.$/, '')}${suffix}.`;
}

/** What to do about a refused call: which permission, and where docs/iam.md lists it. */
function permissionHint(action: string | undefined): string {
  const policies = action ? README_POLICIES[action] : undefined;
  if (!action || !policies) {
    return 'the role lacks a permission (see the IAM policy for your target-type in docs/iam.md)';
  }
  const types = policies.filter((policy) => policy !== 'copies' && policy !== 'quiescing');
  const where = [
    ...(types.length > 0 ? [`the IAM policy for ${types.join(' or ')}`] : []),
    ...(policies.includes('copies') ? ['the additional permissions for copies'] : []),
    ...(policies.includes('quiescing') ? ['the additional permissions for quiescing'] : []),
  ].join(' or ');
  // Tags given at creation are authorized as a tagging action of their own, which AWS reports as
  // a refusal of the create or copy call itself.
  const [service, name = ''] = action.split(':');
  const tagging = service === 'ec2' ? 'ec2:CreateTags' : 'rds:AddTagsToResource';
  const alsoTags = /^(Create|Copy)(?!Tags)/.test(name)
    ? `, and ${tagging} for the tags it sets at creation`
    : '';
  return `the role needs that permission${alsoTags} (see ${where} in docs/iam.md)`;
}

/** True for the errors an AbortSignal produces in the SDK and in timers. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'CancelledError');
}

/** Node's code of a failed system call (`ENOENT`, `EACCES`…), if the error has one. */
export function systemErrorCode(error: unknown): string | undefined {
  return typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** An error's message without its final period, to stand inside a sentence. */
export function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}
