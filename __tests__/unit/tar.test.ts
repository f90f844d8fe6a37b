import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TAR_BLOCK, TAR_END, tarHeader, tarLayout, tarPadding } from '../../src/tar.js';
import { sha256Of } from './fixtures.js';

const MTIME = 1_700_000_000;
const dir = mkdtempSync(join(tmpdir(), 'tar-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const gnuTar = execFileSync('tar', ['--version'], { encoding: 'utf8' }).includes('GNU tar');

/** The archive of `contents` as a pack is streamed: header, data, padding, and the end. */
function pack(contents: readonly Buffer[]): { archive: Buffer; names: string[] } {
  const names = contents.map((content) => sha256Of(content.toString('latin1')));
  const parts = contents.flatMap((content, index) => [
    tarHeader(names[index]!, content.length, MTIME),
    content,
    new Uint8Array(tarPadding(content.length)),
  ]);
  return { archive: Buffer.concat([...parts, new Uint8Array(TAR_END)]), names };
}

describe('a pack built of tarHeader', () => {
  const contents = [0, 1, 511, 512, 513, 5000].map((size) =>
    Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + size) % 256)),
  );
  const { archive, names } = pack(contents);
  const file = join(dir, 'pack.tar');
  writeFileSync(file, archive);

  it('is listed by tar with each member, its size and mode', () => {
    const listing = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' });
    const rows = listing
      .trim()
      .split('\n')
      .map((row) => row.split(/\s+/));
    expect(rows.map((row) => [row[0], row.at(-1)])).toEqual(
      names.map((name) => ['-rw-r--r--', name]),
    );
    rows.forEach((row, i) => expect(row).toContain(String(contents[i]!.length)));
  });

  it('is extracted by tar to the same bytes and time', () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    execFileSync('tar', ['-xf', file, '-C', out]);
    contents.forEach((content, i) => {
      expect(readFileSync(join(out, names[i]!))).toEqual(content);
      expect(statSync(join(out, names[i]!)).mtimeMs).toBe(MTIME * 1000);
    });
  });

  it('has each member data where tarLayout puts it, and its size', () => {
    const layout = tarLayout(
      contents.map((content, i) => ({ name: names[i]!, size: content.length })),
    );
    expect(layout.size).toBe(archive.length);
    layout.members.forEach((member, i) => {
      expect(archive.subarray(member.offset, member.offset + member.size)).toEqual(contents[i]);
    });
  });

  it.runIf(gnuTar)('has headers byte for byte as GNU tar writes them', () => {
    const source = join(dir, 'gnu');
    mkdirSync(source);
    writeFileSync(join(source, names[5]!), contents[5]!);
    const gnu = join(dir, 'gnu.tar');
    execFileSync('tar', [
      ...['--format=ustar', '--owner=0', '--group=0', '--numeric-owner', '--mode=0644'],
      ...[`--mtime=@${MTIME}`, '-cf', gnu, '-C', source, names[5]!],
    ]);
    expect(Buffer.from(tarHeader(names[5]!, 5000, MTIME))).toEqual(
      readFileSync(gnu).subarray(0, TAR_BLOCK),
    );
  });
});

describe('tarHeader', () => {
  it('is one block with a checksum tar accepts', () => {
    const header = tarHeader('a'.repeat(100), 0o77777777777, 0o77777777777);
    expect(header).toHaveLength(TAR_BLOCK);
    const text = Buffer.from(header).toString('latin1');
    expect(text.slice(124, 136)).toBe('77777777777\u0000');
    expect(text.slice(257, 265)).toBe('ustar\u000000');
    const stored = Number.parseInt(text.slice(148, 154), 8);
    const counted = [...header].reduce(
      (sum, byte, i) => sum + (i >= 148 && i < 156 ? 32 : byte),
      0,
    );
    expect(stored).toBe(counted);
  });

  it.each([
    ['an empty name', '', 1, 0],
    ['a name over 100 characters', 'a'.repeat(101), 1, 0],
    ['a name not ASCII', 'é', 1, 0],
    ['a NUL in the name', 'a\u0000b', 1, 0],
    ['a negative size', 'a', -1, 0],
    ['a size over 8 GiB', 'a', 0o77777777777 + 1, 0],
    ['a fractional time', 'a', 1, 0.5],
  ])('refuses %s', (_, name, size, mtime) => {
    expect(() => tarHeader(name, size, mtime)).toThrow(RangeError);
  });
});

describe('tarLayout', () => {
  it('is the end alone for no member', () => {
    expect(tarLayout([])).toEqual({ members: [], size: TAR_END });
  });

  it('puts each member data after its header, on a block, after the one before', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3000), { maxLength: 20 }), (sizes) => {
        const layout = tarLayout(sizes.map((size, i) => ({ name: `m${i}`, size })));
        let end = 0;
        layout.members.forEach((member, i) => {
          expect(member).toEqual({ name: `m${i}`, size: sizes[i], offset: end + TAR_BLOCK });
          expect(member.offset % TAR_BLOCK).toBe(0);
          end = member.offset + member.size + tarPadding(member.size);
          expect(end % TAR_BLOCK).toBe(0);
        });
        expect(layout.size).toBe(end + TAR_END);
      }),
    );
  });
});
