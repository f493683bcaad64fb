// The incident's postmortem workspace (issue 4): findings → generated tests, runbook and postmortem →
// the postmortem editor with its action items → export to a git repository; plus the incident bundle.
// One card with tabs (arrow keys move between them); the chosen tab is remembered for the tab session.
import { useCallback, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/errors';
import type { Finding } from '../../shared/artifacts';
import { useFindings } from '../data/hooks';
import { qk } from '../data/keys';
import type { IncidentCtx } from '../incident/ctx';
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
  const findingsQ = useFindings(key);
  const findings = findingsQ.data ?? null;
  const findingsError = findingsQ.error ? ApiError.from(findingsQ.error).message : null;
  const queryClient = useQueryClient();
  const setFindings = useCallback(
    (f: (xs: Finding[] | null) => Finding[] | null) => queryClient.setQueryData<Finding[]>(qk.findings(key), (xs) => f(xs ?? null) ?? undefined),
    [queryClient, key],
  );
  const reloadFindings = useCallback(() => queryClient.invalidateQueries({ queryKey: qk.findings(key) }), [queryClient, key]);
  const [gen, setGen] = useState<GenerateState>({ state: 'idle' });
  const [focusFinding, setFocusFinding] = useState<number | null>(null);
  const [actionsChanged, setActionsChanged] = useState(false);
  const [exportOpen, setExportOpen] = useState(false);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  const uid = useId();

  function setTab(t: Tab, focus = false) {
    setTabState(t);
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
