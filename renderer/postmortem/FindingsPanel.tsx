// Findings of an incident: what the diff (or a person) found, its role in the incident (root cause,
// trigger, contributing, detection gap) and the regression test it becomes. Edited in place; one click
// marks the root cause; deleted with Undo; added by hand or from the diffs (finding:suggest).
import { useEffect, useRef, useState } from 'react';
import { ApiError, fieldError } from '../../shared/api/errors';
import { FINDING_ROLES, FINDING_ROLE_LABELS, type Finding, type FindingRole } from '../../shared/artifacts';
import type { Change } from '../../shared/diff/types';
import type { FailureClass, RootCauseOrigin } from '../../shared/domain';
import { generatorForChange } from '../../shared/generators/fromChange';
import { GENERATOR_INPUTS, GENERATOR_KIND_LABELS, isGeneratorKind } from '../../shared/generators/params';
import { SECRET_GEN_KIND, SECRET_GEN_LABEL } from '../../shared/generators/secretTests';
import { api } from '../data/api';
import { sentence } from '../components/ui';
import { modKey } from '../lib/keys';
import { useToast } from '../lib/toast';
import type { IncidentCtx } from '../incident/ctx';
import { FindingForm, ParamsEditor } from './FindingForm';
import { FailureClassOptions, OriginOptions } from '../components/options';

export type FindingStatus = Finding['status'];
const STATUSES: FindingStatus[] = ['draft', 'accepted', 'rejected'];
const STATUS_LABELS: Record<FindingStatus, string> = { draft: 'Draft', accepted: 'Accepted', rejected: 'Rejected' };
type Patch = Partial<Pick<Finding, 'title' | 'description' | 'failureClass' | 'rootCauseOrigin' | 'role' | 'status' | 'params'>>;

/** The create input that brings a finding back (Undo of a delete). */
export function recreateInput(key: string, f: Finding) {
  return {
    key,
    title: f.title,
    description: f.description,
    failureClass: f.failureClass,
    rootCauseOrigin: f.rootCauseOrigin,
    role: f.role,
    genKind: f.genKind,
    params: f.params,
    evidence: {
      ...(f.evidence.artifactIds?.length ? { artifactIds: f.evidence.artifactIds } : {}),
      ...(f.evidence.changes?.length ? { changes: f.evidence.changes as unknown as Record<string, unknown>[] } : {}),
      ...(f.evidence.timelineEventIds?.length ? { timelineEventIds: f.evidence.timelineEventIds } : {}),
    },
    ...(f.sourceKey ? { sourceKey: f.sourceKey } : {}),
  };
}

export function RoleBadge({ role }: { role: FindingRole }) {
  return (
    <span className={`badge pm-role pm-role-${role}`} data-testid="finding-role-badge" data-role={role}>
      {FINDING_ROLE_LABELS[role]}
    </span>
  );
}

export function FindingsPanel({
  ctx,
  findings,
  reload,
  setFindings,
  focusId,
}: {
  ctx: IncidentCtx;
  findings: Finding[] | null;
  reload: () => Promise<void>;
  setFindings: (f: (xs: Finding[] | null) => Finding[] | null) => void;
  /** A finding to scroll to and highlight (e.g. one whose parameters stopped Generate). */
  focusId?: number | null;
}) {
  const { inc, readOnly } = ctx;
  const key = inc.key;
  const toast = useToast();
  const [adding, setAdding] = useState(false);
  const [suggest, setSuggest] = useState<{ state: 'loading' } | { state: 'done'; items: Finding[]; picked: Set<number> } | null>(null);
  const [busy, setBusy] = useState(false);
  const [announce, setAnnounce] = useState('');
  const addBtn = useRef<HTMLButtonElement>(null);

  const replace = (f: Finding) => setFindings((xs) => xs?.map((x) => (x.id === f.id ? f : x)) ?? xs);

  async function update(f: Finding, patch: Patch): Promise<Finding> {
    const next = await api.call('finding:update', { key, id: f.id, patch });
    replace(next);
    return next;
  }

  async function remove(f: Finding) {
    try {
      await api.call('finding:remove', { key, id: f.id });
      setFindings((xs) => xs?.filter((x) => x.id !== f.id) ?? xs);
      setAnnounce(`Deleted finding ${f.title}`);
      toast({
        message: `Deleted finding “${f.title.length > 60 ? `${f.title.slice(0, 60)}…` : f.title}”`,
        action: {
          label: 'Undo',
          run: async () => {
            try {
              let back = await api.call('finding:create', recreateInput(key, f));
              if (f.status !== 'draft') back = await api.call('finding:update', { key, id: back.id, patch: { status: f.status } });
              await reload();
              setAnnounce(`Restored finding ${back.title}`);
            } catch (e) {
              toast({ message: `Could not restore the finding: ${ApiError.from(e).message}`, tone: 'error' });
            }
          },
        },
      });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    }
  }

  async function runSuggest() {
    setSuggest({ state: 'loading' });
    try {
      const items = await api.call('finding:suggest', { key });
      setSuggest({ state: 'done', items, picked: new Set(items.map((_, i) => i)) });
    } catch (e) {
      setSuggest(null);
      toast({ message: `Could not suggest findings: ${ApiError.from(e).message}`, tone: 'error' });
    }
  }

  async function acceptSuggested(all: boolean) {
    if (!suggest || suggest.state !== 'done') return;
    setBusy(true);
    try {
      let n = 0;
      if (all) n = (await api.call('finding:suggest', { key, accept: true })).length;
      else {
        for (const [i, s] of suggest.items.entries()) {
          if (!suggest.picked.has(i)) continue;
          await api.call('finding:create', recreateInput(key, s));
          n++;
        }
      }
      setSuggest(null);
      await reload();
      toast({ message: n ? `Added ${n} finding${n === 1 ? '' : 's'} from the diffs` : 'Nothing new to add', tone: 'success' });
    } catch (e) {
      await reload();
      toast({ message: `Could not add the findings: ${ApiError.from(e).message}`, tone: 'error' });
    } finally {
      setBusy(false);
    }
  }

  const rootCauses = findings?.filter((f) => f.role === 'root_cause' && f.status !== 'rejected').length ?? 0;

  return (
    <div className="pm-findings" data-testid="findings-panel">
      <div className="pm-toolbar">
        <p className="muted small pm-toolbar-text">
          {findings === null
            ? 'Loading findings…'
            : findings.length === 0
              ? 'No findings yet.'
              : `${findings.length} finding${findings.length === 1 ? '' : 's'} · ${rootCauses ? `${rootCauses} root cause${rootCauses === 1 ? '' : 's'}` : 'no root cause marked yet'}`}
        </p>
        {!readOnly && (
          <>
            <button type="button" className="btn btn-small" onClick={() => void runSuggest()} disabled={suggest?.state === 'loading'} data-testid="suggest-findings">
              {suggest?.state === 'loading' ? 'Looking at the diffs…' : 'Suggest from diffs'}
            </button>
            <button type="button" ref={addBtn} className="btn btn-small btn-primary" onClick={() => setAdding(true)} disabled={adding} data-testid="add-finding">
              Add finding
            </button>
          </>
        )}
      </div>
      <div className="visually-hidden" aria-live="polite">
        {announce}
      </div>

      {suggest?.state === 'done' && (
        <div className="pm-suggest" data-testid="suggestions" role="region" aria-label="Suggested findings">
          {suggest.items.length === 0 ? (
            <div className="pm-suggest-empty">
              <p>
                No new change of severity warning or above in this incident’s artifact pairs. Add a last-known-good and a failing artifact
                above (same kind), or add a finding by hand.
              </p>
              <button type="button" className="btn btn-small" onClick={() => setSuggest(null)}>
                Close
              </button>
            </div>
          ) : (
            <>
              <div className="pm-suggest-head">
                <label className="check-inline">
                  <input
                    type="checkbox"
                    checked={suggest.picked.size === suggest.items.length}
                    ref={(el) => {
                      if (el) el.indeterminate = suggest.picked.size > 0 && suggest.picked.size < suggest.items.length;
                    }}
                    onChange={(e) => setSuggest({ ...suggest, picked: new Set(e.target.checked ? suggest.items.map((_, i) => i) : []) })}
                    data-testid="suggest-all-check"
                  />
                  <strong>
                    {suggest.items.length} proposal{suggest.items.length === 1 ? '' : 's'} from the diffs
                  </strong>
                </label>
                <span className="spacer" />
                <button type="button" className="btn btn-small btn-ghost" onClick={() => setSuggest(null)} disabled={busy}>
                  Dismiss
                </button>
                <button type="button" className="btn btn-small" onClick={() => void acceptSuggested(true)} disabled={busy} data-testid="suggest-accept-all">
                  Add all
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-primary"
                  onClick={() => void acceptSuggested(false)}
                  disabled={busy || suggest.picked.size === 0}
                  data-testid="suggest-accept-selected"
                >
                  Add selected ({suggest.picked.size})
                </button>
              </div>
              <ul className="pm-suggest-list">
                {suggest.items.map((s, i) => {
                  const sev = (s.evidence.changes?.[0] as Change | undefined)?.severity;
                  return (
                    <li key={i} data-testid="suggestion">
                      <label className="pm-suggest-item">
                        <input
                          type="checkbox"
                          checked={suggest.picked.has(i)}
                          onChange={(e) => {
                            const picked = new Set(suggest.picked);
                            if (e.target.checked) picked.add(i);
                            else picked.delete(i);
                            setSuggest({ ...suggest, picked });
                          }}
                        />
                        {sev && <span className={`badge pm-sev pm-sev-${sev}`}>{sev === 'critical' ? 'Critical' : sev === 'warning' ? 'Warning' : 'Info'}</span>}
                        <span className="pm-suggest-title">{s.title}</span>
                        <span className="pm-suggest-gen muted small">
                          {isGeneratorKind(s.genKind) ? `→ test: ${GENERATOR_KIND_LABELS[s.genKind]}` : s.genKind === SECRET_GEN_KIND ? `→ test: ${SECRET_GEN_LABEL}` : 'no regression test for this change'}
                        </span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </div>
      )}

      {adding && (
        <FindingForm
          ctx={ctx}
          onCancel={() => {
            setAdding(false);
            setTimeout(() => addBtn.current?.focus(), 0);
          }}
          onCreated={async (f) => {
            setAdding(false);
            await reload();
            setAnnounce(`Added finding ${f.title}`);
          }}
        />
      )}

      {findings && findings.length === 0 && !adding && suggest === null && (
        <div className="empty-small pm-empty" data-testid="findings-empty">
          <p>
            <strong>What did the investigation find?</strong> Each finding says what changed, its role (root cause, trigger,
            contributing factor or detection gap) and becomes a pytest regression test when you press Generate.
          </p>
          {!readOnly && (
            <p className="muted small">
              Open a diff above and press <em>Save as finding</em> on a change, let the workbench propose findings from every artifact pair
              (<em>Suggest from diffs</em>), or write one yourself (<em>Add finding</em>).
            </p>
          )}
        </div>
      )}

      {findings && findings.length > 0 && (
        <ul className="pm-finding-list" data-testid="finding-list">
          {findings.map((f) => (
            <FindingRow
              key={f.id}
              ctx={ctx}
              f={f}
              highlight={focusId === f.id}
              onUpdate={(patch) => update(f, patch)}
              onRemove={() => void remove(f)}
              onReplaced={reload}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function FindingRow({
  ctx,
  f,
  highlight,
  onUpdate,
  onRemove,
  onReplaced,
}: {
  ctx: IncidentCtx;
  f: Finding;
  highlight: boolean;
  onUpdate: (p: Patch) => Promise<Finding>;
  onRemove: () => void;
  onReplaced: () => Promise<void>;
}) {
  const { readOnly } = ctx;
  const key = ctx.inc.key;
  const toast = useToast();
  const [title, setTitle] = useState(f.title);
  const [desc, setDesc] = useState(f.description);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [saving, setSaving] = useState<string | null>(null);
  const [showParams, setShowParams] = useState(highlight);
  const focused = useRef<string | null>(null);
  const rowRef = useRef<HTMLLIElement>(null);
  const id = `finding-${f.id}`;

  useEffect(() => {
    if (focused.current !== 'title') setTitle(f.title);
    if (focused.current !== 'description') setDesc(f.description);
  }, [f.title, f.description]);

  useEffect(() => {
    if (!highlight) return;
    setShowParams(true);
    rowRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [highlight]);

  async function save(field: string, patch: Patch) {
    setSaving(field);
    setErrors((e) => ({ ...e, [field]: undefined }));
    try {
      await onUpdate(patch);
    } catch (e) {
      const err = ApiError.from(e);
      setErrors((x) => ({ ...x, [field]: fieldError(err, field) ?? err.message }));
      return false;
    } finally {
      setSaving(null);
    }
    return true;
  }

  const change = (f.evidence.changes?.[0] ?? null) as Change | null;
  const known = isGeneratorKind(f.genKind);
  const fromChange = !known && change ? generatorForChange(change) : null;

  async function convert() {
    if (!fromChange) return;
    try {
      // In place: the finding keeps its id and what it was saved from (the diff's "saved ✓" mark).
      await api.call('finding:update', { key, id: f.id, patch: { genKind: fromChange.genKind, params: fromChange.params } });
      await onReplaced();
      toast({ message: `“${f.title}” now generates a test: ${GENERATOR_KIND_LABELS[fromChange.genKind]}`, tone: 'success' });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    }
  }

  const artifacts = f.evidence.artifactIds?.length ?? 0;
  const changes = f.evidence.changes?.length ?? 0;

  return (
    <li
      ref={rowRef}
      className={`pm-finding pm-finding-${f.status} ${f.role === 'root_cause' ? 'is-root' : ''} ${highlight ? 'is-highlight' : ''}`}
      data-testid="finding"
      data-id={f.id}
      data-role={f.role}
      data-status={f.status}
      data-title={f.title}
    >
      <div className="pm-finding-top">
        <RoleBadge role={f.role} />
        <div className="pm-finding-title field">
          <label className="visually-hidden" htmlFor={`${id}-title`}>
            Finding
          </label>
          <textarea
            id={`${id}-title`}
            rows={1}
            value={title}
            readOnly={readOnly}
            aria-invalid={errors.title ? true : undefined}
            aria-describedby={errors.title ? `${id}-title-err` : undefined}
            onFocus={() => (focused.current = 'title')}
            onBlur={() => {
              focused.current = null;
              if (title !== f.title) void save('title', { title });
            }}
            onChange={(e) => setTitle(e.target.value.replace(/\n/g, ' '))}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                if (title !== f.title) void save('title', { title });
              } else if (e.key === 'Escape' && title !== f.title) {
                e.preventDefault();
                e.stopPropagation();
                setTitle(f.title);
                setErrors((x) => ({ ...x, title: undefined }));
              }
            }}
            data-testid="finding-title"
          />
          {errors.title && (
            <div className="field-error" id={`${id}-title-err`} role="alert">
              {sentence(errors.title)}
            </div>
          )}
        </div>
        {!readOnly &&
          (f.role === 'root_cause' ? (
            <span className="pm-root-mark" title="This finding is a root cause">
              ★ Root cause
            </span>
          ) : (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => void save('role', { role: 'root_cause' })}
              aria-label={`Mark “${f.title}” as root cause`}
              data-testid="mark-root-cause"
            >
              ☆ Mark root cause
            </button>
          ))}
        <div className="seg pm-status-seg" role="radiogroup" aria-label="Status">
          {STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              role="radio"
              aria-checked={f.status === s}
              className={`seg-btn ${f.status === s ? 'on' : ''} pm-status-${s}`}
              disabled={readOnly}
              onClick={() => f.status !== s && void save('status', { status: s })}
              data-testid={`finding-status-${s}`}
            >
              {STATUS_LABELS[s]}
            </button>
          ))}
        </div>
        {!readOnly && (
          <button type="button" className="btn-icon" onClick={onRemove} aria-label={`Delete finding “${f.title}”`} title="Delete (Undo in the toast)" data-testid="finding-delete">
            ×
          </button>
        )}
      </div>

      <div className="pm-finding-desc field">
        <label className="visually-hidden" htmlFor={`${id}-desc`}>
          Description
        </label>
        <textarea
          id={`${id}-desc`}
          rows={1}
          value={desc}
          readOnly={readOnly}
          placeholder={readOnly ? '' : 'Add a description: the evidence, what it explains, what it does not…'}
          onFocus={() => (focused.current = 'description')}
          onBlur={() => {
            focused.current = null;
            if (desc !== f.description) void save('description', { description: desc });
          }}
          onChange={(e) => setDesc(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && modKey(e)) {
              e.preventDefault();
              if (desc !== f.description) void save('description', { description: desc });
            } else if (e.key === 'Escape' && desc !== f.description) {
              e.preventDefault();
              e.stopPropagation();
              setDesc(f.description);
            }
          }}
          aria-invalid={errors.description ? true : undefined}
          data-testid="finding-description"
        />
        {errors.description && (
          <div className="field-error" role="alert">
            {sentence(errors.description)}
          </div>
        )}
      </div>

      <div className="pm-finding-meta">
        <label className="pm-meta-field">
          <span>Role</span>
          <select value={f.role} disabled={readOnly} onChange={(e) => void save('role', { role: e.target.value as FindingRole })} data-testid="finding-role">
            {FINDING_ROLES.map((r) => (
              <option key={r} value={r}>
                {FINDING_ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label className="pm-meta-field">
          <span>Failure class</span>
          <select value={f.failureClass} disabled={readOnly} onChange={(e) => void save('failureClass', { failureClass: e.target.value as FailureClass })} data-testid="finding-class">
            <FailureClassOptions />
          </select>
        </label>
        <label className="pm-meta-field">
          <span>Origin</span>
          <select
            value={f.rootCauseOrigin ?? ''}
            disabled={readOnly}
            onChange={(e) => void save('rootCauseOrigin', { rootCauseOrigin: (e.target.value || null) as RootCauseOrigin | null })}
            data-testid="finding-origin"
          >
            <option value="">not known</option>
            <OriginOptions />
          </select>
        </label>
        <div className="pm-gen" data-testid="finding-gen" data-gen-kind={f.genKind ?? ''}>
          {known ? (
            <>
              <span className="pm-gen-label">
                Test: <strong>{GENERATOR_KIND_LABELS[f.genKind as keyof typeof GENERATOR_KIND_LABELS]}</strong>{' '}
                <code className="muted">{f.genKind}</code>
                {GENERATOR_INPUTS[f.genKind as keyof typeof GENERATOR_INPUTS] && (
                  <span className="muted"> · reads {GENERATOR_INPUTS[f.genKind as keyof typeof GENERATOR_INPUTS]}</span>
                )}
              </span>
              <button type="button" className="btn-text" onClick={() => setShowParams((s) => !s)} aria-expanded={showParams} data-testid="finding-params-toggle">
                {showParams ? 'Hide parameters' : 'Parameters'}
              </button>
            </>
          ) : f.genKind === SECRET_GEN_KIND ? (
            <span className="pm-gen-label" title="The last-known-good value is pinned by a salted PBKDF2-SHA256 hash; the value is in no generated file">
              Test: <strong>{SECRET_GEN_LABEL}</strong> <code className="muted">{f.genKind}</code>
              <span className="muted"> · reads {String(f.params.source) === 'env' ? 'PMW_ENV_FILE or the environment' : 'PMW_CONFIG'}</span>
            </span>
          ) : f.genKind ? (
            <>
              <span className="pm-gen-warn" title="The generators know: dataset.columns, dataset.dtypes, dataset.null_rate, …">
                No test generator for <code>{f.genKind}</code>
              </span>
              {fromChange && !readOnly && (
                <button type="button" className="btn btn-small" onClick={() => void convert()} data-testid="finding-convert">
                  Use “{GENERATOR_KIND_LABELS[fromChange.genKind]}”
                </button>
              )}
            </>
          ) : (
            <span className="muted">No regression test (documented only)</span>
          )}
        </div>
        {(artifacts > 0 || changes > 0) && (
          <span className="muted small pm-evidence" title={change?.message}>
            Evidence: {artifacts ? `${artifacts} artifact${artifacts === 1 ? '' : 's'}` : ''}
            {artifacts && changes ? ' · ' : ''}
            {changes ? `${changes} change${changes === 1 ? '' : 's'}` : ''}
          </span>
        )}
        {saving && <span className="save-state">Saving…</span>}
        {(errors.role || errors.status || errors.failureClass || errors.rootCauseOrigin) && (
          <span className="field-error" role="alert">
            {sentence(errors.role ?? errors.status ?? errors.failureClass ?? errors.rootCauseOrigin ?? '')}
          </span>
        )}
      </div>
      {known && showParams && (
        <ParamsEditor
          genKind={f.genKind!}
          value={f.params}
          readOnly={readOnly}
          onSave={async (params) => {
            await onUpdate({ params });
          }}
        />
      )}
    </li>
  );
}
