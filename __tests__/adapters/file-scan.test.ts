// The `path` patterns scanned into the files of a `files` backup (src/targets/file-scan.ts), on
// real temporary directories: relative and absolute patterns, excludes, comments, links, special
// files, the root. Hashing, reading and restoring them: file-hash.test.ts.
import { chmod, lstat, symlink, utimes } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { hashFile } from '../../src/targets/file-hash.js';
import { commonDirectory, scanFiles } from '../../src/targets/file-scan.js';
import { rejectionOf } from './expect.js';
import { IS_POSIX, PAST_MS, sha256, tempDirEachTest, tree } from './temp-tree.js';

let dir: string;
tempDirEachTest('file-scan-', (created) => (dir = created));

async function scanPaths(
  patterns: string,
  options: { workspace?: string; followSymbolicLinks?: boolean } = {},
): Promise<{ root: string; paths: string[] }> {
  const scan = await scanFiles({
    patterns,
    workspace: options.workspace ?? dir,
    followSymbolicLinks: options.followSymbolicLinks ?? false,
  });
  return { root: scan.root, paths: scan.files.map((file) => file.path) };
}

describe('scanFiles: patterns', () => {
  it('reads relative patterns against the workspace, not the process directory', async () => {
    await tree(dir, { 'src/a.txt': 'a', 'src/b/c.txt': 'c', 'other.txt': 'o' });
    expect(process.cwd()).not.toBe(dir);

    const scan = await scanFiles({
      patterns: 'src/**',
      workspace: dir,
      followSymbolicLinks: false,
    });

    expect(scan.root).toBe(path.join(dir, 'src'));
    expect(scan.files.map((file) => [file.path, file.absolutePath, file.size])).toEqual([
      ['a.txt', path.join(dir, 'src/a.txt'), 1],
      ['b/c.txt', path.join(dir, 'src/b/c.txt'), 1],
    ]);
    expect(scan.skipped).toEqual([]);
  });

  it('takes `.`, `./x` and a directory named without `**` (its files are walked)', async () => {
    await tree(dir, { 'data/a.txt': 'a', 'data/deep/b.txt': 'b', 'top.txt': 't' });

    expect(await scanPaths('./data')).toEqual({
      root: path.join(dir, 'data'),
      paths: ['a.txt', 'deep/b.txt'],
    });
    expect(await scanPaths('.')).toEqual({
      root: dir,
      paths: ['data/a.txt', 'data/deep/b.txt', 'top.txt'],
    });
  });

  it('takes absolute patterns, `!` excludes, comments and blank lines', async () => {
    await tree(dir, {
      'data/a.db': 'a',
      'data/x/b.db': 'b',
      'data/x/b.log': 'log',
      'data/tmp/c.db': 'c',
    });
    const patterns = [
      '# the databases',
      '',
      `  ${dir}/data/**  `,
      `!${dir}/data/**/*.log`,
      '   # not the scratch space',
      '!data/tmp',
      '',
    ].join('\n');

    expect(await scanPaths(patterns)).toEqual({
      root: path.join(dir, 'data'),
      paths: ['a.db', 'x/b.db'],
    });
  });

  it('applies an exclude to the patterns before it only, as @actions/glob does', async () => {
    await tree(dir, { 'a.log': '1', 'keep.log': '2', 'b.txt': '3' });

    expect((await scanPaths('**\n!*.log\nkeep.log')).paths).toEqual(['b.txt', 'keep.log']);
    // Excluded by the line after it, `keep.log` matches nothing: refused, not silently dropped.
    const excluded = await rejectionOf(scanPaths('**\nkeep.log\n!*.log'));
    expect(excluded.message).toContain("the pattern 'keep.log' matches no file");
  });

  it('lists a file matched by several patterns once', async () => {
    await tree(dir, { 'data/a.txt': 'a', 'data/b.txt': 'b' });

    expect((await scanPaths(`data/**\ndata/a.txt\n${dir}/data/*.txt`)).paths).toEqual([
      'a.txt',
      'b.txt',
    ]);
  });

  it('reads a workspace whose name has glob characters literally', async () => {
    const workspace = path.join(dir, 'ws [1] *?');
    await tree(workspace, { 'f/a.txt': 'a' });
    await tree(dir, { 'ws 1 x/f/b.txt': 'decoy' });

    expect(await scanPaths('f/**', { workspace })).toEqual({
      root: path.join(workspace, 'f'),
      paths: ['a.txt'],
    });
  });

  it('refuses a pattern that matches no file, naming the input and the pattern', async () => {
    await tree(dir, { 'data/a.txt': 'a' });
    const absolute = `${dir}/data/**/*.db`;

    const error = await rejectionOf(scanPaths(`data/**\n${absolute}`));

    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('path');
    expect(error.message).toBe(`Input 'path': the pattern '${absolute}' matches no file.`);
  });

  it('names the workspace for a relative pattern and the excludes that emptied it', async () => {
    await tree(dir, { 'logs/a.log': 'a', 'data/b.txt': 'b' });

    const relative = await rejectionOf(scanPaths('data/**\nmissing/**'));
    expect(relative.message).toBe(
      `Input 'path': the pattern 'missing/**' matches no file in the workspace '${dir}'.`,
    );

    const excluded = await rejectionOf(scanPaths('data/**\nlogs/**\n!**/*.log'));
    expect(excluded).toBeInstanceOf(InputError);
    expect(excluded.message).toBe(
      `Input 'path': the pattern 'logs/**' matches no file in the workspace '${dir}', once the '!' patterns after it are applied.`,
    );
  });

  it('refuses patterns that include nothing, and relative pathing', async () => {
    for (const patterns of ['', '# only a comment\n\n', `!${dir}/x/**`, '!']) {
      const error = await rejectionOf(scanPaths(patterns));
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).input).toBe('path');
    }
    const dotDot = await rejectionOf(scanPaths('../elsewhere/**'));
    expect(dotDot).toBeInstanceOf(InputError);
    expect(dotDot.message).toContain("Input 'path' has an invalid pattern '../elsewhere/**'");
  });
});

describe('scanFiles: what is a file', () => {
  /** data/ with a file, links to a file and a directory outside it, and a broken link; scanned. */
  async function scanLinks(followSymbolicLinks: boolean) {
    await tree(dir, { 'data/a.txt': 'a', 'outside/secret.txt': 'secret!', 'outside/d/e.txt': 'e' });
    await symlink(path.join(dir, 'outside/secret.txt'), path.join(dir, 'data/link.txt'));
    await symlink(path.join(dir, 'outside/d'), path.join(dir, 'data/linkdir'));
    await symlink(path.join(dir, 'nowhere'), path.join(dir, 'data/broken'));
    return scanFiles({ patterns: 'data/**', workspace: dir, followSymbolicLinks });
  }

  it.runIf(IS_POSIX)('skips symbolic links when not following them, and counts them', async () => {
    const scan = await scanLinks(false);

    expect(scan.files.map((file) => file.path)).toEqual(['a.txt']);
    expect(scan.skipped).toEqual([
      { path: path.join(dir, 'data/broken'), reason: 'symbolic-link' },
      { path: path.join(dir, 'data/link.txt'), reason: 'symbolic-link' },
      { path: path.join(dir, 'data/linkdir'), reason: 'symbolic-link' },
    ]);
  });

  it.runIf(IS_POSIX)(
    'follows links when asked: a linked file at the link path, a linked directory walked',
    async () => {
      const scan = await scanLinks(true);

      expect(scan.files.map((file) => [file.path, file.size])).toEqual([
        ['a.txt', 1],
        ['link.txt', 7],
        ['linkdir/e.txt', 1],
      ]);
      expect(scan.skipped).toEqual([]);
      const link = scan.files.find((file) => file.path === 'link.txt');
      expect(await hashFile(link!.absolutePath, link!)).toBe(sha256('secret!'));
    },
  );

  it.runIf(IS_POSIX)(
    'refuses a pattern that matches only a link not followed, saying how to follow it',
    async () => {
      await tree(dir, { 'real/a.txt': 'a' });
      await symlink(path.join(dir, 'real'), path.join(dir, 'data'));

      const error = await rejectionOf(scanPaths(`${dir}/data`));

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `Input 'path': the pattern '${dir}/data' matches no regular file, only 1 symbolic link, which are not backed up; set 'follow-symbolic-links: true' to back up what links point to.`,
      );
      expect(await scanPaths(`${dir}/data`, { followSymbolicLinks: true })).toEqual({
        root: path.join(dir, 'data'),
        paths: ['a.txt'],
      });
    },
  );

  it.runIf(IS_POSIX)('skips sockets (special files) without reading them', async () => {
    await tree(dir, { 'run/a.txt': 'a' });
    const socket = path.join(dir, 'run/app.sock');
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect((await lstat(socket)).isSocket()).toBe(true);
      const scan = await scanFiles({
        patterns: 'run/**',
        workspace: dir,
        followSymbolicLinks: true,
      });

      expect(scan.files.map((file) => file.path)).toEqual(['a.txt']);
      expect(scan.skipped).toEqual([{ path: socket, reason: 'special-file' }]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.runIf(IS_POSIX)('gives each file its permission bits and whole-millisecond time', async () => {
    await tree(dir, { 'bin/run.sh': '#!/bin/sh\n', 'bin/secret': 'k' });
    await chmod(path.join(dir, 'bin/run.sh'), 0o755);
    await chmod(path.join(dir, 'bin/secret'), 0o600);
    await utimes(path.join(dir, 'bin/run.sh'), PAST_MS / 1000, PAST_MS / 1000);
    await utimes(path.join(dir, 'bin/secret'), 1_700_000_000.5, 1_700_000_000.5);

    const scan = await scanFiles({ patterns: 'bin', workspace: dir, followSymbolicLinks: false });

    expect(
      scan.files.map(({ path: file, size, mtimeMs, mode }) => ({ file, size, mtimeMs, mode })),
    ).toEqual([
      { file: 'run.sh', size: 10, mtimeMs: PAST_MS, mode: 0o755 },
      { file: 'secret', size: 1, mtimeMs: 1_700_000_000_500, mode: 0o600 },
    ]);
  });
});

describe('scanFiles: the root', () => {
  it("is the pattern's directory, however deep the files under it are", async () => {
    await tree(dir, { 'data/x/y/z.txt': 'z' });

    expect(await scanPaths(`${dir}/data/**`)).toEqual({
      root: path.join(dir, 'data'),
      paths: ['x/y/z.txt'],
    });
    expect(await scanPaths('data/*/y/*.txt')).toEqual({
      root: path.join(dir, 'data'),
      paths: ['x/y/z.txt'],
    });
  });

  it("is a single file's directory", async () => {
    await tree(dir, { 'dumps/db.sql': 'dump', 'dumps/other.sql': 'other' });

    expect(await scanPaths('dumps/db.sql')).toEqual({
      root: path.join(dir, 'dumps'),
      paths: ['db.sql'],
    });
  });

  it('is the common directory of patterns in sibling directories', async () => {
    await tree(dir, { 'srv/a/one.txt': '1', 'srv/b/c/two.txt': '2', 'srv/d/no.txt': 'n' });

    expect(await scanPaths('srv/a/**\nsrv/b/c/two.txt')).toEqual({
      root: path.join(dir, 'srv'),
      paths: ['a/one.txt', 'b/c/two.txt'],
    });
  });

  it('is computed segment by segment, not by string prefix', () => {
    expect(commonDirectory(['/data/app', '/data/application'])).toBe(path.resolve('/data'));
    expect(commonDirectory(['/data/a/b', '/data/a/b/c'])).toBe(path.resolve('/data/a/b'));
    expect(commonDirectory(['/data', '/logs'])).toBe(path.resolve('/'));
    expect(commonDirectory(['/only/one'])).toBe(path.resolve('/only/one'));
  });
});
