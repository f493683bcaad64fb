// Export to a git repository: pick the repo (typed, remembered in this browser, or chosen with the
// desktop's folder dialog), the branch and the three folders; Preview lists every file to be written
// with its status and a Monaco diff (a conflict shows last exported / in the repo now / new as two
// diffs); refusals are named, BRANCH_EXISTS offers the free name in one click; Export is possible only
// when nothing is refused, and answers with the branch and commit. Earlier exports are listed below.
import { useEffect, useRef, useState } from 'react';
import { ApiError, fieldError } from '../../shared/api/errors';
import type { ExportFilePlan, ExportPaths, ExportPreview, ExportRecord } from '../../shared/exporting';
import { transport } from '../api/client';
import { api } from '../data/api';
import { Dialog } from '../components/Dialog';
import { CopyButton, Field, sentence } from '../components/ui';
import { MonacoDiff } from '../artifacts/MonacoDiff';
import { useDarkMode } from '../artifacts/useDarkMode';
import { clock, full } from '../lib/time';
import { useToast } from '../lib/toast';
import type { IncidentCtx } from '../incident/ctx';
import { languageOf } from './GeneratePanel';
import { MonacoEditor } from './MonacoEditor';
import { refreshUntouchedDocs } from './docs';
import { SecretHits, allowSecretsOf, type SecretOverrides } from './SecretHits';

const REPO_KEY = 'pmw.export.lastRepo';
const STATUS_LABELS: Record<ExportFilePlan['status'], string> = { new: 'New', modified: 'Modified', unchanged: 'Unchanged', conflict: 'Conflict' };
const KIND_LABELS: Record<ExportFilePlan['kind'], string> = { test: 'Test', runbook: 'Runbook', postmortem: 'Postmortem' };
const PATH_FIELDS: { k: keyof ExportPaths; label: string }[] = [
  { k: 'runbooksDir', label: 'Runbooks folder' },
  { k: 'testsDir', label: 'Tests folder' },
  { k: 'postmortemsDir', label: 'Postmortems folder' },
];

interface DesktopPick {
  pickDirectory?: () => Promise<string | null>;
}

function storedRepo(): string {
  try {
    return localStorage.getItem(REPO_KEY) ?? '';
  } catch {
    return '';
  }
}

const short = (sha: string) => sha.slice(0, 10);

export function ExportDialog({ ctx, onClose }: { ctx: IncidentCtx; onClose: () => void }) {
  const key = ctx.inc.key;
  const toast = useToast();
  const dark = useDarkMode();
  const [repo, setRepo] = useState(storedRepo);
  const [branch, setBranch] = useState('');
  const [branchTouched, setBranchTouched] = useState(false);
  const [paths, setPaths] = useState<ExportPaths | null>(null);
  const [pathsTouched, setPathsTouched] = useState(false);
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  const [previewKey, setPreviewKey] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'export' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<ExportRecord | null>(null);
  const [history, setHistory] = useState<ExportRecord[] | null>(null);
  const [overrides, setOverrides] = useState<SecretOverrides>({});
  const desktop = window.pmw as unknown as DesktopPick | undefined;
  const canPick = transport === 'electron' && typeof desktop?.pickDirectory === 'function';
  const repoRef = useRef<HTMLInputElement>(null);

  async function loadHistory() {
    try {
      setHistory(await api.call('export:list', { key }));
    } catch {
      setHistory([]);
    }
  }
  useEffect(() => {
    void loadHistory();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const inputs = () => ({
    key,
    repo: repo.trim(),
    ...(branchTouched && branch.trim() ? { branch: branch.trim() } : {}),
    ...(pathsTouched && paths ? { paths } : {}),
  });
  // Overrides of the secret scan are not part of the staleness key: applying them is a preview of its own.
  const inputsKey = JSON.stringify(inputs());
  const allowSecrets = allowSecretsOf(preview, overrides);
  const stale = !!preview && previewKey !== inputsKey;

  async function runPreview(override?: { branch?: string; allowSecrets?: ReturnType<typeof allowSecretsOf> }) {
    if (!repo.trim()) {
      setError(new ApiError('VALIDATION', 'a repository path is required', { issues: [{ field: 'repo', message: 'a repository path is required' }] }));
      repoRef.current?.focus();
      return;
    }
    const input = { ...inputs(), ...(override?.branch ? { branch: override.branch } : {}), ...(override?.allowSecrets?.length ? { allowSecrets: override.allowSecrets } : {}) };
    setBusy('preview');
    setError(null);
    setDone(null);
    try {
      await refreshUntouchedDocs(key);
      const p = await api.call('export:preview', input);
      try {
        localStorage.setItem(REPO_KEY, repo.trim());
      } catch {
        /* ignore */
      }
      setPreview(p);
      // Prefill from the plan (the server remembers the folders per repository).
      setBranch(p.branch);
      if (override?.branch) setBranchTouched(true);
      setPaths(p.paths);
      setPreviewKey(JSON.stringify({ ...input, allowSecrets: undefined }));
      setSelected((s) => (s && p.files.some((f) => f.path === s) ? s : (p.files.find((f) => p.secrets.some((h) => h.file === f.path && !h.allowed)) ?? p.files.find((f) => f.status === 'conflict') ?? p.files.find((f) => f.status !== 'unchanged') ?? p.files[0])?.path ?? null));
    } catch (e) {
      setPreview(null);
      setError(ApiError.from(e));
    } finally {
      setBusy(null);
    }
  }

  async function runExport() {
    if (!preview) return;
    setBusy('export');
    setError(null);
    try {
      const allowed = allowSecretsOf(preview, overrides).filter((a) => preview.secrets.some((h) => h.allowed && h.file === a.file && h.line === a.line && h.rule === a.rule));
      const rec = await api.call('export:run', { key, repo: repo.trim(), branch: preview.branch, paths: preview.paths, ...(allowed.length ? { allowSecrets: allowed } : {}) });
      setDone(rec);
      setPreview(null);
      setOverrides({});
      await loadHistory();
      toast({ message: `Committed ${short(rec.commit)} on ${rec.branch}`, tone: 'success' });
    } catch (e) {
      const err = ApiError.from(e);
      setError(err);
      // A refusal at run time (the repo changed since the preview): show the fresh plan.
      if (err.details?.refusals) void runPreview();
    } finally {
      setBusy(null);
    }
  }

  /** An interrupted export of this incident (refusal HALF_FINISHED): record it, or remove its branch and worktree. */
  async function recover(action: 'finish' | 'discard') {
    if (!preview) return;
    setBusy('export');
    setError(null);
    try {
      const r = await api.call('export:recover', { key, repo: repo.trim(), branch: preview.branch, action });
      if (r.action === 'finished') {
        setDone(r.record);
        setPreview(null);
        toast({ message: `Finished the interrupted export: ${short(r.record.commit)} on ${r.record.branch}`, tone: 'success' });
      } else {
        toast({ message: `Discarded the interrupted export (${r.removed.join(', ') || 'nothing left to remove'})`, tone: 'success' });
      }
      await loadHistory();
      if (r.action === 'discarded') await runPreview();
    } catch (e) {
      setError(ApiError.from(e));
    } finally {
      setBusy(null);
    }
  }

  async function choose() {
    if (!canPick) return;
    const dir = await desktop!.pickDirectory!();
    if (dir) {
      setRepo(dir);
      setPaths(null);
      setPathsTouched(false);
      setBranchTouched(false);
    }
  }

  const refusals = preview?.refusals ?? [];
  const canExport = !!preview && refusals.length === 0 && !stale && busy === null;
  const file = preview?.files.find((f) => f.path === selected) ?? null;
  const counts = preview ? (['new', 'modified', 'conflict', 'unchanged'] as const).map((s) => [s, preview.files.filter((f) => f.status === s).length] as const).filter(([, n]) => n > 0) : [];
  const repoError = fieldError(error, 'repo');
  const branchError = fieldError(error, 'branch');
  const general = error && !repoError && !branchError && !PATH_FIELDS.some(({ k }) => fieldError(error, `paths.${k}`)) ? error.message : undefined;

  return (
    <Dialog title={`Export ${key} to a git repository`} onClose={onClose} testid="export-dialog" wide initialFocus="[data-testid='export-repo']">
      <form
        className="pm-export-form"
        onSubmit={(e) => {
          e.preventDefault();
          void runPreview();
        }}
      >
        <div className="pm-export-grid">
          <Field
            label="Repository"
            className="pm-export-repo"
            error={repoError}
            hint={transport === 'web' ? 'The path of a local git repository on this machine (the folder with .git).' : 'A local git repository.'}
          >
            {({ id, describedBy, invalid }) => (
              <div className="pm-input-row">
                <input
                  id={id}
                  ref={repoRef}
                  type="text"
                  value={repo}
                  spellCheck={false}
                  placeholder="/home/you/src/ml-platform"
                  aria-invalid={invalid || undefined}
                  aria-describedby={describedBy}
                  onChange={(e) => {
                    setRepo(e.target.value);
                    // Another repository has its own remembered folders.
                    setPaths(null);
                    setPathsTouched(false);
                    setError(null);
                  }}
                  data-testid="export-repo"
                />
                {canPick && (
                  <button type="button" className="btn" onClick={() => void choose()} data-testid="export-choose">
                    Choose…
                  </button>
                )}
              </div>
            )}
          </Field>
          <Field label="Branch" error={branchError} hint={preview ? `From ${short(preview.head)} (HEAD)` : 'Filled in by the preview: postmortem/<KEY>-<title>'}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                type="text"
                value={branch}
                spellCheck={false}
                placeholder={`postmortem/${key}-…`}
                aria-invalid={invalid || undefined}
                aria-describedby={describedBy}
                onChange={(e) => {
                  setBranch(e.target.value);
                  setBranchTouched(true);
                }}
                data-testid="export-branch"
              />
            )}
          </Field>
          {PATH_FIELDS.map(({ k, label }) => (
            <Field key={k} label={label} error={fieldError(error, `paths.${k}`)}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  type="text"
                  value={paths?.[k] ?? ''}
                  spellCheck={false}
                  placeholder={k === 'runbooksDir' ? 'runbooks' : k === 'testsDir' ? 'tests/regression' : 'postmortems'}
                  aria-invalid={invalid || undefined}
                  aria-describedby={describedBy}
                  onChange={(e) => {
                    setPaths((p) => ({ ...(p ?? { runbooksDir: 'runbooks', testsDir: 'tests/regression', postmortemsDir: 'postmortems' }), [k]: e.target.value }));
                    setPathsTouched(true);
                  }}
                  data-testid={`export-${k}`}
                />
              )}
            </Field>
          ))}
        </div>
        <div className="form-actions">
          <span className="muted">
            {stale ? 'The fields changed since the preview: preview again.' : 'Nothing is written until you press Export: a new branch from HEAD, one commit, your own git config and hooks.'}
          </span>
          <button type="submit" className="btn" disabled={busy !== null} data-testid="export-preview">
            {busy === 'preview' ? 'Previewing…' : preview ? 'Preview again' : 'Preview'}
          </button>
          <button type="button" className="btn btn-primary" disabled={!canExport} onClick={() => void runExport()} data-testid="export-run" title={refusals.length ? 'Resolve the refusals first' : stale ? 'Preview again first' : undefined}>
            {busy === 'export' ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </form>

      {general && (
        <div className="banner banner-error pm-banner" role="alert" data-testid="export-error">
          {sentence(general)}
        </div>
      )}

      {done && (
        <div className="pm-export-done" role="status" data-testid="export-done">
          <strong>Exported.</strong> Commit <code data-testid="export-done-sha">{short(done.commit)}</code> on branch{' '}
          <code data-testid="export-done-branch">{done.branch}</code> in <code>{done.repo}</code> — {done.files.length} file{done.files.length === 1 ? '' : 's'}.
          <CopyButton text={`git -C ${JSON.stringify(done.repo)} switch ${done.branch}`} label="Copy git switch" what="git command" />
        </div>
      )}

      {preview && (
        <div className="pm-export-preview" data-testid="export-preview-result" data-refused={refusals.length > 0 || undefined}>
          {refusals.length > 0 && (
            <div className="pm-refusals" role="alert" data-testid="export-refusals">
              <strong>Export refused — nothing would be written:</strong>
              <ul>
                {refusals.map((r, i) => (
                  <li key={i} data-testid="export-refusal" data-code={r.code}>
                    <span className="badge pm-refusal-code">{r.code.replace(/_/g, ' ').toLowerCase()}</span>
                    <span className="pm-refusal-msg">{r.message}</span>
                    {r.code === 'BRANCH_EXISTS' && preview.suggestedBranch && (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => {
                          setBranch(preview.suggestedBranch!);
                          void runPreview({ branch: preview.suggestedBranch! });
                        }}
                        data-testid="export-use-suggested"
                      >
                        Use {preview.suggestedBranch}
                      </button>
                    )}
                    {r.code === 'SECRET_DETECTED' && (
                      <SecretHits preview={preview} overrides={overrides} onOverrides={setOverrides} onShow={setSelected} onApply={() => void runPreview({ allowSecrets })} busy={busy !== null} />
                    )}
                    {r.code === 'HALF_FINISHED' && (
                      <span className="pm-recover">
                        <button type="button" className="btn btn-small btn-primary" disabled={busy !== null} onClick={() => void recover('finish')} data-testid="export-finish">
                          Finish it
                        </button>
                        <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void recover('discard')} data-testid="export-discard">
                          Discard it
                        </button>
                      </span>
                    )}
                    {r.path && r.code === 'CONFLICT' && preview.files.some((f) => f.path === r.path) && (
                      <button type="button" className="btn-text" onClick={() => setSelected(r.path!)}>
                        Show the three versions
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {!refusals.some((r) => r.code === 'SECRET_DETECTED') && preview.secrets.length > 0 && (
            <div className="pm-secret-overridden" role="note" data-testid="export-secrets-allowed">
              <strong>Secret scan overridden</strong> for {preview.secrets.length} known fixture{preview.secrets.length === 1 ? '' : 's'}; Export records this on the timeline.
              <SecretHits preview={preview} overrides={overrides} onOverrides={setOverrides} onShow={setSelected} onApply={() => void runPreview({ allowSecrets })} busy={busy !== null} />
            </div>
          )}
          <div className="pm-export-summary muted small">
            Branch <code>{preview.branch}</code> from <code>{short(preview.head || '—')}</code> in <code>{preview.repo}</code> · {preview.files.length} file
            {preview.files.length === 1 ? '' : 's'}: {counts.map(([s, n]) => `${n} ${STATUS_LABELS[s].toLowerCase()}`).join(', ')}
          </div>
          <div className="pm-export-files-layout">
            <ul className="pm-export-files" aria-label="Files to write" data-testid="export-files">
              {preview.files.map((f) => (
                <li key={f.path}>
                  <button
                    type="button"
                    className={`pm-file-btn ${selected === f.path ? 'on' : ''}`}
                    aria-current={selected === f.path ? 'true' : undefined}
                    onClick={() => setSelected(f.path)}
                    data-testid="export-file"
                    data-path={f.path}
                    data-status={f.status}
                  >
                    <span className={`badge pm-st pm-st-${f.status}`}>{STATUS_LABELS[f.status]}</span>
                    <span className="pm-file-name" title={f.path}>
                      {f.path}
                    </span>
                    <span className="pm-file-dir muted">{KIND_LABELS[f.kind]}</span>
                  </button>
                </li>
              ))}
            </ul>
            <div className="pm-export-diff">{file && <FileDiff key={`${file.path}:${preview.head}:${file.status}`} f={file} dark={dark} />}</div>
          </div>
        </div>
      )}

      <section className="pm-export-history" aria-labelledby="pm-export-history-title" data-testid="export-history">
        <h3 id="pm-export-history-title" className="pm-subtitle">
          Earlier exports of {key}
        </h3>
        {history === null ? (
          <p className="muted small">Loading…</p>
        ) : history.length === 0 ? (
          <p className="muted small">None yet.</p>
        ) : (
          <table className="pm-table pm-history-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Branch</th>
                <th scope="col">Commit</th>
                <th scope="col">Repository</th>
                <th scope="col">Files</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id} data-testid="export-history-row">
                  <td title={full(h.createdAt)}>{clock(h.createdAt)}</td>
                  <td>
                    <code>{h.branch}</code>
                  </td>
                  <td>
                    <code title={h.commit}>{short(h.commit)}</code>
                  </td>
                  <td className="pm-history-repo" title={h.repo}>
                    {h.repo}
                  </td>
                  <td title={h.files.map((f) => f.path).join('\n')}>{h.files.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Dialog>
  );
}

function FileDiff({ f, dark }: { f: ExportFilePlan; dark: boolean }) {
  const lang = languageOf(f.path);
  const lines = Math.max(...[f.content, f.existing ?? '', f.lastExported ?? ''].map((t) => t.split('\n').length));
  const h = `${Math.min(420, Math.max(160, lines * 19 + 24))}px`;
  if (f.status === 'conflict') {
    const base = f.lastExported;
    return (
      <div className="pm-three" data-testid="export-three-way">
        <p className="small">
          <strong>{f.path}</strong> was changed in the repository{base !== null ? ' since our last export of it' : ' and was not written by an export'}. Nothing is
          overwritten; compare the versions, then bring the change into the workbench (or move the file) and preview again.
        </p>
        {base !== null && (
          <div className="pm-diff-block">
            <div className="pm-diff-labels">
              <span>Last exported</span>
              <span>In the repository now</span>
            </div>
            <MonacoDiff original={base} modified={f.existing ?? ''} language={lang} sideBySide dark={dark} originalLabel="Last exported" modifiedLabel="In the repository now" height={h} />
          </div>
        )}
        <div className="pm-diff-block">
          <div className="pm-diff-labels">
            <span>In the repository now</span>
            <span>New (what the export would write)</span>
          </div>
          <MonacoDiff original={f.existing ?? ''} modified={f.content} language={lang} sideBySide dark={dark} originalLabel="In the repository now" modifiedLabel="New" height={h} />
        </div>
      </div>
    );
  }
  const before = f.existing ?? f.lastExported;
  if (before === null) {
    return (
      <div className="pm-diff-block" data-testid="export-new-file">
        <div className="pm-diff-labels">
          <span>
            New file <code>{f.path}</code>
          </span>
        </div>
        <MonacoEditor value={f.content} language={lang} dark={dark} readOnly ariaLabel={`${f.path} (new, read-only)`} height={h} />
      </div>
    );
  }
  return (
    <div className="pm-diff-block" data-testid="export-file-diff">
      <div className="pm-diff-labels">
        <span>{f.existing !== null ? 'In the repository now' : 'Last exported'}</span>
        <span>{f.status === 'unchanged' ? 'New (identical)' : 'New'}</span>
      </div>
      <MonacoDiff original={before} modified={f.content} language={lang} sideBySide dark={dark} originalLabel={f.existing !== null ? 'In the repository now' : 'Last exported'} modifiedLabel="New" height={h} />
    </div>
  );
}
