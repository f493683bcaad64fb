// Postmortem and runbook documents (autosaved, regenerated with a three-way merge that keeps the
// user's edits), action items, and the generated stubs (pytest modules, runbook, postmortem).
import type { Db } from '../store/db';
import { ApiError } from '../../shared/api/errors';
import type { ParsedInput } from '../../shared/api/contract';
import type { Incident } from '../../shared/domain';
import type { Finding } from '../../shared/artifacts';
import type { ActionItem } from '../../shared/generators/types';
import { DEFAULT_EXPORT_PATHS, type DocKind, type DocRegenerated, type DocState, type ExportPaths, type StubFile } from '../../shared/exporting';
import { generatePostmortem, postmortemFileName, type ArtifactRef } from '../../shared/generators/postmortem';
import { generateRunbook, mergeRunbook, acceptGenerated, runbookFileName } from '../../shared/generators/runbook';
import { generatePytest } from '../../shared/generators/pytest';
import { SECRET_GEN_KIND, generateSecretTests } from '../../shared/generators/secretTests';
import { redactText } from '../../shared/redact/index';
import { incidentIdOf } from '../store/incidentRef';
import { rows, toActionItem, toDocState, type ActionItemRow, type DocumentRow } from '../store/rows';

const joinPath = (dir: string, file: string) => `${dir.replace(/[\\/]+$/, '').replace(/\\/g, '/')}/${file}`;

export interface DocumentDeps {
  incident(key: string): Incident;
  findings(key: string): Finding[];
  /** The incident's artifacts, so documents name them by label and file (not by id). */
  artifacts?: (key: string) => ArtifactRef[];
}

export class DocumentService {
  constructor(
    private db: Db,
    private deps: DocumentDeps,
    private now: () => string = () => new Date().toISOString(),
  ) {}

  private incidentId(key: string): number {
    return incidentIdOf(this.db, key);
  }

  // ---- action items ------------------------------------------------------------------------
  actions(key: string): ActionItem[] {
    return rows<ActionItemRow>(this.db, 'SELECT * FROM action_items WHERE incident_id = ? ORDER BY id').all(this.incidentId(key)).map(toActionItem);
  }

  private actionRow(key: string, id: number): ActionItemRow {
    const r = rows<ActionItemRow>(this.db, 'SELECT * FROM action_items WHERE id = ? AND incident_id = ?').get(id, this.incidentId(key));
    if (!r) throw new ApiError('NOT_FOUND', `No action item ${id} on ${key}`, { issues: [{ field: 'id', message: `no action item ${id}` }] });
    return r;
  }

  createAction(i: ParsedInput<'action:create'>): ActionItem {
    const iid = this.incidentId(i.key);
    const now = this.now();
    const info = this.db
      .prepare('INSERT INTO action_items (incident_id, title, owner, due_date, type, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(iid, i.title.trim(), (i.owner ?? '').trim(), i.dueDate ?? null, i.type, i.status ?? 'open', now, now);
    return toActionItem(rows<ActionItemRow>(this.db, 'SELECT * FROM action_items WHERE id = ?').get(info.lastInsertRowid)!);
  }

  updateAction(i: ParsedInput<'action:update'>): ActionItem {
    const r = this.actionRow(i.key, i.id);
    const p = i.patch;
    this.db
      .prepare('UPDATE action_items SET title = ?, owner = ?, due_date = ?, type = ?, status = ?, updated_at = ? WHERE id = ?')
      .run(p.title?.trim() ?? r.title, p.owner !== undefined ? p.owner.trim() : r.owner, p.dueDate !== undefined ? p.dueDate : r.due_date, p.type ?? r.type, p.status ?? r.status, this.now(), r.id);
    return toActionItem(this.actionRow(i.key, i.id));
  }

  removeAction(key: string, id: number): { id: number } {
    const r = this.actionRow(key, id);
    this.db.prepare('DELETE FROM action_items WHERE id = ?').run(r.id);
    return { id };
  }

  // ---- documents ---------------------------------------------------------------------------
  /** The generated document, redacted (shared/redact): a secret typed into the incident never reaches it. */
  generate(key: string, kind: DocKind, testsDir = DEFAULT_EXPORT_PATHS.testsDir): string {
    return redactText(this.generateRaw(key, kind, testsDir));
  }

  private generateRaw(key: string, kind: DocKind, testsDir: string): string {
    const inc = this.deps.incident(key);
    const findings = this.deps.findings(key);
    if (kind === 'postmortem') return generatePostmortem(inc, findings, this.actions(key), this.deps.artifacts?.(key) ?? []);
    // The five most recently updated of the same class or service: one ordered, indexed read of each
    // (migrations/0008 incidents_list_class / _service), merged here. An OR of the two made SQLite
    // collect and sort every incident of the class and the service, on each runbook generated.
    type Related = { key: string; title: string; updated_at: string; seq: number };
    const recent = (col: 'failure_class' | 'service', v: string) =>
      rows<Related>(this.db, `SELECT key, title, updated_at, seq FROM incidents WHERE ${col} = ? AND is_drill = 0 AND key <> ? ORDER BY updated_at DESC, seq DESC LIMIT 5`).all(v, key);
    const merged = new Map<string, Related>();
    for (const r of [...recent('failure_class', inc.failureClass), ...(inc.service ? recent('service', inc.service) : [])]) merged.set(r.key, r);
    const related = [...merged.values()]
      .sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : b.seq - a.seq))
      .slice(0, 5)
      .map(({ key: k, title }) => ({ key: k, title }));
    return generateRunbook(inc, findings, { relatedIncidents: related, testsDir });
  }

  private docRow(iid: number, kind: DocKind): DocumentRow | undefined {
    return rows<DocumentRow>(this.db, 'SELECT * FROM documents WHERE incident_id = ? AND kind = ?').get(iid, kind);
  }

  private state(kind: DocKind, r: DocumentRow): DocState {
    return toDocState(kind, r);
  }

  private write(iid: number, kind: DocKind, content: string, generated: string): DocumentRow {
    this.db
      .prepare(
        `INSERT INTO documents (incident_id, kind, content, generated, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(incident_id, kind) DO UPDATE SET content = excluded.content, generated = excluded.generated, updated_at = excluded.updated_at`,
      )
      .run(iid, kind, content, generated, this.now());
    return this.docRow(iid, kind)!;
  }

  /** Documents that exist (no generation): for bundles. */
  existingDocs(key: string): DocState[] {
    const iid = this.incidentId(key);
    return rows<DocumentRow>(this.db, 'SELECT * FROM documents WHERE incident_id = ? ORDER BY kind').all(iid).map((r) => this.state(r.kind, r));
  }

  /** The document; the first read generates it. */
  getDoc(key: string, kind: DocKind): DocState {
    const iid = this.incidentId(key);
    const r = this.docRow(iid, kind);
    if (r && r.content !== r.generated) return this.state(kind, r);
    if (r) {
      // Never edited: nothing of the user's to keep, so it follows the incident.
      const fresh = this.generate(key, kind);
      return this.state(kind, fresh === r.generated ? r : this.write(iid, kind, fresh, fresh));
    }
    const gen = this.generate(key, kind);
    return this.state(kind, this.write(iid, kind, gen, gen));
  }

  saveDoc(i: ParsedInput<'doc:save'>): DocState {
    const iid = this.incidentId(i.key);
    const r = this.docRow(iid, i.kind);
    const generated = r ? r.generated : this.generate(i.key, i.kind);
    return this.state(i.kind, this.write(iid, i.kind, i.content, generated));
  }

  /** Regenerate: untouched sections take the new text; edited ones are kept, differences returned as conflicts. */
  regenerate(key: string, kind: DocKind): DocRegenerated {
    const iid = this.incidentId(key);
    const gen = this.generate(key, kind);
    const r = this.docRow(iid, kind);
    if (!r) return { ...this.state(kind, this.write(iid, kind, gen, gen)), conflicts: [] };
    const { merged, conflicts } = mergeRunbook(r.generated, r.content, gen);
    return { ...this.state(kind, this.write(iid, kind, merged, gen)), conflicts };
  }

  /** Take the generated text of one section in place of the user's. */
  acceptSection(key: string, kind: DocKind, section: string): DocRegenerated {
    const iid = this.incidentId(key);
    const r = this.docRow(iid, kind);
    if (!r) throw new ApiError('NOT_FOUND', `No ${kind} yet for ${key}`);
    // Sections where the document and the latest generated text differ, with the generated text.
    const diff = mergeRunbook('', r.content, r.generated).conflicts;
    const c = diff.find((x) => x.section === section);
    if (!c) throw new ApiError('NOT_FOUND', `No differing section "${section}" in the ${kind}`, { issues: [{ field: 'section', message: 'no such differing section' }] });
    const content = acceptGenerated(r.content, c);
    const rest = mergeRunbook('', content, r.generated).conflicts;
    return { ...this.state(kind, this.write(iid, kind, content, r.generated)), conflicts: rest };
  }

  // ---- stubs -------------------------------------------------------------------------------
  /** Every file an export writes: regression tests, the runbook and the postmortem (the user's text). */
  stubs(key: string, paths: ExportPaths = DEFAULT_EXPORT_PATHS): StubFile[] {
    const inc = this.deps.incident(key);
    const findings = this.deps.findings(key).filter((f) => f.status !== 'rejected');
    // Findings on secrets get their own module (salted hashes, shared/generators/secretTests.ts).
    const regular = findings.filter((f) => f.genKind !== SECRET_GEN_KIND);
    const tests = [...generatePytest(inc, regular), ...generateSecretTests(inc, findings, paths.testsDir)].map<StubFile>((f) => ({
      path: joinPath(paths.testsDir, f.path),
      kind: 'test',
      content: redactText(f.content),
    }));
    const runbook = this.getDoc(key, 'runbook').content;
    const postmortem = this.getDoc(key, 'postmortem').content;
    return [
      ...tests,
      { path: joinPath(paths.runbooksDir, runbookFileName(inc)), kind: 'runbook', content: runbook },
      { path: joinPath(paths.postmortemsDir, postmortemFileName(inc)), kind: 'postmortem', content: postmortem },
    ];
  }
}
