// The Artifacts panel of an incident (seed 004's method: compare the failing run with the last-known-good
// one). Capture by drag and drop (onto a role's column), file picker per role, or paste; artifacts
// grouped by role; proposed pairs and "compare any two"; the diff view below.
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { ApiError } from '../../shared/api/errors';
import { ARTIFACT_ROLES, ARTIFACT_ROLE_LABELS, type Artifact, type ArtifactPair, type ArtifactRole } from '../../shared/artifacts';
import { api, refreshIncident } from '../data/api';
import { useArtifacts } from '../data/hooks';
import { Kbd } from '../components/ui';
import { MOD } from '../lib/keys';
import { useToast } from '../lib/toast';
import type { IncidentCtx } from '../incident/ctx';
import { ArtifactItem, ARTIFACT_DRAG_TYPE } from './ArtifactItem';
import { DiffPanel, type DiffRequest } from './DiffView';
import { KIND_LABELS, PAIR_REASONS, ROLE_HINTS, ROLE_SHORT, formatBytes } from './format';
import { PasteDialog } from './PasteDialog';
import { useUploads, type UploadItem } from './useUploads';
import { sessionGet, sessionSet } from '../lib/draft';

/** Uploads at least this big get a progress row (smaller ones finish before a row could be read). */
const SHOW_PROGRESS_FROM = 256 * 1024;

function isTextTarget(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'file'].includes((el as HTMLInputElement).type));
}

function roleAt(t: EventTarget | null): ArtifactRole | null {
  const el = (t as Element | null)?.closest?.('[data-drop-role]');
  const r = el?.getAttribute('data-drop-role');
  return r && (ARTIFACT_ROLES as readonly string[]).includes(r) ? (r as ArtifactRole) : null;
}

const NO_PAIRS: ArtifactPair[] = [];
const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');
const hasArtifact = (e: DragEvent) => [...e.dataTransfer.types].includes(ARTIFACT_DRAG_TYPE);

export function ArtifactsPanel({ ctx, scrollRef }: { ctx: IncidentCtx; scrollRef?: React.RefObject<HTMLElement | null> }) {
  const { inc, readOnly } = ctx;
  const key = inc.key;
  const toast = useToast();
  const q = useArtifacts(key);
  const artifacts = q.data?.list ?? null;
  const pairs = q.data?.pairs ?? NO_PAIRS;
  const loadError = q.error ? ApiError.from(q.error).message : null;
  // The open diff survives a reload (per incident, for the tab session).
  const diffStore = `pmw.diff.${key}`;
  const [diff, setDiffState] = useState<DiffRequest | null>(() => sessionGet<DiffRequest>(diffStore) ?? null);
  const setDiff = useCallback(
    (d: DiffRequest | null) => {
      setDiffState(d);
      sessionSet(diffStore, d);
    },
    [diffStore],
  );
  const [paste, setPaste] = useState<{ text: string; role: ArtifactRole } | null>(null);
  const [dragging, setDragging] = useState(false);
  const [dropRole, setDropRole] = useState<ArtifactRole | null>(null);
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [announce, setAnnounce] = useState('');
  const dragDepth = useRef(0);
  /** The column last clicked: Ctrl/Cmd+V pastes into its role. */
  const lastRole = useRef<ArtifactRole | null>(null);
  const diffRef = useRef<HTMLDivElement>(null);

  const refresh = useCallback(() => refreshIncident(key), [key]);

  const markFresh = useCallback((id: number) => {
    setFresh((s) => new Set(s).add(id));
    setTimeout(() => setFresh((s) => {
      const n = new Set(s);
      n.delete(id);
      return n;
    }), 2500);
  }, []);

  const uploads = useUploads(key, (a) => {
    markFresh(a.id);
    void refresh();
  });

  const addFiles = useCallback(
    async (files: File[], role: ArtifactRole) => {
      if (!files.length || readOnly) return;
      const { added, failed } = await uploads.add(files, role);
      const where = ARTIFACT_ROLE_LABELS[role];
      if (added.length) setAnnounce(`Added ${added.map((a) => `${a.name} (${KIND_LABELS[a.kind]})`).join(', ')} to ${where}`);
      for (const f of failed) {
        toast({ message: f.error?.code === 'TOO_LARGE' ? `Refused ${f.name}: ${f.error.message}` : `Could not add ${f.name}: ${f.error?.message ?? 'unknown error'}`, tone: 'error' });
      }
    },
    [uploads, readOnly, toast],
  );

  // A file dropped just outside the panel must not make the browser navigate away to it.
  useEffect(() => {
    const guard = (e: globalThis.DragEvent) => {
      if (e.dataTransfer && [...e.dataTransfer.types].includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', guard);
    window.addEventListener('drop', guard);
    return () => {
      window.removeEventListener('dragover', guard);
      window.removeEventListener('drop', guard);
    };
  }, []);

  async function moveTo(id: number, role: ArtifactRole) {
    const a = artifacts?.find((x) => x.id === id);
    if (!a || a.role === role) return;
    try {
      await api.call('artifact:update', { key, id, role });
      setAnnounce(`Moved ${a.name} to ${ARTIFACT_ROLE_LABELS[role]}`);
      markFresh(id);
      await refresh();
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    }
  }

  async function remove(a: Artifact) {
    try {
      await api.call('artifact:remove', { key, id: a.id });
      if (diff && (diff.beforeId === a.id || diff.afterId === a.id)) setDiff(null);
      await refresh();
      toast({
        message: `Removed ${a.name}`,
        action: {
          label: 'Undo',
          run: async () => {
            try {
              await api.call('artifact:restore', { key, id: a.id });
              markFresh(a.id);
              await refresh();
            } catch (e) {
              toast({ message: ApiError.from(e).message, tone: 'error' });
            }
          },
        },
      });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    }
  }

  function openDiff(req: DiffRequest) {
    setDiff(req);
    requestAnimationFrame(() => diffRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
  }
  // A remembered diff whose artifacts are gone (removed elsewhere) is forgotten.
  useEffect(() => {
    if (diff && artifacts && !(artifacts.some((a) => a.id === diff.beforeId) && artifacts.some((a) => a.id === diff.afterId))) setDiff(null);
  }, [artifacts, diff, setDiff]);

  // ---- Drag and drop: files (capture) and artifacts (move to another role) ----
  const dnd = readOnly
    ? {}
    : {
        onDragEnter: (e: DragEvent) => {
          if (!hasFiles(e) && !hasArtifact(e)) return;
          dragDepth.current++;
          setDragging(true);
        },
        onDragOver: (e: DragEvent) => {
          if (!hasFiles(e) && !hasArtifact(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = hasArtifact(e) ? 'move' : 'copy';
          const r = roleAt(e.target);
          setDropRole((cur) => (cur === r ? cur : r));
        },
        onDragLeave: (e: DragEvent) => {
          if (!hasFiles(e) && !hasArtifact(e)) return;
          dragDepth.current = Math.max(0, dragDepth.current - 1);
          if (dragDepth.current === 0) {
            setDragging(false);
            setDropRole(null);
          }
        },
        onDrop: (e: DragEvent) => {
          if (!hasFiles(e) && !hasArtifact(e)) return;
          e.preventDefault();
          dragDepth.current = 0;
          setDragging(false);
          setDropRole(null);
          const role = roleAt(e.target);
          const moved = e.dataTransfer.getData(ARTIFACT_DRAG_TYPE);
          if (moved) {
            if (role) void moveTo(Number(moved), role);
            return;
          }
          void addFiles([...e.dataTransfer.files], role ?? 'other');
        },
      };

  const onPaste = (e: React.ClipboardEvent) => {
    if (readOnly || paste || isTextTarget(e.target)) return;
    const role = roleAt(e.target) ?? lastRole.current ?? 'other';
    const files = [...e.clipboardData.files];
    if (files.length) {
      e.preventDefault();
      void addFiles(files, role);
      return;
    }
    const text = e.clipboardData.getData('text/plain');
    if (text) {
      e.preventDefault();
      setPaste({ text, role });
    }
  };

  const list = artifacts ?? [];
  const byRole = (r: ArtifactRole) => list.filter((a) => a.role === r);
  const visibleUploads = uploads.items.filter((u) => u.state === 'error' || u.size >= SHOW_PROGRESS_FROM);

  return (
    <section
      className={`card artifacts-panel ${dragging ? 'is-dragging' : ''}`}
      aria-labelledby="artifacts-title"
      data-testid="artifacts-panel"
      tabIndex={-1}
      onPaste={onPaste}
      onPointerDown={(e) => (lastRole.current = roleAt(e.target))}
      {...dnd}
    >
      <header className="card-head">
        <div>
          <h2 className="card-title" id="artifacts-title">
            Artifacts <span className="card-count">{list.length}</span>
          </h2>
          <p className="card-sub">
            Compare what the <strong>last-known-good</strong> run and the <strong>failing</strong> run left behind: dependencies, configs, data, environment.
          </p>
        </div>
        {!readOnly && (
          <div className="card-actions">
            <button type="button" className="btn btn-small" onClick={() => setPaste({ text: '', role: 'other' })} data-testid="paste-button" title={`Or press ${MOD}+V with the panel focused`}>
              Paste text <Kbd>{MOD}+V</Kbd>
            </button>
          </div>
        )}
      </header>
      <div className="card-body">
        {dragging && (
          <div className="drop-banner" aria-hidden="true">
            Drop onto <strong>Last known good</strong> or <strong>Failing</strong> to set the role — anywhere else adds to Other
          </div>
        )}
        {loadError && (
          <div className="banner banner-error" role="alert">
            Could not load the artifacts: {loadError}
          </div>
        )}
        {artifacts && list.length === 0 && !readOnly && <EmptyExplainer />}

        {visibleUploads.length > 0 && (
          <ul className="uploads" aria-label="Files being added" data-testid="uploads">
            {visibleUploads.map((u) => (
              <UploadRow key={u.id} u={u} onCancel={() => uploads.cancel(u.id)} onDismiss={() => uploads.dismiss(u.id)} />
            ))}
          </ul>
        )}

        <div className="artifact-cols">
          {ARTIFACT_ROLES.map((role) => (
            <RoleColumn
              key={role}
              role={role}
              items={byRole(role)}
              loading={!artifacts}
              readOnly={readOnly}
              dragging={dragging}
              over={dropRole === role}
              onFiles={(fs) => void addFiles(fs, role)}
              render={(a) => (
                <ArtifactItem
                  key={a.id}
                  a={a}
                  incidentKey={key}
                  readOnly={readOnly}
                  highlighted={fresh.has(a.id)}
                  onChanged={() => void refresh()}
                  onRemove={(x) => void remove(x)}
                />
              )}
            />
          ))}
        </div>

        {list.length > 0 && (
          <PairsBlock artifacts={list} pairs={pairs} active={diff} onDiff={openDiff} />
        )}

        <div ref={diffRef} className="diff-anchor">
          {diff && (
            <DiffPanel
              key={`${diff.beforeId}-${diff.afterId}-${diff.kind ?? ''}`}
              incidentKey={key}
              req={diff}
              artifacts={list}
              onClose={() => setDiff(null)}
              onTimelineAdded={ctx.refresh}
              scrollRef={scrollRef}
              readOnly={readOnly}
            />
          )}
        </div>
        <div className="visually-hidden" aria-live="polite" data-testid="artifacts-announce">
          {announce}
        </div>
      </div>

      {paste && (
        <PasteDialog
          incidentKey={key}
          initialText={paste.text}
          initialRole={paste.role}
          onClose={() => setPaste(null)}
          onAdded={(a) => {
            setPaste(null);
            markFresh(a.id);
            setAnnounce(`Added ${a.name} (${KIND_LABELS[a.kind]}) to ${ARTIFACT_ROLE_LABELS[a.role]}`);
            toast({ message: `Added ${a.name} to ${ARTIFACT_ROLE_LABELS[a.role]}`, tone: 'success' });
            void refresh();
          }}
        />
      )}
    </section>
  );
}

function RoleColumn({
  role,
  items,
  loading,
  readOnly,
  dragging,
  over,
  onFiles,
  render,
}: {
  role: ArtifactRole;
  items: Artifact[];
  loading: boolean;
  readOnly: boolean;
  dragging: boolean;
  over: boolean;
  onFiles: (files: File[]) => void;
  render: (a: Artifact) => React.ReactNode;
}) {
  const input = useRef<HTMLInputElement>(null);
  const label = ARTIFACT_ROLE_LABELS[role];
  return (
    <div
      className={`artifact-col col-${role} ${dragging ? 'drop-ready' : ''} ${over ? 'drop-over' : ''}`}
      data-drop-role={role}
      data-testid={`artifact-column-${role}`}
      role="group"
      aria-label={`${label} artifacts`}
    >
      <div className="artifact-col-head">
        <h3 className="artifact-col-title">
          <span className={`role-dot role-${role}`} aria-hidden="true" />
          {label} <span className="card-count">{items.length}</span>
        </h3>
        {!readOnly && (
          <>
            <button type="button" className="btn btn-small" onClick={() => input.current?.click()} data-testid={`add-files-${role}`} aria-label={`Add files to ${label}`}>
              Add files…
            </button>
            <input
              ref={input}
              type="file"
              multiple
              hidden
              onChange={(e) => {
                const fs = [...(e.target.files ?? [])];
                e.target.value = '';
                onFiles(fs);
              }}
              data-testid={`file-input-${role}`}
            />
          </>
        )}
      </div>
      <p className="artifact-col-hint">{ROLE_HINTS[role]}</p>
      {items.length > 0 ? (
        <ul className="artifact-list">{items.map(render)}</ul>
      ) : (
        <div className="drop-hint">{loading ? 'Loading…' : readOnly ? 'None captured' : 'Drop files here'}</div>
      )}
      {over && (
        <div className="drop-label" aria-hidden="true">
          Drop to add to {label}
        </div>
      )}
    </div>
  );
}

function UploadRow({ u, onCancel, onDismiss }: { u: UploadItem; onCancel: () => void; onDismiss: () => void }) {
  const pct = u.size ? Math.round((u.loaded / u.size) * 100) : 100;
  return (
    <li className={`upload upload-${u.state}`} data-testid="upload-row" data-state={u.state} data-name={u.name}>
      <span className="upload-name mono">{u.name}</span>
      <span className="muted small">→ {ARTIFACT_ROLE_LABELS[u.role]}</span>
      {u.state === 'error' ? (
        <span className="upload-error" role="alert" data-testid="upload-error">
          <strong>{u.error?.code === 'TOO_LARGE' ? 'Refused — too large:' : 'Not added:'}</strong> {u.error?.message}
        </span>
      ) : (
        <>
          <progress max={Math.max(1, u.size)} value={u.loaded} aria-label={`Adding ${u.name}`} />
          <span className="mono small upload-pct">
            {u.state === 'queued' ? 'waiting' : u.state === 'done' ? 'stored ✓' : u.loaded >= u.size ? 'hashing…' : `${pct}%`} · {formatBytes(u.size)}
          </span>
        </>
      )}
      {(u.state === 'uploading' || u.state === 'queued') && (
        <button type="button" className="btn-text" onClick={onCancel}>
          Cancel
        </button>
      )}
      {u.state === 'error' && (
        <button type="button" className="btn-icon" aria-label={`Dismiss the message about ${u.name}`} onClick={onDismiss}>
          ×
        </button>
      )}
    </li>
  );
}

function PairsBlock({ artifacts, pairs, active, onDiff }: { artifacts: Artifact[]; pairs: ArtifactPair[]; active: DiffRequest | null; onDiff: (r: DiffRequest) => void }) {
  const firstOf = (r: ArtifactRole) => artifacts.find((a) => a.role === r)?.id ?? null;
  const defaults = (): [number | null, number | null] => {
    const b0 = firstOf('last-known-good') ?? artifacts[0]?.id ?? null;
    const a0 = firstOf('failing') ?? artifacts.find((x) => x.id !== b0)?.id ?? null;
    return [b0, a0];
  };
  const [b, setB] = useState<number | null>(() => defaults()[0]);
  const [a, setA] = useState<number | null>(() => defaults()[1]);
  const touched = useRef(false);
  // Follow the artifacts as they come and go until the user picks; keep a pick while it exists.
  useEffect(() => {
    const ids = new Set(artifacts.map((x) => x.id));
    const [b0, a0] = defaults();
    if (!touched.current || b === null || !ids.has(b)) setB(b0);
    if (!touched.current || a === null || !ids.has(a)) setA(a0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [artifacts]);
  const option = (x: Artifact) => (
    <option key={x.id} value={x.id}>
      {x.name} · {ROLE_SHORT[x.role]} · {KIND_LABELS[x.kind]}
      {x.label ? ` · ${x.label}` : ''}
    </option>
  );
  return (
    <div className="pairs-block">
      <div className="pairs" data-testid="pairs">
        <h3 className="sub-title">
          Proposed pairs <span className="card-count">{pairs.length}</span>
        </h3>
        {pairs.length === 0 ? (
          <p className="muted small" data-testid="no-pairs">
            No pairs yet. Add a last-known-good and a failing version of the same kind of file — same label, or names like <code>poetry-e862.lock</code> / <code>poetry-94c3.lock</code>.
          </p>
        ) : (
          <ul className="pair-list">
            {pairs.map((p) => {
              const on = active?.beforeId === p.before.id && active.afterId === p.after.id;
              return (
                <li key={`${p.before.id}-${p.after.id}`} className={`pair ${on ? 'active' : ''}`} data-testid="pair-row" data-before={p.before.id} data-after={p.after.id}>
                  <span className="pair-names">
                    <span className="mono pair-name" title={`${ARTIFACT_ROLE_LABELS[p.before.role]}: ${p.before.name}`}>
                      {p.before.name}
                    </span>
                    <span className="pair-arrow" aria-label="to">
                      →
                    </span>
                    <span className="mono pair-name" title={`${ARTIFACT_ROLE_LABELS[p.after.role]}: ${p.after.name}`}>
                      {p.after.name}
                    </span>
                  </span>
                  <span className="pair-why">
                    (<span className="pair-kind">{KIND_LABELS[p.kind]}</span>, paired by {PAIR_REASONS[p.reason]})
                  </span>
                  <button
                    type="button"
                    className={`btn btn-small ${on ? '' : 'btn-primary'}`}
                    onClick={() => onDiff({ beforeId: p.before.id, afterId: p.after.id })}
                    aria-label={`Diff ${p.before.name} → ${p.after.name}`}
                    aria-pressed={on}
                    data-testid="pair-diff"
                  >
                    {on ? 'Showing' : 'Diff'}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {artifacts.length >= 2 && (
        <form
          className="compare-any"
          data-testid="compare-any"
          onSubmit={(e) => {
            e.preventDefault();
            if (a !== null && b !== null && a !== b) onDiff({ beforeId: b, afterId: a });
          }}
        >
          <h3 className="sub-title">Compare any two</h3>
          <div className="compare-row">
            <select value={b ?? ''} onChange={(e) => ((touched.current = true), setB(Number(e.target.value)))} aria-label="Before (left side)" data-testid="compare-before">
              {artifacts.map(option)}
            </select>
            <span className="pair-arrow" aria-hidden="true">
              →
            </span>
            <select value={a ?? ''} onChange={(e) => ((touched.current = true), setA(Number(e.target.value)))} aria-label="After (right side)" data-testid="compare-after">
              {artifacts.map(option)}
            </select>
            <button type="submit" className="btn btn-small" disabled={a === null || b === null || a === b} data-testid="compare-diff">
              Diff
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function EmptyExplainer() {
  const items: [string, string][] = [
    ['Dependencies', 'poetry.lock, requirements.txt or pip freeze, package-lock.json, conda environment.yml'],
    ['Configs', 'Kubernetes manifests, Helm values, service and pipeline configs (YAML, JSON)'],
    ['Data', 'dataset samples (CSV, TSV, Parquet) and schemas, from the reference and the failing batch'],
    ['Model', 'model metadata: feature_order, scaler / normalisation parameters'],
    ['Environment', 'env dumps (OMP_NUM_THREADS, CUDA_VISIBLE_DEVICES, MKL_*), container image references and digests'],
    ['Logs', 'the same job’s log from the good run and the failing run'],
  ];
  return (
    <div className="artifacts-empty" data-testid="artifacts-empty">
      <p className="artifacts-empty-lead">
        Capture what the <strong>last-known-good</strong> run and the <strong>failing</strong> run left behind, then diff them: a changed lockfile, a
        mutable image tag, a dropped column or a reordered feature list usually explains a small change that broke the pipeline.
      </p>
      <dl className="artifacts-empty-list">
        {items.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">
        Drop files onto a column below, use <em>Add files…</em>, or paste text (<Kbd>{MOD}+V</Kbd> with this panel focused). Files are hashed and stored
        in the incident database, once per content.
      </p>
    </div>
  );
}
