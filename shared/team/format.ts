// The team repository's layout (issue 15): canonical, line-oriented files that git merges without text
// conflicts when two members changed different parts, and that read back to the same records.
//
//   pmw-team.json                      {"format": 1, …}: a newer format is refused, never rewritten
//   members/NNN.json                   one per member (number allotted at join; name and email from git)
//   incidents/<KEY>/incident.json      the incident's fields, roles, phases, checklist, drill, conflicts,
//                                      document bases; pretty JSON with sorted keys (one field a line)
//   incidents/<KEY>/timeline.jsonl     one event per line (sorted keys), ordered by time then uid
//   incidents/<KEY>/findings.jsonl     one finding per line;  actions.jsonl, artifacts.jsonl likewise
//   incidents/<KEY>/postmortem.md      documents as Markdown (merged section by section)
//   incidents/<KEY>/runbook.md
//   artifacts/<ab>/<sha256>            artifact bytes, masked, named by the hash of what is stored
// Anything else in the repository (a README, CI files) is left alone.
import { COLLECTIONS, emptyDoc, sortKeys, type Coll, type IncidentDoc, type Json, type Rec } from './merge';

export const TEAM_FORMAT = 1;
export const FORMAT_FILE = 'pmw-team.json';
export const INCIDENTS_DIR = 'incidents';
export const ARTIFACTS_DIR = 'artifacts';
export const MEMBERS_DIR = 'members';

const LINE_FILES = { timeline: 'timeline.jsonl', findings: 'findings.jsonl', actions: 'actions.jsonl', artifacts: 'artifacts.jsonl' } as const;
const DOC_KINDS = ['postmortem', 'runbook'] as const;
/** Every file an incident folder may hold. */
export const INCIDENT_FILES = ['incident.json', ...Object.values(LINE_FILES), ...DOC_KINDS.map((k) => `${k}.md`)];

export function formatFileText(): string {
  return JSON.stringify({ format: TEAM_FORMAT, kind: 'postmortem-workbench-team', about: 'Incidents synced by pmw team sync; see docs/ARCHITECTURE.md of Postmortem Workbench.' }, null, 2) + '\n';
}

/** Refusal text for a repository whose format this version does not know; null when fine. */
export function formatProblem(text: string | null): string | null {
  if (text === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return `${FORMAT_FILE} is not valid JSON (${(e as Error).message}); the repository was left as it is`;
  }
  const f = (v as { format?: unknown })?.format;
  if (typeof f !== 'number' || !Number.isInteger(f) || f < 1) return `${FORMAT_FILE}: "format" must be a positive integer; the repository was left as it is`;
  if (f > TEAM_FORMAT) return `The team repository uses format ${f}; this Postmortem Workbench reads format ${TEAM_FORMAT} and older. Update the app — the repository was not changed.`;
  return null;
}

const ORDER_FIELD: Record<keyof typeof LINE_FILES, string> = { timeline: 'occurred_at', findings: 'created_at', actions: 'created_at', artifacts: 'captured_at' };

function lines(coll: Coll, order: string): string {
  const ids = Object.keys(coll).sort((a, b) => {
    const x = String(coll[a][order] ?? '');
    const y = String(coll[b][order] ?? '');
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  return ids.map((id) => JSON.stringify(sortKeys({ ...coll[id], uid: id }))).join('\n') + (ids.length ? '\n' : '');
}

/** The files of one incident folder (relative to it). Empty collections write no file. */
export function docToFiles(doc: IncidentDoc): Record<string, string> {
  const head: Record<string, Json> = {
    format: TEAM_FORMAT,
    incident: doc.incident,
    roles: doc.roles,
    phases: doc.phases,
    checklist: doc.checklist,
    drill: doc.drill,
    conflicts: doc.conflicts,
    documents: Object.fromEntries(Object.entries(doc.documents).map(([k, d]) => [k, { ...d, content: null }])),
  };
  const files: Record<string, string> = { 'incident.json': JSON.stringify(sortKeys(head), null, 2) + '\n' };
  for (const [c, name] of Object.entries(LINE_FILES) as [keyof typeof LINE_FILES, string][]) {
    if (Object.keys(doc[c]).length) files[name] = lines(doc[c], ORDER_FIELD[c]);
  }
  for (const k of DOC_KINDS) {
    const d = doc.documents[k];
    if (d && typeof d.content === 'string') files[`${k}.md`] = d.content;
  }
  return files;
}

export class FormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`);
  }
}

function isRec(v: unknown): v is Rec {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Read one incident folder back; `read(name)` gives a file's text or null. Errors name file and line. */
export function filesToDoc(folder: string, read: (name: string) => string | null): IncidentDoc | null {
  const headText = read('incident.json');
  if (headText === null) return null;
  let head: unknown;
  try {
    head = JSON.parse(headText);
  } catch (e) {
    throw new FormatError(`${folder}/incident.json`, 0, `not valid JSON (${(e as Error).message})`);
  }
  if (!isRec(head) || !isRec(head.incident)) throw new FormatError(`${folder}/incident.json`, 0, 'needs an "incident" object');
  if (typeof head.format === 'number' && head.format > TEAM_FORMAT) throw new FormatError(`${folder}/incident.json`, 0, `format ${head.format} is newer than this app reads (${TEAM_FORMAT})`);
  const doc = emptyDoc();
  doc.incident = head.incident;
  if (typeof doc.incident.uid !== 'string') throw new FormatError(`${folder}/incident.json`, 0, 'incident.uid is missing');
  for (const c of ['roles', 'phases', 'checklist', 'conflicts', 'documents'] as const) {
    const v = head[c] ?? {};
    if (!isRec(v) || !Object.values(v).every(isRec)) throw new FormatError(`${folder}/incident.json`, 0, `"${c}" must be an object of objects`);
    doc[c] = v as Coll;
  }
  doc.drill = isRec(head.drill) ? head.drill : null;
  for (const [c, name] of Object.entries(LINE_FILES) as [keyof typeof LINE_FILES, string][]) {
    const text = read(name);
    if (text === null) continue;
    const coll: Coll = {};
    text.split('\n').forEach((ln, i) => {
      if (!ln.trim()) return;
      let r: unknown;
      try {
        r = JSON.parse(ln);
      } catch (e) {
        throw new FormatError(`${folder}/${name}`, i + 1, `not valid JSON (${(e as Error).message})`);
      }
      if (!isRec(r) || typeof r.uid !== 'string') throw new FormatError(`${folder}/${name}`, i + 1, 'each line must be an object with a "uid"');
      const { uid, ...rest } = r;
      coll[uid as string] = rest;
    });
    doc[c] = coll;
  }
  for (const k of DOC_KINDS) {
    const text = read(`${k}.md`);
    if (text !== null) doc.documents[k] = { ...(doc.documents[k] ?? {}), content: text };
  }
  return doc;
}

export { COLLECTIONS };
