/**
 * The runner's side of a `files` backup: the `path` patterns scanned into the files to back up
 * (patterns globbed, links and special files skipped, the root they are relative to). Their
 * content is hashed, read and restored by `file-hash.ts`.
 */
import { type Stats } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as glob from '@actions/glob';
import { INPUTS } from '../constants.js';
import { InputError, messageOf, systemErrorCode, TargetError } from '../errors.js';
import type { ScannedFile } from '../file-plan.js';

/** The input whose patterns are scanned (named in its errors), and the one that follows links. */
const PATH_INPUT = INPUTS.path;
const FOLLOW_INPUT = INPUTS.followSymbolicLinks;

export interface ScanOptions {
  /** The `path` input: glob patterns, one a line, in the syntax of `@actions/glob`. */
  patterns: string;
  /** What relative patterns are relative to (the runner's workspace). */
  workspace: string;
  followSymbolicLinks: boolean;
}

/** A file to back up: as the core sees it, and where it is on the runner. */
export interface FoundFile extends ScannedFile {
  absolutePath: string;
}

/**
 * Why a matched path is not backed up: a symbolic link not followed, something that is neither a
 * file nor a directory (socket, FIFO, device), or a file deleted between the walk and its stat.
 */
export type SkipReason = 'symbolic-link' | 'special-file' | 'vanished';

export interface SkippedPath {
  /** Absolute: a skipped path need not be under the root. */
  path: string;
  reason: SkipReason;
}

export interface Scan {
  /** The directory the files' paths are relative to. */
  root: string;
  /** Regular files, sorted by path (POSIX, relative to `root`, never with `..`). */
  files: FoundFile[];
  /** What the patterns matched that is not backed up, sorted by path. */
  skipped: SkippedPath[];
}

/** A line of the `path` input. */
interface PatternLine {
  /** As the user wrote it, for messages. */
  text: string;
  /** Absolute, for `@actions/glob`, with its `!` when it excludes. */
  anchored: string;
  exclude: boolean;
  relative: boolean;
}

/** What one path the globbers returned is. */
type Entry = { kind: 'file'; stats: Stats } | { kind: SkipReason };

/**
 * Scans the `path` patterns into the regular files to back up.
 *
 * - Patterns are those of `@actions/glob` (`!` excludes what the patterns before it matched, `#`
 *   starts a comment, blank lines are ignored); a relative pattern is relative to `workspace`.
 *   A directory matched is walked: its files are backed up, never the directory itself.
 * - Every include pattern must match at least one regular file, once the `!` patterns after it are
 *   applied, else an `InputError` names the input and the pattern: a typo never backs up nothing.
 * - Symbolic links: with `followSymbolicLinks` false a link is neither followed nor stored (a link
 *   holds no data, and restoring one that points outside the restored tree would be a surprise);
 *   it is listed in `skipped`. With true, a link to a file is backed up as a file (its target's
 *   content, at the link's path) and a link to a directory is walked; broken links and cycles are
 *   passed over, as `@actions/glob` does.
 * - Sockets, FIFOs and devices are listed in `skipped`, never read (a FIFO would block the run).
 * - `root` is the deepest common directory of the patterns' literal beginnings (`/data` for
 *   `/data/**`, the directory of a pattern naming one file): `/data/**` backs up `a/b.txt`, not
 *   `data/a/b.txt`, and a backup's layout does not change with which files happen to exist.
 */
export async function scanFiles(options: ScanOptions): Promise<Scan> {
  const workspace = path.resolve(options.workspace);
  const lines = patternLines(options.patterns, workspace);
  const includes = lines.flatMap((line, index) => (line.exclude ? [] : [{ line, index }]));
  if (includes.length === 0) {
    throw new InputError(
      PATH_INPUT,
      `Input '${PATH_INPUT}' has no pattern to back up: give one glob pattern a line ('!' excludes, '#' starts a comment).`,
    );
  }
  const entries = new Map<string, Promise<Entry>>();
  const entryOf = (file: string): Promise<Entry> => {
    let entry = entries.get(file);
    if (!entry) {
      entry = classify(file, options.followSymbolicLinks);
      entries.set(file, entry);
    }
    return entry;
  };
  const bases: string[] = [];
  for (const { line, index } of includes) {
    // One globber per include, with the excludes that follow it: what it keeps is what
    // `@actions/glob` keeps of it from all the lines (an exclude undoes only the lines before it).
    const later = lines.slice(index + 1).filter((other) => other.exclude);
    const { matched, searchPath } = await globOne(line, later, options.followSymbolicLinks);
    const kinds = await Promise.all(matched.map(async (file) => (await entryOf(file)).kind));
    if (!kinds.includes('file'))
      throw new InputError(PATH_INPUT, noFileMessage(line, later, kinds, workspace));
    bases.push(await baseOf(searchPath, options.followSymbolicLinks));
  }
  const root = commonDirectory(bases);
  const files: FoundFile[] = [];
  const skipped: SkippedPath[] = [];
  for (const [absolutePath, pending] of entries) {
    const entry = await pending;
    if (entry.kind !== 'file') {
      skipped.push({ path: absolutePath, reason: entry.kind });
      continue;
    }
    const relative = path.relative(root, absolutePath).split(path.sep).join('/');
    if (
      relative === '' ||
      relative === '..' ||
      relative.startsWith('../') ||
      path.isAbsolute(relative)
    ) {
      throw new TargetError(`The file '${absolutePath}' is not under the scan's root '${root}'.`);
    }
    files.push({
      path: relative,
      absolutePath,
      size: entry.stats.size,
      mtimeMs: Math.floor(entry.stats.mtimeMs),
      mode: entry.stats.mode & 0o7777,
    });
  }
  files.sort((a, b) => compare(a.path, b.path));
  skipped.sort((a, b) => compare(a.path, b.path));
  return { root, files, skipped };
}

/** The `path` input's lines: comments and blanks dropped, relative patterns made absolute. */
function patternLines(patterns: string, workspace: string): PatternLine[] {
  const lines: PatternLine[] = [];
  for (const raw of patterns.split(/\r\n|\r|\n/)) {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) continue;
    // `@actions/glob`'s negation: each leading `!` flips it, blanks between are allowed.
    let exclude = false;
    let pattern = text;
    while (pattern.startsWith('!')) {
      exclude = !exclude;
      pattern = pattern.slice(1).trim();
    }
    if (pattern === '') {
      throw new InputError(
        PATH_INPUT,
        `Input '${PATH_INPUT}' has a line '${text}' with no pattern after its '!'.`,
      );
    }
    const relative = !(path.isAbsolute(pattern) || pattern === '~' || /^~[\\/]/.test(pattern));
    const anchored = relative ? anchor(pattern, workspace) : pattern;
    lines.push({ text, anchored: `${exclude ? '!' : ''}${anchored}`, exclude, relative });
  }
  return lines;
}

/** A relative pattern made absolute against the workspace (escaped, so that it is taken literally). */
function anchor(pattern: string, workspace: string): string {
  const rest = pattern === '.' ? '' : pattern.replace(/^\.[\\/]/, '');
  const base = globEscape(workspace).replace(/[\\/]+$/, '');
  return rest === '' ? base || path.sep : `${base}${path.sep}${rest}`;
}

/** A literal path as a glob pattern: `@actions/glob`'s own escaping (`Pattern.globEscape`). */
function globEscape(literal: string): string {
  return (process.platform === 'win32' ? literal : literal.replace(/\\/g, '\\\\'))
    .replace(/(\[)(?=[^/]+\])/g, '[[]')
    .replace(/\?/g, '[?]')
    .replace(/\*/g, '[*]');
}

/** What one include pattern matches, the excludes after it applied, and where its walk starts. */
async function globOne(
  line: PatternLine,
  excludes: readonly PatternLine[],
  followSymbolicLinks: boolean,
): Promise<{ matched: string[]; searchPath: string }> {
  let globber: glob.Globber;
  try {
    globber = await glob.create([line.anchored, ...excludes.map((e) => e.anchored)].join('\n'), {
      followSymbolicLinks,
      implicitDescendants: true,
      matchDirectories: false,
      omitBrokenSymbolicLinks: true,
      excludeHiddenFiles: false,
    });
  } catch (error) {
    throw new InputError(
      PATH_INPUT,
      `Input '${PATH_INPUT}' has an invalid pattern '${line.text}'${excludes.length > 0 ? ' (or an invalid exclude after it)' : ''}: ${messageOf(error)}.`,
    );
  }
  const [searchPath] = globber.getSearchPaths();
  if (searchPath === undefined)
    throw new TargetError(`The pattern '${line.text}' has no search path.`);
  try {
    return { matched: await globber.glob(), searchPath };
  } catch (error) {
    throw new TargetError(
      `Scanning the pattern '${line.text}' of input '${PATH_INPUT}' failed: ${messageOf(error)}.`,
      {
        cause: error,
      },
    );
  }
}

/** What a matched path is, by `lstat` (or `stat` when links are followed). */
async function classify(file: string, followSymbolicLinks: boolean): Promise<Entry> {
  let stats: Stats;
  try {
    stats = followSymbolicLinks ? await stat(file) : await lstat(file);
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return { kind: 'vanished' };
    throw new TargetError(`Reading '${file}' failed: ${messageOf(error)}.`, { cause: error });
  }
  if (stats.isFile()) return { kind: 'file', stats };
  if (stats.isSymbolicLink()) return { kind: 'symbolic-link' };
  return { kind: 'special-file' };
}

/** The message for an include pattern that matched no regular file. */
function noFileMessage(
  line: PatternLine,
  excludes: readonly PatternLine[],
  kinds: readonly Entry['kind'][],
  workspace: string,
): string {
  const where = line.relative ? ` in the workspace '${workspace}'` : '';
  const after = excludes.length > 0 ? ", once the '!' patterns after it are applied" : '';
  const links = kinds.filter((kind) => kind === 'symbolic-link').length;
  const special = kinds.filter((kind) => kind === 'special-file').length;
  if (links === 0 && special === 0) {
    return `Input '${PATH_INPUT}': the pattern '${line.text}' matches no file${where}${after}.`;
  }
  const what = [
    ...(links > 0 ? [`${links} symbolic link${links === 1 ? '' : 's'}`] : []),
    ...(special > 0 ? [`${special} socket${special === 1 ? '' : 's'}, FIFO or device`] : []),
  ].join(' and ');
  const hint = links > 0 ? `; set '${FOLLOW_INPUT}: true' to back up what links point to` : '';
  return `Input '${PATH_INPUT}': the pattern '${line.text}' matches no regular file${where}${after}, only ${what}, which are not backed up${hint}.`;
}

/** The directory a pattern's files are under: its literal beginning, or that file's directory. */
async function baseOf(searchPath: string, followSymbolicLinks: boolean): Promise<string> {
  const stats = await (followSymbolicLinks ? stat(searchPath) : lstat(searchPath));
  return stats.isDirectory() ? path.resolve(searchPath) : path.dirname(path.resolve(searchPath));
}

/** The deepest directory that holds all of `directories` (absolute). */
export function commonDirectory(directories: readonly string[]): string {
  const [first, ...rest] = directories.map((directory) => path.resolve(directory));
  if (first === undefined) throw new TargetError('No directory to find the common root of.');
  const root = path.parse(first).root;
  let common = segments(first);
  for (const directory of rest) {
    if (path.parse(directory).root !== root) {
      throw new TargetError(
        `The files of input '${PATH_INPUT}' are on different drives ('${first}', '${directory}'): back each drive up in a step of its own.`,
      );
    }
    const other = segments(directory);
    let shared = 0;
    while (shared < common.length && shared < other.length && same(common[shared], other[shared]))
      shared++;
    common = common.slice(0, shared);
  }
  return path.join(root, ...common);
}

function segments(directory: string): string[] {
  return path
    .relative(path.parse(directory).root, directory)
    .split(path.sep)
    .filter((segment) => segment !== '');
}

function same(a: string | undefined, b: string | undefined): boolean {
  return process.platform === 'win32' ? a?.toLowerCase() === b?.toLowerCase() : a === b;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
