// What the team channels return (issue 15).
import type { Json } from './merge';

export interface TeamConflict {
  key: string;
  /** Where: "incident.title", "timeline.<uid>.body", "documents.postmortem.content#Impact". */
  field: string;
  mine: Json;
  theirs: Json;
  base: Json;
}

export interface TeamSyncResult {
  offline: boolean;
  message: string;
  /** Incidents changed here by the sync. */
  pulled: string[];
  /** Incidents written to the repository. */
  pushed: string[];
  commit: string | null;
  /** Conflicts found by this sync. */
  conflicts: TeamConflict[];
  attempts: number;
  /** Incidents waiting to be pushed, after this sync. */
  queued: number;
  openConflicts: number;
}

export interface TeamStatus {
  joined: boolean;
  remote: string | null;
  branch: string | null;
  member: number | null;
  memberName: string | null;
  lastSyncedAt: string | null;
  lastAttemptAt: string | null;
  baseCommit: string | null;
  /** Incidents changed here and not pushed yet (ahead). */
  queued: number;
  /** Commits the last fetch saw that are not merged here yet. */
  behind: number | null;
  conflicts: TeamConflict[];
  lastResult: (Partial<TeamSyncResult> & { error?: string }) | null;
  cloneDir: string | null;
}
