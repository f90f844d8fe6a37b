// What the adapter tests share: the regions, set, times, keys and tags they use, AWS's errors as
// the SDK throws them, clients with test credentials, the replacement of a client's HTTP handler
// for the tests that run the SDK's own middleware, and for each target type a harness: a mocked
// client (aws-sdk-client-mock) that answers its describe, create, copy and delete calls from
// neutral descriptions of sources and backups (RawSource, Stored) and reads back what was sent.
import { vi, type Mock } from 'vitest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  CopyImageCommand,
  CopySnapshotCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  EC2ServiceException,
  type CreateImageCommandInput,
  type CreateSnapshotCommandInput,
  type DescribeImagesCommandInput,
  type Image,
  type Instance,
  type Snapshot,
  type Volume,
} from '@aws-sdk/client-ec2';
import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import { TAGS, type TargetType } from '../../src/constants.js';
import { hasAwsCode } from '../../src/errors.js';
import type { Sleep } from '../../src/sleep.js';
import { EbsVolumeAdapter, type EbsVolumeOptions } from '../../src/targets/ebs-volume.js';
import { Ec2ImageAdapter, type Ec2ImageOptions } from '../../src/targets/ec2-image.js';
import type { RdsAdapter, RdsOptions } from '../../src/targets/rds.js';
import { rdsClusterAdapter } from '../../src/targets/rds-cluster.js';
import { rdsInstanceAdapter } from '../../src/targets/rds-instance.js';
import type {
  Backup,
  CopyRequest,
  CreateRequest,
  TargetAdapter,
} from '../../src/targets/target.js';
import type { PollingOptions } from '../../src/targets/wait.js';

/** The region of the adapters under test, and where a copy's original lives. */
export const REGION = 'us-east-1';
/** A copy's destination: the region of the adapter that copies into it. */
export const DEST = 'eu-west-1';
export const SET = 'nightly';
export const ACCOUNT = '123456789012';
/** The `created-at` tag the action sets on a backup just before it asks AWS for it. */
export const CREATED_AT = '2026-11-22T12:00:00.000Z';
/** AWS's own time of that backup, a few seconds after the tag. */
export const AWS_TIME = new Date('2026-11-22T12:00:05Z');
export const DEST_KEY = `arn:aws:kms:${DEST}:${ACCOUNT}:key/1111aaaa-22bb-33cc-44dd-555555eeeeee`;
export const CLIENT_TOKEN = 'a'.repeat(64);
/** Polls once a second. */
export const POLLING = { minDelaySeconds: 1, maxDelaySeconds: 1 } as const;
/** Polls ten times a second, for the waits that poll more than once. */
export const FAST = { minDelaySeconds: 0.1, maxDelaySeconds: 0.1 } as const;

export interface AwsTag {
  Key?: string | undefined;
  Value?: string | undefined;
}

/** Tags as EC2 and RDS list them. */
export function awsTags(
  record: Readonly<Record<string, string>>,
): { Key: string; Value: string }[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}

export function tagRecord(tags: readonly AwsTag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map(({ Key, Value }) => [Key ?? '', Value ?? '']));
}

/** The two tags that make a backup one of the set's. */
export function ownershipTags(sourceId: string, set = SET): Record<string, string> {
  return { [TAGS.backupSet]: set, [TAGS.source]: sourceId };
}

/** The tags the action gives a backup of `sourceId` made at `createdAt`. */
export function backupTags(sourceId: string, createdAt = CREATED_AT): Record<string, string> {
  return { ...ownershipTags(sourceId), [TAGS.createdAt]: createdAt };
}

/** A backup of the set in REGION, pending, made at CREATED_AT. */
export function backupOf(
  kind: TargetType,
  id: string,
  sourceId: string,
  overrides: Partial<Backup> = {},
): Backup {
  return {
    id,
    kind,
    region: REGION,
    sourceId,
    set: SET,
    createdAt: new Date(CREATED_AT),
    state: 'pending',
    tags: backupTags(sourceId),
    ...overrides,
  };
}

/** What the core asks an adapter to create of `sourceId`: the set's tags, the run's, a carried one. */
export function createRequest(
  sourceId: string,
  overrides: Partial<CreateRequest> = {},
): CreateRequest {
  return {
    source: { id: sourceId, tags: { app: 'web' } },
    set: SET,
    tags: { ...backupTags(sourceId), [TAGS.run]: '42', app: 'web' },
    ...overrides,
  };
}

/** The tag set the core gives a copy of `of` (composeCopyTags): carried tags plus ownership. */
export function copyTags(of: Backup): Record<string, string> {
  return {
    app: 'web',
    [TAGS.backupSet]: of.set,
    [TAGS.source]: of.sourceId,
    [TAGS.createdAt]: of.createdAt.toISOString(),
    [TAGS.copyOf]: of.id,
    [TAGS.sourceRegion]: of.region,
    [TAGS.run]: '77',
  };
}

export function copyRequest(of: Backup, overrides: Partial<CopyRequest> = {}): CopyRequest {
  return { original: of, tags: copyTags(of), clientToken: CLIENT_TOKEN, ...overrides };
}

type ServiceExceptionOptions = ConstructorParameters<typeof EC2ServiceException>[0];

/** The record of a copy of `of` under `id` that AWS has just accepted in `region`. */
export function pendingCopy(of: Backup, id: string, region = DEST): Backup {
  return {
    id,
    kind: of.kind,
    region,
    sourceId: of.sourceId,
    set: of.set,
    createdAt: of.createdAt,
    state: 'pending',
    tags: copyTags(of),
    copyOf: of.id,
    sourceRegion: of.region,
  };
}

/** An error as the SDK of `Exception`'s service throws it for an AWS error code (`name`). */
function serviceError<E>(Exception: new (options: ServiceExceptionOptions) => E) {
  return (code: string, message = `Simulated ${code}.`, status = 400): E =>
    new Exception({
      name: code,
      message,
      $fault: status >= 500 ? 'server' : 'client',
      $metadata: { httpStatusCode: status },
    });
}

export const ec2Error = serviceError(EC2ServiceException);
export const rdsError = serviceError(RDSServiceException);

/** The error the SDK throws when a request's abort signal fires. */
export function abortError(): Error {
  return Object.assign(new Error('Request aborted'), { name: 'AbortError' });
}

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

/**
 * A client of its own for each test, for aws-sdk-client-mock to wrap: a waiter left polling by one
 * test cannot reach the next test's mock.
 */
export function ec2TestClient(region = REGION): EC2Client {
  return new EC2Client({ region, credentials: CREDENTIALS });
}

export function rdsTestClient(region = REGION): RDSClient {
  return new RDSClient({ region, credentials: CREDENTIALS });
}

/** A sleep that returns at once, recording the pauses asked for. */
export function fakeSleep(): Mock<Sleep> {
  return vi.fn<Sleep>(() => Promise.resolve());
}

/** The names of the commands a mocked client was sent, in order. */
export function commandNames(stub: { calls(): { args: readonly unknown[] }[] }): string[] {
  return stub.calls().map((call) => (call.args[0] as object).constructor.name);
}

/** A mock answer's command class, whatever its input and output. */
type Command = abstract new (input: never) => { input: object };

/** The inputs of the calls of `commands` sent so far, in order. */
function inputsOf<C extends Command>(
  stub: { calls(): { args: readonly unknown[] }[] },
  ...commands: C[]
): (InstanceType<C>['input'] & Record<string, unknown>)[] {
  return stub
    .calls()
    .map((call) => call.args[0])
    .filter((command): command is InstanceType<C> =>
      commands.some((type) => command instanceof type),
    )
    .map((command) => ({ ...command.input }) as InstanceType<C>['input'] & Record<string, unknown>);
}

/** One HTTP answer: status and XML body. */
export interface HttpAnswer {
  status: number;
  body: string;
}

/**
 * Answers every request of `client` from `answer` instead of the network, so the SDK's own
 * middleware (retries, IAM action recording, pacing) runs; returns the requests' bodies with the
 * time each reached the handler. Stubs test credentials in the environment: the caller's afterEach
 * calls `vi.unstubAllEnvs()`.
 */
export function answerHttp(
  client: { config: object },
  answer: (body: string) => HttpAnswer,
): { body: string; at: number }[] {
  vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  const sent: { body: string; at: number }[] = [];
  Object.assign(client.config, {
    requestHandler: {
      handle: (request: { body?: unknown }) => {
        const body = String(request.body);
        sent.push({ body, at: Date.now() });
        const { status, body: xml } = answer(body);
        return Promise.resolve({
          response: {
            statusCode: status,
            headers: { 'content-type': 'text/xml;charset=UTF-8' },
            body: new TextEncoder().encode(xml),
          },
        });
      },
    },
  });
  return sent;
}

/** The Query API action a request body names (`Action=CreateSnapshot`). */
export function actionOf(body: string): string | undefined {
  return /Action=(\w+)/.exec(body)?.[1];
}

/** An EC2 error answer as AWS sends it. */
export function ec2ErrorXml(code: string, message = `Simulated ${code}.`): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code>` +
    `<Message>${message}</Message></Error></Errors><RequestID>req</RequestID></Response>`
  );
}

/** An RDS error answer as AWS sends it. */
export function rdsErrorXml(code: string, message = `Simulated ${code}.`): string {
  return (
    '<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>' +
    `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>req</RequestId></ErrorResponse>`
  );
}

// ---- Neutral descriptions of what AWS holds. ----

/** A volume, instance, DB instance or DB cluster as a test describes it. */
export interface RawSource {
  id: string;
  tags?: Record<string, string>;
  /** RDS: the instance's or cluster's status (default `available`). */
  status?: string;
  /** RDS: StorageEncrypted (left out when undefined). */
  encrypted?: boolean;
  /** DB instances: the Aurora cluster it belongs to. */
  clusterId?: string;
  /** DB instances: the option group of its first OptionGroupMemberships entry. */
  optionGroup?: string;
}

/** A backup as AWS stores it, in words common to every type. */
export interface Stored {
  id: string;
  /** AWS's word for its state (default: the type's word for completed). */
  state?: string;
  /** AWS's explanation of a failed state (EC2 only; RDS gives none). */
  reason?: string;
  /** Its tags; null for an answer with no tag list at all. Default: the case source's, at CREATED_AT. */
  tags?: Record<string, string> | null;
  /** AWS's own creation time (default AWS_TIME). */
  awsTime?: Date;
  /** The source AWS says it was made from (EBS, RDS default: the source tag; images: unsaid). */
  madeFrom?: string;
  /** The backup AWS says it was copied from. */
  copiedFrom?: string;
  encrypted?: boolean;
  /** RDS: its ARN. */
  arn?: string;
  /** Images: the snapshots behind it. */
  snapshots?: string[];
  /** Images: DeregistrationProtection. */
  protection?: string;
  /** EBS: VolumeSize; RDS: AllocatedStorage (GiB). Absent by default. */
  sizeGiB?: number;
  /** Images: one EBS mapping per size, each with its VolumeSize (GiB), in place of `snapshots`. */
  volumeSizes?: number[];
  /** RDS: the snapshot's Engine (absent by default). */
  engine?: string;
}

/** One answer to a describe while waiting or looking up a name: the backup, not shown, an error. */
/** What AWS answers a describe: the backup, none, an error, or (`hang`) no answer ever. */
export type Read = Partial<Stored> | 'absent' | 'hang' | Error;

/** What AWS answers a create or copy: the backup it accepted, no backup at all, or an error. */
export type Made = Partial<Stored> | undefined | Error;

/** What AWS answers a deletion: done, an error, or (images) a protection that refuses it. */
export type DeleteAnswer = 'deleted' | Error | { protection: string };

export interface Page<T> {
  items: T[];
  /** The token of the next page (NextToken, Marker). */
  next?: string;
}

export interface QueryFilter {
  Name?: string | undefined;
  Values?: string[] | undefined;
}

/** A listing or lookup call as the adapter sent it: its page token and its whole input. */
export interface Query {
  token: string | undefined;
  input: Record<string, unknown>;
}

export interface SourceQuery extends Query {
  filters: QueryFilter[];
}

export interface CreateQuery {
  sourceId: string | undefined;
  /** The tags of each resource tagged at creation (EC2 TagSpecifications; RDS one Tags list). */
  tagSets: { resource: string | undefined; tags: AwsTag[] }[];
  input: Record<string, unknown>;
}

/** The options every adapter takes. */
export type Delays = PollingOptions & { sleep?: Sleep };

/** A mocked client of one target type, fresh for each test. */
export interface Harness {
  readonly sleep: Mock<Sleep>;
  /** The adapter over the mocked client: polling every second, sleeping through `sleep`. */
  adapter(options?: Delays, region?: string): TargetAdapter;
  answerSources(answer: (query: SourceQuery) => Page<RawSource>): void;
  sourceQueries(): SourceQuery[];
  answerListing(answer: (query: Query) => Page<Stored>): void;
  listingQueries(): Query[];
  /** Answers the describe calls of a wait or a name lookup in turn; the last answer repeats. */
  answerReads(...reads: Read[]): void;
  /**
   * Answers the describe calls of waits in turn (the last answer repeats), each id asked for by
   * its own answer: shown as given, or not shown.
   */
  answerReadsOf(...reads: ((id: string) => Partial<Stored> | 'absent')[]): void;
  reads(): Record<string, unknown>[];
  /** The options each describe of backups was sent with (its abort signal), in order. */
  readOptions(): unknown[];
  answerCreate(answer: () => Made): void;
  createQueries(): CreateQuery[];
  answerCopy(answer: () => Made): void;
  copyInputs(): Record<string, unknown>[];
  answerDelete(answer: DeleteAnswer): void;
  /** The inputs of the deleting calls sent (images: DeregisterImage and DeleteSnapshot). */
  deleteInputs(): Record<string, unknown>[];
  /** The names of the commands sent, in order. */
  commands(): string[];
  /** The options the first command was sent with (its abort signal). */
  firstSendOptions(): unknown;
  restore(): void;
}

/** Runs `answer` as a mock answer: a thrown error becomes a rejected `send`. */
function settle<T>(answer: () => T): Promise<T> {
  return new Promise((resolve) => resolve(answer()));
}

/** Hands out `items` in turn; the last one repeats. */
function inTurn<T>(items: T[]): () => T {
  let next = 0;
  return () => items[Math.min(next++, items.length - 1)]!;
}

function made(answer: Made): Partial<Stored> | undefined {
  if (answer instanceof Error) throw answer;
  return answer;
}

function tagsOf(s: Partial<Stored>, sourceId: string): Record<string, string> | undefined {
  return s.tags === null ? undefined : (s.tags ?? backupTags(sourceId));
}

/** `2026-11-22T12:00:00.000Z` → `20261122120000`. */
function compact(iso: string): string {
  return iso.replace(/\D/g, '').slice(0, 14);
}

/** What a harness needs of its mocked client, whatever the service. */
interface MockedClient {
  on(command: never): { callsFake(fake: (input: object) => unknown): unknown };
  calls(): { args: readonly unknown[] }[];
  send: { firstCall: { args: readonly unknown[] } };
  restore(): void;
}

/** How one type's describe calls are answered. */
interface Describes {
  sources: Command;
  sourcesAnswer: (items: RawSource[], next: string | undefined) => object;
  backups: Command;
  backupsAnswer: (items: (Partial<Stored> & { id: string })[], next: string | undefined) => object;
  /** The ids a read of given backups asks for. */
  askedIds: (input: Record<string, unknown>) => string[];
  /** AWS's answer to a read (`input`) of backups it does not show. */
  absent: (ids: string[], input: Record<string, unknown>) => object;
}

/** The part of a harness every type shares: lookups, listings and reads answered and recorded. */
function mocked(stub: MockedClient, d: Describes) {
  const sources: SourceQuery[] = [];
  const listings: Query[] = [];
  const reads: Record<string, unknown>[] = [];
  /** Answers `command` through `answer`, with a copy of its input (paginators reuse theirs). */
  const on = (command: Command, answer: (input: Record<string, unknown>) => object) =>
    stub
      .on(command as never)
      .callsFake((input) =>
        settle(() => answer(structuredClone(input) as Record<string, unknown>)),
      );
  const token = (input: Record<string, unknown>) =>
    (input.NextToken ?? input.Marker) as string | undefined;
  return {
    answerSources: (answer: (query: SourceQuery) => Page<RawSource>) =>
      on(d.sources, (input) => {
        const filters = (input.Filters ?? []) as QueryFilter[];
        const query = { token: token(input), filters, input };
        sources.push(query);
        const page = answer(query);
        return d.sourcesAnswer(page.items, page.next);
      }),
    sourceQueries: () => sources,
    answerListing: (answer: (query: Query) => Page<Stored>) =>
      on(d.backups, (input) => {
        const query = { token: token(input), input };
        listings.push(query);
        const page = answer(query);
        return d.backupsAnswer(page.items, page.next);
      }),
    listingQueries: () => listings,
    answerReads: (...answers: Read[]) => {
      const next = inTurn(answers);
      on(d.backups, (input) => {
        reads.push(input);
        const read = next();
        if (read instanceof Error) throw read;
        if (read === 'absent') return d.absent(d.askedIds(input), input);
        if (read === 'hang') return new Promise<never>(() => {});
        // A lookup by name asks for no id: the answer names its own.
        const ids = read.id ? [read.id] : d.askedIds(input);
        return d.backupsAnswer(
          ids.map((id) => ({ ...read, id })),
          undefined,
        );
      });
    },
    answerReadsOf: (...answers: ((id: string) => Partial<Stored> | 'absent')[]) => {
      const next = inTurn(answers);
      on(d.backups, (input) => {
        reads.push(input);
        const read = next();
        const shown = d.askedIds(input).flatMap((id) => {
          const backup = read(id);
          return backup === 'absent' ? [] : [{ ...backup, id }];
        });
        return shown.length > 0 ? d.backupsAnswer(shown, undefined) : d.absent([], input);
      });
    },
    reads: () => reads,
    readOptions: () =>
      stub
        .calls()
        .filter((call) => call.args[0] instanceof d.backups)
        .map((call) => call.args[1]),
    commands: () => commandNames(stub),
    firstSendOptions: () => stub.send.firstCall.args[1],
    restore: () => stub.restore(),
  };
}

/** The ids a describe by `snapshot-id` or `image-id` filter (or ImageIds) asks for. */
function askedIds(input: Record<string, unknown>): string[] {
  const filters = (input.Filters ?? []) as QueryFilter[];
  const filter = filters.find((f) => f.Name === 'snapshot-id' || f.Name === 'image-id');
  return filter?.Values ?? (input.ImageIds as string[] | undefined) ?? [];
}

/** An EC2 create as the tests read it: its source, and the tags of each resource it tags. */
function ec2CreateQuery(
  sourceId: string | undefined,
  input: { TagSpecifications?: { ResourceType?: string; Tags?: AwsTag[] }[] },
): CreateQuery {
  const tagSets = (input.TagSpecifications ?? []).map((spec) => ({
    resource: spec.ResourceType,
    tags: spec.Tags ?? [],
  }));
  return { sourceId, tagSets, input };
}

/** The tags an EC2 create or copy asks for (those of its first TagSpecification). */
function askedTags(input: { TagSpecifications?: { Tags?: AwsTag[] }[] }): Record<string, string> {
  return tagRecord(input.TagSpecifications?.[0]?.Tags);
}

// ---- EBS snapshots. ----

export const EBS_SOURCE = 'vol-1';

/** The id AWS gives the snapshot of `sourceId` made at `createdAt`, in these tests. */
export function ebsId(sourceId: string, createdAt: string): string {
  return `snap-${sourceId}-${compact(createdAt)}`;
}

export function ebsCopyId(originalId: string): string {
  return originalId.replace(/^snap-/, 'snap-copy-');
}

export function ebsSnapshot(s: Partial<Stored> & { id: string }): Snapshot {
  const tags = tagsOf(s, EBS_SOURCE);
  const copy = s.copiedFrom !== undefined || tags?.[TAGS.copyOf] !== undefined;
  return {
    SnapshotId: s.id,
    // A copy names no real volume: AWS gives it a placeholder.
    VolumeId: s.madeFrom ?? (copy ? 'vol-ffffffff' : tags?.[TAGS.source]),
    State: (s.state ?? 'completed') as Snapshot['State'],
    ...(s.reason ? { StateMessage: s.reason } : {}),
    StartTime: s.awsTime ?? AWS_TIME,
    ...(tags ? { Tags: awsTags(tags) } : {}),
    ...(s.encrypted !== undefined ? { Encrypted: s.encrypted } : {}),
    ...(s.sizeGiB !== undefined ? { VolumeSize: s.sizeGiB } : {}),
  };
}

function volume(s: RawSource): Volume {
  return { VolumeId: s.id, Tags: awsTags(s.tags ?? {}) };
}

export interface EbsHarness extends Harness {
  readonly client: EC2Client;
  readonly ec2: AwsClientStub<EC2Client>;
  adapter(options?: EbsVolumeOptions, region?: string): EbsVolumeAdapter;
}

export function ebsHarness(): EbsHarness {
  const client = ec2TestClient();
  const ec2 = mockClient(client);
  const sleep = fakeSleep();
  return {
    ...mocked(ec2, {
      sources: DescribeVolumesCommand,
      sourcesAnswer: (items, next) => ({ Volumes: items.map(volume), NextToken: next }),
      backups: DescribeSnapshotsCommand,
      backupsAnswer: (items, next) => ({ Snapshots: items.map(ebsSnapshot), NextToken: next }),
      askedIds,
      absent: () => ({ Snapshots: [] }),
    }),
    client,
    ec2,
    sleep,
    adapter: (options = {}, region = REGION) =>
      new EbsVolumeAdapter(client, region, { ...POLLING, sleep, ...options }),
    answerCreate: (answer) =>
      ec2.on(CreateSnapshotCommand).callsFake((input: CreateSnapshotCommandInput) =>
        settle(() => {
          const accepted = made(answer());
          if (!accepted) return { $metadata: { attempts: 1 } };
          // Tagged as asked.
          const tags = askedTags(input);
          const id = ebsId(input.VolumeId ?? '', tags[TAGS.createdAt] ?? '');
          return { ...ebsSnapshot({ id, tags, ...accepted }), $metadata: { attempts: 1 } };
        }),
      ),
    createQueries: () =>
      inputsOf(ec2, CreateSnapshotCommand).map((input) => ec2CreateQuery(input.VolumeId, input)),
    answerCopy: (answer) =>
      ec2.on(CopySnapshotCommand).callsFake((input: { SourceSnapshotId?: string }) =>
        settle(() => {
          const id = made(answer()) ? ebsCopyId(input.SourceSnapshotId ?? '') : undefined;
          return { ...(id ? { SnapshotId: id } : {}), $metadata: { attempts: 1 } };
        }),
      ),
    copyInputs: () => inputsOf(ec2, CopySnapshotCommand),
    answerDelete: (answer) => {
      if (answer instanceof Error) ec2.on(DeleteSnapshotCommand).rejects(answer);
      else ec2.on(DeleteSnapshotCommand).resolves({});
    },
    deleteInputs: () => inputsOf(ec2, DeleteSnapshotCommand),
  };
}

// ---- AMIs. ----

export const IMAGE_SOURCE = 'i-0123456789abcdef0';
/** The instance states the action can image: terminated ones linger in describe answers. */
export const LIVE_INSTANCES = {
  Name: 'instance-state-name',
  Values: ['pending', 'running', 'stopping', 'stopped'],
};

export function amiId(sourceId: string, createdAt: string): string {
  return `ami-${sourceId}-${compact(createdAt)}`;
}

export function amiImage(s: Partial<Stored> & { id: string }): Image {
  const tags = tagsOf(s, IMAGE_SOURCE);
  const snapshots =
    s.snapshots ??
    s.volumeSizes?.map((_, i) => `snap-of-${s.id}-${i}`) ??
    (s.encrypted !== undefined ? [`snap-of-${s.id}`] : []);
  return {
    ImageId: s.id,
    Name: `snapshot-rotation-${s.id}`,
    State: (s.state ?? 'available') as Image['State'],
    ...(s.reason ? { StateReason: { Code: 'Server.InternalError', Message: s.reason } } : {}),
    CreationDate: (s.awsTime ?? AWS_TIME).toISOString(),
    ...(tags ? { Tags: awsTags(tags) } : {}),
    ...(s.madeFrom ? { SourceInstanceId: s.madeFrom } : {}),
    ...(s.copiedFrom ? { SourceImageId: s.copiedFrom, SourceImageRegion: REGION } : {}),
    ...(s.protection ? { DeregistrationProtection: s.protection } : {}),
    BlockDeviceMappings: snapshots.map((SnapshotId, i) => ({
      DeviceName: `/dev/sd${String.fromCharCode(97 + i)}`,
      Ebs: {
        SnapshotId,
        ...(s.volumeSizes?.[i] !== undefined ? { VolumeSize: s.volumeSizes[i] } : {}),
        ...(s.encrypted !== undefined ? { Encrypted: s.encrypted } : {}),
      },
    })),
  };
}

export function instance(s: RawSource): Instance {
  return { InstanceId: s.id, Tags: awsTags(s.tags ?? {}) };
}

export interface ImageHarness extends Harness {
  readonly client: EC2Client;
  readonly ec2: AwsClientStub<EC2Client>;
  adapter(options?: Partial<Ec2ImageOptions>, region?: string): Ec2ImageAdapter;
}

export function imageHarness(): ImageHarness {
  const client = ec2TestClient();
  const ec2 = mockClient(client);
  // The listing also reads the set's snapshots, for those an interrupted prune left behind.
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  const sleep = fakeSleep();
  const images = (items: (Partial<Stored> & { id: string })[], next: string | undefined) => ({
    Images: items.map(amiImage),
    NextToken: next,
  });
  return {
    ...mocked(ec2, {
      sources: DescribeInstancesCommand,
      sourcesAnswer: (items, next) => ({
        Reservations: [{ Instances: items.map(instance) }],
        NextToken: next,
      }),
      backups: DescribeImagesCommand,
      backupsAnswer: images,
      askedIds,
      absent: () => ({ Images: [] }),
    }),
    client,
    ec2,
    sleep,
    adapter: (options = {}, region = REGION) =>
      new Ec2ImageAdapter(client, region, { noReboot: true, ...POLLING, sleep, ...options }),
    answerCreate: (answer) =>
      ec2.on(CreateImageCommand).callsFake((input: CreateImageCommandInput) =>
        settle(() => {
          // CreateImage answers with the image id alone.
          const createdAt = askedTags(input)[TAGS.createdAt] ?? '';
          return made(answer()) ? { ImageId: amiId(input.InstanceId ?? '', createdAt) } : {};
        }),
      ),
    createQueries: () =>
      inputsOf(ec2, CreateImageCommand).map((input) => ec2CreateQuery(input.InstanceId, input)),
    answerCopy: (answer) =>
      ec2.on(CopyImageCommand).callsFake((input: { SourceImageId?: string }) =>
        settle(() => {
          const id = (input.SourceImageId ?? '').replace(/^ami-/, 'ami-copy-');
          return made(answer()) ? { ImageId: id } : {};
        }),
      ),
    copyInputs: () => inputsOf(ec2, CopyImageCommand),
    answerDelete: (answer) => {
      // An image gone answers its describe with the same not-found as its deregistration.
      const gone = answer instanceof Error && hasAwsCode(answer, 'InvalidAMIID.NotFound');
      const protection =
        typeof answer === 'object' && 'protection' in answer ? answer.protection : undefined;
      ec2.on(DescribeImagesCommand).callsFake((input: DescribeImagesCommandInput) =>
        settle(() => {
          if (gone) throw answer;
          const id = input.ImageIds?.[0] ?? '';
          return images(
            [{ id, snapshots: ['snap-1'], ...(protection ? { protection } : {}) }],
            undefined,
          );
        }),
      );
      if (answer instanceof Error) ec2.on(DeregisterImageCommand).rejects(answer);
      else {
        ec2.on(DeregisterImageCommand).resolves({
          DeleteSnapshotResults: [{ SnapshotId: 'snap-1', ReturnCode: 'success' }],
        });
      }
    },
    deleteInputs: () =>
      inputsOf<typeof DeregisterImageCommand | typeof DeleteSnapshotCommand>(
        ec2,
        DeregisterImageCommand,
        DeleteSnapshotCommand,
      ),
  };
}

// ---- RDS DB snapshots and DB cluster snapshots. ----

export const RDS_SOURCES = { 'rds-instance': 'db-1', 'rds-cluster': 'aurora-1' } as const;

/** The names that differ between DB snapshots and DB cluster snapshots. */
const RDS_NAMES = {
  'rds-instance': {
    describeSources: DescribeDBInstancesCommand,
    sources: 'DBInstances',
    status: 'DBInstanceStatus',
    describe: DescribeDBSnapshotsCommand,
    snapshots: 'DBSnapshots',
    create: CreateDBSnapshotCommand,
    copy: CopyDBSnapshotCommand,
    delete: DeleteDBSnapshotCommand,
    snapshot: 'DBSnapshot',
    identifier: 'DBSnapshotIdentifier',
    idFilter: 'db-snapshot-id',
    sourceId: 'DBInstanceIdentifier',
    copiedFrom: 'SourceDBSnapshotIdentifier',
    arn: 'DBSnapshotArn',
    encrypted: 'Encrypted',
    target: 'TargetDBSnapshotIdentifier',
    notFound: 'DBSnapshotNotFoundFault',
  },
  'rds-cluster': {
    describeSources: DescribeDBClustersCommand,
    sources: 'DBClusters',
    status: 'Status',
    describe: DescribeDBClusterSnapshotsCommand,
    snapshots: 'DBClusterSnapshots',
    create: CreateDBClusterSnapshotCommand,
    copy: CopyDBClusterSnapshotCommand,
    delete: DeleteDBClusterSnapshotCommand,
    snapshot: 'DBClusterSnapshot',
    identifier: 'DBClusterSnapshotIdentifier',
    idFilter: 'db-cluster-snapshot-id',
    sourceId: 'DBClusterIdentifier',
    copiedFrom: 'SourceDBClusterSnapshotArn',
    arn: 'DBClusterSnapshotArn',
    encrypted: 'StorageEncrypted',
    target: 'TargetDBClusterSnapshotIdentifier',
    notFound: 'DBClusterSnapshotNotFoundFault',
  },
} as const;

type RdsType = keyof typeof RDS_NAMES;

/** A DB snapshot or DB cluster snapshot as RDS describes it. */
export function rdsSnapshot(type: RdsType, s: Partial<Stored> & { id: string }) {
  const names = RDS_NAMES[type];
  const tags = tagsOf(s, RDS_SOURCES[type]);
  return {
    [names.identifier]: s.id,
    [names.sourceId]: s.madeFrom ?? tags?.[TAGS.source],
    ...(s.copiedFrom ? { [names.copiedFrom]: s.copiedFrom } : {}),
    SnapshotType: 'manual',
    Status: s.state ?? 'available',
    SnapshotCreateTime: s.awsTime ?? AWS_TIME,
    ...(tags ? { TagList: awsTags(tags) } : {}),
    ...(s.arn ? { [names.arn]: s.arn } : {}),
    ...(s.encrypted !== undefined ? { [names.encrypted]: s.encrypted } : {}),
    ...(s.sizeGiB !== undefined ? { AllocatedStorage: s.sizeGiB } : {}),
    ...(s.engine ? { Engine: s.engine } : {}),
  };
}

/** A DB instance or DB cluster as RDS describes it. */
function rdsSource(type: RdsType, s: RawSource) {
  const names = RDS_NAMES[type];
  return {
    [names.sourceId]: s.id,
    [names.status]: s.status ?? 'available',
    TagList: awsTags(s.tags ?? {}),
    ...(s.clusterId ? { DBClusterIdentifier: s.clusterId } : {}),
    ...(s.encrypted !== undefined ? { StorageEncrypted: s.encrypted } : {}),
    ...(s.optionGroup
      ? {
          OptionGroupMemberships: [
            { OptionGroupName: s.optionGroup, Status: 'in-sync' },
            { OptionGroupName: 'pending-og', Status: 'pending-apply' },
          ],
        }
      : {}),
  };
}

export interface RdsHarness extends Harness {
  readonly client: RDSClient;
  readonly rds: AwsClientStub<RDSClient>;
  adapter(options?: RdsOptions, region?: string): RdsAdapter;
}

export function rdsHarness(type: RdsType): RdsHarness {
  const names = RDS_NAMES[type];
  const factory = type === 'rds-instance' ? rdsInstanceAdapter : rdsClusterAdapter;
  const client = rdsTestClient();
  const rds = mockClient(client);
  const sleep = fakeSleep();
  const stub = rds as unknown as MockedClient;
  /** A create or copy answered with the snapshot under the identifier asked for, tagged as asked. */
  const accept = (command: Command, identifier: string, answer: () => Made) =>
    stub.on(command as never).callsFake((input) =>
      settle(() => {
        const asked = input as Record<string, unknown>;
        const accepted = made(answer());
        if (!accepted) return {};
        const tags = tagRecord(asked.Tags as AwsTag[] | undefined);
        const id = String(asked[identifier]);
        return { [names.snapshot]: rdsSnapshot(type, { tags, ...accepted, id }) };
      }),
    );
  return {
    ...mocked(stub, {
      sources: names.describeSources,
      sourcesAnswer: (items, next) => ({
        [names.sources]: items.map((item) => rdsSource(type, item)),
        Marker: next,
      }),
      backups: names.describe,
      backupsAnswer: (items, next) => ({
        [names.snapshots]: items.map((item) => rdsSnapshot(type, item)),
        Marker: next,
      }),
      // By identifier (a name looked up), or by the identifier filter (the waits).
      askedIds: (input) =>
        input[names.identifier] !== undefined
          ? [String(input[names.identifier])]
          : (((input.Filters ?? []) as QueryFilter[]).find((f) => f.Name === names.idFilter)
              ?.Values ?? []),
      // RDS answers an identifier it does not show with its not-found error; a filter by
      // identifier leaves it out of the answer.
      absent: (ids, input) => {
        if (input.Filters) return { [names.snapshots]: [] };
        throw rdsError(names.notFound, `${ids.join(', ')} not found.`);
      },
    }),
    client,
    rds,
    sleep,
    adapter: (options = {}, region = REGION) =>
      factory(client, region, { ...POLLING, sleep, ...options }),
    answerCreate: (answer) => accept(names.create, names.identifier, answer),
    createQueries: () =>
      inputsOf(rds, names.create).map((input) => ({
        sourceId: input[names.sourceId] as string | undefined,
        tagSets: [{ resource: 'snapshot', tags: input.Tags ?? [] }],
        input,
      })),
    answerCopy: (answer) => accept(names.copy, names.target, answer),
    copyInputs: () => inputsOf(rds, names.copy),
    answerDelete: (answer) => {
      if (answer instanceof Error) rds.on(names.delete as never).rejects(answer);
      else rds.on(names.delete as never).resolves({});
    },
    deleteInputs: () => inputsOf(rds, names.delete),
  };
}

export function rdsArn(type: 'rds-instance' | 'rds-cluster', region: string, id: string): string {
  const kind = type === 'rds-instance' ? 'snapshot' : 'cluster-snapshot';
  return `arn:aws:rds:${region}:${ACCOUNT}:${kind}:${id}`;
}
