// Custom drill scenarios (made from incidents; custom_scenarios, 0004) in the team repository (issue 15):
//   scenarios/<uid>.json   {uid, id, scenario, source_incident (its uid), created_at, updated_at[, conflict]}
// pretty JSON with sorted keys. Scenarios are few, so every sync looks at all of them: a record-level
// three-way merge against the last synced commit (one side changed → that side; both changed → the
// repository's value is kept and the other is written beside it as "conflict" and reported). Values are
// masked (shared/redact) before they are compared or written; the caller scans what is written.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db';
import { ApiError } from '../../shared/api/errors';
import { redactText } from '../../shared/redact/index';
import { canon, sortKeys, type Json, type Rec } from '../../shared/team/merge';
import type { TeamConflict } from '../../shared/team/types';

export const SCENARIOS_DIR = 'scenarios';

interface ScenarioRow {
  uid: string;
  id: string;
  json: string;
  source_uid: string | null;
  created_at: string;
  updated_at: string;
}

export interface ScenarioPlan {
  /** Records to write into the database (pulled). */
  toDb: Rec[];
  /** Repository files (relative path → text) to write. */
  files: Record<string, string>;
  conflicts: TeamConflict[];
  pulled: string[];
}

function redactDeep(v: Json): Json {
  if (typeof v === 'string') return v.length > 5 ? redactText(v) : v;
  if (Array.isArray(v)) return v.map(redactDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactDeep(x)]));
  return v;
}

export function scenarioFileText(r: Rec): string {
  return JSON.stringify(sortKeys(r), null, 2) + '\n';
}

/** The local scenarios in repository form (masked), by uid. */
export function localScenarios(db: Db): Map<string, Rec> {
  const out = new Map<string, Rec>();
  const rows = db
    .prepare('SELECT s.uid, s.id, s.json, i.uid AS source_uid, s.created_at, s.updated_at FROM custom_scenarios s LEFT JOIN incidents i ON i.id = s.source_incident_id ORDER BY s.uid')
    .all() as ScenarioRow[];
  for (const r of rows) {
    out.set(r.uid, { uid: r.uid, id: r.id, scenario: redactDeep(JSON.parse(r.json) as Json), source_incident: r.source_uid, created_at: r.created_at, updated_at: r.updated_at });
  }
  return out;
}

/** What tests compare between machines: every scenario, canonical. */
export function dumpScenarios(db: Db): Record<string, Json> {
  return Object.fromEntries([...localScenarios(db)].map(([u, r]) => [u, JSON.parse(canon(r)) as Json]));
}

function parse(file: string, text: string): Rec {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ApiError('VALIDATION', `The team repository has a malformed file: ${file}: not valid JSON (${(e as Error).message}). Nothing was changed.`, { issues: [{ field: file, message: 'not valid JSON' }] });
  }
  const r = v as Rec;
  if (!r || typeof r !== 'object' || Array.isArray(r) || typeof r.uid !== 'string' || typeof r.id !== 'string' || !r.scenario || typeof r.scenario !== 'object') {
    throw new ApiError('VALIDATION', `The team repository has a malformed file: ${file}: needs "uid", "id" and a "scenario" object. Nothing was changed.`, { issues: [{ field: file, message: 'needs uid, id, scenario' }] });
  }
  return r;
}
const body = (r: Rec | undefined) => {
  if (!r) return null;
  const { conflict: _c, ...rest } = r;
  return canon(rest as Json);
};

/**
 * Plan the scenario merge. `clone` has the fetched commit checked out; `baseFiles` reads a path at the base
 * commit (null when absent or no base).
 */
export function planScenarios(db: Db, clone: string, baseFiles: Map<string, string>, me: string): ScenarioPlan {
  const plan: ScenarioPlan = { toDb: [], files: {}, conflicts: [], pulled: [] };
  const mine = localScenarios(db);
  const theirs = new Map<string, Rec>();
  const dir = join(clone, SCENARIOS_DIR);
  if (existsSync(dir)) {
    for (const n of readdirSync(dir).sort()) {
      if (!n.endsWith('.json')) continue;
      const rel = `${SCENARIOS_DIR}/${n}`;
      const r = parse(rel, readFileSync(join(dir, n), 'utf8'));
      theirs.set(r.uid as string, r);
    }
  }
  const uids = [...new Set([...mine.keys(), ...theirs.keys()])].sort();
  for (const u of uids) {
    const m = mine.get(u);
    const t = theirs.get(u);
    const rel = `${SCENARIOS_DIR}/${u}.json`;
    const bText = baseFiles.get(rel);
    const b = bText ? parse(rel, bText) : undefined;
    if (m && !t) {
      plan.files[rel] = scenarioFileText(m);
      continue;
    }
    if (!m && t) {
      plan.toDb.push(t);
      plan.pulled.push(String(t.id));
      continue;
    }
    if (!m || !t) continue;
    const [bm, bt, bb] = [body(m), body(t), body(b)];
    if (bm === bt) continue;
    if (bm === bb) {
      plan.toDb.push(t);
      plan.pulled.push(String(t.id));
    } else if (bt === bb) {
      // Only this machine changed it. A conflict this machine had already seen at its last sync (the
      // base has the same one) is settled by that change (team:resolve, or the scenario saved again);
      // one written since by another member stays beside it.
      const seen = !!t.conflict && !!b?.conflict && canon(t.conflict as Json) === canon(b.conflict as Json);
      plan.files[rel] = scenarioFileText(t.conflict && !seen ? { ...m, conflict: t.conflict } : m);
    } else {
      // Both changed: the repository's value stays, this machine's is kept beside it and reported.
      plan.toDb.push(t);
      plan.files[rel] = scenarioFileText({ ...t, conflict: { other: m.scenario, other_by: me, base: b?.scenario ?? null } });
      plan.conflicts.push({ key: String(t.id), field: `scenario.${u}`, mine: m.scenario, theirs: t.scenario ?? null, base: (b?.scenario as Json) ?? null });
    }
  }
  return plan;
}

/** Write pulled scenarios (inside the sync's transaction, after the incidents so source uids resolve). */
export function applyScenarios(db: Db, plan: ScenarioPlan): void {
  const byUid = db.prepare('SELECT id FROM custom_scenarios WHERE uid = ?');
  const byId = db.prepare('SELECT uid FROM custom_scenarios WHERE id = ?');
  const inc = db.prepare('SELECT id FROM incidents WHERE uid = ?');
  for (const r of plan.toDb) {
    const src = r.source_incident ? ((inc.get(r.source_incident) as { id: number } | undefined)?.id ?? null) : null;
    const json = JSON.stringify(r.scenario);
    if (byUid.get(r.uid)) {
      db.prepare('UPDATE custom_scenarios SET id = ?, json = ?, source_incident_id = ?, updated_at = ? WHERE uid = ?').run(r.id, json, src, r.updated_at, r.uid);
      continue;
    }
    const clash = byId.get(r.id) as { uid: string } | undefined;
    if (clash) throw new ApiError('CONFLICT', `The repository has scenario "${String(r.id)}" (${String(r.uid)}) and this database has another scenario with that id (${clash.uid}); rename one and sync again. Nothing was changed.`);
    db.prepare('INSERT INTO custom_scenarios (uid, id, json, source_incident_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(r.uid, r.id, json, src, r.created_at, r.updated_at);
  }
}

/**
 * The open scenario conflicts of the repository as last synced (the clone's files), from this member's
 * side. One this database has changed since (resolved, or the scenario saved again) is settled and waits
 * for the next sync: the sync left the repository's value here, so any difference is a later change.
 */
export function scenarioConflicts(db: Db, clone: string, me: string): TeamConflict[] {
  const dir = join(clone, SCENARIOS_DIR);
  if (!existsSync(dir)) return [];
  const local = localScenarios(db);
  const out: TeamConflict[] = [];
  for (const n of readdirSync(dir).sort()) {
    if (!n.endsWith('.json')) continue;
    let r: Rec;
    try {
      r = parse(`${SCENARIOS_DIR}/${n}`, readFileSync(join(dir, n), 'utf8'));
    } catch {
      continue; // a malformed file is reported by the next sync
    }
    const c = r.conflict as Rec | undefined;
    if (!c || typeof c !== 'object') continue;
    const mine = local.get(String(r.uid));
    if (mine && body(mine) !== body(r)) continue;
    const mineIsOther = c.other_by === me;
    out.push({ key: String(r.id), field: `scenario.${String(r.uid)}`, mine: ((mineIsOther ? c.other : r.scenario) as Json) ?? null, theirs: ((mineIsOther ? r.scenario : c.other) as Json) ?? null, base: (c.base as Json) ?? null });
  }
  return out;
}

/**
 * Settle a scenario conflict here: the scenario becomes the chosen side (as the repository holds it,
 * masked) with a new updated_at, and the next sync writes it without the conflict (planScenarios).
 */
export function resolveScenario(db: Db, clone: string, id: string, field: string, take: 'mine' | 'theirs', me: string, now: string): void {
  const open = scenarioConflicts(db, clone, me);
  const c = open.find((x) => x.field === field);
  if (!c || c.key !== id) {
    const here = open.filter((x) => x.key === id).map((x) => x.field);
    throw new ApiError('NOT_FOUND', `Scenario ${id} has no open conflict on ${field}${here.length ? `; open: ${here.join(', ')}` : ''}`, { issues: [{ field: 'field', message: 'no such conflict' }] });
  }
  const value = take === 'mine' ? c.mine : c.theirs;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ApiError('CONFLICT', `Scenario ${id}: the ${take === 'mine' ? 'local' : 'other'} side of the conflict has no scenario to keep`);
  const uid = field.slice('scenario.'.length);
  const changed = db.prepare('UPDATE custom_scenarios SET json = ?, updated_at = ? WHERE uid = ? AND id = ?').run(JSON.stringify(value), now, uid, id).changes;
  if (!changed) throw new ApiError('NOT_FOUND', `No custom scenario ${id} (${uid}) in this database`, { issues: [{ field: 'key', message: 'no such scenario' }] });
}
