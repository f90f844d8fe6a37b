/**
 * Loaded with `node --import` into the action's process by `npm run bench`: writes the process's
 * peak resident set size (KiB) to RSS_PROBE_FILE when it exits. Measurement only; never shipped.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.RSS_PROBE_FILE;
if (file) {
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
}
