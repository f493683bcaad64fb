// Changes that are real but should not shout (issue 11): a calendar-versioned package moving to a new
// year (certifi 2023.7.22 → 2024.2.2 is not an API break), and anything about an ID-like column (ids,
// keys, codes, ticket numbers change from batch to batch by nature). They are shown as info with the
// reason; the engine's own severity stays in the stored change.
import type { Change, ChangeSeverity } from '../../shared/diff/types';

/** Packages known to use YY.* calendar versions (YYYY.* ones are recognised by the year itself). */
const YY_CALVER = new Set(['pip', 'black', 'attrs', 'cattrs', 'twisted', 'pyopenssl', 'unicodedata2', 'ubuntu-advantage-tools']);

const yearOf = (v: unknown): number | null => {
  const m = /^v?(\d{2,4})(?:[.-]|$)/.exec(String(v ?? ''));
  return m ? Number(m[1]) : null;
};

export function isCalendarVersioned(name: string, before: unknown, after: unknown): boolean {
  const a = yearOf(before);
  const b = yearOf(after);
  if (a === null || b === null) return false;
  if (a >= 2000 && a <= 2099 && b >= 2000 && b <= 2099) return true;
  return YY_CALVER.has(name.toLowerCase().replace(/_/g, '-').replace(/\[.*$/, '')) && a >= 15 && a <= 99 && b >= 15 && b <= 99;
}

/** Column names that are identifiers by convention (id, *_id, uuid, key, code, ticket, number…). */
export function isIdLikeColumn(name: string): boolean {
  const n = name.trim();
  return (
    /^(id|uuid|guid|key|pk|index|idx|row(_?num(ber)?)?|ticket|code|hash|sha|serial)$/i.test(n) ||
    /[_\s-](id|uuid|guid|key|code|no|num|number|hash)$/i.test(n) ||
    /^[A-Za-z]*[a-z](Id|ID|Uuid|Key|Code|No|Num)$/.test(n)
  );
}

const COLUMN_KINDS = /^(column|nulls|drift|category|range|dtype|dataset\.column)\./;

/** Why this change is shown quietly, or null. */
export function quietReason(c: Change): string | null {
  if (c.kind.startsWith('dependency.') && c.params?.level === 'major') {
    const name = String(c.subject).split(/[ @(]/)[0];
    if (isCalendarVersioned(name, c.before, c.after)) return 'calendar version: the year moved, which says nothing about breaking changes';
  }
  if (COLUMN_KINDS.test(c.kind) && !/^column\.(removed|added|renamed)|^dtype\./.test(c.kind) && isIdLikeColumn(String(c.subject))) {
    return 'ID-like column: its values are expected to differ between batches';
  }
  return null;
}

/** The severity to show (quiet changes are info). */
export function shownSeverity(c: Change): ChangeSeverity {
  return quietReason(c) ? 'info' : c.severity;
}

export { changeSourceKey } from '../../shared/artifacts';
