// "Paste text": name (its extension helps detect the kind), role, optional kind and label, the text.
import { useState } from 'react';
import { ApiError, fieldError } from '../../shared/api/errors';
import { ARTIFACT_ROLES, ARTIFACT_ROLE_LABELS, type Artifact, type ArtifactRole } from '../../shared/artifacts';
import { ARTIFACT_KINDS, type ArtifactKind } from '../../shared/diff/types';
import { api } from '../data/api';
import { Dialog } from '../components/Dialog';
import { Field, Kbd } from '../components/ui';
import { modKey, MOD } from '../lib/keys';
import { KIND_LABELS } from './format';

/** A name for pasted text from what it looks like (the user can change it). */
export function guessName(text: string): string {
  const t = text.trimStart();
  if (/^[[{]/.test(t)) return 'pasted.json';
  if (/^(apiVersion|kind):/m.test(t) || /^---\s*$/m.test(t)) return 'pasted.yaml';
  if (/^\[\[package\]\]/m.test(t)) return 'poetry.lock';
  if (/^[A-Za-z0-9_.[\],-]+\s*(==|>=|<=|~=|===)\s*[\w.*+!-]+/m.test(t)) return 'requirements.txt';
  if (/^[A-Z_][A-Z0-9_]*=/m.test(t)) return 'env.txt';
  return 'pasted.txt';
}

export function PasteDialog({
  incidentKey,
  initialText = '',
  initialRole = 'other',
  onClose,
  onAdded,
}: {
  incidentKey: string;
  initialText?: string;
  initialRole?: ArtifactRole;
  onClose: () => void;
  onAdded: (a: Artifact) => void;
}) {
  const [name, setName] = useState(() => (initialText ? guessName(initialText) : ''));
  const [role, setRole] = useState<ArtifactRole>(initialRole);
  const [kind, setKind] = useState<ArtifactKind | ''>('');
  const [label, setLabel] = useState('');
  const [text, setText] = useState(initialText);
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (busy) return;
    setBusy(true);
    setErr(null);
    try {
      const a = await api.call('artifact:addText', {
        key: incidentKey,
        role,
        name,
        text,
        ...(kind ? { kind } : {}),
        ...(label.trim() ? { label: label.trim() } : {}),
      });
      onAdded(a);
    } catch (e) {
      setErr(ApiError.from(e));
    } finally {
      setBusy(false);
    }
  }

  const general = err && !err.details?.issues?.length ? err.message : undefined;
  return (
    <Dialog title="Paste text as an artifact" onClose={onClose} testid="paste-dialog" wide initialFocus={initialText ? '[data-testid="paste-name"]' : '[data-testid="paste-text"]'}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && modKey(e)) {
            e.preventDefault();
            void submit();
          }
        }}
      >
        <div className="form-row paste-row">
          <Field label="File name" hint="Its extension helps detect the kind (e.g. requirements.txt, values.yaml)" error={fieldError(err, 'name')} testid="paste-name-field">
            {({ id, describedBy, invalid }) => (
              <input id={id} type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. poetry.lock" aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="paste-name" />
            )}
          </Field>
          <Field label="Kind" hint="Leave on detect unless it guesses wrong" error={fieldError(err, 'kind')}>
            {({ id, describedBy }) => (
              <select id={id} value={kind} onChange={(e) => setKind(e.target.value as ArtifactKind | '')} aria-describedby={describedBy} data-testid="paste-kind">
                <option value="">Detect automatically</option>
                {ARTIFACT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Label (optional)" hint="Artifacts with the same label pair up" error={fieldError(err, 'label')}>
            {({ id, describedBy, invalid }) => (
              <input id={id} type="text" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="e.g. training env" aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="paste-label" />
            )}
          </Field>
        </div>
        <fieldset className="field paste-roles">
          <legend className="field-label">Role</legend>
          <div className="choice-row paste-role-row">
            {ARTIFACT_ROLES.map((r) => (
              <label key={r} className={`choice ${role === r ? 'checked' : ''}`}>
                <input type="radio" name="paste-role" value={r} checked={role === r} onChange={() => setRole(r)} data-testid={`paste-role-${r}`} />
                <span className="choice-title">{ARTIFACT_ROLE_LABELS[r]}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Text" error={fieldError(err, 'text')} testid="paste-text-field">
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              className="paste-text mono"
              rows={12}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                if (!name && e.target.value.length > 20) setName(guessName(e.target.value));
              }}
              spellCheck={false}
              placeholder="Paste a lockfile, a config, `pip freeze` or `env` output, a log excerpt…"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              data-testid="paste-text"
            />
          )}
        </Field>
        {general && (
          <div className="field-error" role="alert" data-testid="paste-error">
            {general}
          </div>
        )}
        <div className="form-actions">
          <span className="muted">
            <Kbd>{MOD}+Enter</Kbd> add · <Kbd>Esc</Kbd> cancel
          </span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="paste-submit">
            Add artifact
          </button>
        </div>
      </form>
    </Dialog>
  );
}
