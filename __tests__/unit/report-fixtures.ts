// A run report of one ebs-volume run in us-east-1, for the tests of what is rendered from it.
import type { RunReport } from '../../src/report.js';

/** A successful report with no target, overridden where a test needs more. */
export const runReport = (overrides: Partial<RunReport> = {}): RunReport => ({
  status: 'success',
  dryRun: false,
  targetType: 'ebs-volume',
  region: 'us-east-1',
  backupSet: 'default',
  rules: 'generations 5',
  startedAt: '2026-11-22T00:00:00.000Z',
  finishedAt: '2026-11-22T00:01:00.000Z',
  timeZone: 'UTC',
  resolved: [],
  targets: [],
  errors: [],
  warnings: [],
  ...overrides,
});
