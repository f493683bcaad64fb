// Add a finding by hand, and edit a finding's generator parameters (JSON, checked as you type with the
// same rules the generators apply, so a mistake is named beside the field, not at Generate time).
import { useId, useMemo, useRef, useState } from 'react';
import { useDraft } from '../lib/draft';
import { ApiError, fieldError } from '../../shared/api/errors';
import { FINDING_ROLES, FINDING_ROLE_LABELS, type Finding, type FindingRole } from '../../shared/artifacts';
import type { FailureClass, RootCauseOrigin } from '../../shared/domain';
import { GENERATOR_INPUTS, GENERATOR_KINDS, GENERATOR_KIND_LABELS, generatorParamIssues, type GeneratorKind } from '../../shared/generators/params';
import { api } from '../data/api';
import { Field, sentence } from '../components/ui';
import { MOD, modKey } from '../lib/keys';
import type { IncidentCtx } from '../incident/ctx';
import { FailureClassOptions, OriginOptions } from '../components/options';

/** A starting point per generator kind: the shape the generator wants, with placeholder values. */
export const PARAM_EXAMPLES: Record<GeneratorKind, Record<string, unknown>> = {
  'dataset.columns': { columns: ['id', 'feature_a', 'label'], checkOrder: true },
  'dataset.dtypes': { dtypes: { feature_a: 'float', label: 'int' } },
  'dataset.null_rate': { ceilings: { feature_a: 0.05 } },
  'dataset.range': { ranges: { feature_a: { min: 0, max: 120 } } },
  'dataset.categories': { categories: { country: ['DE', 'FR', 'US'] }, allowUnseen: false },
  'model.feature_order': { featureOrder: ['feature_a', 'feature_b'] },
  'dependency.version': { packages: [{ name: 'numpy', spec: '>=1.24,<2' }] },
  'config.value': { values: [{ path: 'model.threshold', value: 0.5 }] },
  'data.point_in_time': { featureTimestampColumns: ['feature_ts'], labelTimestampColumn: 'label_ts', toleranceSeconds: 0 },
  'prediction.mean': { column: 'prediction', baseline: 0.31, tolerance: 0.05, relative: false },
  'dataset.drift': { column: 'score', test: 'jensen-shannon', threshold: 0.1, reference: { kind: 'counts', values: ['a', 'b'], counts: [70, 30], rows: 100 } },
  'dataset.duplicates': { duplicateRows: 0, rows: 1000, keys: ['id'] },
  'dataset.leakage': { column: 'label_copy', other: 'label', measure: 'agreement', threshold: 0.98 },
  'dataset.row_count': { rows: 1000, factor: 2 },
  'model.value': { values: [{ path: 'threshold', value: 0.5 }, { path: 'scaler.mean[0]', value: 12.3, tolerance: 0.05 }] },
  'dependency.requirements': { hashes: [{ name: 'numpy', hashes: ['sha256:0123abcd'] }], options: [{ option: '--index-url', values: ['https://pypi.org/simple'] }] },
};

function parseJson(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: `not valid JSON: ${(e as Error).message}` };
  }
}

function paramProblem(kind: string, text: string): string | undefined {
  const p = parseJson(text);
  if (p.error) return p.error;
  const issues = generatorParamIssues(kind, p.value);
  if (!issues.length) return undefined;
  const first = issues[0];
  return `${first.field}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`;
}

export function ParamsEditor({
  genKind,
  value,
  readOnly,
  onSave,
}: {
  genKind: string;
  value: Record<string, unknown>;
  readOnly: boolean;
  onSave: (params: Record<string, unknown>) => Promise<void>;
}) {
  const initial = useMemo(() => JSON.stringify(value, null, 2), [value]);
  const [text, setText] = useState(initial);
  const [serverError, setServerError] = useState<string | undefined>();
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const problem = useMemo(() => paramProblem(genKind, text), [genKind, text]);
  const dirty = text !== initial;
  const id = useId();

  async function save() {
    if (problem || !dirty) return;
    setState('saving');
    setServerError(undefined);
    try {
      await onSave(JSON.parse(text) as Record<string, unknown>);
      setState('saved');
      setTimeout(() => setState((s) => (s === 'saved' ? 'idle' : s)), 1500);
    } catch (e) {
      const err = ApiError.from(e);
      setServerError(fieldError(err, 'params') ?? err.message);
      setState('idle');
    }
  }

  const error = serverError ?? problem;
  return (
    <div className="pm-params" data-testid="finding-params">
      <Field
        label={`Parameters of the ${GENERATOR_KIND_LABELS[genKind as GeneratorKind] ?? genKind} test (JSON)`}
        error={error}
        htmlFor={id}
        hint={`Baselines from the last-known-good data. ${MOD}+Enter saves, Esc reverts.`}
      >
        {({ id: fid, describedBy, invalid }) => (
          <textarea
            id={fid}
            className="pm-params-text"
            rows={Math.min(14, Math.max(3, text.split('\n').length))}
            value={text}
            readOnly={readOnly}
            spellCheck={false}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            onChange={(e) => {
              setText(e.target.value);
              setServerError(undefined);
              setState('idle');
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && modKey(e)) {
                e.preventDefault();
                void save();
              } else if (e.key === 'Escape' && dirty) {
                e.preventDefault();
                e.stopPropagation();
                setText(initial);
              }
            }}
            data-testid="finding-params-text"
          />
        )}
      </Field>
      {!readOnly && (
        <div className="pm-params-actions">
          <span className={`save-state ${state}`} aria-live="polite">
            {state === 'saving' ? 'Saving…' : state === 'saved' ? 'Saved' : dirty ? 'Unsaved' : ''}
          </span>
          <button type="button" className="btn btn-small" disabled={!dirty} onClick={() => setText(initial)}>
            Revert
          </button>
          <button type="button" className="btn btn-small btn-primary" disabled={!dirty || !!problem || state === 'saving'} onClick={() => void save()} data-testid="finding-params-save">
            Save parameters
          </button>
        </div>
      )}
    </div>
  );
}

export function FindingForm({ ctx, onCancel, onCreated }: { ctx: IncidentCtx; onCancel: () => void; onCreated: (f: Finding) => void | Promise<void> }) {
  const { inc } = ctx;
  // The hand-written finding survives a reload until it is added or cancelled.
  const [title, setTitle, clearTitle] = useDraft(`${inc.key}.finding.title`, '');
  const [description, setDescription, clearDescription] = useDraft(`${inc.key}.finding.description`, '');
  const [role, setRole] = useState<FindingRole>('contributing');
  const [failureClass, setFailureClass] = useState<FailureClass>(inc.failureClass);
  const [origin, setOrigin] = useState<RootCauseOrigin | ''>(inc.rootCauseOrigin ?? '');
  const [genKind, setGenKind] = useState<GeneratorKind | ''>('');
  const [params, setParams] = useState('');
  const [err, setErr] = useState<ApiError | null>(null);
  const [titleErr, setTitleErr] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const problem = genKind ? paramProblem(genKind, params) : undefined;

  async function submit() {
    setTried(true);
    if (!title.trim()) {
      setTitleErr('a title is required');
      return;
    }
    if (problem) return;
    setBusy(true);
    setErr(null);
    try {
      const f = await api.call('finding:create', {
        key: inc.key,
        title: title.trim(),
        description,
        role,
        failureClass,
        rootCauseOrigin: origin || null,
        ...(genKind ? { genKind, params: JSON.parse(params) as Record<string, unknown> } : {}),
      });
      clearTitle();
      clearDescription();
      await onCreated(f);
    } catch (e) {
      setErr(ApiError.from(e));
    } finally {
      setBusy(false);
    }
  }

  const general = err && !fieldError(err, 'title') && !fieldError(err, 'description') && !fieldError(err, 'params') ? err.message : undefined;

  return (
    <form
      ref={formRef}
      className="pm-finding-form"
      data-testid="finding-form"
      aria-label="New finding"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          clearTitle();
          clearDescription();
          onCancel();
        } else if (e.key === 'Enter' && modKey(e)) {
          e.preventDefault();
          void submit();
        }
      }}
    >
      <div className="pm-form-grid">
        <Field label="Title" error={titleErr ?? fieldError(err, 'title')} className="pm-span-2" testid="finding-form-title">
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              type="text"
              autoFocus
              value={title}
              placeholder="e.g. column Fare removed from the upstream export"
              aria-invalid={invalid || undefined}
              aria-describedby={describedBy}
              onChange={(e) => {
                setTitle(e.target.value);
                setTitleErr(undefined);
              }}
              data-testid="finding-form-title-input"
            />
          )}
        </Field>
        <Field label="Description" error={fieldError(err, 'description')} className="pm-span-2">
          {({ id, describedBy, invalid }) => (
            <textarea id={id} rows={2} value={description} aria-invalid={invalid || undefined} aria-describedby={describedBy} onChange={(e) => setDescription(e.target.value)} />
          )}
        </Field>
        <Field label="Role">
          {({ id }) => (
            <select id={id} value={role} onChange={(e) => setRole(e.target.value as FindingRole)} data-testid="finding-form-role">
              {FINDING_ROLES.map((r) => (
                <option key={r} value={r}>
                  {FINDING_ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Failure class">
          {({ id }) => (
            <select id={id} value={failureClass} onChange={(e) => setFailureClass(e.target.value as FailureClass)}>
              <FailureClassOptions />
            </select>
          )}
        </Field>
        <Field label="Root-cause origin">
          {({ id }) => (
            <select id={id} value={origin} onChange={(e) => setOrigin(e.target.value as RootCauseOrigin | '')}>
              <option value="">not known</option>
              <OriginOptions />
            </select>
          )}
        </Field>
        <Field label="Regression test (optional)" hint={genKind && GENERATOR_INPUTS[genKind] ? `The test reads ${GENERATOR_INPUTS[genKind]}.` : 'Without one the finding is documented, not tested.'}>
          {({ id, describedBy }) => (
            <select
              id={id}
              value={genKind}
              aria-describedby={describedBy}
              onChange={(e) => {
                const k = e.target.value as GeneratorKind | '';
                setGenKind(k);
                setParams(k ? JSON.stringify(PARAM_EXAMPLES[k], null, 2) : '');
              }}
              data-testid="finding-form-genkind"
            >
              <option value="">none</option>
              {GENERATOR_KINDS.map((k) => (
                <option key={k} value={k}>
                  {GENERATOR_KIND_LABELS[k]} ({k})
                </option>
              ))}
            </select>
          )}
        </Field>
        {genKind && (
          <Field
            label="Test parameters (JSON)"
            error={(tried || params !== JSON.stringify(PARAM_EXAMPLES[genKind], null, 2) ? problem : undefined) ?? fieldError(err, 'params')}
            hint="An example to edit: put the last-known-good values here."
            className="pm-span-2"
          >
            {({ id, describedBy, invalid }) => (
              <textarea
                id={id}
                className="pm-params-text"
                rows={Math.min(12, Math.max(3, params.split('\n').length))}
                spellCheck={false}
                value={params}
                aria-invalid={invalid || undefined}
                aria-describedby={describedBy}
                onChange={(e) => setParams(e.target.value)}
                data-testid="finding-form-params"
              />
            )}
          </Field>
        )}
      </div>
      {general && (
        <div className="field-error" role="alert">
          {sentence(general)}
        </div>
      )}
      <div className="form-actions">
        <span className="muted">
          {MOD}+Enter adds · Esc cancels
        </span>
        <button
          type="button"
          className="btn"
          onClick={() => {
            clearTitle();
            clearDescription();
            onCancel();
          }}
        >
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="finding-form-submit">
          {busy ? 'Adding…' : 'Add finding'}
        </button>
      </div>
    </form>
  );
}
