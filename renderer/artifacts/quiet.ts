// Changes that are real but should not shout (issue 11): a calendar-versioned package moving on
// (certifi 2023.7.22 → 2024.2.2 is not an API break) and anything about an ID-like column (ids, keys,
// codes, ticket numbers change from batch to batch by nature). They are shown as info with the reason;
// the engine's own severity stays in the stored change. Which packages are calendar-versioned is the
// dependency engine's call (kind `dependency.calendar`, shared/diff/deps/versions.ts); this only says why.
import type { Change, ChangeSeverity } from '../../shared/diff/types';

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
  if (c.kind === 'dependency.calendar') return 'calendar version: the number is a date, it says nothing about breaking changes';
  if (COLUMN_KINDS.test(c.kind) && !/^column\.(removed|added|renamed)|^dtype\./.test(c.kind) && isIdLikeColumn(String(c.subject))) {
    return 'ID-like column: its values are expected to differ between batches';
  }
  return null;
}

/** The severity to show: ID-like column changes are info; a calendar version keeps the engine's (info,
 * or a warning when it moves onto a pre-release). */
export function shownSeverity(c: Change): ChangeSeverity {
  return c.kind !== 'dependency.calendar' && quietReason(c) ? 'info' : c.severity;
}

export { changeSourceKey } from '../../shared/artifacts';
