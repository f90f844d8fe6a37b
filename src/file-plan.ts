/**
 * What a `files` run reads and stores: which files keep their hash from the last manifest, which
 * content is already in the bucket, which goes up as an object of its own and which into the
 * run's pack of small files. Pure: the adapter scans, hashes and uploads.
 */
import { TargetError } from './errors.js';
import { contentKey, parseContentKey } from './file-keys.js';
import type { ContentRef, Manifest, ManifestFile } from './manifest.js';
import { type TarLayout, tarLayout } from './tar.js';

/** A file as the scan found it: its path relative to the root, size, time and permission bits. */
export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
  mode: number;
}

/** Content already in the bucket, by SHA-256. */
export type StoredContent = ReadonlyMap<string, ContentRef>;

/** One content to store, with every file that has it. */
export interface PlannedContent {
  sha256: string;
  files: ScannedFile[];
  size: number;
}

export interface ContentPlan {
  /** Files whose content is stored already, with where it is. */
  reused: ManifestFile[];
  /** Content of `packThreshold` bytes or more: an object of its own each. */
  uploads: PlannedContent[];
  /** Smaller content: members of the run's pack. */
  packed: PlannedContent[];
}

/**
 * How close to the last manifest's time a file's modification time may be before its hash is not
 * trusted: a write in the same tick of a coarse clock (2 s on FAT) after the file was read leaves
 * size and time as they were ("racily clean", as git calls it).
 */
export const RACY_MS = 2000;

/**
 * Which files keep the hash and content of the last manifest (same size and modification time,
 * modified well before that manifest was made; their mode is the scan's) and which must be read.
 */
export function planHashing(
  scanned: readonly ScannedFile[],
  previous: Manifest | undefined,
): { known: ManifestFile[]; toHash: ScannedFile[] } {
  const before = new Map(previous?.files.map((file) => [file.path, file]));
  const racyFrom = previous ? Date.parse(previous.createdAt) - RACY_MS : -Infinity;
  const known: ManifestFile[] = [];
  const toHash: ScannedFile[] = [];
  for (const file of scanned) {
    const old = before.get(file.path);
    if (old && old.size === file.size && old.mtimeMs === file.mtimeMs && file.mtimeMs < racyFrom) {
      known.push(manifestFile(file, old.sha256, old.content));
    } else {
      toHash.push(file);
    }
  }
  return { known, toHash };
}

/**
 * Content in the bucket: the objects of the data listing (keys relative to the area; other keys
 * are passed over) and the pack members of the manifests kept. An object of its own is preferred
 * to a pack member.
 */
export function storedContent(
  dataKeys: readonly string[],
  manifests: readonly Manifest[],
): StoredContent {
  const stored = new Map<string, ContentRef>();
  for (const manifest of manifests) {
    for (const file of manifest.files) {
      if ('pack' in file.content && !stored.has(file.sha256)) {
        stored.set(file.sha256, file.content);
      }
    }
  }
  for (const key of dataKeys) {
    const sha256 = parseContentKey(key);
    if (sha256 !== undefined) stored.set(sha256, { object: key });
  }
  return stored;
}

/**
 * What to store of the hashed files: content already stored is reused whatever its size; each
 * other content is stored once however many files have it, as an object of its own from
 * `packThreshold` bytes, in the pack below. Content and its files keep the order given.
 */
export function planContent(
  hashed: readonly { file: ScannedFile; sha256: string }[],
  stored: StoredContent,
  packThreshold: number,
): ContentPlan {
  if (!(packThreshold >= 0)) {
    throw new RangeError(`The pack threshold is a number of bytes, not ${packThreshold}.`);
  }
  const reused: ManifestFile[] = [];
  const toStore = new Map<string, PlannedContent>();
  for (const { file, sha256 } of hashed) {
    const ref = stored.get(sha256);
    if (ref) {
      reused.push(manifestFile(file, sha256, ref));
      continue;
    }
    const planned = toStore.get(sha256);
    if (planned === undefined) {
      toStore.set(sha256, { sha256, files: [file], size: file.size });
    } else if (planned.size !== file.size) {
      throw new TargetError(
        `${planned.files[0]!.path} and ${file.path} have the same SHA-256 but ${planned.size} and ${file.size} bytes: one changed while it was read. Run the backup again.`,
      );
    } else {
      planned.files.push(file);
    }
  }
  const all = [...toStore.values()];
  return {
    reused,
    uploads: all.filter((content) => content.size >= packThreshold),
    packed: all.filter((content) => content.size < packThreshold),
  };
}

/** The manifest's files of content stored as an object of its own (`contentKey`). */
export function uploadedFiles(content: PlannedContent): ManifestFile[] {
  return filesOf(content, { object: contentKey(content.sha256) });
}

/**
 * The pack of `packed` at `key` (relative to the area): its tar members in order, named by their
 * SHA-256, its size, and the manifest's files of its content.
 */
export function packLayout(
  packed: readonly PlannedContent[],
  key: string,
): TarLayout & { files: ManifestFile[] } {
  const layout = tarLayout(packed.map((content) => ({ name: content.sha256, size: content.size })));
  const files = packed.flatMap((content, index) =>
    filesOf(content, { pack: key, offset: layout.members[index]!.offset, size: content.size }),
  );
  return { ...layout, files };
}

function filesOf(content: PlannedContent, ref: ContentRef): ManifestFile[] {
  return content.files.map((file) => manifestFile(file, content.sha256, ref));
}

/** A manifest's file: the scan's fields (and no others it carries), its hash and content. */
function manifestFile(file: ScannedFile, sha256: string, content: ContentRef): ManifestFile {
  const { path, size, mtimeMs, mode } = file;
  return { path, size, mtimeMs, mode, sha256, content };
}
