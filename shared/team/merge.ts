// Record-level three-way merge of one incident (issue 15). Pure: main/services/team.ts feeds it the
// incident as the last synced commit had it (base), as this database has it (mine) and as the fetched
// repository has it (theirs), all in the canonical form of ./format.ts.
//
// Collections (timeline, findings, actions, artifacts, roles, phases, checklist, documents, conflicts) are
// keyed by a stable id; a record present on one side only is an addition (union), one removed on one
// side and untouched on the other is removed, one removed on one side and changed on the other is kept.
// Fields merge one by one: equal → that value; changed on one side only → that side's value; changed on
// both to different values → a conflict: the field keeps theirs (what the repository already has, so
// every member shows the same value) and the conflict, with both values, travels in incident.json until a
// member resolves it. Document text merges section by section (the runbook merge of shared/generators).
import { mergeRunbook } from '../generators/runbook';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Rec = Record<string, Json>;
export type Coll = Record<string, Rec>;

export interface IncidentDoc {
  incident: Rec;
  roles: Coll;
  phases: Coll;
  checklist: Coll;
  drill: Rec | null;
  documents: Coll;
  timeline: Coll;
  findings: Coll;
  actions: Coll;
  artifacts: Coll;
  conflicts: Coll;
}

export const COLLECTIONS = ['roles', 'phases', 'checklist', 'documents', 'timeline', 'findings', 'actions', 'artifacts', 'conflicts'] as const;

export interface ConflictRecord extends Rec {
  base: Json;
  kept: Json;
  kept_by: string;
  other: Json;
  other_by: string;
}

export function emptyDoc(): IncidentDoc {
  return { incident: {}, roles: {}, phases: {}, checklist: {}, drill: null, documents: {}, timeline: {}, findings: {}, actions: {}, artifacts: {}, conflicts: {} };
}

/** Canonical JSON: keys sorted at every level. */
export function canon(v: Json | undefined): string {
  if (v === undefined) return 'undefined';
  return JSON.stringify(sortKeys(v));
}
export function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o: Record<string, Json> = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) o[k] = sortKeys(v[k]);
    return o;
  }
  return v;
}
const eq = (a: Json | undefined, b: Json | undefined) => canon(a) === canon(b);

export interface MergeContext {
  /** This member, as it names itself in conflicts (its member number). */
  me: string;
  conflicts: { path: string; rec: ConflictRecord }[];
}

type Policy = 'normal' | 'max' | 'theirs' | 'markdown';
function policy(path: string, field: string): Policy {
  if (field === 'updated_at') return 'max';
  if (path.startsWith('documents.') && field === 'content') return 'markdown';
  // What the generator last wrote is derived: whichever side regenerated last is as good.
  if (path.startsWith('documents.') && field === 'generated') return 'theirs';
  return 'normal';
}

function mergeField(path: string, field: string, b: Json | undefined, m: Json | undefined, t: Json | undefined, ctx: MergeContext): Json | undefined {
  if (eq(m, t)) return m;
  if (eq(m, b)) return t;
  if (eq(t, b)) return m;
  const p = policy(path, field);
  if (p === 'max') return String(m ?? '') > String(t ?? '') ? m : t;
  if (p === 'theirs') return t;
  if (p === 'markdown' && typeof m === 'string' && typeof t === 'string') {
    const r = mergeRunbook(typeof b === 'string' ? b : '', m, t);
    for (const c of r.conflicts) {
      ctx.conflicts.push({ path: `${path}.${field}#${c.section}`, rec: { base: null, kept: c.user, kept_by: ctx.me, other: c.generated, other_by: '' } });
    }
    return r.merged;
  }
  ctx.conflicts.push({ path: `${path}.${field}`, rec: { base: b ?? null, kept: t ?? null, kept_by: '', other: m ?? null, other_by: ctx.me } });
  return t;
}

export function mergeRecord(path: string, b: Rec | undefined, m: Rec | undefined, t: Rec | undefined, ctx: MergeContext): Rec | undefined {
  if (!m && !t) return undefined;
  if (!b) {
    if (!m) return t;
    if (!t) return m;
  } else {
    if (!m) return eq(t, b) ? undefined : t; // removed here; kept when changed there
    if (!t) return eq(m, b) ? undefined : m;
  }
  const out: Rec = {};
  const keys = new Set([...Object.keys(m!), ...Object.keys(t!), ...Object.keys(b ?? {})]);
  for (const k of [...keys].sort()) {
    const v = mergeField(path, k, b?.[k], m![k], t![k], ctx);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function mergeColl(name: string, b: Coll, m: Coll, t: Coll, ctx: MergeContext): Coll {
  const out: Coll = {};
  const ids = new Set([...Object.keys(m), ...Object.keys(t), ...Object.keys(b)]);
  for (const id of [...ids].sort()) {
    const r = mergeRecord(`${name}.${id}`, b[id], m[id], t[id], ctx);
    if (r) out[id] = r;
  }
  return out;
}

/** Merge one incident. `base` null: never synced (both sides' additions are kept). */
export function mergeIncident(base: IncidentDoc | null, mine: IncidentDoc | null, theirs: IncidentDoc | null, me: string): { doc: IncidentDoc | null; conflicts: { path: string; rec: ConflictRecord }[] } {
  const ctx: MergeContext = { me, conflicts: [] };
  if (!mine) return { doc: theirs, conflicts: [] };
  if (!theirs) return { doc: mine, conflicts: [] };
  const b = base ?? emptyDoc();
  const doc = emptyDoc();
  doc.incident = mergeRecord('incident', base ? b.incident : undefined, mine.incident, theirs.incident, ctx) ?? {};
  doc.drill = mergeRecord('drill', b.drill ?? undefined, mine.drill ?? undefined, theirs.drill ?? undefined, ctx) ?? null;
  for (const c of COLLECTIONS) {
    if (c === 'conflicts') continue;
    doc[c] = mergeColl(c, b[c], mine[c], theirs[c], ctx);
  }
  // Conflicts already recorded merge like any collection (resolved on one side = removed), then the new ones.
  const conflicts = mergeColl('conflicts', b.conflicts, mine.conflicts, theirs.conflicts, { me, conflicts: [] });
  for (const c of ctx.conflicts) conflicts[c.path] = c.rec;
  doc.conflicts = conflicts;
  return { doc, conflicts: ctx.conflicts };
}

/** A value inside a doc by conflict path ("incident.title", "timeline.<uid>.body", "documents.postmortem.content#Impact"). */
export function splitPath(path: string): { coll: string; id: string | null; field: string; section: string | null } {
  const [main, section = null] = path.split('#', 2) as [string, string | undefined];
  const parts = main.split('.');
  if (parts[0] === 'incident' || parts[0] === 'drill') return { coll: parts[0], id: null, field: parts.slice(1).join('.'), section };
  return { coll: parts[0], id: parts.slice(1, -1).join('.'), field: parts[parts.length - 1], section };
}
