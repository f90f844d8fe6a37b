// The IAM policies of docs/iam.md (and their copies in the README's Quick start), machine-checked:
// every JSON block parses; the Quick start's trust policy and ebs-volume policy are docs/iam.md's;
// the trust policy lets only GitHub's OIDC tokens of one repository in; each target type's policy
// allows every AWS call its adapter makes (read from the source: `new XCommand(`, `paginateX(`,
// lib-storage's `new Upload(`; S3's commands through src/aws.ts's table of their IAM actions)
// and nothing else; deletes need the action's tags on the backup, creates the action's tags in the
// request; and the policy that src/errors.ts names for a refused action does allow it.
// An adapter that starts a new call without an update of docs/iam.md fails here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { S3_IAM_ACTIONS } from '../../src/aws.js';
import { README_POLICIES } from '../../src/errors.js';
import {
  iamSection,
  jsonBlocks,
  IAM_DOC,
  list,
  quickStartPolicies,
  readmePolicies,
  readmePolicyOf,
  ROOT,
  trustPolicy,
  type Policy,
  type Statement,
} from '../readme-iam.js';

const SRC = join(ROOT, 'src');

type TargetType =
  'ebs-volume' | 'ec2-image' | 'ec2-instance' | 'rds-instance' | 'rds-cluster' | 'files';
const TARGET_TYPES: readonly TargetType[] = [
  'ebs-volume',
  'ec2-image',
  'ec2-instance',
  'rds-instance',
  'rds-cluster',
  'files',
];

const POLICIES = readmePolicies();
const policyOf = (type: TargetType): Policy => readmePolicyOf(type);

function quiescingPolicy(): Policy {
  const policy = POLICIES.get('quiescing');
  if (!policy) throw new Error('README has no "Additional permissions for quiescing" policy');
  return policy;
}

function copiesPolicy(): Policy {
  const policy = POLICIES.get('copies');
  if (!policy) throw new Error('README has no "Additional permissions for copies" policy');
  return policy;
}

const wildcard = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  ).test(value);

/**
 * Whether the policy allows the action on some resource: an Allow statement names it, and no Deny
 * refuses it outright (every Deny of these policies is conditional: checked below).
 */
function allows(policy: Policy, action: string): boolean {
  const names = (statement: Statement) =>
    list(statement.Action).some((pattern) => wildcard(pattern, action));
  const denied = policy.Statement.some((s) => s.Effect === 'Deny' && !s.Condition && names(s));
  return !denied && policy.Statement.some((s) => s.Effect === 'Allow' && names(s));
}

/** Every action that some Allow statement of the policy names. */
function allowedActions(policy: Policy): string[] {
  return policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action));
}

// ---------------------------------------------------------------------------------------------
// The source: which AWS calls each adapter makes.

/** The adapter module of each target type. */
const ADAPTER_FILES: Record<TargetType, string> = {
  'ebs-volume': 'targets/ebs-volume.ts',
  'ec2-image': 'targets/ec2-image.ts',
  'ec2-instance': 'targets/ec2-instance.ts',
  'rds-instance': 'targets/rds-instance.ts',
  'rds-cluster': 'targets/rds-cluster.ts',
  files: 'targets/files.ts',
};

/**
 * The SSM Run Command calls of quiescing (`pre-command`): `createAdapter` gives the adapter of
 * these types a quiescer (targets/ssm-quiesce.ts) when the inputs ask for one, so they are the
 * calls of these types too, allowed by docs/iam.md's additional permissions for quiescing.
 */
const QUIESCER_FILE = 'targets/ssm-quiesce.ts';
const QUIESCED_TYPES: readonly TargetType[] = ['ebs-volume', 'ec2-image', 'ec2-instance'];
const isQuiescing = (action: string): boolean => action.startsWith('ssm:');

/**
 * The IAM action of an operation of a service: EC2's and RDS's are named after it; S3's come from
 * src/aws.ts's table (the one that names a refused call's action), and an S3 command missing from
 * it fails the test.
 */
function iamActionOf(service: string, operation: string, path: string): string {
  if (service !== 's3') return `${service}:${operation}`;
  const action = S3_IAM_ACTIONS[operation];
  if (!action) {
    throw new Error(
      `${relative(ROOT, path)} calls S3's ${operation}, which S3_IAM_ACTIONS in src/aws.ts does not map to an IAM action`,
    );
  }
  return action;
}

/**
 * The IAM actions of lib-storage's `Upload`: PutObject, or CreateMultipartUpload / UploadPart /
 * CompleteMultipartUpload, and AbortMultipartUpload when a multipart upload fails.
 */
const UPLOAD_OPERATIONS = [
  'PutObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
];

/**
 * The IAM actions a source file calls: `new XCommand(` and `paginateX(` of names imported from
 * `@aws-sdk/client-<service>`, and `new Upload(` imported from `@aws-sdk/lib-storage`. Any other
 * value it imports from a client (a waiter, say) or from lib-storage fails the test until this
 * function learns which action it calls.
 */
function callsOfFile(path: string): Set<string> {
  const text = readFileSync(path, 'utf8');
  const serviceOf = new Map<string, string>();
  const uploads = new Set<string>();
  for (const match of text.matchAll(
    /import\s*(type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/lib-storage'/g,
  )) {
    if (match[1]) continue;
    for (const raw of match[2]!.split(',')) {
      const name = raw.trim();
      if (!name || name.startsWith('type ')) continue;
      const [imported, local = imported] = name.split(/\s+as\s+/);
      if (imported !== 'Upload') {
        throw new Error(
          `${relative(ROOT, path)} imports ${imported} from @aws-sdk/lib-storage: teach __tests__/unit/iam-policy.test.ts which IAM actions it calls`,
        );
      }
      uploads.add(local!);
    }
  }
  if (/import\s+(?!type\b)[^{'"]*from\s*'@aws-sdk\/(client-\w+|lib-storage)'/.test(text)) {
    throw new Error(
      `${relative(ROOT, path)} imports an AWS client or lib-storage other than by name: teach __tests__/unit/iam-policy.test.ts`,
    );
  }
  for (const match of text.matchAll(
    /import\s*(type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-(\w+)'/g,
  )) {
    if (match[1]) continue;
    for (const raw of match[2]!.split(',')) {
      const name = raw.trim();
      if (!name || name.startsWith('type ')) continue;
      const local = name.split(/\s+as\s+/).pop()!;
      if (!/(Command|Client)$/.test(local) && !local.startsWith('paginate')) {
        throw new Error(
          `${relative(ROOT, path)} imports ${local} from @aws-sdk/client-${match[3]}: teach __tests__/unit/iam-policy.test.ts which IAM action it calls`,
        );
      }
      serviceOf.set(local, match[3]!);
    }
  }
  const calls = new Set<string>();
  for (const match of text.matchAll(/\bnew\s+(\w+)Command\s*\(|\bpaginate(\w+)\s*\(/g)) {
    const operation = match[1] ?? match[2]!;
    const local = match[1] ? `${operation}Command` : `paginate${operation}`;
    const service = serviceOf.get(local);
    if (!service)
      throw new Error(
        `${relative(ROOT, path)} calls ${local} without importing it from an AWS client`,
      );
    calls.add(iamActionOf(service, operation, path));
  }
  for (const match of text.matchAll(/\bnew\s+(\w+)\s*\(/g)) {
    if (!uploads.has(match[1]!)) continue;
    for (const operation of UPLOAD_OPERATIONS) calls.add(iamActionOf('s3', operation, path));
  }
  return calls;
}

/** The source files a module reaches through relative imports (itself included). */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const match of readFileSync(path, 'utf8').matchAll(/from\s*'(\.{1,2}\/[^']+)\.js'/g)) {
      const next = resolve(dirname(path), `${match[1]}.ts`);
      if (existsSync(next)) visit(next);
    }
  };
  visit(join(SRC, entry));
  return [...seen];
}

/** The IAM actions the adapter of a target type calls. */
function adapterCalls(type: TargetType): string[] {
  const calls = new Set<string>();
  const entries = [ADAPTER_FILES[type], ...(QUIESCED_TYPES.includes(type) ? [QUIESCER_FILE] : [])];
  for (const path of entries.flatMap(reachable))
    for (const call of callsOfFile(path)) calls.add(call);
  return [...calls].sort();
}

const isCopy = (action: string): boolean => /^\w+:Copy/.test(action);

/** Tagging that AWS authorizes as part of a create or copy call that sets tags. */
const TAGGING_AT_CREATION = ['ec2:CreateTags', 'rds:AddTagsToResource'];

function allSourceFiles(dir: string = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? allSourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

// ---------------------------------------------------------------------------------------------

describe('the trust policy and the Quick start', () => {
  it("the README's Quick start holds docs/iam.md's trust policy and ebs-volume policy, as they are", () => {
    expect(quickStartPolicies()).toEqual([trustPolicy(), policyOf('ebs-volume')]);
  });

  it("lets in only GitHub's OIDC tokens for STS, of one repository and one branch or environment", () => {
    const policy = trustPolicy();
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement).toHaveLength(1);
    const [statement] = policy.Statement as [Statement & { Principal?: { Federated?: string } }];
    expect(statement.Effect).toBe('Allow');
    expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement.Principal?.Federated).toMatch(
      /^arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
    );
    const condition = statement.Condition ?? {};
    expect(condition.StringEquals?.['token.actions.githubusercontent.com:aud']).toBe(
      'sts.amazonaws.com',
    );
    const subjects = list(
      condition.StringLike?.['token.actions.githubusercontent.com:sub'] ??
        condition.StringEquals?.['token.actions.githubusercontent.com:sub'] ??
        [],
    );
    expect(subjects.length).toBeGreaterThan(0);
    for (const subject of subjects)
      expect(subject).toMatch(/^repo:[^/*:]+\/[^/*:]+:(ref:refs\/heads\/|environment:)[^*]+$/);
  });
});

describe(`the IAM policies of ${IAM_DOC}`, () => {
  it('every JSON block parses, and each policy is well-formed', () => {
    const blocks = jsonBlocks(iamSection());
    expect(blocks.length).toBeGreaterThanOrEqual(8); // the trust policy and the seven below
    for (const block of blocks) expect(() => JSON.parse(block) as unknown).not.toThrow();
    expect([...POLICIES.keys()].sort()).toEqual(
      [
        'copies',
        'ebs-volume',
        'ec2-image',
        'ec2-instance',
        'files',
        'quiescing',
        'rds-instance and rds-cluster',
      ].sort(),
    );
    for (const [name, policy] of POLICIES) {
      expect(policy.Version, name).toBe('2012-10-17');
      const sids = policy.Statement.map((statement) => statement.Sid);
      expect(new Set(sids).size, `${name}: unique Sids`).toBe(sids.length);
      for (const statement of policy.Statement) {
        expect(['Allow', 'Deny'], `${name} ${statement.Sid}`).toContain(statement.Effect);
        expect(list(statement.Action).length, `${name} ${statement.Sid}`).toBeGreaterThan(0);
        expect(list(statement.Resource).length, `${name} ${statement.Sid}`).toBeGreaterThan(0);
        for (const action of list(statement.Action))
          expect(action).toMatch(/^(ec2|rds|s3|ssm):[A-Za-z]+$/);
        // A Deny without a condition would refuse its actions outright.
        if (statement.Effect === 'Deny')
          expect(statement.Condition, `${name} ${statement.Sid}`).toBeDefined();
      }
    }
  });

  it('the adapters are found, and every AWS call in src/ is made by one of them', () => {
    const byAdapters = new Set(TARGET_TYPES.flatMap(adapterCalls));
    const inSource = new Set(allSourceFiles().flatMap((path) => [...callsOfFile(path)]));
    expect([...inSource].sort()).toEqual([...byAdapters].sort());
    expect(adapterCalls('ebs-volume')).toContain('ec2:CreateSnapshot');
    expect(adapterCalls('rds-cluster')).toContain('rds:DeleteDBClusterSnapshot');
    expect(adapterCalls('files')).toEqual(
      [
        's3:AbortMultipartUpload',
        's3:DeleteObject',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        's3:RestoreObject',
      ].sort(),
    );
  });

  describe.each(TARGET_TYPES)('%s', (type) => {
    it('allows every call its adapter makes: the copies by the copy permissions, the rest by its own policy', () => {
      for (const action of adapterCalls(type)) {
        const policy = isCopy(action)
          ? copiesPolicy()
          : isQuiescing(action)
            ? quiescingPolicy()
            : policyOf(type);
        expect(allows(policy, action), `${action} is allowed by the README's policy`).toBe(true);
      }
    });
  });

  it('allows nothing the adapters do not call (besides the tagging AWS checks at creation)', () => {
    const policies: [Policy, TargetType[]][] = [
      [policyOf('ebs-volume'), ['ebs-volume']],
      [policyOf('ec2-image'), ['ec2-image']],
      [policyOf('ec2-instance'), ['ec2-instance']],
      [policyOf('rds-instance'), ['rds-instance', 'rds-cluster']],
      [policyOf('files'), ['files']],
      [copiesPolicy(), [...TARGET_TYPES]],
      [quiescingPolicy(), [...QUIESCED_TYPES]],
    ];
    for (const [policy, types] of policies) {
      const calls = new Set(types.flatMap(adapterCalls));
      for (const action of allowedActions(policy)) {
        expect(
          calls.has(action) || TAGGING_AT_CREATION.includes(action),
          `${action} (allowed for ${types.join(', ')}) is called by the adapter`,
        ).toBe(true);
      }
    }
  });

  it('deletes only backups that carry the action tags, and never one tagged keep=true', () => {
    const deletes = /^(ec2:DeleteSnapshot|ec2:DeregisterImage|rds:DeleteDB\w*Snapshot)$/;
    for (const [name, policy] of POLICIES) {
      for (const statement of policy.Statement) {
        if (statement.Effect !== 'Allow' || !list(statement.Action).some((a) => deletes.test(a)))
          continue;
        expect(list(statement.Resource), `${name} ${statement.Sid}`).not.toContain('*');
        expect(statement.Condition?.Null, `${name} ${statement.Sid}`).toEqual({
          'aws:ResourceTag/snapshot-rotation:backup-set': 'false',
          'aws:ResourceTag/snapshot-rotation:source': 'false',
        });
      }
      for (const action of allowedActions(policy).filter((a) => deletes.test(a))) {
        const protectedBy = policy.Statement.find(
          (s) =>
            s.Effect === 'Deny' &&
            list(s.Action).includes(action) &&
            list(s.Resource).includes('*') &&
            s.Condition?.StringEqualsIgnoreCase?.['aws:ResourceTag/snapshot-rotation:keep'] ===
              'true',
        );
        expect(protectedBy, `${name}: a Deny of ${action} on keep=true`).toBeDefined();
      }
    }
  });

  it('creates and copies only with the action tags in the request, and tags only while creating', () => {
    // What a create or copy may be allowed on without a tag condition: the source it reads, and the
    // snapshots behind a new AMI (CreateImage / CopyImage tag the image, not them).
    const untaggedResource: Record<string, RegExp> = {
      'ec2:CreateSnapshot': /:volume\/\*$/,
      'ec2:CreateImage': /:(instance\/\*|snapshot\/\*)$/,
      // CreateSnapshots reads the instance and its volumes; the snapshots carry the tags.
      'ec2:CreateSnapshots': /:(instance|volume)\/\*$/,
      'ec2:CopyImage': /::snapshot\/\*$/,
      // One statement names the DB instances and clusters for both RDS creates.
      'rds:CreateDBSnapshot': /:(db|cluster):\*$/,
      'rds:CreateDBClusterSnapshot': /:(db|cluster):\*$/,
    };
    for (const [name, policy] of POLICIES) {
      for (const statement of policy.Statement) {
        if (statement.Effect !== 'Allow') continue;
        const label = `${name} ${statement.Sid}`;
        const actions = list(statement.Action);
        // Reads: the describes, and GetCommandInvocation, which takes no resource (SSM's reference).
        if (actions.every((action) => /:Describe|^ssm:GetCommandInvocation$/.test(action))) {
          continue;
        }
        expect(list(statement.Resource), `${label}: only reads are allowed on "*"`).not.toContain(
          '*',
        );
        const conditions = JSON.stringify(statement.Condition ?? {});
        if (actions.some((action) => TAGGING_AT_CREATION.includes(action))) {
          expect(conditions, `${label}: tagging is conditional`).toMatch(
            /ec2:CreateAction|aws:RequestTag\/snapshot-rotation:|aws:ResourceTag\/snapshot-rotation:set-id/,
          );
        }
        for (const action of actions.filter((a) => /:(Create|Copy)(?!Tags)/.test(a))) {
          if (/aws:(RequestTag|ResourceTag)\/snapshot-rotation:/.test(conditions)) continue;
          for (const resource of list(statement.Resource)) {
            expect(
              untaggedResource[action]?.test(resource),
              `${label}: ${action} on ${resource} without a tag condition`,
            ).toBe(true);
          }
        }
      }
    }
  });

  it('lets the role tag images and snapshots only in the call that creates them (ec2:CreateAction)', () => {
    for (const [name, policy] of POLICIES) {
      for (const statement of policy.Statement) {
        if (statement.Effect !== 'Allow' || !list(statement.Action).includes('ec2:CreateTags')) {
          continue;
        }
        // The one exception: an ec2-instance set's device names, known only from CreateSnapshots'
        // answer, tagged afterwards on snapshots that are already the set's, and no other key.
        if (name === 'ec2-instance' && statement.Sid === 'TagDevicesOfOwnSets') {
          expect(statement.Condition?.Null).toEqual({
            'aws:ResourceTag/snapshot-rotation:set-id': 'false',
          });
          expect(statement.Condition?.['ForAllValues:StringEquals']?.['aws:TagKeys']).toEqual([
            'snapshot-rotation:device',
            'snapshot-rotation:set-size',
          ]);
          continue;
        }
        const createActions = list(statement.Condition?.StringEquals?.['ec2:CreateAction'] ?? []);
        expect(createActions.length, `${name} ${statement.Sid}`).toBeGreaterThan(0);
        for (const action of createActions) {
          expect(action, `${name} ${statement.Sid}`).toMatch(/^(Create|Copy)(Snapshots?|Image)$/);
        }
      }
    }
  });

  it('names resources in every partition (aws, aws-cn, aws-us-gov): arn:*:, never arn:aws:', () => {
    for (const [name, policy] of POLICIES) {
      for (const statement of policy.Statement) {
        for (const resource of list(statement.Resource)) {
          expect(resource === '*' || resource.startsWith('arn:*:'), `${name} ${resource}`).toBe(
            true,
          );
        }
      }
    }
  });

  it('names, for every action the adapters call, a README policy that allows it', () => {
    const calls = new Set(TARGET_TYPES.flatMap(adapterCalls));
    expect(Object.keys(README_POLICIES).sort()).toEqual([...calls].sort());
    for (const [action, names] of Object.entries(README_POLICIES)) {
      for (const name of names) {
        const policy = POLICIES.get(name);
        expect(
          policy && allows(policy, action),
          `${action} is allowed by README policy '${name}'`,
        ).toBe(true);
      }
    }
  });
});
