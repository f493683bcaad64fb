// Generate: every file an export would write — the pytest regression modules (one per finding with a
// generator), the runbook and the postmortem — grouped, each viewable read-only in Monaco, copyable.
import { useMemo, useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import type { StubFile, StubKind } from '../../shared/exporting';
import { api } from '../data/api';
import { CopyButton } from '../components/ui';
import { useDarkMode } from '../artifacts/useDarkMode';
import type { IncidentCtx } from '../incident/ctx';
import { MonacoEditor } from './MonacoEditor';
import { baseName, downloadText } from './download';
import { refreshUntouchedDocs } from './docs';

export type GenerateState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'done'; files: StubFile[]; at: number }
  | { state: 'error'; message: string; findingId: number | null };

const GROUPS: { kind: StubKind; title: string; empty: string }[] = [
  { kind: 'test', title: 'Regression tests (pytest)', empty: 'No test: no finding has a test generator yet (or all are rejected).' },
  { kind: 'runbook', title: 'Runbook', empty: '' },
  { kind: 'postmortem', title: 'Postmortem', empty: '' },
];

export function languageOf(path: string): string {
  return path.endsWith('.py') ? 'python' : path.endsWith('.md') ? 'markdown' : 'plaintext';
}

/** The command the module's docstring gives under "Run:" (the variables it needs, set). */
export function runLineOf(content: string): string | null {
  const lines = content.split('\n');
  const i = lines.findIndex((l) => l.trim() === 'Run:');
  const run = i >= 0 ? lines.slice(i + 1, i + 4).find((l) => /pytest/.test(l)) : undefined;
  return run ? run.trim() : null;
}

/** Environment variables a generated pytest module reads: those its Run line sets. */
export function envVarsOf(content: string): string[] {
  const run = runLineOf(content);
  return [...new Set(run?.match(/\bPMW_[A-Z_]+(?==)/g) ?? [])];
}

export function GeneratePanel({
  ctx,
  gen,
  setGen,
  onFixFinding,
}: {
  ctx: IncidentCtx;
  gen: GenerateState;
  setGen: (g: GenerateState) => void;
  onFixFinding: (id: number) => void;
}) {
  const key = ctx.inc.key;
  const dark = useDarkMode();
  const [selected, setSelected] = useState<string | null>(null);

  async function generate() {
    setGen({ state: 'loading' });
    try {
      await refreshUntouchedDocs(key);
      const files = await api.call('stubs:generate', { key });
      setGen({ state: 'done', files, at: Date.now() });
      setSelected((s) => (s && files.some((f) => f.path === s) ? s : (files.find((f) => f.kind === 'test') ?? files[0])?.path ?? null));
    } catch (e) {
      const err = ApiError.from(e);
      const fid = err.details?.findingId;
      setGen({ state: 'error', message: err.message, findingId: typeof fid === 'number' ? fid : null });
    }
  }

  const files = gen.state === 'done' ? gen.files : [];
  const current = files.find((f) => f.path === selected) ?? null;
  const vars = useMemo(() => (current?.kind === 'test' ? envVarsOf(current.content) : []), [current]);

  return (
    <div className="pm-generate" data-testid="generate-panel" data-state={gen.state}>
      <div className="pm-toolbar">
        <p className="muted small pm-toolbar-text">
          From the findings (those not rejected): a pytest module per finding with a test generator, the runbook and the postmortem — exactly
          what <em>Export to repo</em> writes.
        </p>
        <button type="button" className="btn btn-primary btn-small" onClick={() => void generate()} disabled={gen.state === 'loading'} data-testid="generate-button">
          {gen.state === 'loading' ? 'Generating…' : gen.state === 'done' ? 'Generate again' : 'Generate'}
        </button>
      </div>

      {gen.state === 'error' && (
        <div className="banner banner-error pm-banner" role="alert" data-testid="generate-error">
          <div>{gen.message}</div>
          {gen.findingId !== null && (
            <button type="button" className="btn btn-small" onClick={() => onFixFinding(gen.findingId!)} data-testid="generate-fix-finding">
              Fix finding #{gen.findingId}’s parameters
            </button>
          )}
        </div>
      )}

      {gen.state === 'idle' && (
        <div className="empty-small pm-empty" data-testid="generate-empty">
          <p>
            Press <strong>Generate</strong> to see the regression tests that pin the last-known-good data, the runbook (front matter, triage in
            pipeline order, runnable <code>sh</code> blocks) and the postmortem draft.
          </p>
        </div>
      )}

      {gen.state === 'done' && (
        <div className="pm-gen-layout">
          <nav className="pm-file-nav" aria-label="Generated files">
            {GROUPS.map((g) => {
              const list = files.filter((f) => f.kind === g.kind);
              return (
                <div key={g.kind} className="pm-file-group" data-testid={`gen-group-${g.kind}`}>
                  <h3 className="pm-file-group-title">
                    {g.title} <span className="card-count">{list.length}</span>
                  </h3>
                  {list.length === 0 ? (
                    <p className="muted small">{g.empty}</p>
                  ) : (
                    <ul>
                      {list.map((f) => (
                        <li key={f.path}>
                          <button
                            type="button"
                            className={`pm-file-btn ${selected === f.path ? 'on' : ''}`}
                            aria-current={selected === f.path ? 'true' : undefined}
                            onClick={() => setSelected(f.path)}
                            title={f.path}
                            data-testid="gen-file"
                            data-path={f.path}
                          >
                            <span className="pm-file-name">{baseName(f.path)}</span>
                            <span className="pm-file-dir muted">{f.path.slice(0, f.path.length - baseName(f.path).length)}</span>
                            <span className="pm-file-lines muted">{f.content.split('\n').length} lines</span>
                          </button>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              );
            })}
          </nav>
          <div className="pm-file-view">
            {current ? (
              <>
                <div className="pm-file-head">
                  <code className="pm-file-path" data-testid="gen-current-path">
                    {current.path}
                  </code>
                  {vars.length > 0 && (
                    <span className="pm-env" data-testid="gen-env-vars">
                      reads {vars.map((v) => <code key={v}>{v}</code>)}
                    </span>
                  )}
                  <span className="spacer" />
                  <CopyButton text={current.content} what={baseName(current.path)} testid="gen-copy" />
                  <button type="button" className="btn btn-small" onClick={() => downloadText(baseName(current.path), current.content)}>
                    Download
                  </button>
                </div>
                {current.kind === 'test' && (
                  <p className="muted small pm-run-hint" data-testid="gen-run">
                    Run: <code>{runLineOf(current.content) ?? `python3 -m pytest -q -ra ${current.path}`}</code> — an unset variable skips its tests
                    and says which.
                  </p>
                )}
                <MonacoEditor
                  key={current.path}
                  value={current.content}
                  language={languageOf(current.path)}
                  dark={dark}
                  readOnly
                  ariaLabel={`${current.path} (read-only)`}
                  testid="gen-editor"
                  height="min(62vh, 620px)"
                />
              </>
            ) : (
              <p className="muted">Choose a file.</p>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
