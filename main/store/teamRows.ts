// Typed rows of team sync (issue 15, migration 0010), beside ./rows.ts: the team_* tables, the `uid` that
// 0010 gives every synced table, and the one place a team_conflicts row becomes a ConflictRecord.
// main/services/team.ts reads these through StatementCache, so no row there is `any`.
import type { ConflictRecord, Json } from '../../shared/team/merge';
import type { ActionItemRow, ArtifactRow, ChecklistItemRow, FindingRow, IncidentRow, TimelineEventRow } from './rows';

/** A row of a table that 0010 gave a ULID `uid` (an AFTER INSERT trigger fills it, so it is never NULL once written). */
export type WithUid<R> = R & { uid: string };

export type SyncedIncidentRow = WithUid<IncidentRow>;
export type SyncedTimelineEventRow = WithUid<TimelineEventRow>;
export type SyncedFindingRow = WithUid<FindingRow>;
export type SyncedActionItemRow = WithUid<ActionItemRow>;
export type SyncedArtifactRow = WithUid<ArtifactRow>;

/** `checklist_items` with every column (0001): rows.ts's ChecklistItemRow is the two the checklist view reads. */
export interface ChecklistItemFullRow extends ChecklistItemRow {
  incident_id: number;
  checked_at: string;
}

/** `PRAGMA table_info(t)`: one row per column. */
export interface ColumnInfoRow {
  cid: number;
  name: string;
  type: string;
  notnull: 0 | 1;
  dflt_value: string | null;
  pk: number;
}

/** `team_state`: the one team this database syncs with (always id 1). */
export interface TeamStateRow {
  id: 1;
  remote: string;
  branch: string;
  clone_dir: string;
  member_no: number;
  member_name: string;
  member_email: string;
  /** The commit the database was last merged with (the three-way merge's base). */
  base_commit: string | null;
  last_synced_at: string | null;
  last_attempt_at: string | null;
  /** JSON TeamSyncResult of the last sync, or `{ error }`. */
  last_result: string | null;
  joined_at: string;
}

/** `team_dirty`: incidents changed here since they were last merged (the sync queue). */
export interface TeamDirtyRow {
  seq: number;
  incident_id: number;
}

/** `team_conflicts`: one same-field conflict; base/kept/other are JSON text. */
export interface TeamConflictRow {
  incident_id: number;
  path: string;
  base: string | null;
  kept: string | null;
  kept_by: string;
  other: string | null;
  other_by: string;
}

/** A conflict with its incident's key (`SELECT c.*, i.key …`). */
export interface TeamConflictWithKeyRow extends TeamConflictRow {
  key: string;
}

export function toConflictRecord(r: TeamConflictRow): ConflictRecord {
  const json = (s: string | null) => JSON.parse(s ?? 'null') as Json;
  return { base: json(r.base), kept: json(r.kept), kept_by: r.kept_by, other: json(r.other), other_by: r.other_by };
}

/** `team_blob_map`: how an artifact's bytes are in the repository. */
export interface TeamBlobMapRow {
  /** The original bytes' hash (the local blob store's key). */
  sha256: string;
  /** The masked bytes' hash, or for a reference the original's. */
  content: string;
  stored: 'repo' | 'reference';
  size: number;
  /** The member (3 digits) that has the original. */
  holder: string;
}

/** `team_remote_artifacts`: an artifact pulled without its bytes; `json` is its canonical record. */
export interface TeamRemoteArtifactRow {
  uid: string;
  incident_id: number;
  json: string;
}
