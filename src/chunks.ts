/** Lists split into the batches an API takes at once. Pure. */

/**
 * Splits a list into chunks of at most `size`, in order (EC2 takes at most 200 values per filter,
 * S3's `DeleteObjects` at most 1,000 keys).
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`A chunk holds at least one item, not ${size}.`);
  }
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
