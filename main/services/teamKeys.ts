// Readable incident keys that never collide between team members (issue 15).
//
// Before a database joins a team its keys are INC-0001, INC-0002, … (the local sequence). Joining allots
// the member a number 1–999 (the first free members/NNN.json in the repository, pushed before it counts),
// and from then on this machine's new incidents are INC-<member, 3 digits><counter, 4+ digits>:
// member 3's 42nd incident is INC-0030042. Two members never share a number (a second claim of the same
// file is refused by git as a non-fast-forward and the join picks again), so keys made offline on two
// machines cannot collide. Incidents that were never in the repository are re-keyed once at join; a key
// that has been synced never changes.
import type { Db } from '../store/db';
import { rows } from '../store/rows';


export const MAX_MEMBER = 999;

export function memberPrefix(member: number): string {
  return `INC-${String(member).padStart(3, '0')}`;
}

/** This database's member number, or null when it has not joined a team. */
export function teamMember(db: Db): number | null {
  try {
    const r = rows<{ member_no: number | null }>(db, 'SELECT member_no FROM team_state WHERE id = 1').get();
    return r ? r.member_no : null;
  } catch {
    return null; // a store without the team tables (an old schema opened read-only)
  }
}

/** The key for a new incident (call inside the write transaction that inserts it). */
export function nextIncidentKey(db: Db, seq: number, member = teamMember(db)): string {
  if (member === null) return `INC-${String(seq).padStart(4, '0')}`;
  const prefix = memberPrefix(member);
  const r = rows<{ n: number | null }>(db, `SELECT MAX(CAST(substr(key, 8) AS INTEGER)) AS n FROM incidents WHERE key LIKE ? AND length(key) >= 11`)
    .get(`${prefix}%`)!;
  return `${prefix}${String((r.n ?? 0) + 1).padStart(4, '0')}`;
}
