/**
 * Why retention deletes a completed backup that no rule keeps: the window of each rule it fell
 * outside, with the parts that depend on the rules only worded once per decision. Pure.
 */
import {
  CALENDAR_UNITS,
  periodsAt,
  type CalendarRules,
  type CalendarUnit,
  type Periods,
} from './calendar.js';
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
  /**
   * Each list worded so far as the end of a reason (` old: <list>`), found by the period each
   * calendar unit holds (or none), in the order of `outside`: the same few recur over every source
   * of a run.
   */
  lists: HeldLists;
}

/** Lists by held periods: one level per calendar unit set, the list at the end. */
interface HeldLists {
  list?: string;
  next: Map<string | undefined, HeldLists>;
}

/**
 * The texts of `rules`, made once per set of counts (a run's rules are given for each of its
 * sources): found by what they depend on, so rules changed in place get their own.
 */
export function ruleTexts(rules: RetentionRules): RuleTexts {
  const { generations, keepWithinMs, calendar } = rules;
  const counts = CALENDAR_UNITS.map((unit) => calendar?.[unit] ?? 0).join(' ');
  const key = `${generations ?? '-'} ${keepWithinMs ?? '-'} ${counts}`;
  let texts = madeTexts.get(key);
  if (!texts) {
    // Bounds the texts of a long-lived process (tests); a run has one or two sets of rules.
    if (madeTexts.size >= MAX_TEXTS) madeTexts.clear();
    texts = textsOf(rules);
    madeTexts.set(key, texts);
  }
  return texts;
}

const madeTexts = new Map<string, RuleTexts>();
const MAX_TEXTS = 100;

function textsOf(rules: RetentionRules): RuleTexts {
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
  return { under, windows, outside, list, lists: { next: new Map() } };
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
): (time: number, age: number, periods?: Periods) => string {
  const heldUnits = texts.outside.flatMap(({ unit }) => {
    const periods = held.get(unit);
    return periods && periods.size > 0 ? [{ unit, periods }] : [];
  });
  // Each list as the end of a reason (` old: <list>`), made once: a reason is its age and that.
  const plain = ` old: ${texts.list}`;
  // Per unit of `texts.outside`, its place among the held units (-1: it holds no period).
  const heldAt = texts.outside.map(({ unit }) => heldUnits.findIndex((held) => held.unit === unit));
  const listFor = (met: readonly (string | undefined)[]): string => {
    let node = texts.lists;
    for (const at of heldAt) {
      const period = at < 0 ? undefined : met[at];
      let next = node.next.get(period);
      if (!next) {
        next = { next: new Map() };
        node.next.set(period, next);
      }
      node = next;
    }
    if (node.list === undefined) {
      const windows = [...texts.windows];
      texts.outside.forEach(({ unit, text }, index) => {
        const at = heldAt[index] as number;
        const period = at < 0 ? undefined : met[at];
        windows.push(period ? `a newer backup holds its ${unit} period ${period}` : text);
      });
      node.list = ` old: ${listOf(windows)}`;
    }
    return node.list;
  };
  // The held periods a backup falls in, per held unit (or undefined), and those of the backup
  // before: backups go newest first, and the next one mostly falls in the same ones (one string
  // per label, calendar.ts), so most lists are the one before.
  let met: (string | undefined)[] = heldUnits.map(() => undefined);
  let lastMet: (string | undefined)[] = heldUnits.map(() => undefined);
  let lastList = plain;
  const listOfHeld = (time: number, given: Periods | undefined): string => {
    if (!calendar || heldUnits.length === 0) return plain;
    const periods = given ?? periodsAt(time, calendar.timeZone);
    let any = false;
    let same = true;
    for (let at = 0; at < heldUnits.length; at++) {
      const { unit, periods: heldPeriods } = heldUnits[at] as (typeof heldUnits)[number];
      const period = periods[unit];
      const holds = heldPeriods.has(period) ? period : undefined;
      if (holds !== undefined) any = true;
      if (holds !== lastMet[at]) same = false;
      met[at] = holds;
    }
    if (!any) return plain;
    if (!same) {
      lastList = listFor(met);
      [lastMet, met] = [met, lastMet];
    }
    return lastList;
  };
  return (time, age, periods) => formatDuration(Math.max(age, 0)) + listOfHeld(time, periods);
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
