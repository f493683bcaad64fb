// One captured artifact: name, kind (select showing the detected one), label (edited in place), size,
// short sha256, capture time; remove (Undo in the toast). Draggable onto another role's column.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import type { Artifact } from '../../shared/artifacts';
import { ARTIFACT_KINDS, type ArtifactKind } from '../../shared/diff/types';
import { api } from '../data/api';
import { clock, full } from '../lib/time';
import { KIND_LABELS, formatBytes, shortSha } from './format';

export const ARTIFACT_DRAG_TYPE = 'application/x-pmw-artifact';

export function ArtifactItem({
  a,
  incidentKey,
  readOnly,
  onChanged,
  onRemove,
  highlighted,
}: {
  a: Artifact;
  incidentKey: string;
  readOnly: boolean;
  onChanged: (a: Artifact) => void;
  onRemove: (a: Artifact) => void;
  highlighted?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);

  async function update(patch: { kind?: ArtifactKind; label?: string }) {
    setError(null);
    try {
      onChanged(await api.call('artifact:update', { key: incidentKey, id: a.id, ...patch }));
    } catch (e) {
      setError(ApiError.from(e).message);
      throw e;
    }
  }

  const overridden = a.kind !== a.detectedKind;
  return (
    <li
      className={`artifact ${highlighted ? 'is-highlighted' : ''}`}
      data-testid="artifact-item"
      data-id={a.id}
      data-role={a.role}
      data-kind={a.kind}
      data-name={a.name}
      draggable={!readOnly}
      onDragStart={(e) => {
        e.dataTransfer.setData(ARTIFACT_DRAG_TYPE, String(a.id));
        e.dataTransfer.effectAllowed = 'move';
      }}
    >
      <div className="artifact-top">
        <span className="artifact-name mono" title={a.sourcePath ? `${a.name}\nfrom ${a.sourcePath}` : a.name} data-testid="artifact-name">
          {a.name}
        </span>
        {!readOnly && (
          <button type="button" className="btn-icon artifact-remove" aria-label={`Remove ${a.name}`} title="Remove (you can undo)" onClick={() => onRemove(a)} data-testid="artifact-remove">
            ×
          </button>
        )}
      </div>
      <div className="artifact-row">
        {readOnly ? (
          <span className={`badge kind-badge kind-${a.kind}`} data-testid="artifact-kind">
            {KIND_LABELS[a.kind]}
          </span>
        ) : (
          <select
            className={`kind-select ${overridden ? 'overridden' : ''}`}
            value={a.kind}
            onChange={(e) => void update({ kind: e.target.value as ArtifactKind }).catch(() => undefined)}
            aria-label={`Kind of ${a.name} (detected: ${KIND_LABELS[a.detectedKind]})`}
            title={overridden ? `Set by you; detected as ${KIND_LABELS[a.detectedKind]}` : 'Detected kind — change it if the guess is wrong'}
            data-testid="artifact-kind"
          >
            {ARTIFACT_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
                {k === a.detectedKind ? ' (detected)' : ''}
              </option>
            ))}
          </select>
        )}
        {overridden && (
          <span className="muted small artifact-detected" data-testid="artifact-detected">
            detected: {KIND_LABELS[a.detectedKind]}
          </span>
        )}
        <LabelInput value={a.label} name={a.name} readOnly={readOnly} onSave={(label) => update({ label })} />
      </div>
      <div className="artifact-meta">
        <span>{formatBytes(a.size)}</span>
        <span className="mono" title={`sha256 ${a.sha256}`} data-testid="artifact-sha">
          {shortSha(a.sha256)}
        </span>
        <span title={`Captured ${full(a.capturedAt)}`}>{clock(a.capturedAt)}</span>
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </li>
  );
}

function LabelInput({ value, name, readOnly, onSave }: { value: string; name: string; readOnly: boolean; onSave: (v: string) => Promise<unknown> }) {
  const [draft, setDraft] = useState(value);
  const [saved, setSaved] = useState(false);
  const focused = useRef(false);
  const revert = useRef(false);
  useEffect(() => {
    if (!focused.current) setDraft(value);
  }, [value]);
  if (readOnly) return value ? <span className="artifact-label-ro">{value}</span> : null;
  const save = async () => {
    if (draft.trim() === value) return;
    try {
      await onSave(draft.trim());
      setSaved(true);
      setTimeout(() => setSaved(false), 1200);
    } catch {
      /* message shown under the item */
    }
  };
  return (
    <span className="artifact-label">
      <input
        type="text"
        className="label-input"
        value={draft}
        placeholder="+ label"
        maxLength={120}
        aria-label={`Label of ${name} (artifacts with the same label pair up)`}
        title="Label: artifacts with the same label pair up"
        onFocus={() => (focused.current = true)}
        onBlur={() => {
          focused.current = false;
          if (revert.current) revert.current = false;
          else void save();
        }}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            (e.target as HTMLInputElement).blur();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            setDraft(value);
            revert.current = true;
            (e.target as HTMLInputElement).blur();
          }
        }}
        data-testid="artifact-label"
      />
      {saved && (
        <span className="save-state saved" aria-live="polite">
          ✓
        </span>
      )}
    </span>
  );
}
