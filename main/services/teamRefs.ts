// References between records travel by uid in the team repository (issue 15): a finding's evidence names
// artifacts and timeline events by their local integer ids, a drill card the two artifacts its release
// added. Those ids mean nothing on another machine, so the repository form carries uids instead
// (`artifactUids`, `timelineEventUids`; `before_artifact_uid`, `after_artifact_uid`) and a pull maps them
// back to the local rows. A uid with no local row (an artifact that travelled as a reference only) is
// kept in the local evidence (`artifactUids`) so that the record reads back the same and does not flap.
import type { Db } from '../store/db';
import { sortKeys, type IncidentDoc, type Json, type Rec } from '../../shared/team/merge';

/* eslint-disable @typescript-eslint/no-explicit-any */
interface Stmt {
  run(...params: any[]): unknown;
  get(...params: any[]): unknown;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
type Evidence = Record<string, unknown> & { artifactIds?: unknown; artifactUids?: unknown; timelineEventIds?: unknown; timelineEventUids?: unknown };

function parseEvidence(v: Json | undefined): Evidence | null {
  if (typeof v !== 'string' || !/Ids"|Uids"/.test(v)) return null; // fast path: no id lists
  try {
    const e = JSON.parse(v) as unknown;
    return e && typeof e === 'object' && !Array.isArray(e) ? (e as Evidence) : null;
  } catch {
    return null;
  }
}
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Local ids → uids in a canonical incident (in place; called on the database's form before merging). */
const cache = new WeakMap<Db, Map<string, Stmt>>();
function st(db: Db, sql: string): Stmt {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql) as unknown as Stmt));
  return s;
}

export function refsToUids(db: Db, doc: IncidentDoc): void {
  const art = st(db, 'SELECT uid FROM artifacts WHERE id = ?');
  const ev = st(db, 'SELECT uid FROM timeline_events WHERE id = ?');
  const uidOf = (st: typeof art, id: number) => (st.get(id) as { uid: string } | undefined)?.uid ?? null;
  for (const f of Object.values(doc.findings)) {
    const e = parseEvidence(f.evidence);
    if (!e || (!('artifactIds' in e) && !('timelineEventIds' in e))) continue;
    const { artifactIds, timelineEventIds, artifactUids, timelineEventUids, ...rest } = e;
    const out: Record<string, unknown> = { ...rest };
    if (artifactIds !== undefined || artifactUids !== undefined) {
      out.artifactUids = artifactUids !== undefined ? strs(artifactUids) : nums(artifactIds).map((id) => uidOf(art, id)).filter((u): u is string => !!u);
    }
    if (timelineEventIds !== undefined || timelineEventUids !== undefined) {
      out.timelineEventUids = timelineEventUids !== undefined ? strs(timelineEventUids) : nums(timelineEventIds).map((id) => uidOf(ev, id)).filter((u): u is string => !!u);
    }
    f.evidence = JSON.stringify(sortKeys(out as Json));
  }
  const cards = (doc.drill as Rec | null)?.cards;
  if (Array.isArray(cards)) {
    for (const c of cards as Rec[]) {
      for (const side of ['before', 'after'] as const) {
        const id = c[`${side}_artifact_id`];
        delete c[`${side}_artifact_id`];
        c[`${side}_artifact_uid`] = typeof id === 'number' ? uidOf(art, id) : null;
      }
    }
  }
}

/** uids → local ids for one imported incident (inside the sync's transaction, after its rows are written). */
export function refsToIds(db: Db, incidentId: number, doc: IncidentDoc): void {
  const art = st(db, 'SELECT id FROM artifacts WHERE uid = ?');
  const ev = st(db, 'SELECT id FROM timeline_events WHERE uid = ?');
  const idOf = (st: typeof art, uid: string) => (st.get(uid) as { id: number } | undefined)?.id ?? null;
  const setEv = st(db, 'UPDATE findings SET evidence = ? WHERE uid = ? AND incident_id = ?');
  for (const [uid, f] of Object.entries(doc.findings)) {
    const e = parseEvidence(f.evidence);
    if (!e || (!('artifactUids' in e) && !('timelineEventUids' in e))) continue;
    const { artifactUids, timelineEventUids, ...rest } = e;
    const out: Record<string, unknown> = { ...rest };
    if (artifactUids !== undefined) {
      const us = strs(artifactUids);
      const ids = us.map((u) => idOf(art, u));
      out.artifactIds = ids.filter((x): x is number => x !== null);
      if (ids.includes(null)) out.artifactUids = us; // some not here: keep the names
    }
    if (timelineEventUids !== undefined) {
      const us = strs(timelineEventUids);
      const ids = us.map((u) => idOf(ev, u));
      out.timelineEventIds = ids.filter((x): x is number => x !== null);
      if (ids.includes(null)) out.timelineEventUids = us;
    }
    setEv.run(JSON.stringify(out), uid, incidentId);
  }
  const cards = (doc.drill as Rec | null)?.cards;
  if (Array.isArray(cards) && cards.length) {
    const did = (st(db, 'SELECT id FROM drills WHERE incident_id = ?').get(incidentId) as { id: number } | undefined)?.id;
    if (did === undefined) return;
    const setCard = st(db, 'UPDATE drill_cards SET before_artifact_id = ?, after_artifact_id = ? WHERE drill_id = ? AND card_id = ?');
    for (const c of cards as Rec[]) {
      const b = typeof c.before_artifact_uid === 'string' ? idOf(art, c.before_artifact_uid) : null;
      const a = typeof c.after_artifact_uid === 'string' ? idOf(art, c.after_artifact_uid) : null;
      setCard.run(b, a, did, c.card_id);
    }
  }
}
