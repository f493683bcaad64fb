// The follow-up backlog (issue 12): every action item across incidents. Pure TypeScript.
import type { ActionItem, ActionItemType } from './generators/types';
import type { IncidentStatus, Severity } from './domain';

export interface BacklogItem extends ActionItem {
  key: string;
  incidentTitle: string;
  incidentPhase: IncidentStatus;
  severity: Severity;
  /** Due before today and not done. */
  overdue: boolean;
  /** Whole days past the due date (0 when due today or not overdue). */
  daysOverdue: number;
  createdAt: string;
  updatedAt: string;
}

export interface BacklogOwnerCount {
  /** '' for unowned items. */
  owner: string;
  open: number;
  overdue: number;
}

export interface Backlog {
  /** The date overdue is judged against (YYYY-MM-DD, UTC). */
  today: string;
  items: BacklogItem[];
  /** Items matching the filters (items may hold fewer: see limit). */
  total: number;
  /** Across all real incidents, whatever the filters: not done, overdue, by owner and by type. */
  counts: {
    open: number;
    overdue: number;
    unowned: number;
    byOwner: BacklogOwnerCount[];
    byType: Record<ActionItemType, { open: number; overdue: number }>;
  };
}

/** Whole days from due date to today (UTC dates). */
export function daysBetween(due: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000);
}
