/**
 * The `files` target's backup: a manifest, one JSON object per run listing every file (path, size,
 * time, mode, SHA-256, where its content is), written and read back whole-checked. Pure.
 */
import { TargetError } from './errors.js';

export const MANIFEST_FORMAT = 'snapshot-rotation/files';
export const MANIFEST_VERSION = 1;

/**
 * Where a file's content is, relative to the file set's area: an object of its own
 * (`data/ab/abcdef…`), or a member of a tar pack (`packs/<name>.tar`) whose data starts at byte
 * `offset`, so `Range: bytes=offset-(offset+size-1)` reads it.
 */
export type ContentRef = { object: string } | { pack: string; offset: number; size: number };

export interface ManifestFile {
  /** POSIX, relative to the manifest's root: no leading `/`, no `.` or `..` segment, no `\`. */
  path: string;
  size: number;
  mtimeMs: number;
  /** The permission bits: `mode & 0o7777`. */
  mode: number;
  /** 64 lower-case hex digits. */
  sha256: string;
  content: ContentRef;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  set: string;
  fileSet: string;
  /** ISO 8601, as `Date.prototype.toISOString` writes it. */
  createdAt: string;
  runId?: string;
  /** The directory the paths are relative to, as on the runner. */
  root: string;
  storageClass: string;
  files: ManifestFile[];
}

/** 64 lower-case hex digits. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Run ids as GitHub gives them (digits), or any id of letters, digits, `_` and `-`. */
export const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The manifest as JSON: fields in a fixed order, files sorted by path (by UTF-16 code unit, the
 * same on every machine), one file a line. It is checked first, so nothing is written that
 * `parseManifest` would refuse; a `TargetError` says what is wrong.
 */
export function serializeManifest(manifest: Manifest): string {
  const problem = manifestProblem(manifest);
  if (problem !== undefined) {
    throw new TargetError(
      `The manifest of ${manifest.set}/${manifest.fileSet} was not written: ${problem}.`,
    );
  }
  const header = JSON.stringify({
    format: manifest.format,
    version: manifest.version,
    set: manifest.set,
    fileSet: manifest.fileSet,
    createdAt: manifest.createdAt,
    ...(manifest.runId === undefined ? {} : { runId: manifest.runId }),
    root: manifest.root,
    storageClass: manifest.storageClass,
  });
  const files = [...manifest.files].sort((a, b) => byCodeUnit(a.path, b.path)).map(fileJson);
  const list = files.length === 0 ? '[]' : `[\n${files.join(',\n')}\n]`;
  return `${header.slice(0, -1)},"files":${list}}\n`;
}

/**
 * The manifest stored at `key`, checked whole: its format and version, each file's path, hash,
 * size, mode and content. Fields it does not know are dropped. Throws a `TargetError` naming the
 * key and what is wrong.
 */
export function parseManifest(text: string, key: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TargetError(`Manifest ${key} is not JSON: ${(error as Error).message}.`);
  }
  const result = readManifest(data);
  const problem = typeof result === 'string' ? result : manifestProblem(result);
  if (problem !== undefined) throw new TargetError(`Manifest ${key} is not valid: ${problem}.`);
  return result as Manifest;
}

/** The manifest's fields, with their types still to check, or why it is not a manifest at all. */
function readManifest(data: unknown): Manifest | string {
  if (!isRecord(data)) return 'it is not a JSON object';
  if (data.format !== MANIFEST_FORMAT) {
    return `its format is ${JSON.stringify(data.format)}, not "${MANIFEST_FORMAT}"`;
  }
  if (data.version !== MANIFEST_VERSION) {
    return `it has version ${JSON.stringify(data.version)}, and this action reads version ${MANIFEST_VERSION} (did a newer one write it?)`;
  }
  if (!Array.isArray(data.files)) return 'its files are not a list';
  const files: ManifestFile[] = [];
  for (const [index, value] of (data.files as unknown[]).entries()) {
    const file = readFile(value);
    if (typeof file === 'string') return `files[${index}] ${file}`;
    files.push(file);
  }
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    set: data.set as string,
    fileSet: data.fileSet as string,
    createdAt: data.createdAt as string,
    ...(data.runId === undefined ? {} : { runId: data.runId as string }),
    root: data.root as string,
    storageClass: data.storageClass as string,
    files,
  };
}

function readFile(value: unknown): ManifestFile | string {
  if (!isRecord(value)) return 'is not a JSON object';
  const content = value.content;
  if (!isRecord(content)) return 'has no content object';
  if ('object' in content === 'pack' in content) {
    return 'has content that names neither or both of an object and a pack';
  }
  return {
    path: value.path as string,
    size: value.size as number,
    mtimeMs: value.mtimeMs as number,
    mode: value.mode as number,
    sha256: value.sha256 as string,
    content:
      'object' in content
        ? { object: content.object as string }
        : {
            pack: content.pack as string,
            offset: content.offset as number,
            size: content.size as number,
          },
  };
}

/** What is wrong with a manifest, or undefined: every field's type and value, every file. */
function manifestProblem(manifest: Manifest): string | undefined {
  for (const field of ['set', 'fileSet', 'root', 'storageClass'] as const) {
    const value: unknown = manifest[field];
    if (typeof value !== 'string' || value === '') return `its ${field} is not a non-empty string`;
  }
  if (!isIsoTime(manifest.createdAt)) {
    return `its createdAt ${JSON.stringify(manifest.createdAt)} is not an ISO 8601 time`;
  }
  const runId: unknown = manifest.runId;
  if (runId !== undefined && !(typeof runId === 'string' && RUN_ID.test(runId))) {
    return `its runId ${JSON.stringify(runId)} is not a run id`;
  }
  const paths = new Set<string>();
  const sizes = new Map<string, number>();
  for (const [index, file] of manifest.files.entries()) {
    const where = `files[${index}] (${JSON.stringify(file.path)})`;
    const problem = fileProblem(file);
    if (problem !== undefined) return `${where}: ${problem}`;
    if (paths.has(file.path)) return `${where}: the path is listed twice`;
    paths.add(file.path);
    const size = sizes.get(file.sha256);
    if (size !== undefined && size !== file.size) {
      return `${where}: another file with the same SHA-256 has ${size} bytes, not ${file.size}`;
    }
    sizes.set(file.sha256, file.size);
  }
  return packProblem(manifest.files);
}

function fileProblem(file: ManifestFile): string | undefined {
  const path = pathProblem(file.path);
  if (path !== undefined) return `the path ${path}`;
  if (!isByteCount(file.size))
    return `its size ${JSON.stringify(file.size)} is not a whole number of bytes`;
  if (typeof file.mtimeMs !== 'number' || !Number.isFinite(file.mtimeMs)) {
    return `its mtimeMs ${JSON.stringify(file.mtimeMs)} is not a time`;
  }
  if (!Number.isInteger(file.mode) || file.mode < 0 || file.mode > 0o7777) {
    return `its mode ${JSON.stringify(file.mode)} is not permission bits (0 to 0o7777)`;
  }
  if (typeof file.sha256 !== 'string' || !SHA256_HEX.test(file.sha256)) {
    return 'its sha256 is not 64 lower-case hex digits';
  }
  const content = file.content;
  if ('object' in content) {
    const key = pathProblem(content.object);
    return key === undefined ? undefined : `its content object key ${key}`;
  }
  const key = pathProblem(content.pack);
  if (key !== undefined) return `its content pack key ${key}`;
  if (!isByteCount(content.offset) || content.offset < 512 || content.offset % 512 !== 0) {
    return `its pack offset ${JSON.stringify(content.offset)} is not where a tar member's data starts (a multiple of 512, after a header)`;
  }
  if (content.size !== file.size) {
    return `its pack range holds ${JSON.stringify(content.size)} bytes, but the file has ${file.size}`;
  }
  return undefined;
}

/** Different content at overlapping ranges of one pack. */
function packProblem(files: readonly ManifestFile[]): string | undefined {
  const members = new Map<string, { offset: number; size: number; sha256: string }[]>();
  for (const file of files) {
    if (!('pack' in file.content)) continue;
    const list = members.get(file.content.pack) ?? [];
    list.push({ offset: file.content.offset, size: file.content.size, sha256: file.sha256 });
    members.set(file.content.pack, list);
  }
  for (const [pack, list] of members) {
    list.sort((a, b) => a.offset - b.offset || byCodeUnit(a.sha256, b.sha256));
    for (const [index, member] of list.entries()) {
      const before = list[index - 1];
      if (before === undefined) continue;
      const same = before.sha256 === member.sha256 && before.offset === member.offset;
      if (!same && member.offset < before.offset + Math.max(before.size, 1)) {
        return `pack ${pack} holds different content at overlapping ranges (offsets ${before.offset} and ${member.offset})`;
      }
    }
  }
  return undefined;
}

/** Why a relative POSIX path or key is refused, or undefined. */
export function pathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string' || path === '') return 'is empty or not a string';
  if (path.startsWith('/')) return 'is absolute';
  if (path.includes('\\')) return 'has a backslash (paths are POSIX)';
  if (path.includes('\u0000')) return 'has a NUL character';
  const segments = path.split('/');
  if (segments.includes('..')) return "has a '..' segment";
  if (segments.some((segment) => segment === '' || segment === '.')) {
    return "has an empty or '.' segment";
  }
  return undefined;
}

function fileJson(file: ManifestFile): string {
  const content =
    'object' in file.content
      ? { object: file.content.object }
      : { pack: file.content.pack, offset: file.content.offset, size: file.content.size };
  const { path, size, mtimeMs, mode, sha256 } = file;
  return JSON.stringify({ path, size, mtimeMs, mode, sha256, content });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isByteCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** An ISO 8601 time exactly as `toISOString` writes a real date (no 30 February). */
function isIsoTime(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    ISO_TIME.test(value) &&
    !Number.isNaN(Date.parse(value)) &&
    new Date(value).toISOString() === value
  );
}

/** Code-unit order, the same on every machine (not the locale's). */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
