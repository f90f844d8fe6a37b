/**
 * The keys of a file set's area in the bucket: `<prefix><set>/<file set>/` holding `manifests/`
 * (one per run, its key the backup id), `data/` (content by SHA-256) and `packs/` (small files,
 * one tar per run). Anything else under the area is not ours: never counted, never deleted. Pure.
 */
import { TAGS } from './constants.js';
import { TargetError } from './errors.js';
import { RUN_ID, SHA256_HEX } from './manifest.js';
import type { Backup } from './model.js';

/** A UTC time to the millisecond, `2026-11-22T12-00-00-000Z`: sorts as time does, URL-safe. */
const STAMP = '(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z)';
const RUN = '(?:-run([A-Za-z0-9_-]{1,64}))?';
const MANIFEST_NAME = new RegExp(`^${STAMP}${RUN}\\.json$`);
const PACK_KEY = new RegExp(`^packs/${STAMP}${RUN}\\.tar$`);
const CONTENT_KEY = /^data\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/**
 * `<prefix><set>/<fileSet>/`, the prefix given a trailing `/` unless empty. A set or file set
 * that is empty, `.`, `..` or holds a `/` is refused: one area would then lie inside another,
 * and one file set's clean-up would see the other's content.
 */
export function areaPrefix(prefix: string, set: string, fileSet: string): string {
  for (const [what, name] of [
    ['set', set],
    ['file set', fileSet],
  ] as const) {
    if (name === '' || name === '.' || name === '..' || name.includes('/')) {
      throw new TargetError(
        `The ${what} ${JSON.stringify(name)} cannot name an area of the bucket: it must be non-empty, not '.' or '..', and hold no '/'.`,
      );
    }
  }
  const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return `${base}${set}/${fileSet}/`;
}

/** `<area>manifests/<UTC time>[-run<runId>].json`: the run's manifest, its backup id. */
export function manifestKey(area: string, createdAt: Date, runId?: string): string {
  return `${area}manifests/${stampOf(createdAt, runId)}.json`;
}

/**
 * The time and run of a manifest key of exactly `manifestKey`'s shape under `area`, or undefined
 * for any other key (such an object is never counted as a backup, so never deleted).
 */
export function parseManifestKey(
  key: string,
  area: string,
): { createdAt: Date; runId?: string } | undefined {
  const folder = `${area}manifests/`;
  if (!key.startsWith(folder)) return undefined;
  const match = MANIFEST_NAME.exec(key.slice(folder.length));
  return match ? timeAndRun(match[1]!, match[2]) : undefined;
}

/** Where a file set's manifests are: what a manifest key's backup is made of. */
export interface FileSetPlace {
  area: string;
  region: string;
  set: string;
  fileSet: string;
}

/**
 * The backup a manifest key names (a completed `files` backup, its tags rebuilt from the key), or
 * undefined for a key of any other shape.
 */
export function manifestBackup(key: string, place: FileSetPlace): Backup | undefined {
  const parsed = parseManifestKey(key, place.area);
  if (!parsed) return undefined;
  return {
    id: key,
    kind: 'files',
    region: place.region,
    sourceId: place.fileSet,
    set: place.set,
    createdAt: parsed.createdAt,
    state: 'completed',
    tags: {
      [TAGS.backupSet]: place.set,
      [TAGS.source]: place.fileSet,
      [TAGS.createdAt]: parsed.createdAt.toISOString(),
      ...(parsed.runId ? { [TAGS.run]: parsed.runId } : {}),
    },
  };
}

/** `data/<first two hex digits>/<sha256>`, relative to the area. */
export function contentKey(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) {
    throw new TargetError(`${JSON.stringify(sha256)} is not a SHA-256 (64 lower-case hex digits).`);
  }
  return `data/${sha256.slice(0, 2)}/${sha256}`;
}

/** The SHA-256 a content key (relative to the area) stores, or undefined for any other key. */
export function parseContentKey(key: string): string | undefined {
  const match = CONTENT_KEY.exec(key);
  return match && match[2]!.startsWith(match[1]!) ? match[2] : undefined;
}

/** `packs/<UTC time>[-run<runId>].tar`, relative to the area: the run's pack of small files. */
export function packKey(createdAt: Date, runId?: string): string {
  return `packs/${stampOf(createdAt, runId)}.tar`;
}

/**
 * True for a key (relative to the area) of exactly the shape `contentKey` or `packKey` writes:
 * the only objects content clean-up may delete.
 */
export function isContentKey(key: string): boolean {
  const pack = PACK_KEY.exec(key);
  return parseContentKey(key) !== undefined || (pack !== null && isTime(pack[1]!));
}

function stampOf(createdAt: Date, runId: string | undefined): string {
  const iso = createdAt.toISOString();
  if (!/^\d{4}-/.test(iso)) {
    throw new TargetError(`${iso} is outside the years a key can name (0000 to 9999).`);
  }
  if (runId !== undefined && !RUN_ID.test(runId)) {
    throw new TargetError(
      `The run id ${JSON.stringify(runId)} cannot name a key: it must be 1 to 64 letters, digits, '_' or '-'.`,
    );
  }
  const stamp = iso.replace(/[:.]/g, '-');
  return runId === undefined ? stamp : `${stamp}-run${runId}`;
}

function timeAndRun(
  stamp: string,
  runId: string | undefined,
): { createdAt: Date; runId?: string } | undefined {
  if (!isTime(stamp)) return undefined;
  const createdAt = new Date(isoOf(stamp));
  return runId === undefined ? { createdAt } : { createdAt, runId };
}

/** `2026-11-22T12-00-00-000Z` → `2026-11-22T12:00:00.000Z`. */
function isoOf(stamp: string): string {
  return `${stamp.slice(0, 13)}:${stamp.slice(14, 16)}:${stamp.slice(17, 19)}.${stamp.slice(20)}`;
}

/** A stamp of a real time (no 30 February, no hour 25). */
function isTime(stamp: string): boolean {
  const iso = isoOf(stamp);
  const time = Date.parse(iso);
  return !Number.isNaN(time) && new Date(time).toISOString() === iso;
}
