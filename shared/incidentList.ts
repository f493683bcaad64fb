// One page of the incident list (issue 12): at most `limit` rows (100 by default), a cursor to the next.
import type { FailureClass, IncidentStatus, IncidentSummary, Severity } from './domain';

export interface IncidentListItem extends IncidentSummary {
  /** Action items not done. */
  openActions: number;
  /** Action items not done whose due date has passed. */
  overdueActions: number;
}

/** How many incidents each filter value would show, the other filters applied. */
export interface IncidentCounts {
  phase: Record<IncidentStatus, number>;
  severity: Record<Severity, number>;
  failureClass: Record<FailureClass, number>;
  /** Not closed. */
  open: number;
  /** Drills matching the other filters (listed only with includeDrills). */
  drills: number;
  /** Overdue action items across real incidents. */
  overdueActions: number;
}

export interface IncidentPage {
  items: IncidentListItem[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Incidents matching the filters, all pages. */
  total: number;
  /** A text filter matched so many incidents that `total` and `counts` were taken over the first 2,000. */
  totalAtLeast?: boolean;
  /** With `counts: true`. */
  counts?: IncidentCounts;
}
