// The incident's postmortem workspace (issue 4): findings → generated tests, runbook and postmortem →
// the postmortem editor with its action items → export to a git repository; plus the incident bundle.
// One card with tabs (arrow keys move between them); the chosen tab is remembered for the tab session.
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { ApiError } from '../../shared/api/errors';
import type { Finding } from '../../shared/artifacts';
import { api } from '../api/client';
import type { IncidentCtx } from '../incident/IncidentPage';
import { ExportBundleButton } from './bundle';
import { DocEditor } from './DocEditor';
import { ExportDialog } from './ExportDialog';
import { FindingsPanel } from './FindingsPanel';
import { GeneratePanel, type GenerateState } from './GeneratePanel';
import { ActionItems } from './ActionItems';

const TABS = [
  { id: 'findings', label: 'Findings' },
  { id: 'generate', label: 'Generate' },
  { id: 'postmortem', label: 'Postmortem & action items' },
] as const;
type Tab = (typeof TABS)[number]['id'];
const TAB_KEY = 'pmw.pm.tab';
/** Findings saved from the diff view arrive without a signal: look again now and then while shown. */
const POLL_MS = 5000;

function storedTab(key: string): Tab {
  try {
    const t = sessionStorage.getItem(`${TAB_KEY}.${key}`);
    return TABS.some((x) => x.id === t) ? (t as Tab) : 'findings';
  } catch {
    return 'findings';
  }
}

export default function Workspace({ ctx }: { ctx: IncidentCtx }) {
  const key = ctx.inc.key;
  const [tab, setTabState] = useState<Tab>(() => storedTab(key));
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [findingsError, setFindingsError] = useState<string | null>(null);
  const [gen, setGen] = useState<GenerateState>({ state: 'idle' });
  const [focusFinding, setFocusFinding] = useState<number | null>(null);
  const [actionsChanged, setActionsChanged] = useState(false);
  const [exportOpen, setExportOpen] = useState(false);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  const uid = useId();

  const reloadFindings = useCallback(async () => {
    try {
      const list = await api.call('finding:list', { key });
      setFindings((old) => (old && JSON.stringify(old) === JSON.stringify(list) ? old : list));
      setFindingsError(null);
    } catch (e) {
      setFindingsError(ApiError.from(e).message);
    }
  }, [key]);

  useEffect(() => {
    void reloadFindings();
  }, [reloadFindings]);

  // Fresh findings when coming back to the window, when told, and (while the list is shown) now and then.
  useEffect(() => {
    const on = () => document.visibilityState === 'visible' && void reloadFindings();
    window.addEventListener('focus', on);
    window.addEventListener('pmw:findings-changed', on);
    document.addEventListener('visibilitychange', on);
    const poll = tab === 'findings' ? setInterval(() => document.visibilityState === 'visible' && void reloadFindings(), POLL_MS) : null;
    return () => {
      window.removeEventListener('focus', on);
      window.removeEventListener('pmw:findings-changed', on);
      document.removeEventListener('visibilitychange', on);
      if (poll) clearInterval(poll);
    };
  }, [reloadFindings, tab]);

  function setTab(t: Tab, focus = false) {
    setTabState(t);
    if (t === 'findings') void reloadFindings();
    try {
      sessionStorage.setItem(`${TAB_KEY}.${key}`, t);
    } catch {
      /* ignore */
    }
    if (focus) tabRefs.current[t]?.focus();
  }

  function onTabKey(e: KeyboardEvent) {
    const i = TABS.findIndex((t) => t.id === tab);
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = TABS.length - 1;
    if (j < 0) return;
    e.preventDefault();
    setTab(TABS[j].id, true);
  }

  const count = (t: Tab) =>
    t === 'findings' && findings ? findings.length : t === 'generate' && gen.state === 'done' ? gen.files.length : null;

  return (
    <section className={`card pm-workspace ${ctx.inc.phase === 'investigate' || ctx.inc.phase === 'review' ? 'is-top' : ''}`} aria-labelledby={`${uid}-title`} data-testid="postmortem-workspace">
      <header className="card-head pm-ws-head">
        <h2 className="card-title" id={`${uid}-title`}>
          Findings, tests &amp; postmortem
        </h2>
        <div className="pm-tabs" role="tablist" aria-label="Postmortem workspace" onKeyDown={onTabKey}>
          {TABS.map((t) => {
            const n = count(t.id);
            return (
              <button
                key={t.id}
                ref={(el) => {
                  tabRefs.current[t.id] = el;
                }}
                type="button"
                role="tab"
                id={`${uid}-tab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls={`${uid}-panel`}
                tabIndex={tab === t.id ? 0 : -1}
                className={`pm-tab ${tab === t.id ? 'on' : ''}`}
                onClick={() => setTab(t.id)}
                data-testid={`pm-tab-${t.id}`}
              >
                {t.label}
                {n !== null && <span className="card-count">{n}</span>}
              </button>
            );
          })}
        </div>
        <div className="card-actions">
          <ExportBundleButton incidentKey={key} />
          <button type="button" className="btn btn-small btn-primary" onClick={() => setExportOpen(true)} data-testid="open-export">
            Export to repo…
          </button>
        </div>
      </header>
      <div className="card-body" role="tabpanel" id={`${uid}-panel`} aria-labelledby={`${uid}-tab-${tab}`} data-tab={tab}>
        {findingsError && tab === 'findings' && (
          <div className="banner banner-error" role="alert">
            {findingsError}
          </div>
        )}
        {tab === 'findings' && <FindingsPanel ctx={ctx} findings={findings} reload={reloadFindings} setFindings={setFindings} focusId={focusFinding} />}
        {tab === 'generate' && (
          <GeneratePanel
            ctx={ctx}
            gen={gen}
            setGen={setGen}
            onFixFinding={(id) => {
              setFocusFinding(id);
              setTab('findings');
            }}
          />
        )}
        {tab === 'postmortem' && (
          <>
            <DocEditor ctx={ctx} actionsChanged={actionsChanged} onRegenerated={() => setActionsChanged(false)} />
            <ActionItems ctx={ctx} onChanged={() => setActionsChanged(true)} />
          </>
        )}
      </div>
      {exportOpen && <ExportDialog ctx={ctx} onClose={() => setExportOpen(false)} />}
    </section>
  );
}
