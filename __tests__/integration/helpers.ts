/**
 * What the integration tests do to moto and to the action: run the bundled action as the runner
 * does, and read or make EC2 state directly through the SDK.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  type Tag,
} from '@aws-sdk/client-ec2';
import { inject } from 'vitest';
import { runAction as runActionProcess, type ActionRun } from '../../scripts/action-runner.mjs';
import { resetMoto } from '../../scripts/moto.mjs';

export type { ActionRun };

export const REGION = 'us-east-1';

/** The endpoint of the moto server that global-setup started. */
export function motoEndpoint(): string {
  return inject('motoEndpoint');
}

export interface RunActionOptions {
  /** Extra environment; `undefined` removes a variable (e.g. `{ AWS_REGION: undefined }`). */
  env?: Record<string, string | undefined>;
  /** GITHUB_RUN_ID; a random number when absent. */
  runId?: string;
  /** AWS_REGION of the runner (default us-east-1). */
  region?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Runs dist/index.js with these inputs (plus action.yml's defaults) against moto and returns its
 * exit code, log, parsed outputs and job summary.
 */
export function runAction(
  inputs: Record<string, string>,
  options: RunActionOptions = {},
): Promise<ActionRun> {
  return runActionProcess({ ...options, inputs, endpoint: motoEndpoint() });
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

/** Wipes all of moto's state; use in `beforeEach`. */
export function reset(): Promise<void> {
  return resetMoto(motoEndpoint());
}

function tagSpecifications(
  resourceType: 'volume' | 'snapshot',
  tags: Record<string, string>,
): { TagSpecifications?: { ResourceType: typeof resourceType; Tags: Tag[] }[] } {
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
