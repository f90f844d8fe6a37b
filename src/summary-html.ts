/**
 * The pieces every section of the job summary writes the same way: a resource by its `Name` tag
 * with its id, a backup linked to its console page with its size, the rules that keep a backup as
 * short words, a time with its age, and the results of deletions. Every value is escaped. Pure.
 */
import { escape } from 'html-escaper';
import { backupConsoleUrl } from './console-links.js';
import type {
  BackupRef,
  DeletedEntry,
  DeleteResult,
  KeptEntry,
  RunReport,
  TargetReport,
} from './report.js';
import { formatGiB, formatWhen } from './summary-format.js';

/**
 * A value as summary HTML: escaped, and its line breaks made spaces. The summary is one HTML block
 * inside Markdown; a blank line in a value (a tag, an error text) would end the block and let the
 * rest be read as Markdown (links, images).
 */
export const esc = (value: string): string => escape(value).replace(/\r\n|\r|\n/g, ' ');

/** `<b>web-data</b> <code>vol-0f21…</code>`, or only the id without a `Name` tag. */
export function resourceLabel(target: Pick<TargetReport, 'sourceId' | 'name'>): string {
  const id = `<code>${esc(target.sourceId)}</code>`;
  return target.name && target.name !== target.sourceId ? `<b>${esc(target.name)}</b> ${id}` : id;
}

/** An id linked to its console page when it has one. */
function linked(url: string | undefined, id: string): string {
  const code = `<code>${esc(id)}</code>`;
  return url ? `<a href="${esc(url)}">${code}</a>` : code;
}

/**
 * A backup: its id linked to the console in its own Region (an `ec2-instance` set: each member
 * snapshot linked, with its device), then its size when known.
 */
export function backupLabel(report: RunReport, target: TargetReport, backup: BackupRef): string {
  const bucket = target.files?.bucket;
  let label = linked(backupConsoleUrl(report.targetType, backup, bucket), backup.id);
  if (backup.members && backup.members.length > 0) {
    const members = backup.members.map(
      (member) =>
        `${linked(backupConsoleUrl('ebs-volume', { id: member.id, region: backup.region }), member.id)}${member.device ? ` ${esc(member.device)}` : ''}`,
    );
    label += `: ${members.join(', ')}`;
  }
  return backup.sizeGiB !== undefined ? `${label} · ${formatGiB(backup.sizeGiB)}` : label;
}

/** A time in the run's time zone with its age at the run's end. */
export function when(report: RunReport, iso: string): string {
  return esc(formatWhen(iso, report.timeZone, report.finishedAt));
}

/**
 * What keeps a backup, as short words (`newest` `daily` `keep-within`), each carrying its full
 * reason as a tooltip; reasons beyond the named rules follow as text. A report without rule names
 * shows its reasons.
 */
export function keptBy(entry: KeptEntry): string {
  const rules = entry.rules ?? [];
  const badges = rules.map(
    (rule, index) => `<code title="${esc(entry.reasons[index] ?? rule)}">${esc(rule)}</code>`,
  );
  const rest = entry.reasons.slice(rules.length).map(esc);
  return [...badges, ...rest].join(' ');
}

const DELETE_TEXT: Record<DeleteResult, string> = {
  deleted: 'deleted',
  'would-delete': 'would delete',
  'already-gone': 'already gone',
  skipped: 'left in place',
  failed: '❌ delete failed',
  'not-attempted': 'held back',
};

/** A deletion's result and why: `deleted: 9d old: not among the 7 newest`. */
export function deletion(entry: DeletedEntry): string {
  const why = [entry.reasons.join('; '), entry.message].filter(Boolean).join('. ');
  return `${DELETE_TEXT[entry.result]}${why ? `: ${esc(why)}` : ''}`;
}

/** Deleted, or would be in a dry run: what `deleted-ids` lists. */
export function removed(entry: DeletedEntry): boolean {
  return entry.result === 'deleted' || entry.result === 'would-delete';
}
