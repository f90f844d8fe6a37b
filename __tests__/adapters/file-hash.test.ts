// The content of a `files` backup's files on the runner (src/targets/file-hash.ts), on real
// temporary directories: files hashed and read for an upload with a check that they did not change
// meanwhile, and a restore that writes a file only when its content is the manifest's.
import * as fs from 'node:fs';
import {
  chmod,
  lstat,
  mkdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAbort, TargetError } from '../../src/errors.js';
import {
  FileChangedError,
  hashFile,
  verifiedStream,
  writeVerified,
} from '../../src/targets/file-hash.js';
import { scanFiles } from '../../src/targets/file-scan.js';
import { rejectionOf } from './expect.js';
import { IS_POSIX, PAST_MS, sha256, tempDirEachTest, tree } from './temp-tree.js';

/**
 * A hook into the reads of the next `createReadStream`: called before each read of the file with
 * the read's number, so that a test changes the file between two chunks, deterministically.
 */
const reads = vi.hoisted(() => ({
  next: undefined as ((file: string, read: number) => void) | undefined,
}));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const createReadStream = (file: fs.PathLike, options?: object): fs.ReadStream => {
    const hook = reads.next;
    if (!hook) return actual.createReadStream(file, options);
    reads.next = undefined;
    let count = 0;
    const read = (...args: Parameters<typeof actual.read>): void => {
      hook(String(file), ++count);
      (actual.read as (...args: unknown[]) => void)(...args);
    };
    return actual.createReadStream(file, {
      ...options,
      highWaterMark: 1024,
      fs: { open: actual.open, close: actual.close, read },
    });
  };
  return { ...actual, createReadStream, default: { ...actual, createReadStream } };
});

let dir: string;
tempDirEachTest('file-hash-', (created) => (dir = created));

afterEach(() => {
  reads.next = undefined;
});

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A file written, dated PAST_MS, with what `hashFile` and `verifiedStream` expect of it. */
async function pastFile(name: string, content: string | Uint8Array) {
  const file = path.join(dir, name);
  await writeFile(file, content);
  await utimes(file, PAST_MS / 1000, PAST_MS / 1000);
  return {
    file,
    expected: { size: Buffer.byteLength(content), mtimeMs: PAST_MS, sha256: sha256(content) },
  };
}

describe('hashFile', () => {
  it("is the SHA-256 of the file's content, empty or of many chunks", async () => {
    const big = Buffer.alloc(300_000, 0).map((_, i) => (i * 31) % 251);
    for (const content of ['', 'hello', big]) {
      const { file, expected } = await pastFile('f', content);
      expect(await hashFile(file, expected)).toBe(sha256(content));
    }
  });

  it('reports a file appended to between two chunks of the read', async () => {
    const { file, expected } = await pastFile('growing.log', Buffer.alloc(8192, 7));
    reads.next = (name, read) => {
      if (read === 2) fs.appendFileSync(name, 'one more line\n');
    };

    const error = await rejectionOf(hashFile(file, expected));

    expect(error).toBeInstanceOf(FileChangedError);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as FileChangedError).path).toBe(file);
    expect(error.message).toContain(`'${file}' changed while it was read`);
    expect(error.message).toContain('8206 bytes read, 8192 expected');
  });

  it('reports a file rewritten in place (same size) during the read by its time', async () => {
    const { file, expected } = await pastFile('db', Buffer.alloc(8192, 1));
    reads.next = (name, read) => {
      if (read === 3) {
        const fd = fs.openSync(name, 'r+');
        fs.writeSync(fd, Buffer.alloc(1024, 2), 0, 1024, 0);
        fs.closeSync(fd);
      }
    };

    const error = await rejectionOf(hashFile(file, expected));

    expect(error).toBeInstanceOf(FileChangedError);
    expect(error.message).toContain('its modification time went from 2024-01-15T08:30:00.125Z');
  });

  it('reports a file whose size or time is not the scan’s, or that was deleted', async () => {
    const { file, expected } = await pastFile('f', 'content');

    expect(await rejectionOf(hashFile(file, { ...expected, size: 3 }))).toBeInstanceOf(
      FileChangedError,
    );
    expect(await rejectionOf(hashFile(file, { ...expected, mtimeMs: PAST_MS + 1 }))).toBeInstanceOf(
      FileChangedError,
    );
    await rm(file);
    const gone = await rejectionOf(hashFile(file, expected));
    expect(gone).toBeInstanceOf(FileChangedError);
    expect(gone.message).toContain('it was deleted');
  });

  it('stops when the signal fires', async () => {
    const { file, expected } = await pastFile('f', Buffer.alloc(100_000));
    const controller = new AbortController();
    controller.abort();

    expect(isAbort(await rejectionOf(hashFile(file, expected, controller.signal)))).toBe(true);
  });
});

describe('verifiedStream', () => {
  it('passes the file’s bytes through and ends', async () => {
    const content = Buffer.alloc(200_000).map((_, i) => i % 256);
    const { file, expected } = await pastFile('f', content);

    expect((await collect(verifiedStream(file, expected))).equals(content)).toBe(true);
  });

  it('errors instead of ending when the content is not the hashed one', async () => {
    // Same size, same time: only the SHA-256 tells (a write within the time's resolution).
    const { file, expected } = await pastFile('f', 'original');
    await writeFile(file, 'ORIGINAL');
    await utimes(file, PAST_MS / 1000, PAST_MS / 1000);
    const stream = verifiedStream(file, expected);
    let ended = false;
    stream.on('end', () => (ended = true));

    const error = await rejectionOf(collect(stream));

    expect(error).toBeInstanceOf(FileChangedError);
    expect(error.message).toContain(`its SHA-256 is ${sha256('ORIGINAL')}, not ${expected.sha256}`);
    expect(ended).toBe(false);
  });

  it('errors when the file grows while it is read', async () => {
    const { file, expected } = await pastFile('f', Buffer.alloc(4096, 3));
    reads.next = (name, read) => {
      if (read === 2) fs.appendFileSync(name, 'x');
    };
    const stream = verifiedStream(file, expected);
    let ended = false;
    stream.on('end', () => (ended = true));

    expect(await rejectionOf(collect(stream))).toBeInstanceOf(FileChangedError);
    expect(ended).toBe(false);
  });

  it('errors when the file is gone', async () => {
    const { file, expected } = await pastFile('f', 'x');
    await rm(file);

    expect(await rejectionOf(collect(verifiedStream(file, expected)))).toBeInstanceOf(
      FileChangedError,
    );
  });
});

describe('writeVerified', () => {
  it.runIf(IS_POSIX)('restores bytes, mode and time, creating the directories', async () => {
    const content = Buffer.alloc(100_000).map((_, i) => (i * 7) % 256);
    const destination = path.join(dir, 'restore/a/b/file.bin');

    await writeVerified(
      Readable.from([content.subarray(0, 5000), content.subarray(5000)]),
      destination,
      {
        sha256: sha256(content),
        size: content.length,
        mode: 0o640,
        mtimeMs: PAST_MS,
      },
    );

    expect((await readFile(destination)).equals(content)).toBe(true);
    const stats = await stat(destination);
    expect(stats.mode & 0o7777).toBe(0o640);
    expect(Math.floor(stats.mtimeMs)).toBe(PAST_MS);
  });

  it('refuses content whose hash is not the manifest’s, leaving no file', async () => {
    const destination = path.join(dir, 'restore/file.txt');

    const error = await rejectionOf(
      writeVerified(Readable.from([Buffer.from('tampered')]), destination, {
        sha256: sha256('original'),
        size: 8,
        mode: 0o644,
        mtimeMs: PAST_MS,
      }),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(`Restoring '${destination}' failed`);
    expect(error.message).toContain('the partial file was deleted');
    await expect(stat(destination)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('leaves no file when the download fails midway', async () => {
    const destination = path.join(dir, 'restore/file.txt');
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1000));
        this.destroy(new Error('connection reset'));
      },
    });

    const error = await rejectionOf(
      writeVerified(failing, destination, {
        sha256: sha256('x'),
        size: 5000,
        mode: 0o644,
        mtimeMs: PAST_MS,
      }),
    );

    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain('connection reset');
    await expect(stat(destination)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.runIf(IS_POSIX)(
    'replaces a link at the destination instead of writing through it',
    async () => {
      await tree(dir, { 'outside/target.txt': 'untouched' });
      const destination = path.join(dir, 'restore/file.txt');
      await mkdir(path.dirname(destination));
      await symlink(path.join(dir, 'outside/target.txt'), destination);

      await writeVerified(Readable.from([Buffer.from('restored')]), destination, {
        sha256: sha256('restored'),
        size: 8,
        mode: 0o644,
        mtimeMs: PAST_MS,
      });

      expect((await lstat(destination)).isFile()).toBe(true);
      expect(await readFile(destination, 'utf8')).toBe('restored');
      expect(await readFile(path.join(dir, 'outside/target.txt'), 'utf8')).toBe('untouched');
    },
  );
});

describe('a tree scanned, hashed and restored', () => {
  /** Paths of one to three segments; none is the directory of another. */
  const arbitraryTree = fc
    .uniqueArray(
      fc.record({
        segments: fc.array(fc.constantFrom('a', 'b', 'c d', 'é', '[x]', '.hidden'), {
          minLength: 1,
          maxLength: 3,
        }),
        content: fc.uint8Array({ maxLength: 3000 }),
        mode: fc.constantFrom(0o600, 0o644, 0o755),
      }),
      { minLength: 1, maxLength: 8, selector: (file) => file.segments.join('/') },
    )
    .map((files) =>
      files.filter(
        (file) =>
          !files.some(
            (other) =>
              other !== file &&
              other.segments.length > file.segments.length &&
              file.segments.every((segment, i) => other.segments[i] === segment),
          ),
      ),
    );

  it.runIf(IS_POSIX)('reproduces exactly the tree written', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(arbitraryTree, async (files) => {
        const base = path.join(dir, `run-${++run}`);
        const written = new Map(files.map((file) => [file.segments.join('/'), file]));
        for (const [name, file] of written) {
          await tree(path.join(base, 'tree'), { [name]: file.content });
          await chmod(path.join(base, 'tree', name), file.mode);
        }

        const scan = await scanFiles({
          patterns: 'tree/**',
          workspace: base,
          followSymbolicLinks: false,
        });

        expect(scan.root).toBe(path.join(base, 'tree'));
        expect(scan.files.map((file) => file.path)).toEqual([...written.keys()].sort());
        for (const found of scan.files) {
          const file = written.get(found.path)!;
          const hash = await hashFile(found.absolutePath, found);
          expect({ size: found.size, mode: found.mode, hash }).toEqual({
            size: file.content.length,
            mode: file.mode,
            hash: sha256(file.content),
          });
          const destination = path.join(base, 'restored', ...found.path.split('/'));
          await writeVerified(
            verifiedStream(found.absolutePath, { ...found, sha256: hash }),
            destination,
            {
              ...found,
              sha256: hash,
            },
          );
          const restored = await stat(destination);
          expect((await readFile(destination)).equals(Buffer.from(file.content))).toBe(true);
          expect([restored.mode & 0o7777, Math.floor(restored.mtimeMs)]).toEqual([
            found.mode,
            found.mtimeMs,
          ]);
        }
      }),
      { numRuns: 25 },
    );
  });
});
