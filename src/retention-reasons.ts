/**
 * Why retention deletes a completed backup that no rule keeps: the window of each rule it fell
 * outside, with the parts that depend on the rules only worded once per decision. Pure.
 */
import { CALENDAR_UNITS, periodsAt, type CalendarRules, type CalendarUnit } from './calendar.js';
import { formatDuration } from './duration.js';
import type { RetentionRules } from './retention.js';

/** The parts of the reasons that depend on the rules only, written once per decision. */
export interface RuleTexts {
  /** `under 30d`, for keep-within. */
  under: string;
  /** The windows of the rules without periods: `not one of the 7 newest`, `older than …`. */
  windows: string[];
  /** Per calendar unit set: its window for a backup whose period no kept backup holds. */
  outside: { unit: CalendarUnit; text: string }[];
  /**
   * The whole list (`a, b and c`) for a backup whose periods no kept backup holds (most of those
   * that go), or that no calendar rule is set for.
   */
  list: string;
}

export function ruleTexts(rules: RetentionRules): RuleTexts {
  const windows: string[] = [];
  if (rules.generations !== undefined) {
    windows.push(
      rules.generations === 1 ? 'not the newest' : `not one of the ${rules.generations} newest`,
    );
  }
  const within = rules.keepWithinMs;
  if (within !== undefined) windows.push(`older than keep-within ${formatDuration(within)}`);
  const { calendar } = rules;
  const outside = CALENDAR_UNITS.flatMap((unit) => {
    const count = calendar?.[unit] ?? 0;
    if (count <= 0) return [];
    return [
      { unit, text: `outside the last ${count} ${unit} ${count === 1 ? 'period' : 'periods'}` },
    ];
  });
  const under = within !== undefined ? `under ${formatDuration(within)}` : '';
  const list = listOf([...windows, ...outside.map(({ text }) => text)]);
  return { under, windows, outside, list };
}

/**
 * Why a completed backup of one source's group that no rule keeps goes, naming each configured
 * rule's window it fell outside: `3d old: not among the 2 newest, older than keep-within 2d and
 * outside the last 7 daily periods`. Only the rules that are set are named. `held` is the periods
 * the group's kept backups hold, per unit: a backup in one of them is told so instead.
 *
 * Most backups that go share their wording but for their age, so the list is made once per
 * combination of held periods met, and a backup's periods are only read when some are held.
 */
export function outsideReasons(
  texts: RuleTexts,
  calendar: CalendarRules | undefined,
  held: ReadonlyMap<CalendarUnit, ReadonlySet<string>>,
): (time: number, age: number) => string {
  const heldUnits = texts.outside.flatMap(({ unit }) => {
    const periods = held.get(unit);
    return periods && periods.size > 0 ? [{ unit, periods }] : [];
  });
  const lists = new Map<string, string>();
  // Backups go newest first, so the next one mostly meets the same held periods as the one
  // before: the last list is reused without building its key.
  let lastMet: string[] = [];
  let lastList = texts.list;
  const met: string[] = [];
  const listOfHeld = (time: number): string => {
    if (!calendar || heldUnits.length === 0) return texts.list;
    const periods = periodsAt(time, calendar.timeZone);
    met.length = 0;
    for (const { unit, periods: heldPeriods } of heldUnits) {
      if (heldPeriods.has(periods[unit])) met.push(unit, periods[unit]);
    }
    if (met.length === 0) return texts.list;
    if (sameItems(met, lastMet)) return lastList;
    const key = met.join(' ');
    let list = lists.get(key);
    if (list === undefined) {
      const windows = [...texts.windows];
      for (const { unit, text } of texts.outside) {
        windows.push(
          held.get(unit)?.has(periods[unit])
            ? `a newer backup holds its ${unit} period ${periods[unit]}`
            : text,
        );
      }
      list = listOf(windows);
      lists.set(key, list);
    }
    lastMet = [...met];
    lastList = list;
    return list;
  };
  return (time, age) => `${formatDuration(Math.max(age, 0))} old: ${listOfHeld(time)}`;
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `a`, `a and b`, `a, b and c`; with no window, the rule that always holds: the newest. */
function listOf(windows: readonly string[]): string {
  const [first, ...others] = windows;
  if (first === undefined) return 'not the newest completed backup';
  let list = first;
  others.forEach((window, index) => {
    list += index === others.length - 1 ? ` and ${window}` : `, ${window}`;
  });
  return list;
}
