import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { imageName, rdsSnapshotIdentifier } from '../../src/naming.js';

const SET = 'nightly';
const INSTANCE = 'i-0123456789abcdef0';
const CREATED_AT = '2026-11-22T12:00:00.000Z';
/** What AWS accepts in an AMI name besides letters and digits: ( ) [ ] space . / - ' @ _ */
const AMI_NAME = /^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/;
/** RDS: letters, digits and hyphens, a letter first, no double or trailing hyphen. */
const RDS_ID = /^[a-zA-Z](?:-?[a-zA-Z0-9])*$/;

describe('imageName', () => {
  it('is unique per millisecond and the same for the same instant', () => {
    const at = new Date(CREATED_AT);
    const next = new Date(at.getTime() + 1);

    expect(imageName(SET, INSTANCE, at)).not.toBe(imageName(SET, INSTANCE, next));
    expect(imageName(SET, INSTANCE, at)).toBe(imageName(SET, INSTANCE, new Date(CREATED_AT)));
    expect(imageName(SET, INSTANCE, at)).not.toBe(imageName(SET, 'i-0fedcba9876543210', at));
    expect(imageName(SET, INSTANCE, at)).not.toBe(imageName('weekly', INSTANCE, at));
  });

  it('uses only AMI-legal characters and names set, instance and time', () => {
    const name = imageName(SET, INSTANCE, new Date('2026-11-22T12:34:56.789Z'));

    expect(name).toMatch(AMI_NAME);
    expect(name).toContain(SET);
    expect(name).toContain(INSTANCE);
    expect(name).toMatch(/^snapshot-rotation-/);
    expect(name).toContain('20261122T123456.789Z');
  });

  it('stays within 128 characters and unique per millisecond with a 64-character set name', () => {
    const longSet = 'S'.padEnd(64, 'et_name.with-dots9');
    expect(longSet).toHaveLength(64);
    const at = new Date(CREATED_AT);

    const name = imageName(longSet, INSTANCE, at);
    const next = imageName(longSet, INSTANCE, new Date(at.getTime() + 1));

    expect(name.length).toBeLessThanOrEqual(128);
    expect(name.length).toBeGreaterThanOrEqual(3);
    expect(name).toMatch(AMI_NAME);
    expect(next).toMatch(AMI_NAME);
    expect(name).not.toBe(next);
  });
});

describe('rdsSnapshotIdentifier', () => {
  const at = new Date('2026-11-22T12:34:56.789Z');

  it('names set, source and time in lower case', () => {
    expect(rdsSnapshotIdentifier('daily', 'prod-db', at, 255)).toBe(
      'sr-daily-prod-db-20261122-123456-789',
    );
  });

  it('turns characters RDS refuses into single hyphens', () => {
    expect(rdsSnapshotIdentifier('Daily_Set.v2', 'Prod-DB', at, 255)).toBe(
      'sr-daily-set-v2-prod-db-20261122-123456-789',
    );
  });

  it('shortens long names with a hash so that different sources stay apart', () => {
    const longSet = 'a'.repeat(64);
    const one = rdsSnapshotIdentifier(longSet, 'cluster-one', at, 63);
    const two = rdsSnapshotIdentifier(longSet, 'cluster-two', at, 63);
    expect(one.length).toBeLessThanOrEqual(63);
    expect(one).not.toBe(two);
    expect(one).toMatch(RDS_ID);
    expect(one.endsWith('-20261122-123456-789')).toBe(true);
  });

  it('always follows the RDS rules within the length limit', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
    const source = fc.stringMatching(/^[a-zA-Z](?:-?[a-zA-Z0-9]){0,62}$/);
    fc.assert(
      fc.property(
        name,
        source,
        fc.constantFrom(63, 255),
        fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('9999-12-31') }),
        (set, src, max, date) => {
          const id = rdsSnapshotIdentifier(set, src, date, max);
          expect(id.length).toBeLessThanOrEqual(max);
          expect(id).toMatch(RDS_ID);
        },
      ),
    );
  });
});
