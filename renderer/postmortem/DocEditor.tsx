// The postmortem (or runbook) editor: Monaco (markdown) on the left, a live preview on the right.
// Saved as the user types (600 ms after the last key, and at once on blur, Ctrl/Cmd+S, switching
// documents, leaving the page or closing the window). Regenerate keeps the user's edited sections; where
// the generator would now write a section differently, both versions are shown side by side to accept
// or keep. Export to Markdown (a download) and to PDF (Electron's printToPDF, else the browser's print
// with a stylesheet that prints only the rendered document).
import { useCallback, useDeferredValue, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { ApiError } from '../../shared/api/errors';
import type { DocConflict, DocKind, DocState } from '../../shared/exporting';
import { transport } from '../api/client';
import { api } from '../data/api';
import { Kbd } from '../components/ui';
import { MOD, modKey } from '../lib/keys';
import { useToast } from '../lib/toast';
import { ago } from '../lib/time';
import { useNow } from '../lib/clock';
import { useDarkMode } from '../artifacts/useDarkMode';
import { MonacoDiff } from '../artifacts/MonacoDiff';
import type { IncidentCtx } from '../incident/ctx';
import { Markdown } from './markdown';
import { MonacoEditor, type MonacoEditorHandle } from './MonacoEditor';
import { downloadText } from './download';
import { freshDoc } from './docs';
import { RunbookCells } from './RunbookCells';

const SAVE_DELAY = 600;
const DOC_LABELS: Record<DocKind, string> = { postmortem: 'Postmortem', runbook: 'Runbook' };
const KIND_KEY = 'pmw.pm.docKind';

type SaveStatus = 'loading' | 'saved' | 'dirty' | 'saving' | 'error';

interface DesktopPrint {
  printToPdf?: (suggestedName: string) => Promise<string | null>;
}

export function DocEditor({ ctx, actionsChanged, onRegenerated }: { ctx: IncidentCtx; actionsChanged: boolean; onRegenerated: () => void }) {
  const { inc, readOnly } = ctx;
  const key = inc.key;
  const toast = useToast();
  const dark = useDarkMode();
  const [kind, setKindState] = useState<DocKind>(() => {
    try {
      return sessionStorage.getItem(KIND_KEY) === 'runbook' ? 'runbook' : 'postmortem';
    } catch {
      return 'postmortem';
    }
  });
  const [doc, setDoc] = useState<DocState | null>(null);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<SaveStatus>('loading');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<DocConflict[]>([]);
  const [regenerating, setRegenerating] = useState(false);
  const [printing, setPrinting] = useState(false);
  /** Bumped when the text changes outside the editor (regenerate, accepted section). */
  const [revision, setRevision] = useState(0);
  const preview = useDeferredValue(text);
  const editorRef = useRef<MonacoEditorHandle>(null);

  // The autosave queue: the newest unsent text (per document), the request in flight.
  const pending = useRef<{ kind: DocKind; text: string } | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const statusRef = useRef<SaveStatus>('loading');
  const mounted = useRef(true);
  const setSt = (s: SaveStatus) => {
    statusRef.current = s;
    if (mounted.current) setStatus(s);
  };

  const flush = useCallback((): Promise<void> => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    if (!pending.current) return inFlight.current ?? Promise.resolve();
    const run = async () => {
      if (inFlight.current) await inFlight.current.catch(() => undefined);
      const job = pending.current;
      if (!job) return;
      pending.current = null;
      setSt('saving');
      try {
        const saved = await api.call('doc:save', { key, kind: job.kind, content: job.text });
        if (mounted.current) {
          setDoc((d) => (d && d.kind === saved.kind ? { ...saved } : d));
          setSaveError(null);
        }
        if (!pending.current) setSt('saved');
      } catch (e) {
        // Keep the text queued (unless newer text replaced it) so the next attempt sends it.
        pending.current ??= job;
        if (mounted.current) setSaveError(ApiError.from(e).message);
        setSt('error');
      }
    };
    const p = run().finally(() => {
      if (inFlight.current === p) inFlight.current = null;
    });
    inFlight.current = p;
    return p;
  }, [key]);

  const onEdit = useCallback(
    (t: string) => {
      setText(t);
      pending.current = { kind, text: t };
      setSt('dirty');
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), SAVE_DELAY);
    },
    [kind, flush],
  );

  // Load the document of the chosen kind (saving the other first).
  useEffect(() => {
    let cancelled = false;
    setSt('loading');
    setLoadError(null);
    setConflicts([]);
    (async () => {
      await flush();
      try {
        const d = await freshDoc(key, kind);
        if (cancelled) return;
        setDoc(d);
        setText(d.content);
        setSt('saved');
      } catch (e) {
        if (!cancelled) setLoadError(ApiError.from(e).message);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [key, kind, flush]);

  // Never lose work: save on unmount, when the page is hidden or about to unload.
  useEffect(() => {
    mounted.current = true;
    const onHide = () => {
      if (document.visibilityState === 'hidden') void flush();
    };
    const onUnload = (e: BeforeUnloadEvent) => {
      const unsaved = !!pending.current || statusRef.current === 'error';
      void flush();
      // In the browser, warn only when a save already failed (the request just sent usually lands).
      if (unsaved && statusRef.current === 'error' && transport === 'web') {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('beforeunload', onUnload);
    window.addEventListener('pagehide', flush);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('beforeunload', onUnload);
      window.removeEventListener('pagehide', flush);
      mounted.current = false;
      void flush();
    };
  }, [flush]);

  function setKind(k: DocKind) {
    if (k === kind) return;
    void flush();
    setKindState(k);
    try {
      sessionStorage.setItem(KIND_KEY, k);
    } catch {
      /* ignore */
    }
  }

  async function regenerate() {
    setRegenerating(true);
    try {
      await flush();
      const r = await api.call('doc:regenerate', { key, kind });
      setDoc(r);
      setText(r.content);
      setRevision((n) => n + 1);
      setConflicts(r.conflicts);
      setSt('saved');
      onRegenerated();
      toast({
        message: r.conflicts.length
          ? `Regenerated. ${r.conflicts.length} section${r.conflicts.length === 1 ? '' : 's'} you edited would now read differently: your text is kept until you choose.`
          : r.edited
            ? 'Regenerated: untouched sections updated, your edits kept.'
            : 'Regenerated from the incident.',
        tone: 'success',
      });
    } catch (e) {
      toast({ message: `Could not regenerate: ${ApiError.from(e).message}`, tone: 'error' });
    } finally {
      setRegenerating(false);
    }
  }

  async function acceptSection(c: DocConflict) {
    try {
      await flush();
      const r = await api.call('doc:acceptSection', { key, kind, section: c.section });
      setDoc(r);
      setText(r.content);
      setRevision((n) => n + 1);
      setSt('saved');
      setConflicts((cs) => cs.filter((x) => x.section !== c.section));
      toast({ message: `“${c.section}” now has the generated text (${MOD}+Z in the editor undoes it).`, tone: 'success' });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    }
  }

  const fileBase = `${key}-${kind}`;

  function exportMarkdown() {
    void flush();
    downloadText(`${fileBase}.md`, text, 'text/markdown;charset=utf-8');
  }

  // PDF: render the preview into a print-only root, then print it.
  useEffect(() => {
    if (!printing) return;
    const root = document.documentElement;
    root.classList.add('pm-printing');
    const done = () => {
      root.classList.remove('pm-printing');
      setPrinting(false);
    };
    const desktop = window.pmw as unknown as DesktopPrint | undefined;
    const t = setTimeout(async () => {
      if (typeof desktop?.printToPdf === 'function') {
        try {
          const path = await desktop.printToPdf(`${fileBase}.pdf`);
          if (path) toast({ message: `Saved ${path}`, tone: 'success' });
        } catch (e) {
          toast({ message: `Could not print to PDF: ${ApiError.from(e).message}`, tone: 'error' });
        } finally {
          done();
        }
      } else {
        window.addEventListener('afterprint', done, { once: true });
        window.print();
        // Some browsers return from print() before afterprint; make sure the page comes back.
        setTimeout(done, 1000);
      }
    }, 50);
    return () => clearTimeout(t);
  }, [printing, fileBase, toast]);

  return (
    <div
      className="pm-doc"
      data-testid="doc-editor"
      data-kind={kind}
      onKeyDown={(e) => {
        if (modKey(e) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') {
          e.preventDefault();
          void flush();
        }
      }}
    >
      <div className="pm-toolbar pm-doc-toolbar">
        <div className="seg" role="radiogroup" aria-label="Document">
          {(['postmortem', 'runbook'] as const).map((k) => (
            <button key={k} type="button" role="radio" aria-checked={kind === k} className={`seg-btn ${kind === k ? 'on' : ''}`} onClick={() => setKind(k)} data-testid={`doc-kind-${k}`}>
              {DOC_LABELS[k]}
            </button>
          ))}
        </div>
        <SaveIndicator status={status} updatedAt={doc?.updatedAt ?? null} error={saveError} />
        {doc?.edited && status !== 'loading' && <span className="muted small">edited since generated</span>}
        <span className="spacer" />
        {!readOnly && (
          <button type="button" className="btn btn-small" onClick={() => void regenerate()} disabled={regenerating || status === 'loading'} data-testid="doc-regenerate" title="Rebuild from the incident, findings and action items; your edited sections are kept">
            {regenerating ? 'Regenerating…' : 'Regenerate'}
          </button>
        )}
        <button type="button" className="btn btn-small" onClick={exportMarkdown} disabled={status === 'loading'} data-testid="doc-export-md">
          Export Markdown
        </button>
        <button type="button" className="btn btn-small" onClick={() => setPrinting(true)} disabled={status === 'loading' || printing} data-testid="doc-export-pdf">
          Export PDF
        </button>
      </div>

      {status === 'error' && saveError && (
        <div className="banner banner-error pm-banner" role="alert" data-testid="doc-save-error">
          <span>Your text is not saved yet: {saveError}</span>
          <button type="button" className="btn btn-small" onClick={() => void flush()}>
            Retry
          </button>
        </div>
      )}
      {actionsChanged && kind === 'postmortem' && !readOnly && (
        <div className="banner pm-banner pm-hint" data-testid="doc-actions-hint">
          <span>The action items changed: regenerate to update the document’s action-item table (your edited sections stay).</span>
          <button type="button" className="btn btn-small" onClick={() => void regenerate()} disabled={regenerating}>
            Regenerate
          </button>
        </div>
      )}

      {conflicts.length > 0 && (
        <div className="pm-conflicts" data-testid="doc-conflicts" role="region" aria-label="Sections that would change">
          <p className="pm-conflicts-lead">
            <strong>
              {conflicts.length} section{conflicts.length === 1 ? '' : 's'} you edited
            </strong>{' '}
            would read differently now. Your text stays in the document unless you accept the generated version.
          </p>
          {conflicts.map((c) => (
            <div key={c.section} className="pm-conflict" data-testid="doc-conflict" data-section={c.section}>
              <div className="pm-conflict-head">
                <strong>{c.section}</strong>
                <span className="spacer" />
                <button type="button" className="btn btn-small" onClick={() => setConflicts((cs) => cs.filter((x) => x.section !== c.section))} data-testid="conflict-keep">
                  Keep mine
                </button>
                <button type="button" className="btn btn-small btn-primary" onClick={() => void acceptSection(c)} data-testid="conflict-accept">
                  Accept generated
                </button>
              </div>
              <div className="pm-conflict-labels" aria-hidden="true">
                <span>Yours (in the document)</span>
                <span>Generated now</span>
              </div>
              <MonacoDiff
                key={`${c.section}:${c.user.length}:${c.generated.length}`}
                original={c.user}
                modified={c.generated}
                language="markdown"
                sideBySide
                dark={dark}
                originalLabel={`${c.section}: your text`}
                modifiedLabel={`${c.section}: generated text`}
                height={`${Math.min(320, Math.max(120, Math.max(c.user.split('\n').length, c.generated.split('\n').length) * 19 + 24))}px`}
              />
            </div>
          ))}
        </div>
      )}

      {kind === 'runbook' && doc?.kind === 'runbook' && status !== 'loading' && (
        <RunbookCells
          incidentKey={key}
          text={text}
          readOnly={readOnly}
          beforeRun={flush}
          afterRun={async () => {
            const d = await api.call('doc:get', { key, kind: 'runbook' });
            setDoc(d);
            setText(d.content);
            setRevision((n) => n + 1);
          }}
        />
      )}

      {loadError ? (
        <div className="banner banner-error" role="alert">
          Could not open the {kind}: {loadError}
        </div>
      ) : (
        <div className="pm-split">
          <div className="pm-split-pane">
            <div className="pm-pane-label">
              Markdown {!readOnly && <span className="muted">· saved as you type · <Kbd>{MOD}+S</Kbd> saves now</span>}
            </div>
            {status === 'loading' || !doc || doc.kind !== kind ? (
              <div className="monaco-wrap pm-editor">
                <div className="monaco-loading muted">Loading the {kind}…</div>
              </div>
            ) : (
              <MonacoEditor
                key={`${key}:${doc.kind}`}
                ref={editorRef}
                value={text}
                revision={revision}
                language="markdown"
                dark={dark}
                readOnly={readOnly}
                onChange={onEdit}
                onBlur={() => void flush()}
                ariaLabel={`${DOC_LABELS[kind]} (Markdown)`}
                testid="doc-monaco"
              />
            )}
          </div>
          <div className="pm-split-pane">
            <div className="pm-pane-label">Preview</div>
            <div className="pm-preview" tabIndex={0} aria-label={`${DOC_LABELS[kind]} preview`} data-testid="doc-preview">
              <Markdown source={preview} />
            </div>
          </div>
        </div>
      )}
      {printing &&
        createPortal(
          <div className="pm-print-root" data-testid="print-root">
            <Markdown source={text} className="pm-print-doc" />
          </div>,
          document.body,
        )}
    </div>
  );
}

/** "Saved 12 s ago" / "Saving…" / "Not saved": re-rendered by the clock on its own, not the editor. */
function SaveIndicator({ status, updatedAt, error }: { status: SaveStatus; updatedAt: string | null; error: string | null }) {
  const now = useNow();
  const label =
    status === 'loading'
      ? 'Loading…'
      : status === 'saving'
        ? 'Saving…'
        : status === 'dirty'
          ? 'Unsaved changes…'
          : status === 'error'
            ? 'Not saved'
            : updatedAt
              ? `Saved · ${ago(updatedAt, now)}`
              : 'Saved';
  return (
    <span className={`pm-save-state pm-save-${status}`} role="status" aria-live="polite" data-testid="doc-save-state" data-status={status} title={error ?? undefined}>
      {label}
    </span>
  );
}
