// Findings: drafts from diff changes or written by hand (issue 4's generators build on them).
// Everything a finding stores is redacted first (title, description, params, evidence), so no secret
// reaches the generators, the documents, bundles or exports through a finding.
import type { Db } from '../store/db';
import { ApiError } from '../../shared/api/errors';
import type { ParsedInput } from '../../shared/api/contract';
import type { Finding } from '../../shared/artifacts';
import { redactDeep, redactText } from '../../shared/redact/index';
import { incidentIdOf } from '../store/incidentRef';
import { rows, toFinding, type FindingRow, type IdRow } from '../store/rows';

export class FindingService {
  constructor(
    private db: Db,
    private now: () => string = () => new Date().toISOString(),
  ) {}

  private incidentId(key: string): number {
    return incidentIdOf(this.db, key);
  }

  private row(key: string, id: number): FindingRow {
    const r = rows<FindingRow>(this.db, 'SELECT * FROM findings WHERE id = ? AND incident_id = ?').get(id, this.incidentId(key));
    if (!r) throw new ApiError('NOT_FOUND', `No finding ${id} on ${key}`, { issues: [{ field: 'id', message: `no finding ${id}` }] });
    return r;
  }

  list(key: string): Finding[] {
    return rows<FindingRow>(this.db, 'SELECT * FROM findings WHERE incident_id = ? ORDER BY id').all(this.incidentId(key)).map(toFinding);
  }

  create(input: ParsedInput<'finding:create'>): Finding {
    const iid = this.incidentId(input.key);
    if (input.evidence?.artifactIds?.length) {
      const known = new Set(rows<IdRow>(this.db, 'SELECT id FROM artifacts WHERE incident_id = ?').all(iid).map((r) => r.id));
      const bad = input.evidence.artifactIds.find((a) => !known.has(a));
      if (bad !== undefined) throw new ApiError('VALIDATION', `Artifact ${bad} is not on ${input.key}`, { issues: [{ field: 'evidence.artifactIds', message: `no artifact ${bad}` }] });
    }
    if (input.sourceKey) {
      // Saving the same change again (a second click, a reloaded page) gives the first finding back.
      const got = rows<FindingRow>(this.db, 'SELECT * FROM findings WHERE incident_id = ? AND source_key = ?').get(iid, input.sourceKey);
      if (got) return toFinding(got);
    }
    const now = this.now();
    const info = this.db
      .prepare(
        `INSERT INTO findings (incident_id, title, description, failure_class, root_cause_origin, role, gen_kind, params, evidence, created_at, updated_at, source_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        iid, redactText(input.title.trim()), redactText(input.description ?? ''), input.failureClass, input.rootCauseOrigin ?? null, input.role ?? 'contributing',
        input.genKind ?? null, JSON.stringify(redactDeep(input.params ?? {})), JSON.stringify(redactDeep(input.evidence ?? {})), now, now, input.sourceKey ?? null,
      );
    return toFinding(rows<FindingRow>(this.db, 'SELECT * FROM findings WHERE id = ?').get(info.lastInsertRowid)!);
  }

  update(input: ParsedInput<'finding:update'>): Finding {
    const r = this.row(input.key, input.id);
    const p = input.patch;
    const cols: Record<string, unknown> = {
      title: p.title !== undefined ? redactText(p.title.trim()) : r.title,
      description: p.description !== undefined ? redactText(p.description) : r.description,
      failure_class: p.failureClass ?? r.failure_class,
      root_cause_origin: p.rootCauseOrigin !== undefined ? p.rootCauseOrigin : r.root_cause_origin,
      role: p.role ?? r.role,
      status: p.status ?? r.status,
      gen_kind: p.genKind !== undefined ? p.genKind : r.gen_kind,
      params: p.params ? JSON.stringify(redactDeep(p.params)) : r.params,
      updated_at: this.now(),
      id: r.id,
    };
    this.db
      .prepare('UPDATE findings SET title=@title, description=@description, failure_class=@failure_class, root_cause_origin=@root_cause_origin, role=@role, status=@status, gen_kind=@gen_kind, params=@params, updated_at=@updated_at WHERE id=@id')
      .run(cols);
    return toFinding(this.row(input.key, input.id));
  }

  remove(key: string, id: number): { id: number } {
    const r = this.row(key, id);
    this.db.prepare('DELETE FROM findings WHERE id = ?').run(r.id);
    return { id };
  }
}
