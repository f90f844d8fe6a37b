/**
 * POSIX ustar, as much as a pack of small files needs: a member's 512-byte header, where each
 * member's data lies, and the padding and end to stream around the data. Pure.
 */

export const TAR_BLOCK = 512;
/** The end of an archive: two blocks of zeros. */
export const TAR_END = 2 * TAR_BLOCK;
/** The largest size or time a header's 11 octal digits hold (8 GiB − 1). */
export const TAR_MAX_NUMBER = 0o77777777777;

export interface TarMember {
  name: string;
  size: number;
}

export interface TarLayout {
  /** Each member, in order, with the byte offset of its data in the archive. */
  members: (TarMember & { offset: number })[];
  /** The archive's size, its end included. */
  size: number;
}

/**
 * Where each member's data lies in an archive of these members in order: a header block, the data
 * padded to a whole block, and after the last member two zero blocks.
 */
export function tarLayout(members: readonly TarMember[]): TarLayout {
  let position = 0;
  const placed = members.map((member) => {
    checkNumber('size', member.size);
    const offset = position + TAR_BLOCK;
    position = offset + member.size + tarPadding(member.size);
    return { name: member.name, size: member.size, offset };
  });
  return { members: placed, size: position + TAR_END };
}

/** The zeros after `size` bytes of data, to the end of its last block. */
export function tarPadding(size: number): number {
  return (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
}

/**
 * The ustar header of a regular file `name` (1 to 100 ASCII characters, no NUL: a SHA-256 in hex
 * fits without the long-name extension) of `size` bytes, modified at `mtimeSeconds`, mode 0644,
 * owned by uid and gid 0, no user or group name: byte for byte what GNU tar writes with
 * `--format=ustar --owner=0 --group=0 --numeric-owner --mode=0644`.
 */
export function tarHeader(name: string, size: number, mtimeSeconds: number): Uint8Array {
  const ascii = [...name].every((char) => char > '\u0000' && char <= '\u007f');
  if (!ascii || name.length < 1 || name.length > 100) {
    throw new RangeError(
      `The tar member name ${JSON.stringify(name)} is not 1 to 100 ASCII characters.`,
    );
  }
  checkNumber('size', size);
  checkNumber('modification time', mtimeSeconds);
  const header = new Uint8Array(TAR_BLOCK);
  const put = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
  };
  put(0, name);
  put(100, octal(0o644, 8));
  put(108, octal(0, 8)); // uid
  put(116, octal(0, 8)); // gid
  put(124, octal(size, 12));
  put(136, octal(mtimeSeconds, 12));
  put(148, ' '.repeat(8)); // the checksum counts its own field as spaces
  put(156, '0'); // a regular file
  put(257, 'ustar\u000000');
  put(329, octal(0, 8)); // devmajor and devminor, as GNU tar writes them
  put(337, octal(0, 8));
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  put(148, `${checksum.toString(8).padStart(6, '0')}\u0000 `);
  return header;
}

/** `value` in octal, zero-padded to fill `width` bytes with a NUL at the end. */
function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\u0000`;
}

function checkNumber(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > TAR_MAX_NUMBER) {
    throw new RangeError(
      `A tar ${what} is a whole number from 0 to ${TAR_MAX_NUMBER}, not ${value}.`,
    );
  }
}
