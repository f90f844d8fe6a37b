import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TargetError } from '../../src/errors.js';
import { contentKey, packKey } from '../../src/file-keys.js';
import {
  type PlannedContent,
  packLayout,
  planContent,
  planHashing,
  RACY_MS,
  type ScannedFile,
  type StoredContent,
  storedContent,
  uploadedFiles,
} from '../../src/file-plan.js';
import {
  type ContentRef,
  type Manifest,
  type ManifestFile,
  parseManifest,
  serializeManifest,
} from '../../src/manifest.js';
import { tarLayout } from '../../src/tar.js';
import { arbitraryManifest, arbitraryScan, arbitrarySha256 } from './arbitraries.js';
import { DAY, NOW, sha256Of } from './fixtures.js';

const THRESHOLD = 1024;
const OLD = NOW.getTime() - 10 * DAY;
const PACK = packKey(NOW, '42');

function scanned(path: string, size = 5, mtimeMs = OLD, mode = 0o644): ScannedFile {
  return { path, size, mtimeMs, mode };
}

function previous(files: ManifestFile[], createdAt = new Date(NOW.getTime() - DAY)): Manifest {
  return {
    format: 'snapshot-rotation/files',
    version: 1,
    set: 'default',
    fileSet: 'data',
    createdAt: createdAt.toISOString(),
    root: '/data',
    storageClass: 'GLACIER_IR',
    files,
  };
}

function stored(file: ScannedFile, text: string, content?: ContentRef): ManifestFile {
  const sha256 = sha256Of(text);
  return { ...file, sha256, content: content ?? { object: contentKey(sha256) } };
}

describe('planHashing', () => {
  const before = previous([
    stored(scanned('same'), 'same'),
    stored(scanned('grown'), 'grown'),
    stored(scanned('touched'), 'touched'),
    stored(scanned('chmod'), 'chmod'),
  ]);

  it('keeps the hash and content of a file of the same size and time, with the mode scanned', () => {
    const plan = planHashing(
      [
        scanned('same'),
        scanned('grown', 6),
        scanned('touched', 5, OLD + 1),
        scanned('chmod', 5, OLD, 0o600),
        scanned('new'),
      ],
      before,
    );
    expect(plan.known).toEqual([before.files[0], { ...before.files[3], mode: 0o600 }]);
    expect(plan.toHash.map((file) => file.path)).toEqual(['grown', 'touched', 'new']);
  });

  it('hashes every file when there is no manifest before', () => {
    const files = [scanned('a'), scanned('b')];
    expect(planHashing(files, undefined)).toEqual({ known: [], toHash: files });
  });

  it('hashes a file modified so close to the last manifest that a later write may share its time', () => {
    const made = new Date(OLD + 1 + RACY_MS);
    const racy = previous(
      [stored(scanned('racy', 5, OLD + 1), 'racy'), stored(scanned('calm'), 'calm')],
      made,
    );
    const plan = planHashing([scanned('racy', 5, OLD + 1), scanned('calm')], racy);
    expect(plan.toHash.map((file) => file.path)).toEqual(['racy']);
    expect(plan.known.map((file) => file.path)).toEqual(['calm']);
  });

  it('sends every scanned file one way, reusing only a hash of the same path, size and time', () => {
    fc.assert(
      fc.property(arbitraryManifest, arbitraryScan, fc.boolean(), (last, scan, overlap) => {
        // Half the time the scan finds the last manifest's files again, some of them changed.
        const files = overlap
          ? [
              ...last.files.map(({ path, size, mtimeMs, mode }) => ({ path, size, mtimeMs, mode })),
              ...scan.filter((s) => !last.files.some((f) => f.path === s.path)),
            ]
          : scan;
        const plan = planHashing(files, last);
        expect([...plan.known, ...plan.toHash].map((f) => f.path).sort()).toEqual(
          files.map((f) => f.path).sort(),
        );
        for (const file of plan.known) {
          const old = last.files.find((f) => f.path === file.path)!;
          expect(file).toEqual({ ...old, mode: files.find((f) => f.path === file.path)!.mode });
          expect(file.mtimeMs).toBeLessThan(Date.parse(last.createdAt) - RACY_MS);
        }
      }),
    );
  });
});

describe('storedContent', () => {
  it('knows the data listing and the packs of the manifests kept, an object before a pack member', () => {
    const [a, b, c] = ['a', 'b', 'c'].map(sha256Of) as [string, string, string];
    const inPack = { pack: PACK, offset: 512, size: 1 };
    const kept = previous([
      { ...scanned('a', 1), sha256: a, content: inPack },
      { ...scanned('b', 1), sha256: b, content: { pack: PACK, offset: 1536, size: 1 } },
      { ...scanned('c', 1), sha256: c, content: { object: contentKey(c) } },
    ]);
    const known = storedContent([contentKey(a), 'data/README', `data/00/${c}`], [kept]);
    expect(Object.fromEntries(known)).toEqual({
      [a]: { object: contentKey(a) },
      [b]: { pack: PACK, offset: 1536, size: 1 },
    });
  });
});

describe('planContent', () => {
  const big = scanned('big', 5000);

  it('uploads content of the threshold or more once, whatever the number of files that have it', () => {
    const copy = scanned('copy of big', 5000);
    const plan = planContent(
      [
        { file: big, sha256: sha256Of('big') },
        { file: copy, sha256: sha256Of('big') },
      ],
      new Map(),
      THRESHOLD,
    );
    expect(plan).toEqual({
      reused: [],
      uploads: [{ sha256: sha256Of('big'), files: [big, copy], size: 5000 }],
      packed: [],
    });
    expect(uploadedFiles(plan.uploads[0]!)).toEqual([
      { ...big, sha256: sha256Of('big'), content: { object: contentKey(sha256Of('big')) } },
      { ...copy, sha256: sha256Of('big'), content: { object: contentKey(sha256Of('big')) } },
    ]);
  });

  it('packs content below the threshold', () => {
    const [below, at] = [scanned('below', THRESHOLD - 1), scanned('at', THRESHOLD)];
    const plan = planContent(
      [
        { file: below, sha256: sha256Of('below') },
        { file: at, sha256: sha256Of('at') },
      ],
      new Map(),
      THRESHOLD,
    );
    expect(plan.uploads.map((c) => c.files)).toEqual([[at]]);
    expect(plan.packed.map((c) => c.files)).toEqual([[below]]);
  });

  it('reuses content stored already, as an object or in a pack, whatever its size', () => {
    const small = scanned('renamed', 5);
    const inPack = { pack: 'packs/old.tar', offset: 1024, size: 5 };
    const known: StoredContent = new Map<string, ContentRef>([
      [sha256Of('big'), { object: contentKey(sha256Of('big')) }],
      [sha256Of('small'), inPack],
    ]);
    const plan = planContent(
      [
        { file: big, sha256: sha256Of('big') },
        { file: small, sha256: sha256Of('small') },
      ],
      known,
      THRESHOLD,
    );
    expect(plan.uploads).toEqual([]);
    expect(plan.packed).toEqual([]);
    expect(plan.reused).toEqual([
      { ...big, sha256: sha256Of('big'), content: { object: contentKey(sha256Of('big')) } },
      { ...small, sha256: sha256Of('small'), content: inPack },
    ]);
  });

  it('refuses a threshold that is not a number of bytes, which would drop content', () => {
    expect(() => planContent([], new Map(), Number.NaN)).toThrow(RangeError);
    expect(() => planContent([], new Map(), -1)).toThrow(RangeError);
  });

  it('refuses one hash for two sizes: a file changed while it was read', () => {
    expect(() =>
      planContent(
        [
          { file: scanned('a', 5), sha256: sha256Of('x') },
          { file: scanned('b', 6), sha256: sha256Of('x') },
        ],
        new Map(),
        THRESHOLD,
      ),
    ).toThrow(TargetError);
  });

  it('stores each new content once, never content stored already, every file in exactly one place', () => {
    fc.assert(
      fc.property(hashedScan, storedOf, fc.nat(3000), (hashed, known, threshold) => {
        const plan = planContent(hashed, known, threshold);
        const toStore = [...plan.uploads, ...plan.packed];
        const shas = toStore.map((c) => c.sha256);
        expect(new Set(shas).size).toBe(shas.length);
        expect(shas.filter((sha) => known.has(sha))).toEqual([]);
        expect(plan.uploads.every((c) => c.size >= threshold)).toBe(true);
        expect(plan.packed.every((c) => c.size < threshold)).toBe(true);
        expect(plan.reused.every((f) => f.content === known.get(f.sha256))).toBe(true);
        const placed = [
          ...plan.reused.map((f) => f.path),
          ...toStore.flatMap((c) => c.files.map((f) => f.path)),
        ];
        expect(placed.sort()).toEqual(hashed.map((h) => h.file.path).sort());
        for (const content of toStore) {
          for (const file of content.files) {
            expect(hashed.find((h) => h.file === file)?.sha256).toBe(content.sha256);
          }
        }
      }),
    );
  });
});

describe('packLayout', () => {
  it('puts each content in the pack once, named by its hash, where tarLayout has it', () => {
    const packed: PlannedContent[] = [
      { sha256: sha256Of('a'), files: [scanned('a', 1), scanned('a2', 1)], size: 1 },
      { sha256: sha256Of('b'), files: [scanned('b', 600)], size: 600 },
    ];
    const pack = packLayout(packed, PACK);
    expect(pack.members).toEqual(
      tarLayout([
        { name: sha256Of('a'), size: 1 },
        { name: sha256Of('b'), size: 600 },
      ]).members,
    );
    expect(pack.size).toBe(512 + 512 + 512 + 1024 + 1024);
    expect(pack.files.map((f) => [f.path, f.content])).toEqual([
      ['a', { pack: PACK, offset: 512, size: 1 }],
      ['a2', { pack: PACK, offset: 512, size: 1 }],
      ['b', { pack: PACK, offset: 1536, size: 600 }],
    ]);
  });
});

describe('a run planned end to end', () => {
  it('writes a manifest that reads back with every scanned file once', () => {
    fc.assert(
      fc.property(arbitraryManifest, arbitraryScan, fc.nat(3000), (last, scan, threshold) => {
        const hashing = planHashing(scan, last);
        // Hash a file by its size, so the same size is the same content.
        const hashed = hashing.toHash.map((file) => ({
          file,
          sha256: sha256Of(`size ${file.size}`),
        }));
        const plan = planContent(hashed, storedContent([], [last]), threshold);
        const pack = packLayout(plan.packed, PACK);
        const files = [
          ...hashing.known,
          ...plan.reused,
          ...plan.uploads.flatMap(uploadedFiles),
          ...pack.files,
        ];
        const next = { ...previous(files, NOW), runId: '42' };
        const read = parseManifest(serializeManifest(next), 'k');
        expect(read.files.map((f) => f.path)).toEqual(
          scan.map((f) => f.path).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
        );
      }),
    );
  });
});

/** Scanned files with hashes, some shared (a hash always with the same size). */
const hashedScan = fc
  .tuple(arbitraryScan, fc.array(arbitrarySha256, { minLength: 1, maxLength: 6 }))
  .map(([scan, shas]) => {
    const sizes = new Map<string, number>();
    return scan.map((file, i) => {
      const sha256 = shas[i % shas.length]!;
      const size = sizes.get(sha256) ?? file.size;
      sizes.set(sha256, size);
      return { file: { ...file, size }, sha256 };
    });
  });

/** Content stored already: some of the hashes the scans draw. */
const storedOf: fc.Arbitrary<StoredContent> = fc
  .uniqueArray(arbitrarySha256, { maxLength: 4 })
  .map((shas) => new Map(shas.map((sha) => [sha, { object: contentKey(sha) }])));
