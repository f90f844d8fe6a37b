import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TargetError } from '../../src/errors.js';
import {
  byCodeUnit,
  type Manifest,
  type ManifestFile,
  parseManifest,
  serializeManifest,
} from '../../src/manifest.js';
import { arbitraryManifest, arbitraryRelativePath } from './arbitraries.js';
import { sha256Of } from './fixtures.js';

const KEY = 'snapshot-rotation/default/data/manifests/2026-11-22T12-00-00-000Z-run42.json';
const HELLO = sha256Of('hello');
const BIG = sha256Of('big');

function file(path: string, overrides: Partial<ManifestFile> = {}): ManifestFile {
  return {
    path,
    size: 5,
    mtimeMs: 1_700_000_000_123.5,
    mode: 0o644,
    sha256: HELLO,
    content: { pack: 'packs/2026-11-22T12-00-00-000Z-run42.tar', offset: 512, size: 5 },
    ...overrides,
  };
}

function manifest(files: ManifestFile[], overrides: Partial<Manifest> = {}): Manifest {
  return {
    format: 'snapshot-rotation/files',
    version: 1,
    set: 'default',
    fileSet: 'data',
    createdAt: '2026-11-22T12:00:00.000Z',
    runId: '42',
    root: '/data',
    storageClass: 'GLACIER_IR',
    files,
    ...overrides,
  };
}

const EXAMPLE = manifest([
  file('z/big.bin', {
    size: 2_000_000,
    sha256: BIG,
    content: { object: `data/${BIG.slice(0, 2)}/${BIG}` },
  }),
  file('a/hello.txt'),
  file('a/copy of hello.txt', { mode: 0o600 }),
]);

/** The manifest's JSON with `change` applied: what a damaged or foreign object would hold. */
function edited(
  change: (data: Record<string, unknown> & { files: Record<string, unknown>[] }) => void,
): string {
  const data = JSON.parse(serializeManifest(EXAMPLE)) as Parameters<typeof change>[0];
  change(data);
  return JSON.stringify(data);
}

describe('serializeManifest', () => {
  it('writes the fields in a fixed order and one file a line, sorted by path', () => {
    const text = serializeManifest(EXAMPLE);
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      '{"format":"snapshot-rotation/files","version":1,"set":"default","fileSet":"data","createdAt":"2026-11-22T12:00:00.000Z","runId":"42","root":"/data","storageClass":"GLACIER_IR","files":[',
    );
    expect(
      lines.slice(1, 4).map((line) => (JSON.parse(line.replace(/,$/, '')) as ManifestFile).path),
    ).toEqual(['a/copy of hello.txt', 'a/hello.txt', 'z/big.bin']);
    expect(lines[2]).toBe(
      `{"path":"a/hello.txt","size":5,"mtimeMs":1700000000123.5,"mode":420,"sha256":"${HELLO}","content":{"pack":"packs/2026-11-22T12-00-00-000Z-run42.tar","offset":512,"size":5}},`,
    );
    expect(lines.slice(4)).toEqual([']}', '']);
  });

  it('writes an empty list of files, and no run id when there is none', () => {
    const withoutRun = manifest([]);
    delete withoutRun.runId;
    const text = serializeManifest(withoutRun);
    expect(text).not.toContain('runId');
    expect(text.endsWith('"files":[]}\n')).toBe(true);
    expect(parseManifest(text, KEY)).toEqual(withoutRun);
  });

  it('writes nothing parseManifest would refuse', () => {
    expect(() => serializeManifest(manifest([file('../etc/passwd')]))).toThrow(TargetError);
    expect(() => serializeManifest(manifest([file('a'), file('a')]))).toThrow(
      /The manifest of default\/data was not written: files\[1\] \("a"\): the path is listed twice/,
    );
  });

  it('keeps only the fields of the format', () => {
    const extra = { ...file('a'), absolutePath: '/data/a' } as ManifestFile;
    expect(serializeManifest(manifest([extra]))).not.toContain('absolutePath');
  });
});

describe('parseManifest', () => {
  it('reads back what serializeManifest wrote, files sorted by path', () => {
    const sorted = [...EXAMPLE.files].sort((a, b) => byCodeUnit(a.path, b.path));
    expect(parseManifest(serializeManifest(EXAMPLE), KEY)).toEqual({ ...EXAMPLE, files: sorted });
  });

  it('drops fields it does not know', () => {
    const text = edited((data) => {
      data.comment = 'written by hand';
      data.files[0]!.owner = 'root';
    });
    expect(parseManifest(text, KEY)).toEqual(parseManifest(serializeManifest(EXAMPLE), KEY));
  });

  it.each<[string, string, string | RegExp]>([
    ['not JSON', '{"format":', 'is not JSON'],
    ['a list', '[]', 'it is not a JSON object'],
    ['another format', edited((d) => (d.format = 'restic')), 'its format is "restic"'],
    ['no format', edited((d) => delete d.format), 'its format is undefined'],
    [
      'a newer version',
      edited((d) => (d.version = 2)),
      'it has version 2, and this action reads version 1',
    ],
    ['files not a list', edited((d) => (d.files = {} as never)), 'its files are not a list'],
    ['an empty set', edited((d) => (d.set = '')), 'its set is not a non-empty string'],
    ['a numeric root', edited((d) => (d.root = 7)), 'its root is not a non-empty string'],
    [
      'a date not ISO',
      edited((d) => (d.createdAt = '2026-11-22')),
      'its createdAt "2026-11-22" is not an ISO 8601 time',
    ],
    [
      '30 February',
      edited((d) => (d.createdAt = '2026-02-30T00:00:00.000Z')),
      'is not an ISO 8601 time',
    ],
    ['a bad run id', edited((d) => (d.runId = '4 2')), 'its runId "4 2" is not a run id'],
    [
      'an absolute path',
      edited((d) => (d.files[0]!.path = '/etc/passwd')),
      'files[0] ("/etc/passwd"): the path is absolute',
    ],
    [
      'a .. segment',
      edited((d) => (d.files[1]!.path = 'a/../../b')),
      `files[1] ("a/../../b"): the path has a '..' segment`,
    ],
    ['a trailing ..', edited((d) => (d.files[1]!.path = 'a/..')), `the path has a '..' segment`],
    ['a backslash', edited((d) => (d.files[0]!.path = 'a\\b')), 'the path has a backslash'],
    [
      'an empty segment',
      edited((d) => (d.files[0]!.path = 'a//b')),
      "the path has an empty or '.' segment",
    ],
    [
      'a . segment',
      edited((d) => (d.files[0]!.path = './a')),
      "the path has an empty or '.' segment",
    ],
    [
      'a trailing slash',
      edited((d) => (d.files[0]!.path = 'a/')),
      "the path has an empty or '.' segment",
    ],
    ['an empty path', edited((d) => (d.files[0]!.path = '')), 'the path is empty'],
    ['a NUL', edited((d) => (d.files[0]!.path = 'a\u0000b')), 'the path has a NUL character'],
    [
      'a path twice',
      edited((d) => (d.files[1]!.path = d.files[0]!.path)),
      'files[1] ("a/copy of hello.txt"): the path is listed twice',
    ],
    [
      'an upper-case hash',
      edited((d) => (d.files[0]!.sha256 = HELLO.toUpperCase())),
      'its sha256 is not 64 lower-case hex digits',
    ],
    [
      'a short hash',
      edited((d) => (d.files[0]!.sha256 = HELLO.slice(1))),
      'its sha256 is not 64 lower-case hex digits',
    ],
    [
      'a negative size',
      edited((d) => (d.files[2]!.size = -1)),
      'files[2] ("z/big.bin"): its size -1 is not a whole number of bytes',
    ],
    [
      'a fractional size',
      edited((d) => (d.files[2]!.size = 1.5)),
      'its size 1.5 is not a whole number of bytes',
    ],
    [
      'a size as text',
      edited((d) => (d.files[2]!.size = '5')),
      'its size "5" is not a whole number of bytes',
    ],
    ['no mtime', edited((d) => delete d.files[0]!.mtimeMs), 'its mtimeMs undefined is not a time'],
    [
      'a mode with file type bits',
      edited((d) => (d.files[0]!.mode = 0o100644)),
      'its mode 33188 is not permission bits',
    ],
    [
      'a negative mode',
      edited((d) => (d.files[0]!.mode = -1)),
      'its mode -1 is not permission bits',
    ],
    ['no content', edited((d) => delete d.files[0]!.content), 'files[0] has no content object'],
    [
      'both contents',
      edited((d) => ((d.files[0]!.content as Record<string, unknown>).object = 'data/x')),
      'names neither or both',
    ],
    ['neither content', edited((d) => (d.files[0]!.content = {})), 'names neither or both'],
    [
      'an absolute object key',
      edited((d) => (d.files[2]!.content = { object: '/data/x' })),
      'its content object key is absolute',
    ],
    [
      'a pack key with ..',
      edited(
        (d) => ((d.files[0]!.content as Record<string, unknown>).pack = '../other/packs/x.tar'),
      ),
      "its content pack key has a '..' segment",
    ],
    [
      'a pack offset inside a header',
      edited((d) => ((d.files[0]!.content as Record<string, unknown>).offset = 0)),
      'its pack offset 0 is not where a tar member',
    ],
    [
      'a pack offset off the blocks',
      edited((d) => ((d.files[0]!.content as Record<string, unknown>).offset = 700)),
      'its pack offset 700',
    ],
    [
      'a pack range of another size',
      edited((d) => ((d.files[0]!.content as Record<string, unknown>).size = 6)),
      'its pack range holds 6 bytes, but the file has 5',
    ],
    [
      'two contents at one range of a pack',
      edited((d) => {
        d.files[1]!.sha256 = sha256Of('other');
      }),
      /pack packs\/2026-11-22T12-00-00-000Z-run42\.tar holds different content at overlapping ranges \(offsets 512 and 512\)/,
    ],
    [
      'one hash with two sizes',
      edited((d) => {
        d.files[2]!.sha256 = HELLO;
      }),
      'files[2] ("z/big.bin"): another file with the same SHA-256 has 5 bytes, not 2000000',
    ],
  ])('refuses %s, naming the key and what is wrong', (_, text, message) => {
    let caught: unknown;
    try {
      parseManifest(text, KEY);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TargetError);
    expect((caught as Error).message).toContain(`Manifest ${KEY} is not`);
    if (typeof message === 'string') expect((caught as Error).message).toContain(message);
    else expect((caught as Error).message).toMatch(message);
  });

  it('accepts content of one hash at one range, shared by several files', () => {
    expect(parseManifest(serializeManifest(EXAMPLE), KEY).files).toHaveLength(3);
  });

  it('refuses overlapping pack ranges that start at different offsets', () => {
    const text = edited((d) => {
      d.files.push({
        ...file('b', { sha256: sha256Of('b'), size: 600 }),
        content: { pack: 'packs/p.tar', offset: 512, size: 600 },
      });
      d.files.push({
        ...file('c', { sha256: sha256Of('c'), size: 1 }),
        content: { pack: 'packs/p.tar', offset: 1024, size: 1 },
      });
    });
    expect(() => parseManifest(text, KEY)).toThrow(
      /holds different content at overlapping ranges \(offsets 512 and 1024\)/,
    );
  });
});

describe('a manifest read back', () => {
  it('is the manifest written, its files sorted by path', () => {
    fc.assert(
      fc.property(arbitraryManifest, (m) => {
        const sorted = [...m.files].sort((a, b) => byCodeUnit(a.path, b.path));
        expect(parseManifest(serializeManifest(m), KEY)).toEqual({ ...m, files: sorted });
      }),
    );
  });

  it('is written the same whatever the order of its files', () => {
    fc.assert(
      fc.property(arbitraryManifest, fc.func(fc.integer()), (m, rank) => {
        const shuffled = [...m.files].sort((a, b) => rank(a.path) - rank(b.path));
        expect(serializeManifest({ ...m, files: shuffled })).toBe(serializeManifest(m));
      }),
    );
  });

  it('is refused when any of its paths climbs out of the root or starts at /', () => {
    fc.assert(
      fc.property(
        arbitraryManifest.filter((m) => m.files.length > 0),
        fc.nat(),
        arbitraryRelativePath,
        fc.constantFrom(
          (p: string) => `../${p}`,
          (p: string) => `${p}/../..`,
          (p: string) => `/${p}`,
        ),
        (m, index, path, spoil) => {
          const files = m.files.map((f, i) =>
            i === index % m.files.length ? { ...f, path: spoil(path) } : f,
          );
          const text = serializeManifest(m).replace(
            /"files":\[[\s\S]*$/,
            `"files":${JSON.stringify(files)}}`,
          );
          expect(() => parseManifest(text, KEY)).toThrow(TargetError);
        },
      ),
    );
  });
});
