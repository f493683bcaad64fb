// What the command palette offers on an incident page: its phases (jump to that phase's checklist and
// gate) and its actions (add a note or evidence, open a work tab, copy the update that is due, advance,
// reopen). Registered while the page is mounted.
import { PHASES } from '../../shared/domain';
import { PHASE_DEFS, gateStatus } from '../../shared/phases';
import { emit } from '../lib/commands';
import { matchItems, usePaletteProvider, type PaletteItem } from '../lib/palette';
import { reveal } from '../lib/reveal';
import type { IncidentCtx } from './ctx';
import { WORK_TABS } from './WorkPane';

function click(testid: string) {
  (document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null)?.click();
}

export function useIncidentPalette(ctx: IncidentCtx) {
  const { inc } = ctx;
  usePaletteProvider(
    'incident-phases',
    `${inc.key} · phases`,
    (q) =>
      matchItems(
        PHASES.map<PaletteItem>((p) => ({
          id: p,
          label: `Phase: ${PHASE_DEFS[p].label}`,
          hint: p === inc.phase ? 'current' : inc.phases.some((e) => e.phase === p) ? 'done' : 'later',
          keywords: `${PHASE_DEFS[p].goal} checklist gate`,
          run: () => {
            click(`checklist-tab-${p}`);
            document.querySelector('[data-testid="checklist"]')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
          },
        })),
        q,
        q ? 6 : 0,
      ),
    20,
  );
  usePaletteProvider(
    'incident-actions',
    `${inc.key} · actions`,
    (q) => {
      const items: PaletteItem[] = [];
      if (inc.phase !== 'closed') {
        const gate = gateStatus(inc.phase, inc);
        items.push(
          { id: 'note', label: 'Add a note to the timeline', shortcut: 'T', keywords: 'log write', run: () => void emit('quick-note') },
          { id: 'evidence', label: 'Add evidence to the timeline', keywords: 'log proof', run: () => void emit('quick-evidence') },
          {
            id: 'advance',
            label: gate.next ? `Advance to ${PHASE_DEFS[gate.next].label}` : 'Close the incident…',
            hint: gate.allMet ? 'criteria met' : `${gate.criteria.filter((c) => !c.met).length} criteria open`,
            keywords: 'next phase gate pass',
            run: () => click('advance-button'),
          },
        );
      } else {
        items.push({ id: 'reopen', label: 'Reopen this incident…', keywords: 'closed edit', run: () => click('reopen-button') });
      }
      items.push({
        id: 'copy-update',
        label: 'Copy the stakeholder update',
        keywords: 'comms status report initial resolution',
        run: () => {
          reveal({ kind: 'tab', tab: 'comms' });
          setTimeout(() => (document.querySelector('[data-testid^="copy-"]') as HTMLElement | null)?.focus(), 50);
        },
      });
      for (const t of WORK_TABS) items.push({ id: `tab-${t.id}`, label: `Open ${t.label}`, keywords: 'tab pane show', run: () => reveal({ kind: 'tab', tab: t.id }) });
      return matchItems(items, q);
    },
    10,
  );
}
