// One diff: the semantic summary on top (severity filter, problems, "no semantic change"), each change
// one click from the timeline or a finding draft and from its place in the text; Monaco's diff editor
// below. A diff that runs over 300 ms shows its stage and elapsed time and can be cancelled.
import { lazy, Suspense, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { JobProgress } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { ARTIFACT_ROLE_LABELS, MAX_DISPLAY_BYTES, type Artifact, type ArtifactContent, type DiffView as DiffResultView } from '../../shared/artifacts';
import type { ArtifactKind, Change, ChangeSeverity } from '../../shared/diff/types';
import type { FailureClass } from '../../shared/domain';
import { api } from '../data/api';
import { useToast } from '../lib/toast';
import { reveal } from '../lib/reveal';
import { useFindings, useIncidentQuery } from '../data/hooks';
import { changeSourceKey, quietReason, shownSeverity } from './quiet';

const DatasetTable = lazy(() => import('./DatasetTable'));
import { monacoLanguage } from '../monaco/loader';
import { MonacoDiff, type MonacoDiffHandle } from './MonacoDiff';
import { SecretsControl } from './SecretsControl';
import {
  KIND_LABELS, SEVERITY_ICONS, SEVERITY_LABELS, SEVERITY_ORDER, failureClassLabel, formatBytes, randomJobId, shortSha, sortChanges, timelineBody,
} from './format';
import { useDarkMode } from './useDarkMode';

type RunState =
  | { s: 'running'; jobId: string; startedAt: number; slow: boolean; progress: JobProgress | null }
  | { s: 'done'; view: DiffResultView }
  | { s: 'error'; error: ApiError }
  | { s: 'cancelled'; elapsedMs: number };

const LAYOUT_KEY = 'pmw.diff.layout';

export interface DiffRequest {
  beforeId: number;
  afterId: number;
  kind?: ArtifactKind;
}

export function DiffPanel({
  incidentKey,
  req,
  artifacts,
  onClose,
  onTimelineAdded,
  scrollRef,
  readOnly = false,
}: {
  incidentKey: string;
  req: DiffRequest;
  artifacts: Artifact[];
  onClose: () => void;
  onTimelineAdded: () => Promise<void> | void;
  /** The scroll container the change list virtualises against (the work pane). */
  scrollRef?: React.RefObject<HTMLElement | null>;
  readOnly?: boolean;
}) {
  const [run, setRun] = useState(0);
  const [state, setState] = useState<RunState>({ s: 'running', jobId: '', startedAt: performance.now(), slow: false, progress: null });
  const [contents, setContents] = useState<{ before: ArtifactContent; after: ArtifactContent } | { error: string } | null>(null);
  const cancelled = useRef(false);
  const [now, setNow] = useState(() => performance.now());

  const before = artifacts.find((a) => a.id === req.beforeId);
  const after = artifacts.find((a) => a.id === req.afterId);

  useEffect(() => {
    let alive = true;
    let settled = false;
    cancelled.current = false;
    const jobId = randomJobId();
    const startedAt = performance.now();
    setState({ s: 'running', jobId, startedAt, slow: false, progress: null });
    let poll: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const p = await api.call('job:progress', { jobId });
        if (alive && !settled) setState((st) => (st.s === 'running' && st.jobId === jobId ? { ...st, progress: p } : st));
      } catch {
        /* progress is best effort */
      }
      if (alive && !settled) poll = setTimeout(tick, 250);
    };
    // The elapsed time ticks on its own: the host may be slow to answer while it loads big inputs.
    let clock: ReturnType<typeof setInterval> | undefined;
    const slowTimer = setTimeout(() => {
      if (!alive || settled) return;
      setState((st) => (st.s === 'running' && st.jobId === jobId ? { ...st, slow: true } : st));
      setNow(performance.now());
      clock = setInterval(() => setNow(performance.now()), 100);
      void tick();
    }, 300);

    api
      .call('artifact:diff', { key: incidentKey, beforeId: req.beforeId, afterId: req.afterId, jobId, ...(req.kind ? { kind: req.kind } : {}) })
      .then(
        (view) => {
          if (alive && !cancelled.current) setState({ s: 'done', view });
        },
        (e) => {
          if (!alive || cancelled.current) return;
          const err = ApiError.from(e);
          setState(err.code === 'CANCELLED' ? { s: 'cancelled', elapsedMs: performance.now() - startedAt } : { s: 'error', error: err });
        },
      )
      .finally(() => {
        settled = true;
        clearTimeout(slowTimer);
        clearTimeout(poll);
        clearInterval(clock);
      });

    setContents(null);
    Promise.all([api.call('artifact:content', { key: incidentKey, id: req.beforeId }), api.call('artifact:content', { key: incidentKey, id: req.afterId })]).then(
      ([b, a]) => alive && setContents({ before: b, after: a }),
      (e) => alive && setContents({ error: ApiError.from(e).message }),
    );

    return () => {
      alive = false;
      clearTimeout(slowTimer);
      clearTimeout(poll);
      clearInterval(clock);
      // Leaving while the engine still runs: free the worker.
      if (!settled) void api.call('job:cancel', { jobId }).catch(() => undefined);
    };
  }, [incidentKey, req.beforeId, req.afterId, req.kind, run]);

  async function cancel() {
    if (state.s !== 'running') return;
    cancelled.current = true;
    const elapsedMs = performance.now() - state.startedAt;
    setState({ s: 'cancelled', elapsedMs });
    try {
      await api.call('job:cancel', { jobId: state.jobId });
    } catch {
      /* the job may have just finished; the result is dropped either way */
    }
  }

  const title = before && after ? (
    <>
      <span className="mono">{before.name}</span>
      <span className="diff-arrow" aria-label="to">
        →
      </span>
      <span className="mono">{after.name}</span>
    </>
  ) : (
    'Diff'
  );

  return (
    <section className="diff-view" aria-labelledby="diff-title" data-testid="diff-view" data-state={state.s} data-job-id={state.s === 'running' ? state.jobId : undefined}>
      <header className="diff-head">
        <div className="diff-head-main">
          <h3 id="diff-title" className="diff-title" data-testid="diff-title">
            {title}
          </h3>
          {before && after && (
            <div className="diff-sides muted small">
              {ARTIFACT_ROLE_LABELS[before.role]} · {KIND_LABELS[before.kind]} · {formatBytes(before.size)}
              <span aria-hidden="true"> → </span>
              <span className="visually-hidden"> to </span>
              {ARTIFACT_ROLE_LABELS[after.role]} · {KIND_LABELS[after.kind]} · {formatBytes(after.size)}
            </div>
          )}
        </div>
        <button type="button" className="btn btn-small" onClick={onClose} data-testid="diff-close">
          Close diff
        </button>
      </header>

      {state.s === 'running' && (
        <div className="diff-running" data-testid="diff-running" aria-live="polite">
          {state.slow ? (
            <div className="diff-progress" data-testid="diff-progress">
              <span className="spinner" aria-hidden="true" />
              <div className="diff-progress-text">
                <strong>Diffing…</strong> <span>{state.progress?.stage || 'starting'}</span>
                <span className="mono muted" data-testid="diff-elapsed"> · {(Math.max(0, now - state.startedAt) / 1000).toFixed(1)} s</span>
                {state.progress?.fraction != null && (
                  <span className="progress-bar" aria-hidden="true">
                    <span style={{ width: `${Math.round(state.progress.fraction * 100)}%` }} />
                  </span>
                )}
              </div>
              <button type="button" className="btn btn-small" onClick={() => void cancel()} data-testid="diff-cancel">
                Cancel
              </button>
            </div>
          ) : (
            <span className="muted">Diffing…</span>
          )}
        </div>
      )}
      {state.s === 'cancelled' && (
        <div className="diff-note" data-testid="diff-cancelled" role="status">
          <strong>Cancelled</strong> after {(state.elapsedMs / 1000).toFixed(1)} s. Nothing was lost.
          <button type="button" className="btn btn-small" onClick={() => setRun((r) => r + 1)}>
            Run again
          </button>
        </div>
      )}
      {state.s === 'error' && (
        <div className="diff-note diff-error" role="alert" data-testid="diff-error">
          <strong>The diff failed:</strong> {state.error.message}
          <button type="button" className="btn btn-small" onClick={() => setRun((r) => r + 1)}>
            Try again
          </button>
        </div>
      )}
      {state.s === 'done' && (
        <Summary
          view={state.view}
          incidentKey={incidentKey}
          contents={contents && 'before' in contents ? contents : null}
          onContents={setContents}
          onTimelineAdded={onTimelineAdded}
          scrollRef={scrollRef}
          readOnly={readOnly}
        />
      )}
    </section>
  );
}

function Summary({
  view,
  incidentKey,
  contents,
  onContents,
  onTimelineAdded,
  scrollRef,
  readOnly,
}: {
  view: DiffResultView;
  incidentKey: string;
  contents: { before: ArtifactContent; after: ArtifactContent } | null;
  onContents: (c: { before: ArtifactContent; after: ArtifactContent }) => void;
  onTimelineAdded: () => Promise<void> | void;
  scrollRef?: React.RefObject<HTMLElement | null>;
  readOnly: boolean;
}) {
  const toast = useToast();
  const dark = useDarkMode();
  const editor = useRef<MonacoDiffHandle>(null);
  const editorBox = useRef<HTMLDivElement>(null);
  // What is shown: calendar-version bumps and ID-like columns as info (quiet.ts); the stored change is untouched.
  const sorted = useMemo(() => sortChanges(view.changes.map((c) => ({ ...c, severity: shownSeverity(c) }))).map((c) => ({ c, quiet: quietReason(c), original: view.changes.find((o) => o.message === c.message && o.subject === c.subject && o.kind === c.kind) ?? c })), [view.changes]);
  const counts = useMemo(() => {
    const c: Record<ChangeSeverity, number> = { critical: 0, warning: 0, info: 0 };
    for (const x of sorted) c[x.c.severity]++;
    return c;
  }, [sorted]);
  const [shown, setShown] = useState<Record<ChangeSeverity, boolean>>({ critical: true, warning: true, info: true });
  const [active, setActive] = useState<number | null>(null);
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const isDataset = view.kind === 'csv' || view.kind === 'parquet';
  const [rawText, setRawText] = useState(false);
  const [sideBySide, setSideBySide] = useState(() => {
    try {
      return localStorage.getItem(LAYOUT_KEY) !== 'inline';
    } catch {
      return true;
    }
  });

  // Saved already? The incident's timeline and findings name the changes they were made from.
  const inc = useIncidentQuery(incidentKey).data;
  const findings = useFindings(incidentKey).data;
  const onTimeline = useMemo(() => new Map((inc?.timeline ?? []).filter((e) => e.sourceKey).map((e) => [e.sourceKey!, e.id])), [inc?.timeline]);
  const asFinding = useMemo(() => new Map((findings ?? []).filter((f) => f.sourceKey).map((f) => [f.sourceKey!, f.id])), [findings]);

  const visible = sorted.map((x, i) => [x, i] as const).filter(([x]) => shown[x.c.severity]);
  const identical = view.before.sha256 === view.after.sha256;
  const problems = [
    ...view.problems,
    ...(contents ? [
      ...contents.before.problems.map((p) => ({ ...p, side: 'before' as const })),
      ...contents.after.problems.map((p) => ({ ...p, side: 'after' as const })),
    ] : []),
  ];
  // The same problem can come from the engine and from decoding: show it once.
  const uniqueProblems = problems.filter((p, i) => problems.findIndex((q) => q.message === p.message && q.line === p.line && q.side === p.side) === i);

  function jump(c: Change, i: number) {
    setActive(i);
    if (!c.lineAfter && !c.lineBefore) return;
    editorBox.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    editor.current?.reveal(c.lineBefore, c.lineAfter);
  }

  async function toTimeline(c: Change) {
    const sourceKey = changeSourceKey(view.before.id, view.after.id, c);
    setBusy((b) => ({ ...b, [`t${sourceKey}`]: true }));
    try {
      const ev = await api.call('timeline:add', { key: incidentKey, kind: 'evidence', body: timelineBody(c, view.before, view.after), sourceKey });
      await onTimelineAdded();
      toast({
        message: 'Added to the timeline as evidence',
        tone: 'success',
        action: { label: 'Show', run: () => reveal({ kind: 'event', id: ev.id }) },
        timeout: 5000,
      });
    } catch (e) {
      toast({ message: `Could not add to the timeline: ${ApiError.from(e).message}`, tone: 'error' });
    } finally {
      setBusy((b) => ({ ...b, [`t${sourceKey}`]: false }));
    }
  }

  async function toFinding(c: Change) {
    const sourceKey = changeSourceKey(view.before.id, view.after.id, c);
    setBusy((b) => ({ ...b, [`f${sourceKey}`]: true }));
    try {
      const f = await api.call('finding:create', {
        key: incidentKey,
        title: c.message.slice(0, 300),
        failureClass: c.failureClass as FailureClass,
        genKind: c.kind.slice(0, 80),
        params: c.params ?? {},
        evidence: { artifactIds: [view.before.id, view.after.id], changes: [c as unknown as Record<string, unknown>] },
        sourceKey,
      });
      toast({ message: `Finding draft saved: ${f.title}`, tone: 'success', action: { label: 'Open', run: () => reveal({ kind: 'finding', id: f.id }) } });
    } catch (e) {
      toast({ message: `Could not save the finding: ${ApiError.from(e).message}`, tone: 'error' });
    } finally {
      setBusy((b) => ({ ...b, [`f${sourceKey}`]: false }));
    }
  }

  const row = ([x, i]: readonly [(typeof sorted)[number], number], place?: RowPlace) => {
    const c = x.c;
    const sk = changeSourceKey(view.before.id, view.after.id, x.original);
    const eventId = onTimeline.get(sk);
    const findingId = asFinding.get(sk);
    return (
      <li key={i} data-index={place?.index ?? i} ref={place?.ref} style={place?.style} className={`change chg-${c.severity} ${active === i ? 'active' : ''} ${x.quiet ? 'is-quiet' : ''}`} data-testid="change-row" data-severity={c.severity} data-kind={c.kind} data-quiet={x.quiet ? 'true' : undefined}>
        <span className={`chg-badge chg-${c.severity}`} data-testid="change-severity" title={x.quiet ? `Shown as info: ${x.quiet} (the engine rated it ${x.original.severity})` : undefined}>
          <span aria-hidden="true">{SEVERITY_ICONS[c.severity]}</span> {SEVERITY_LABELS[c.severity]}
        </span>
        <button
          type="button"
          className="change-main"
          onClick={() => jump(c, i)}
          aria-current={active === i ? 'true' : undefined}
          title={c.lineAfter || c.lineBefore ? 'Show in the text below' : undefined}
          data-testid="change-jump"
        >
          <span className="change-msg">{c.message}</span>
          <span className="change-sub">
            <span className="change-subject mono">{c.subject}</span>
            {(c.lineAfter || c.lineBefore) && (
              <span className="change-line mono">
                {c.lineBefore ? `L${c.lineBefore}` : '—'} → {c.lineAfter ? `L${c.lineAfter}` : '—'}
              </span>
            )}
            {x.quiet && <span className="change-quiet" data-testid="change-quiet">{x.quiet}</span>}
          </span>
        </button>
        <span className={`badge cls cls-${c.failureClass}`} title="Failure class this change points to">
          {failureClassLabel(c.failureClass)}
        </span>
        <span className="change-actions">
          {eventId !== undefined ? (
            <button type="button" className="btn btn-small btn-saved" onClick={() => reveal({ kind: 'event', id: eventId })} aria-label={`On the timeline — open it: ${c.message}`} data-testid="change-timeline" data-saved="true">
              Timeline: saved ✓ — open
            </button>
          ) : (
            <button type="button" className="btn btn-small" onClick={() => void toTimeline(x.original)} disabled={readOnly || busy[`t${sk}`]} aria-label={`Add to the timeline as evidence: ${c.message}`} data-testid="change-timeline">
              → Timeline
            </button>
          )}
          {findingId !== undefined ? (
            <button type="button" className="btn btn-small btn-saved" onClick={() => reveal({ kind: 'finding', id: findingId })} aria-label={`Saved as a finding — open it: ${c.message}`} data-testid="change-finding" data-saved="true">
              Finding: saved ✓ — open
            </button>
          ) : (
            <button type="button" className="btn btn-small" onClick={() => void toFinding(x.original)} disabled={readOnly || busy[`f${sk}`]} aria-label={`Save as finding: ${c.message}`} data-testid="change-finding">
              Save as finding
            </button>
          )}
        </span>
      </li>
    );
  };

  const language = monacoLanguage(view.after.kind, view.after.name);
  // Short files get a short editor; long ones most of the window.
  const editorHeight = useMemo(() => {
    if (!contents) return undefined;
    const lines = Math.max(lineCount(contents.before.text), lineCount(contents.after.text));
    return `min(62vh, ${Math.max(140, lines * 19 + 24)}px)`;
  }, [contents]);
  const binary = contents && (contents.before.binary || contents.after.binary);

  return (
    <>
      <div className="diff-summary" data-testid="diff-summary">
        <div className="diff-summary-head">
          <span className="diff-kind">
            Compared as <span className="badge kind-badge">{KIND_LABELS[view.kind]}</span>
          </span>
          {view.before.kind !== view.after.kind && (
            <span className="diff-kinds-differ" data-testid="kinds-differ">
              different kinds ({KIND_LABELS[view.before.kind]} vs {KIND_LABELS[view.after.kind]})
            </span>
          )}
          <span className="muted small">
            {view.changes.length} change{view.changes.length === 1 ? '' : 's'} · {view.cached ? 'from cache' : `${view.elapsedMs} ms`}
          </span>
          <span className="spacer" />
          {view.changes.length > 0 && (
            <div className="sev-filter" role="group" aria-label="Filter changes by severity">
              {SEVERITY_ORDER.map((s) => (
                <button
                  key={s}
                  type="button"
                  className={`sev-chip chg-${s} ${shown[s] ? 'on' : ''}`}
                  aria-pressed={shown[s]}
                  onClick={() => setShown((x) => ({ ...x, [s]: !x[s] }))}
                  onDoubleClick={() => setShown({ critical: s === 'critical', warning: s === 'warning', info: s === 'info' })}
                  title={`Show or hide ${s} changes (double-click: only ${s})`}
                  data-testid={`sev-chip-${s}`}
                  disabled={counts[s] === 0}
                >
                  <span aria-hidden="true">{SEVERITY_ICONS[s]}</span> {SEVERITY_LABELS[s]} <span className="sev-chip-count">{counts[s]}</span>
                </button>
              ))}
            </div>
          )}
        </div>

        {uniqueProblems.length > 0 && (
          <ul className="diff-problems" aria-label="Problems reading the files">
            {uniqueProblems.map((p, i) => (
              <li key={i} className="diff-problem" data-testid="diff-problem">
                <span className="problem-icon" aria-hidden="true">
                  ⚠
                </span>
                <span>
                  <strong>{p.side === 'before' ? view.before.name : p.side === 'after' ? view.after.name : 'Input'}</strong>
                  {p.line != null && (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="link mono"
                        onClick={() => editor.current?.reveal(p.side === 'before' ? p.line : undefined, p.side === 'before' ? undefined : p.line)}
                        data-testid="problem-location"
                      >
                        line {p.line}
                        {p.column != null ? `, column ${p.column}` : ''}
                      </button>
                    </>
                  )}
                  : {cleanProblem(p.message)}
                  {view.kind !== 'text' && <span className="muted"> — stored as is and shown as text below</span>}
                </span>
              </li>
            ))}
          </ul>
        )}

        {identical ? (
          <p className="diff-verdict verdict-none" data-testid="no-changes">
            <strong>No changes</strong> — the two files are identical (same sha256 {shortSha(view.after.sha256)}).
          </p>
        ) : view.noSemanticChange ? (
          <p className="diff-verdict verdict-none" data-testid="no-semantic-change">
            <strong>No semantic change</strong> — the files differ only in comments, key order, whitespace or line endings.
          </p>
        ) : view.changes.length === 0 ? (
          <p className="diff-verdict verdict-none" data-testid="no-changes">
            <strong>No changes found</strong> by the {KIND_LABELS[view.kind]} engine.
          </p>
        ) : null}

        {view.changes.length > 0 &&
          (visible.length === 0 ? (
            <p className="muted small">All severities are filtered out — turn a chip back on.</p>
          ) : (
            <ChangeList items={visible} render={row} scrollRef={scrollRef} />
          ))}
      </div>

      {isDataset && !rawText && contents ? (
        <Suspense fallback={<div className="muted">Profiling the columns…</div>}>
          <DatasetTable view={view} contents={contents} changes={sorted.map((x) => ({ change: x.c, quiet: x.quiet }))} onRawText={view.kind === 'csv' ? () => setRawText(true) : undefined} />
        </Suspense>
      ) : (
      <div className="diff-text" ref={editorBox}>
        <div className="diff-text-head">
          <h4 className="diff-text-title">Text</h4>
          {isDataset && (
            <button type="button" className="btn btn-small" onClick={() => setRawText(false)} data-testid="dataset-table-button">
              Table view
            </button>
          )}
          {contents && !binary && (contents.before.truncated || contents.after.truncated) && (
            <span className="badge truncated" data-testid="truncated" title="The semantic summary above was computed on the whole files">
              Truncated —{' '}
              {[
                contents.before.truncated ? `before: first ${formatBytes(MAX_DISPLAY_BYTES)} of ${formatBytes(contents.before.size)}` : '',
                contents.after.truncated ? `after: first ${formatBytes(MAX_DISPLAY_BYTES)} of ${formatBytes(contents.after.size)}` : '',
              ]
                .filter(Boolean)
                .join(' · ')}
              ; the summary covers the whole files
            </span>
          )}
          {contents && !binary && <SecretsControl incidentKey={incidentKey} contents={contents} onContents={onContents} onLogged={onTimelineAdded} />}
          <span className="spacer" />
          {!binary && (
            <div className="seg" role="group" aria-label="Diff layout">
              {([['side', 'Side by side'], ['inline', 'Inline']] as const).map(([v, label]) => (
                <button
                  key={v}
                  type="button"
                  className={`seg-btn ${(v === 'side') === sideBySide ? 'on' : ''}`}
                  aria-pressed={(v === 'side') === sideBySide}
                  onClick={() => {
                    setSideBySide(v === 'side');
                    try {
                      localStorage.setItem(LAYOUT_KEY, v);
                    } catch {
                      /* private mode */
                    }
                  }}
                  data-testid={`diff-layout-${v}`}
                >
                  {label}
                </button>
              ))}
            </div>
          )}
        </div>
        {!contents ? (
          <div className="monaco-wrap">
            <div className="monaco-loading muted">Loading the texts…</div>
          </div>
        ) : binary ? (
          <div className="binary-sides" data-testid="binary-info">
            {([['Before', contents.before, view.before], ['After', contents.after, view.after]] as const).map(([label, c, a]) => (
              <div key={label} className="binary-side">
                <div className="binary-label">{label}</div>
                <div className="mono">{a.name}</div>
                <div>
                  {c.binary ? 'Binary' : 'Text'} · {formatBytes(c.size)}
                </div>
                <div className="mono small" title={c.sha256}>
                  sha256 {c.sha256}
                </div>
              </div>
            ))}
            <p className="muted small">Binary content is compared by size and hash; it is never shown as text.</p>
          </div>
        ) : (
          <MonacoDiff
            key={contents.before.revealed || contents.after.revealed ? 'revealed' : 'masked'}
            ref={editor}
            height={editorHeight}
            original={contents.before.text ?? ''}
            modified={contents.after.text ?? ''}
            language={language}
            sideBySide={sideBySide}
            dark={dark}
            originalLabel={`${view.before.name} (before)`}
            modifiedLabel={`${view.after.name} (after)`}
          />
        )}
      </div>
      )}
    </>
  );
}

/** Past this many rows the change list renders only what is on screen (against the work pane's scroll). */
export const VIRTUALISE_FROM = 150;

/** Where a virtualised row goes (its measuring ref, its offset). */
interface RowPlace {
  index: number;
  ref: (el: Element | null) => void;
  style: React.CSSProperties;
}

function ChangeList<T>({ items, render, scrollRef }: { items: readonly T[]; render: (x: T, place?: RowPlace) => React.ReactNode; scrollRef?: React.RefObject<HTMLElement | null> }) {
  const listRef = useRef<HTMLOListElement>(null);
  const [margin, setMargin] = useState(0);
  const big = items.length >= VIRTUALISE_FROM && !!scrollRef;
  // Where the list starts inside the scroll container (the summary above it moves it down).
  useLayoutEffect(() => {
    const el = listRef.current;
    const sc = scrollRef?.current;
    if (!big || !el || !sc) return;
    setMargin(el.getBoundingClientRect().top - sc.getBoundingClientRect().top + sc.scrollTop);
  }, [big, items.length, scrollRef]);
  const v = useVirtualizer({
    count: big ? items.length : 0,
    getScrollElement: () => scrollRef?.current ?? null,
    estimateSize: () => 58,
    overscan: 12,
    scrollMargin: margin,
  });
  if (!big) {
    return (
      <ol className="changes" data-testid="changes">
        {items.map((x) => render(x))}
      </ol>
    );
  }
  const vs = v.getVirtualItems();
  return (
    <ol className="changes is-virtual" data-testid="changes" data-virtual="true" data-total={items.length} ref={listRef} style={{ height: v.getTotalSize(), position: 'relative' }}>
      {vs.map((r) =>
        render(items[r.index], { index: r.index, ref: v.measureElement, style: { position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${r.start - margin}px)` } }),
      )}
    </ol>
  );
}

/** Engine messages sometimes end with their own "(line 3, column 1)": the location is already shown. */
function cleanProblem(m: string): string {
  return m
    .replace(/\s*\(line \d+(, column \d+)?\)\s*$/, '')
    .replace(/\s*:\s*$/, '')
    .replace(/ at line \d+, column \d+$/, '');
}

function lineCount(t: string | null): number {
  if (!t) return 1;
  let n = 1;
  for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) n++;
  return n;
}
