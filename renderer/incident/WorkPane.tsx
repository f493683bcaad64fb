// The incident page's work pane: artifacts and diffs, findings/tests/postmortem, comms, and roles &
// details — tabs in a fixed place that do not reshuffle between phases. The chosen tab is remembered for
// the tab session; "show me" requests (a saved finding, the comms reminder) switch to the right one.
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ArtifactsPanel } from '../artifacts/ArtifactsPanel';
import { PostmortemSection } from '../postmortem/Section';
import { useArtifacts, useFindings } from '../data/hooks';
import { sessionGet, sessionSet } from '../lib/draft';
import { onReveal } from '../lib/reveal';
import { Comms, type CadenceState } from './Comms';
import type { IncidentCtx } from './ctx';
import { Details } from './Details';
import { Metrics } from './Metrics';
import { Roles } from './Roles';

export const WORK_TABS = [
  { id: 'artifacts', label: 'Artifacts' },
  { id: 'findings', label: 'Findings & docs' },
  { id: 'comms', label: 'Comms' },
  { id: 'details', label: 'Roles & details' },
] as const;
export type WorkTab = (typeof WORK_TABS)[number]['id'];
const isTab = (t: unknown): t is WorkTab => WORK_TABS.some((x) => x.id === t);

export function WorkPane({ ctx, cadence, scrollRef }: { ctx: IncidentCtx; cadence: CadenceState | null; scrollRef: React.RefObject<HTMLDivElement | null> }) {
  const key = ctx.inc.key;
  const store = `pmw.work.${key}`;
  const [tab, setTabState] = useState<WorkTab>(() => {
    const t = sessionGet<string>(store);
    return isTab(t) ? t : 'artifacts';
  });
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const uid = useId();
  const setTab = useCallback(
    (t: WorkTab, focus = false) => {
      setTabState(t);
      sessionSet(store, t);
      if (focus) refs.current[t]?.focus();
    },
    [store],
  );

  useEffect(
    () =>
      onReveal((r) => {
        if (r.kind === 'finding') setTab('findings');
        else if (r.kind === 'tab' && isTab(r.tab)) setTab(r.tab);
      }),
    [setTab],
  );

  const artifacts = useArtifacts(key).data?.list.length;
  const findings = useFindings(key).data?.length;
  const counts: Partial<Record<WorkTab, ReactNode>> = {
    artifacts: artifacts ? <span className="card-count">{artifacts}</span> : null,
    findings: findings ? <span className="card-count">{findings}</span> : null,
    comms: cadence?.due ? (
      <span className="tab-alert" aria-label="update due">
        due
      </span>
    ) : null,
  };

  function onKey(e: KeyboardEvent) {
    const i = WORK_TABS.findIndex((t) => t.id === tab);
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % WORK_TABS.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + WORK_TABS.length) % WORK_TABS.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = WORK_TABS.length - 1;
    if (j < 0) return;
    e.preventDefault();
    setTab(WORK_TABS[j].id, true);
  }

  return (
    <section className="cc-pane cc-work" aria-label="Work" data-testid="work-pane" data-tab={tab}>
      <div className="work-tabs" role="tablist" aria-label="Work" onKeyDown={onKey}>
        {WORK_TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`${uid}-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${uid}-panel`}
            tabIndex={tab === t.id ? 0 : -1}
            className={`work-tab ${tab === t.id ? 'on' : ''}`}
            onClick={() => setTab(t.id)}
            data-testid={`work-tab-${t.id}`}
          >
            {t.label}
            {counts[t.id]}
          </button>
        ))}
      </div>
      <div className="cc-scroll work-body" ref={scrollRef} role="tabpanel" id={`${uid}-panel`} aria-labelledby={`${uid}-tab-${tab}`} tabIndex={-1} data-scroll="work">
        {tab === 'artifacts' && <ArtifactsPanel ctx={ctx} scrollRef={scrollRef} />}
        {tab === 'findings' && <PostmortemSection ctx={ctx} />}
        {tab === 'comms' && (
          <div className="work-section">
            <Comms ctx={ctx} cadence={cadence} />
          </div>
        )}
        {tab === 'details' && (
          <div className="work-section">
            <Roles ctx={ctx} />
            <Metrics inc={ctx.inc} />
            <Details ctx={ctx} />
          </div>
        )}
      </div>
    </section>
  );
}
