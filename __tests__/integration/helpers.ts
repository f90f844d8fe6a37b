/**
 * What the integration tests do to moto and to the action: run the bundled action as the runner
 * does, and read or make EC2 and RDS state directly through the SDK.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RunInstancesCommand,
  type Tag,
} from '@aws-sdk/client-ec2';
import {
  AddTagsToResourceCommand,
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  type Tag as RdsTag,
} from '@aws-sdk/client-rds';
import { afterEach, beforeEach, expect, inject } from 'vitest';
import { AWS_SEMANTICS, type FidelityOptions } from '../../scripts/aws-fidelity.mjs';
import {
  startCountingProxy,
  type AfterHook,
  type BeforeHook,
  type CountingProxy,
} from '../../scripts/counting-proxy.mjs';
import { runAction as runActionProcess, type ActionRun } from '../../scripts/action-runner.mjs';
import { resetMoto } from '../../scripts/moto.mjs';

export type { ActionRun };

export const REGION = 'us-east-1';

/**
 * This worker's pair of moto and proxy: VITEST_POOL_ID is 1…maxWorkers, and no two test files that
 * run at the same time share it (vitest.config.ts runs as many workers as there are servers).
 */
function serverIndex(count: number): number {
  const id = Number(process.env.VITEST_POOL_ID ?? '1');
  if (!Number.isInteger(id) || id < 1 || id > count) {
    throw new Error(
      `VITEST_POOL_ID is ${process.env.VITEST_POOL_ID} but global-setup started ${count} moto servers.`,
    );
  }
  return id - 1;
}

/** The endpoint of this worker's moto server (moto itself). */
export function motoEndpoint(): string {
  const endpoints = inject('motoEndpoints');
  return endpoints[serverIndex(endpoints.length)]!;
}

/**
 * The endpoint of the proxy in front of this worker's moto that behaves as AWS documents
 * (AWS_SEMANTICS of scripts/aws-fidelity.mjs): where the action runs unless a test gives its own
 * endpoint.
 */
export function awsEndpoint(): string {
  const endpoints = inject('awsEndpoints');
  return endpoints[serverIndex(endpoints.length)]!;
}

export interface RunActionOptions {
  /** Extra environment; `undefined` removes a variable (e.g. `{ AWS_REGION: undefined }`). */
  env?: Record<string, string | undefined>;
  /** GITHUB_RUN_ID; a random number when absent. */
  runId?: string;
  /** AWS_REGION of the runner (default us-east-1). */
  region?: string;
  signal?: AbortSignal;
  /** How `signal` kills the action: SIGTERM (cancellation, the default) or SIGKILL (a crash). */
  killSignal?: NodeJS.Signals;
  timeoutMs?: number;
  /**
   * AWS_ENDPOINT_URL of the run: the AWS_SEMANTICS proxy in front of moto (`awsEndpoint()`) unless
   * given (e.g. a counting proxy of the test's own in front of moto).
   */
  endpoint?: string;
}

/**
 * Runs dist/index.js with these inputs (plus action.yml's defaults) against moto, through the
 * AWS_SEMANTICS proxy unless `endpoint` says otherwise, and returns its exit code, log, parsed
 * outputs and job summary.
 */
export function runAction(
  inputs: Record<string, string>,
  options: RunActionOptions = {},
): Promise<ActionRun> {
  return runActionProcess({ ...options, inputs, endpoint: options.endpoint ?? awsEndpoint() });
}

const clients = new Map<string, EC2Client>();

/** An EC2 client of moto in `region`, with fake credentials. */
export function ec2Client(region: string = REGION): EC2Client {
  let client = clients.get(region);
  if (!client) {
    client = new EC2Client({
      region,
      endpoint: motoEndpoint(),
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    clients.set(region, client);
  }
  return client;
}

/**
 * Wipes all of moto's state, through the AWS_SEMANTICS proxy so that it forgets what it knew too;
 * use in `beforeEach`.
 */
export function reset(): Promise<void> {
  return resetMoto(awsEndpoint());
}

type TaggedResourceType = 'volume' | 'snapshot' | 'instance' | 'image';

function tagSpecifications(
  resourceType: TaggedResourceType,
  tags: Record<string, string>,
): { TagSpecifications?: { ResourceType: TaggedResourceType; Tags: Tag[] }[] } {
  const list = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return list.length > 0 ? { TagSpecifications: [{ ResourceType: resourceType, Tags: list }] } : {};
}

function tagRecord(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

/** Makes a 1 GiB volume in `${region}a` and returns its id. */
export async function createVolume(
  region: string = REGION,
  tags: Record<string, string> = {},
): Promise<string> {
  const volume = await ec2Client(region).send(
    new CreateVolumeCommand({
      AvailabilityZone: `${region}a`,
      Size: 1,
      ...tagSpecifications('volume', tags),
    }),
  );
  if (!volume.VolumeId) throw new Error('moto returned no VolumeId');
  return volume.VolumeId;
}

/** Makes a snapshot by hand, as a person or another tool would; returns its id. */
export async function createManualSnapshot(
  volumeId: string,
  region: string = REGION,
  tags: Record<string, string> = {},
): Promise<string> {
  const snapshot = await ec2Client(region).send(
    new CreateSnapshotCommand({
      VolumeId: volumeId,
      Description: 'made by hand',
      ...tagSpecifications('snapshot', tags),
    }),
  );
  if (!snapshot.SnapshotId) throw new Error('moto returned no SnapshotId');
  return snapshot.SnapshotId;
}

/** Adds tags to an existing snapshot (e.g. `snapshot-rotation:keep=true`, as a person would). */
export async function tagSnapshot(
  snapshotId: string,
  tags: Record<string, string>,
  region: string = REGION,
): Promise<void> {
  await ec2Client(region).send(
    new CreateTagsCommand({
      Resources: [snapshotId],
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
}

export interface SnapshotInfo {
  id: string;
  volumeId: string;
  state: string;
  startTime: Date | undefined;
  tags: Record<string, string>;
}

/**
 * Every snapshot moto holds in `region` (of one volume when `volumeId` is given), oldest first by
 * the `snapshot-rotation:created-at` tag, then by start time, then by id.
 */
export async function listSnapshots(
  volumeId?: string,
  region: string = REGION,
): Promise<SnapshotInfo[]> {
  const result = await ec2Client(region).send(
    new DescribeSnapshotsCommand(
      volumeId ? { Filters: [{ Name: 'volume-id', Values: [volumeId] }] } : {},
    ),
  );
  const snapshots = (result.Snapshots ?? []).map((snapshot) => ({
    id: snapshot.SnapshotId ?? '',
    volumeId: snapshot.VolumeId ?? '',
    state: snapshot.State ?? '',
    startTime: snapshot.StartTime,
    tags: tagRecord(snapshot.Tags),
  }));
  const key = (snapshot: SnapshotInfo): string =>
    snapshot.tags['snapshot-rotation:created-at'] ?? snapshot.startTime?.toISOString() ?? '';
  return snapshots.sort((a, b) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id));
}

/** The snapshots of one backup set of one volume, oldest first. */
export async function snapshotsOfSet(
  volumeId: string,
  set = 'default',
  region: string = REGION,
): Promise<SnapshotInfo[]> {
  return (await listSnapshots(volumeId, region)).filter(
    (snapshot) => snapshot.tags['snapshot-rotation:backup-set'] === set,
  );
}

/**
 * The image id that test instances are launched from. moto (with MOTO_EC2_LOAD_DEFAULT_AMIS=false)
 * launches an instance from any image id without the image existing, so none is registered: the
 * only images in the region are those the tests and the action make.
 */
export const LAUNCH_IMAGE_ID = 'ami-12345678';

/** Launches one instance (moto gives it a root volume) and returns its id (`i-` + 17 hex). */
export async function createInstance(
  region: string = REGION,
  tags: Record<string, string> = {},
): Promise<string> {
  const reservation = await ec2Client(region).send(
    new RunInstancesCommand({
      ImageId: LAUNCH_IMAGE_ID,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      ...tagSpecifications('instance', tags),
    }),
  );
  const instanceId = reservation.Instances?.[0]?.InstanceId;
  if (!instanceId) throw new Error('moto returned no InstanceId');
  return instanceId;
}

/**
 * Makes an AMI of an instance by hand, as a person or another tool would (a plain CreateImage,
 * none of the action's tags unless given); returns its id.
 */
export async function createManualImage(
  instanceId: string,
  region: string = REGION,
  tags: Record<string, string> = {},
): Promise<string> {
  const image = await ec2Client(region).send(
    new CreateImageCommand({
      InstanceId: instanceId,
      Name: `made-by-hand-${randomBytes(4).toString('hex')}`,
      Description: 'made by hand',
      NoReboot: true,
      ...tagSpecifications('image', tags),
    }),
  );
  if (!image.ImageId) throw new Error('moto returned no ImageId');
  return image.ImageId;
}

export interface ImageInfo {
  id: string;
  name: string;
  state: string;
  sourceInstanceId: string;
  creationDate: string;
  tags: Record<string, string>;
  /** The EBS snapshots of its block device mappings. */
  snapshotIds: string[];
}

/**
 * Every image of this account moto holds in `region` (made from one instance when `instanceId` is
 * given), oldest first by the `snapshot-rotation:created-at` tag, then by creation date, then by id.
 * Deregistered images are gone from the list.
 */
export async function listImages(
  instanceId?: string,
  region: string = REGION,
): Promise<ImageInfo[]> {
  const result = await ec2Client(region).send(
    new DescribeImagesCommand({ Owners: ['self'], IncludeDeprecated: true, IncludeDisabled: true }),
  );
  const images = (result.Images ?? []).map((image) => ({
    id: image.ImageId ?? '',
    name: image.Name ?? '',
    state: image.State ?? '',
    sourceInstanceId: image.SourceInstanceId ?? '',
    creationDate: image.CreationDate ?? '',
    tags: tagRecord(image.Tags),
    snapshotIds: (image.BlockDeviceMappings ?? []).flatMap((mapping) =>
      mapping.Ebs?.SnapshotId ? [mapping.Ebs.SnapshotId] : [],
    ),
  }));
  const key = (image: ImageInfo): string =>
    image.tags['snapshot-rotation:created-at'] ?? image.creationDate;
  return images
    .filter((image) => instanceId === undefined || image.sourceInstanceId === instanceId)
    .sort((a, b) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id));
}

/** The images of one backup set of one instance, oldest first. */
export async function imagesOfSet(
  instanceId: string,
  set = 'default',
  region: string = REGION,
): Promise<ImageInfo[]> {
  return (await listImages(instanceId, region)).filter(
    (image) => image.tags['snapshot-rotation:backup-set'] === set,
  );
}

/** The one image with this id, failing when moto does not hold it. */
export async function imageById(imageId: string, region: string = REGION): Promise<ImageInfo> {
  const image = (await listImages(undefined, region)).find((candidate) => candidate.id === imageId);
  if (!image) throw new Error(`moto holds no image ${imageId} in ${region}`);
  return image;
}

export interface OwnProxyOptions {
  fidelity?: FidelityOptions;
  before?: BeforeHook;
  after?: AfterHook;
}

/**
 * For a test file whose tests each put a proxy of their own in front of moto: resets moto before
 * each test and stops the test's proxy after it. The returned function starts that proxy, behaving
 * as AWS documents (AWS_SEMANTICS unless `fidelity` says otherwise), with the given hooks.
 */
export function proxyPerTest(): (options?: OwnProxyOptions) => Promise<CountingProxy> {
  let proxy: CountingProxy | undefined;
  beforeEach(reset);
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });
  return async (options = {}) => {
    await proxy?.stop();
    proxy = await startCountingProxy(motoEndpoint(), { fidelity: AWS_SEMANTICS, ...options });
    return proxy;
  };
}

/** A run's exit code, status and log, for assertion messages. */
export function runLog(run: ActionRun): string {
  return `exit ${run.code}, status ${run.outputs.status}\n${run.stdout}\n${run.stderr}`;
}

/** Asserts a green run: exit code 0 and status `success` (the log when not). */
export function expectGreen(run: ActionRun): void {
  expect({ code: run.code, status: run.outputs.status }, runLog(run)).toEqual({
    code: 0,
    status: 'success',
  });
}

/** Lines of the action's log that are workflow error commands. */
export function errorLines(run: ActionRun): string[] {
  return run.stdout.split(/\r?\n/).filter((line) => line.startsWith('::error'));
}

/** Parses a JSON output, failing with the run's log when it is absent or not JSON. */
export function jsonOutput<T = unknown>(run: ActionRun, name: string): T {
  const value = run.outputs[name];
  if (value === undefined) {
    throw new Error(`Output '${name}' was not set. Log:\n${run.stdout}\n${run.stderr}`);
  }
  return JSON.parse(value) as T;
}

export interface RecordingEndpoint {
  endpoint: string;
  /** `METHOD url` of every request received. */
  requests: string[];
  close: () => Promise<void>;
}

/**
 * A local HTTP endpoint that records every request and answers 500: point AWS_ENDPOINT_URL at it
 * to prove that a run makes no AWS call at all.
 */
export async function recordingEndpoint(): Promise<RecordingEndpoint> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
    request.resume();
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------
// RDS. moto 5.2.5 makes DB instances, clusters and snapshots `available` at once, lower-cases
// identifiers, gives every new instance and cluster one automated snapshot (`rds:<id>-<time>`),
// returns every describe in one page, and does not implement DescribeAccountAttributes (HTTP 500).

const rdsClients = new Map<string, RDSClient>();

/** An RDS client of moto in `region`, with fake credentials. */
export function rdsClient(region: string = REGION): RDSClient {
  let client = rdsClients.get(region);
  if (!client) {
    client = new RDSClient({
      region,
      endpoint: motoEndpoint(),
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    rdsClients.set(region, client);
  }
  return client;
}

function rdsTags(tags: Record<string, string>): RdsTag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function rdsTagRecord(tags: RdsTag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

export interface DbInstanceOptions {
  tags?: Record<string, string>;
  region?: string;
  /** Encrypted storage (its snapshots are encrypted too). */
  encrypted?: boolean;
  /** Makes the instance a member of this Aurora cluster (its engine must match the cluster's). */
  clusterId?: string;
  /** Default `postgres`, or the cluster's engine for a member: `aurora-postgresql`. */
  engine?: string;
}

/** Makes a DB instance (available at once in moto) and returns its identifier. */
export async function createDbInstance(
  id: string,
  { tags = {}, region = REGION, clusterId, engine, encrypted }: DbInstanceOptions = {},
): Promise<string> {
  const answer = await rdsClient(region).send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: id,
      DBInstanceClass: clusterId ? 'db.r6g.large' : 'db.t3.micro',
      Tags: rdsTags(tags),
      ...(encrypted ? { StorageEncrypted: true } : {}),
      ...(clusterId
        ? { DBClusterIdentifier: clusterId, Engine: engine ?? 'aurora-postgresql' }
        : {
            Engine: engine ?? 'postgres',
            AllocatedStorage: 20,
            MasterUsername: 'admin1',
            MasterUserPassword: 'not-a-secret-1',
          }),
    }),
  );
  const made = answer.DBInstance?.DBInstanceIdentifier;
  if (!made) throw new Error('moto returned no DBInstanceIdentifier');
  return made;
}

export interface DbClusterOptions {
  tags?: Record<string, string>;
  region?: string;
  /** `aurora-postgresql` (default) or `aurora-mysql`. */
  engine?: string;
}

/** Makes an Aurora DB cluster (no members) and returns its identifier. */
export async function createDbCluster(
  id: string,
  { tags = {}, region = REGION, engine = 'aurora-postgresql' }: DbClusterOptions = {},
): Promise<string> {
  const answer = await rdsClient(region).send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: id,
      Engine: engine,
      MasterUsername: 'admin1',
      MasterUserPassword: 'not-a-secret-1',
      Tags: rdsTags(tags),
    }),
  );
  const made = answer.DBCluster?.DBClusterIdentifier;
  if (!made) throw new Error('moto returned no DBClusterIdentifier');
  return made;
}

/** A DB snapshot or a DB cluster snapshot as the tests see it. */
export interface RdsSnapshotInfo {
  id: string;
  arn: string;
  /** The DB instance or DB cluster it was made from. */
  sourceId: string;
  /** `manual` or `automated` (moto makes no other type). */
  type: string;
  status: string;
  createTime: Date | undefined;
  tags: Record<string, string>;
}

function sortedByAge(snapshots: RdsSnapshotInfo[]): RdsSnapshotInfo[] {
  const key = (snapshot: RdsSnapshotInfo): string =>
    snapshot.tags['snapshot-rotation:created-at'] ?? snapshot.createTime?.toISOString() ?? '';
  return snapshots.sort((a, b) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id));
}

/**
 * Every DB snapshot moto holds in `region`, manual and automated (of one instance when
 * `instanceId` is given), oldest first by the `snapshot-rotation:created-at` tag, then by creation
 * time, then by id.
 */
export async function listDbSnapshots(
  instanceId?: string,
  region: string = REGION,
): Promise<RdsSnapshotInfo[]> {
  const answer = await rdsClient(region).send(
    new DescribeDBSnapshotsCommand(instanceId ? { DBInstanceIdentifier: instanceId } : {}),
  );
  return sortedByAge(
    (answer.DBSnapshots ?? []).map((snapshot) => ({
      id: snapshot.DBSnapshotIdentifier ?? '',
      arn: snapshot.DBSnapshotArn ?? '',
      sourceId: snapshot.DBInstanceIdentifier ?? '',
      type: snapshot.SnapshotType ?? '',
      status: snapshot.Status ?? '',
      createTime: snapshot.SnapshotCreateTime,
      tags: rdsTagRecord(snapshot.TagList),
    })),
  );
}

/** Every DB cluster snapshot moto holds in `region` (of one cluster when given), oldest first. */
export async function listClusterSnapshots(
  clusterId?: string,
  region: string = REGION,
): Promise<RdsSnapshotInfo[]> {
  const answer = await rdsClient(region).send(
    new DescribeDBClusterSnapshotsCommand(clusterId ? { DBClusterIdentifier: clusterId } : {}),
  );
  return sortedByAge(
    (answer.DBClusterSnapshots ?? []).map((snapshot) => ({
      id: snapshot.DBClusterSnapshotIdentifier ?? '',
      arn: snapshot.DBClusterSnapshotArn ?? '',
      sourceId: snapshot.DBClusterIdentifier ?? '',
      type: snapshot.SnapshotType ?? '',
      status: snapshot.Status ?? '',
      createTime: snapshot.SnapshotCreateTime,
      tags: rdsTagRecord(snapshot.TagList),
    })),
  );
}

/** The manual DB snapshots of one backup set of one instance, oldest first. */
export async function dbSnapshotsOfSet(
  instanceId: string,
  set = 'default',
  region: string = REGION,
): Promise<RdsSnapshotInfo[]> {
  return (await listDbSnapshots(instanceId, region)).filter(
    (snapshot) =>
      snapshot.type === 'manual' && snapshot.tags['snapshot-rotation:backup-set'] === set,
  );
}

/** The manual DB cluster snapshots of one backup set of one cluster, oldest first. */
export async function clusterSnapshotsOfSet(
  clusterId: string,
  set = 'default',
  region: string = REGION,
): Promise<RdsSnapshotInfo[]> {
  return (await listClusterSnapshots(clusterId, region)).filter(
    (snapshot) =>
      snapshot.type === 'manual' && snapshot.tags['snapshot-rotation:backup-set'] === set,
  );
}

/**
 * Makes a manual DB snapshot by hand (CreateDBSnapshot with exactly these tags, none when empty),
 * as a person, another tool or an earlier run of the action would; returns its identifier.
 */
export async function createManualDbSnapshot(
  instanceId: string,
  snapshotId: string,
  tags: Record<string, string> = {},
  region: string = REGION,
): Promise<string> {
  const answer = await rdsClient(region).send(
    new CreateDBSnapshotCommand({
      DBInstanceIdentifier: instanceId,
      DBSnapshotIdentifier: snapshotId,
      Tags: rdsTags(tags),
    }),
  );
  const made = answer.DBSnapshot?.DBSnapshotIdentifier;
  if (!made) throw new Error('moto returned no DBSnapshotIdentifier');
  return made;
}

/** Makes a manual DB cluster snapshot by hand; returns its identifier. */
export async function createManualClusterSnapshot(
  clusterId: string,
  snapshotId: string,
  tags: Record<string, string> = {},
  region: string = REGION,
): Promise<string> {
  const answer = await rdsClient(region).send(
    new CreateDBClusterSnapshotCommand({
      DBClusterIdentifier: clusterId,
      DBClusterSnapshotIdentifier: snapshotId,
      Tags: rdsTags(tags),
    }),
  );
  const made = answer.DBClusterSnapshot?.DBClusterSnapshotIdentifier;
  if (!made) throw new Error('moto returned no DBClusterSnapshotIdentifier');
  return made;
}

/**
 * Adds (or overwrites) tags on an RDS resource by ARN, e.g. a snapshot's
 * `arn:aws:rds:<region>:123456789012:snapshot:<id>` or `…:cluster-snapshot:<id>`. moto answers a
 * missing resource with success, so a wrong ARN fails silently: read the tags back when it matters.
 */
export async function tagRdsResource(
  arn: string,
  tags: Record<string, string>,
  region: string = REGION,
): Promise<void> {
  await rdsClient(region).send(
    new AddTagsToResourceCommand({ ResourceName: arn, Tags: rdsTags(tags) }),
  );
}

/**
 * Makes a KMS key in moto's `region` and returns its ARN. The project has no KMS client: moto reads
 * the service and region from the credential scope and does not check the signature.
 */
export async function createKmsKey(region: string = REGION): Promise<string> {
  const response = await fetch(`${motoEndpoint()}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'TrentService.CreateKey',
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/kms/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify({ Description: 'disaster-recovery copies' }),
  });
  const body = (await response.json()) as { KeyMetadata?: { Arn?: string } };
  const arn = body.KeyMetadata?.Arn;
  if (!response.ok || !arn) throw new Error(`moto made no KMS key: HTTP ${response.status}`);
  return arn;
}
