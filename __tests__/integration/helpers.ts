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
import { TIME_SCALE_VARIABLE } from '../../src/input-values.js';

export type { ActionRun };

/**
 * The runner's AWS_REGION (runAction's default), and where the helpers make and read state unless
 * told.
 */
export const REGION = 'us-east-1';
/** A second region: where copies of REGION's backups go, or a region other than the runner's. */
export const DR_REGION = 'eu-west-1';
/** A region apart from both, where backups are made to be copied into REGION (copies, calendar). */
export const AWAY_REGION = 'ap-northeast-1';

/** The backup set of a run whose inputs name none (action.yml's default). */
export const DEFAULT_SET = 'default';

/** The tags the action puts on its backups and their copies. */
export const TAG = {
  set: 'snapshot-rotation:backup-set',
  source: 'snapshot-rotation:source',
  createdAt: 'snapshot-rotation:created-at',
  run: 'snapshot-rotation:run',
  keep: 'snapshot-rotation:keep',
  copyOf: 'snapshot-rotation:copy-of',
  sourceRegion: 'snapshot-rotation:source-region',
} as const;

/** A well-formed volume id that moto does not hold. */
export const MISSING_VOLUME = 'vol-0123456789abcdef0';
/** A well-formed instance id that moto does not hold. */
export const MISSING_INSTANCE = 'i-0123456789abcdef0';

/** A day in milliseconds, for ages of backups. */
export const DAY_MS = 86_400_000;

/** moto's fake credentials: the helpers' clients use them, as every run of the action does. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

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
  /** The action's state of an earlier run (`run.state`): this run is the action's post step. */
  state?: Record<string, string>;
  /**
   * AWS_ENDPOINT_URL of the run: the AWS_SEMANTICS proxy in front of moto (`awsEndpoint()`) unless
   * given (e.g. a counting proxy of the test's own in front of moto).
   */
  endpoint?: string;
}

/**
 * The pace of the action's own waits in these tests, unless a test sets its own: a fiftieth of
 * AWS's, as in the demo. Every wait reads a new backup first one polling delay after it was made
 * (15 s on AWS), and moto's backups are complete by then.
 */
const TEST_TIME_SCALE = '0.02';

/**
 * Runs dist/index.js with these inputs (plus action.yml's defaults) against moto, through the
 * AWS_SEMANTICS proxy unless `endpoint` says otherwise, and returns its exit code, log, parsed
 * outputs and job summary.
 */
export function runAction(
  inputs: Record<string, string>,
  options: RunActionOptions = {},
): Promise<ActionRun> {
  return runActionProcess({
    ...options,
    env: { [TIME_SCALE_VARIABLE]: TEST_TIME_SCALE, ...options.env },
    inputs,
    endpoint: options.endpoint ?? awsEndpoint(),
  });
}

// ---------------------------------------------------------------------------------------------
// Runs of the action, and what a test asserts of them.

/** Inputs of a run that backs up `resourceId` as `targetType`, with `extra` inputs. */
export function inputsFor(
  targetType: string,
  resourceId: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { 'target-type': targetType, 'resource-id': resourceId, ...extra };
}

/** `count` run ids from `first` on: `runIds(1001, 3)` is `['1001', '1002', '1003']`. */
export function runIds(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(first + i));
}

/** Runs the action once per run id, in order, each expected to succeed; returns the runs. */
export async function successfulRuns(
  inputs: Record<string, string>,
  ids: string[],
  options: RunActionOptions = {},
): Promise<ActionRun[]> {
  const runs: ActionRun[] = [];
  for (const runId of ids) {
    const run = await runAction(inputs, { ...options, runId });
    expectSuccess(run);
    runs.push(run);
  }
  return runs;
}

/** The ids of these backups (or other records), in order. */
export function idsOf(items: { id: string }[]): string[] {
  return items.map((item) => item.id);
}

/** The backup each run made (its `backup-id`, '' for none), in order. */
export function backupIds(runs: ActionRun[]): string[] {
  return runs.map((run) => run.outputs['backup-id'] ?? '');
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Runs the action as workflow run `runId`, expecting success, and asserts that it made one backup
 * of `source` (as `list` lists a source's backups afterwards), reported as `backup-id` and
 * `backup-ids`, with the action's tags: the default set, the source, the run, and a `created-at`
 * in ISO 8601 UTC within a second of the run. Returns the run and that backup.
 */
export async function expectOneTaggedBackup<T extends { id: string; tags: Record<string, string> }>(
  inputs: Record<string, string>,
  runId: string,
  source: string,
  list: (source: string) => Promise<T[]>,
): Promise<{ run: ActionRun; backup: T }> {
  const before = new Date();
  const run = await runAction(inputs, { runId });
  const after = new Date();
  expectSuccess(run);

  const [backup, ...others] = await list(source);
  expect(others).toEqual([]);
  expect(backup?.id).toBe(run.outputs['backup-id']);
  expect(jsonOutput(run, 'backup-ids')).toEqual([backup?.id]);
  const tags = backup?.tags ?? {};
  expect(tags).toMatchObject({ [TAG.set]: DEFAULT_SET, [TAG.source]: source, [TAG.run]: runId });
  const createdAt = tags[TAG.createdAt] ?? '';
  expect(createdAt).toMatch(ISO_UTC);
  expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(before.getTime() - 1000);
  expect(Date.parse(createdAt)).toBeLessThanOrEqual(after.getTime() + 1000);
  return { run, backup: backup! };
}

/**
 * Runs the action twice as one workflow run (the same run id), both successful, and asserts that
 * the second reused the first's backup; returns its id.
 */
export async function expectRerunReuses(
  inputs: Record<string, string>,
  runId: string,
): Promise<string> {
  const first = await runAction(inputs, { runId });
  const again = await runAction(inputs, { runId });
  expectSuccess(first);
  expectSuccess(again);
  expect(again.outputs['backup-id']).toBe(first.outputs['backup-id']);
  return first.outputs['backup-id'] ?? '';
}

/**
 * Runs the action against a local endpoint that records every request and answers 500 (not moto):
 * the run and the requests it made, to prove that a run makes no AWS call at all.
 */
export async function runOffline(
  inputs: Record<string, string>,
  options: Omit<RunActionOptions, 'endpoint'> = {},
): Promise<{ run: ActionRun; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
    request.resume();
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { run: await runAction(inputs, { ...options, endpoint }), requests };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A run's exit code, status and log, for assertion messages. */
export function runLog(run: ActionRun): string {
  return `exit ${run.code}, status ${run.outputs.status}\n${run.stdout}\n${run.stderr}`;
}

/** Asserts a run's exit code and status (the log when they are not these). */
export function expectStatus(run: ActionRun, status: string, code: number): void {
  expect({ code: run.code, status: run.outputs.status }, runLog(run)).toEqual({ code, status });
}

/** Asserts a successful run: exit code 0 and status `success` (the log when not). */
export function expectSuccess(run: ActionRun): void {
  expectStatus(run, 'success', 0);
}

/** Lines of the action's log that are workflow error commands. */
export function errorLines(run: ActionRun): string[] {
  return run.stdout.split(/\r?\n/).filter((line) => line.startsWith('::error'));
}

/** Asserts exit code 1 and exactly one `::error::` line in the log; returns that line. */
export function expectOneError(run: ActionRun): string {
  expect(run.code, runLog(run)).toBe(1);
  const errors = errorLines(run);
  expect(errors, run.stdout).toHaveLength(1);
  return errors[0] ?? '';
}

/** Parses a JSON output, failing with the run's log when it is absent or not JSON. */
export function jsonOutput<T = unknown>(run: ActionRun, name: string): T {
  const value = run.outputs[name];
  if (value === undefined) {
    throw new Error(`Output '${name}' was not set. Log:\n${run.stdout}\n${run.stderr}`);
  }
  return JSON.parse(value) as T;
}

/** The ids of a run's JSON output of `{ id }` entries (`deleted-ids` unless told), sorted. */
export function sortedIds(run: ActionRun, output = 'deleted-ids'): string[] {
  return jsonOutput<{ id: string }[]>(run, output)
    .map((entry) => entry.id)
    .sort();
}

/**
 * Asserts a successful run whose `targets` are `expected` (in any order), each with one backup as
 * `backupsOf` lists them.
 */
export async function expectBackedUp(
  run: ActionRun,
  expected: string[],
  backupsOf: (source: string) => Promise<unknown[]>,
): Promise<void> {
  expectSuccess(run);
  expect(jsonOutput<string[]>(run, 'targets').sort()).toEqual([...expected].sort());
  for (const source of expected) expect(await backupsOf(source)).toHaveLength(1);
}

/**
 * `resource-tags` for an EC2 target type: makes (with `make`) two sources tagged Team=data, one of
 * them named too, and two that are not (Team=web, and no tags); one run with `resource-tags:
 * Team=data` must back up the two tagged ones, list them in `targets`, and leave the others
 * without a backup (as `backupsOf` lists a source's backups). Returns the run.
 */
export async function expectResourceTagsPick(
  targetType: string,
  make: (tags?: Record<string, string>) => Promise<string>,
  backupsOf: (source: string) => Promise<unknown[]>,
): Promise<ActionRun> {
  const tagged = [await make({ Team: 'data' }), await make({ Team: 'data', Name: 'warehouse' })];
  const others = [await make({ Team: 'web' }), await make()];
  const run = await runAction({
    'target-type': targetType,
    'resource-tags': 'Team=data',
    generations: '5',
  });
  await expectBackedUp(run, tagged, backupsOf);
  for (const source of others) expect(await backupsOf(source)).toEqual([]);
  return run;
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

// ---------------------------------------------------------------------------------------------
// State in moto, made and read through the SDK as a person or another tool would.

/**
 * Wipes all of moto's state, through the AWS_SEMANTICS proxy so that it forgets what it knew too;
 * use in `beforeEach`.
 */
export function reset(): Promise<void> {
  return resetMoto(awsEndpoint());
}

/** The client of this worker's moto in `region`, made once per region with moto's credentials. */
function motoClient<T>(
  clients: Map<string, T>,
  region: string,
  make: (config: { region: string; endpoint: string; credentials: typeof MOTO_CREDENTIALS }) => T,
): T {
  let client = clients.get(region);
  if (!client) {
    client = make({ region, endpoint: motoEndpoint(), credentials: MOTO_CREDENTIALS });
    clients.set(region, client);
  }
  return client;
}

const ec2Clients = new Map<string, EC2Client>();
const rdsClients = new Map<string, RDSClient>();

/** An EC2 client of moto in `region`. */
export function ec2Client(region: string = REGION): EC2Client {
  return motoClient(ec2Clients, region, (config) => new EC2Client(config));
}

/** An RDS client of moto in `region`. */
export function rdsClient(region: string = REGION): RDSClient {
  return motoClient(rdsClients, region, (config) => new RDSClient(config));
}

/** What moto answered a create with: the new resource's id, failing when it gave none. */
function made(id: string | undefined, what: string): string {
  if (!id) throw new Error(`moto returned no ${what}`);
  return id;
}

/** A tag as the SDKs take it (EC2 and RDS alike). */
interface SdkTag {
  Key: string;
  Value: string;
}

/** Tags as the SDKs take them. */
function tagList(tags: Record<string, string>): SdkTag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Tags as the SDKs answer them, by key. */
function tagRecord(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

type TaggedResourceType = 'volume' | 'snapshot' | 'instance' | 'image';

function tagSpecifications(
  resourceType: TaggedResourceType,
  tags: Record<string, string>,
): { TagSpecifications?: { ResourceType: TaggedResourceType; Tags: SdkTag[] }[] } {
  const list = tagList(tags);
  return list.length > 0 ? { TagSpecifications: [{ ResourceType: resourceType, Tags: list }] } : {};
}

/** Oldest first by the `created-at` tag, else by `madeAt` (moto's creation time), then by id. */
function oldestFirst<T extends { id: string; tags: Record<string, string> }>(
  items: T[],
  madeAt: (item: T) => string,
): T[] {
  const key = (item: T): string => item.tags[TAG.createdAt] ?? madeAt(item);
  return items.sort((a, b) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id));
}

/**
 * A lister of one backup set's backups of one source (the default set and REGION unless told),
 * oldest first, from `list`, which lists all the backups of a source.
 */
function setLister<T extends { tags: Record<string, string> }>(
  list: (source: string, region: string) => Promise<T[]>,
): (source: string, set?: string, region?: string) => Promise<T[]> {
  return async (source, set = DEFAULT_SET, region = REGION) =>
    (await list(source, region)).filter((backup) => backup.tags[TAG.set] === set);
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
  return made(volume.VolumeId, 'VolumeId');
}

/**
 * Makes a snapshot by hand, as a person or another tool would (or, with the set's tags, an earlier
 * run of the action); returns its id.
 */
export async function createManualSnapshot(
  volumeId: string,
  region: string = REGION,
  tags: Record<string, string> = {},
  description = 'made by hand',
): Promise<string> {
  const snapshot = await ec2Client(region).send(
    new CreateSnapshotCommand({
      VolumeId: volumeId,
      Description: description,
      ...tagSpecifications('snapshot', tags),
    }),
  );
  return made(snapshot.SnapshotId, 'SnapshotId');
}

/** Adds tags to an existing snapshot (e.g. `snapshot-rotation:keep=true`, as a person would). */
export async function tagSnapshot(
  snapshotId: string,
  tags: Record<string, string>,
  region: string = REGION,
): Promise<void> {
  await ec2Client(region).send(
    new CreateTagsCommand({ Resources: [snapshotId], Tags: tagList(tags) }),
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
  return oldestFirst(snapshots, (snapshot) => snapshot.startTime?.toISOString() ?? '');
}

/** The snapshots of one backup set of one volume, oldest first. */
export const snapshotsOfSet = setLister(listSnapshots);

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
  return made(reservation.Instances?.[0]?.InstanceId, 'InstanceId');
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
  return made(image.ImageId, 'ImageId');
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
  return oldestFirst(
    images.filter((image) => instanceId === undefined || image.sourceInstanceId === instanceId),
    (image) => image.creationDate,
  );
}

/** The images of one backup set of one instance, oldest first. */
export const imagesOfSet = setLister(listImages);

/** The one image with this id, failing when moto does not hold it. */
export async function imageById(imageId: string, region: string = REGION): Promise<ImageInfo> {
  const image = (await listImages(undefined, region)).find((candidate) => candidate.id === imageId);
  if (!image) throw new Error(`moto holds no image ${imageId} in ${region}`);
  return image;
}

// ---------------------------------------------------------------------------------------------
// RDS. moto 5.2.5 makes DB instances, clusters and snapshots `available` at once, lower-cases
// identifiers, gives every new instance and cluster one automated snapshot (`rds:<id>-<time>`),
// returns every describe in one page, and does not implement DescribeAccountAttributes (HTTP 500).

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

/** The master user of every DB instance and cluster the tests make. */
const MASTER_USER = { MasterUsername: 'admin1', MasterUserPassword: 'not-a-secret-1' };

/** Makes a DB instance (available at once in moto) and returns its identifier. */
export async function createDbInstance(
  id: string,
  { tags = {}, region = REGION, clusterId, engine, encrypted }: DbInstanceOptions = {},
): Promise<string> {
  const answer = await rdsClient(region).send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: id,
      DBInstanceClass: clusterId ? 'db.r6g.large' : 'db.t3.micro',
      Tags: tagList(tags),
      ...(encrypted ? { StorageEncrypted: true } : {}),
      ...(clusterId
        ? { DBClusterIdentifier: clusterId, Engine: engine ?? 'aurora-postgresql' }
        : { Engine: engine ?? 'postgres', AllocatedStorage: 20, ...MASTER_USER }),
    }),
  );
  return made(answer.DBInstance?.DBInstanceIdentifier, 'DBInstanceIdentifier');
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
      ...MASTER_USER,
      Tags: tagList(tags),
    }),
  );
  return made(answer.DBCluster?.DBClusterIdentifier, 'DBClusterIdentifier');
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

/** What a DB snapshot and a DB cluster snapshot have alike, under the same names. */
interface RdsSnapshotFields {
  SnapshotType?: string;
  Status?: string;
  SnapshotCreateTime?: Date;
  TagList?: { Key?: string; Value?: string }[];
}

/** A DB (cluster) snapshot as the tests see it, from its common fields and its own id fields. */
function rdsSnapshotInfo(
  snapshot: RdsSnapshotFields,
  [id, arn, sourceId]: (string | undefined)[],
): RdsSnapshotInfo {
  return {
    id: id ?? '',
    arn: arn ?? '',
    sourceId: sourceId ?? '',
    type: snapshot.SnapshotType ?? '',
    status: snapshot.Status ?? '',
    createTime: snapshot.SnapshotCreateTime,
    tags: tagRecord(snapshot.TagList),
  };
}

/** Oldest first by the `created-at` tag, then by creation time, then by id. */
function rdsOldestFirst(snapshots: RdsSnapshotInfo[]): RdsSnapshotInfo[] {
  return oldestFirst(snapshots, (snapshot) => snapshot.createTime?.toISOString() ?? '');
}

/** The manual ones of RDS snapshots (not moto's automated ones). */
export function manualOnly(snapshots: RdsSnapshotInfo[]): RdsSnapshotInfo[] {
  return snapshots.filter((snapshot) => snapshot.type === 'manual');
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
  return rdsOldestFirst(
    (answer.DBSnapshots ?? []).map((snapshot) =>
      rdsSnapshotInfo(snapshot, [
        snapshot.DBSnapshotIdentifier,
        snapshot.DBSnapshotArn,
        snapshot.DBInstanceIdentifier,
      ]),
    ),
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
  return rdsOldestFirst(
    (answer.DBClusterSnapshots ?? []).map((snapshot) =>
      rdsSnapshotInfo(snapshot, [
        snapshot.DBClusterSnapshotIdentifier,
        snapshot.DBClusterSnapshotArn,
        snapshot.DBClusterIdentifier,
      ]),
    ),
  );
}

/** The manual DB snapshots of one backup set of one instance, oldest first. */
export const dbSnapshotsOfSet = setLister(async (instanceId, region) =>
  manualOnly(await listDbSnapshots(instanceId, region)),
);

/** The manual DB cluster snapshots of one backup set of one cluster, oldest first. */
export const clusterSnapshotsOfSet = setLister(async (clusterId, region) =>
  manualOnly(await listClusterSnapshots(clusterId, region)),
);

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
      Tags: tagList(tags),
    }),
  );
  return made(answer.DBSnapshot?.DBSnapshotIdentifier, 'DBSnapshotIdentifier');
}

/** Makes a manual DB cluster snapshot by hand, as `createManualDbSnapshot` a DB snapshot. */
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
      Tags: tagList(tags),
    }),
  );
  return made(answer.DBClusterSnapshot?.DBClusterSnapshotIdentifier, 'DBClusterSnapshotIdentifier');
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
    new AddTagsToResourceCommand({ ResourceName: arn, Tags: tagList(tags) }),
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
