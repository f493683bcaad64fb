// Findings: drafts from diff changes or written by hand (issue 4's generators build on them), the
// generator a finding made from a change gets, and the suggestions from the artifact pairs' diffs.
// Everything a finding stores is redacted first (title, description, params, evidence), so no secret
// reaches the generators, the documents, bundles or exports through a finding.
import type { Db } from '../store/db';
import { ApiError } from '../../shared/api/errors';
import type { ParsedInput } from '../../shared/api/contract';
import { changeSourceKey, type Finding } from '../../shared/artifacts';
import type { RootCauseOrigin } from '../../shared/domain';
import { SEVERITY_RANK, type Change } from '../../shared/diff/types';
import { SECRET_GEN_KIND, secretTestForChange, secretTestParams } from '../../shared/generators/secretTests';
import { generatorForChange } from '../../shared/generators/fromChange';
import { generatorParamIssues, isGeneratorKind } from '../../shared/generators/params';
import type { ArtifactService } from './artifacts';
import type { SecretService } from './secrets';
import { redactDeep, redactText } from '../../shared/redact/index';
import { incidentIdOf } from '../store/incidentRef';
import { rows, toFinding, type FindingRow, type IdRow } from '../store/rows';

/** What generator choice and suggestions read: the incident's artifacts and their diffs, and secret tests. */
export interface FindingDeps {
  artifacts: Pick<ArtifactService, 'pairs' | 'diff' | 'content'>;
  secrets: Pick<SecretService, 'testFor'>;
}

export class FindingService {
  constructor(
    private db: Db,
    private now: () => string = () => new Date().toISOString(),
    /** Needed by withGenerator and suggest only. */
    private deps?: FindingDeps,
  ) {}

  private need(): FindingDeps {
    if (!this.deps) throw new Error('FindingService: built without artifacts and secrets, so it cannot choose generators or suggest');
    return this.deps;
  }

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

  /**
   * `finding:create`'s input with its generator: a finding made from a diff change gets the generator
   * that pins the last-known-good value (the change kind itself is not a generator); explicit
   * generator params are validated.
   */
  withGenerator(i: ParsedInput<'finding:create'>): ParsedInput<'finding:create'> {
    if (i.genKind === SECRET_GEN_KIND) {
      const r = secretTestParams.safeParse(i.params ?? {});
      if (!r.success) {
        const issues = r.error.issues.map((x) => ({ field: `params.${x.path.join('.') || '(params)'}`, message: x.message }));
        throw new ApiError('VALIDATION', `Invalid ${SECRET_GEN_KIND} parameters — ${issues[0].field}: ${issues[0].message}`, { issues });
      }
      return i;
    }
    if (i.genKind && isGeneratorKind(i.genKind)) {
      const issues = generatorParamIssues(i.genKind, i.params ?? {});
      if (issues.length) throw new ApiError('VALIDATION', `Invalid ${i.genKind} parameters — ${issues[0].field}: ${issues[0].message}`, { issues: issues.map((x) => ({ ...x, field: `params.${x.field}` })) });
      return i;
    }
    const change = i.evidence?.changes?.[0] as unknown as Change | undefined;
    if (!change || typeof change.kind !== 'string') return i;
    const { artifacts, secrets } = this.need();
    const beforeId = i.evidence?.artifactIds?.[0];
    const secret = secrets.testFor(i.key, change, beforeId);
    if (secret) return { ...i, genKind: secret.genKind, params: secret.params };
    let beforeText: string | undefined;
    if (beforeId && change.kind.startsWith('model.')) {
      try {
        beforeText = artifacts.content(i.key, beforeId).text ?? undefined;
      } catch {
        /* evidence checked by create */
      }
    }
    const choice = generatorForChange(change, { beforeText });
    return choice ? { ...i, genKind: choice.genKind, params: choice.params } : i;
  }

  /** `finding:suggest`: one finding per change of severity warning or above across the proposed artifact pairs (stored when `accept`). */
  async suggest(key: string, accept: boolean): Promise<Finding[]> {
    const { artifacts, secrets } = this.need();
    const existing = this.list(key);
    const seen = new Set(existing.map((f) => `${f.title}|${(f.evidence.artifactIds ?? []).join(',')}`));
    const saved = new Set(existing.map((f) => f.sourceKey).filter(Boolean));
    const out: Finding[] = [];
    for (const pair of artifacts.pairs(key)) {
      const view = await artifacts.diff({ key, beforeId: pair.before.id, afterId: pair.after.id });
      const beforeText = pair.before.kind === 'model-metadata' ? (artifacts.content(key, pair.before.id).text ?? undefined) : undefined;
      for (const change of view.changes) {
        if (SEVERITY_RANK[change.severity] < SEVERITY_RANK.warning) continue;
        const ids = [pair.before.id, pair.after.id];
        const sig = `${change.message}|${ids.join(',')}`;
        const sourceKey = changeSourceKey(pair.before.id, pair.after.id, change);
        if (seen.has(sig) || saved.has(sourceKey)) continue;
        seen.add(sig);
        // A secret is pinned by a salted hash (computed when the finding is stored), never by value.
        const loc = secretTestForChange(change);
        const gen = loc ? (accept ? secrets.testFor(key, change, pair.before.id) : { genKind: SECRET_GEN_KIND, params: loc }) : generatorForChange(change, { beforeText });
        const draft = {
          key,
          title: change.message.slice(0, 300),
          description: `${pair.before.name} → ${pair.after.name}: ${change.subject}`,
          failureClass: change.failureClass,
          rootCauseOrigin: originFor(change.kind),
          role: 'contributing' as const,
          genKind: gen?.genKind ?? null,
          params: gen?.params ?? {},
          evidence: { artifactIds: ids, changes: [change as unknown as Record<string, unknown>] },
          sourceKey,
        };
        if (accept) out.push(this.create(draft));
        else
          out.push({
            id: 0, title: draft.title, description: draft.description, failureClass: draft.failureClass, rootCauseOrigin: draft.rootCauseOrigin,
            role: draft.role, status: 'draft', genKind: draft.genKind, params: draft.params, evidence: { artifactIds: ids, changes: [change] },
            createdAt: this.now(), updatedAt: this.now(), sourceKey,
          });
      }
    }
    return out;
  }
}

/** The root-cause origin a change kind suggests. */
export function originFor(kind: string): RootCauseOrigin | null {
  if (kind.startsWith('dependency.')) return 'dependency';
  if (/^(column|nulls|drift|category|range|rows|dataset)\./.test(kind)) return 'data';
  if (/^(config|k8s|image|env|environment)\./.test(kind)) return 'config';
  if (kind.startsWith('model.')) return 'code';
  return null;
}
