// A solo drill over plain lines of text (issue 5 §5: `pmw drill run`): readable prompts, no TTY tricks, so it
// works over SSH and from a script. Pure: it talks to the API through `call` and reads lines from any async
// iterable — the CLI passes stdin, tests pass an array.
import type { Channel, Input, Output } from '../api/contract';
import type { FailureClass } from '../domain';
import { FAILURE_CLASSES, ROOT_CAUSE_ORIGINS } from '../domain';
import { formatDuration, PHASE_DEFS } from '../phases';
import type { DrillCardView, DrillScore, DrillState } from './types';

export type CallFn = <C extends Channel>(channel: C, input: Input<C>) => Promise<Output<C>>;

export interface SoloSessionOptions {
  call: CallFn;
  lines: AsyncIterable<string>;
  out: (s: string) => void;
  scenarioId: string;
  participant: string;
  /** Clock for the prompt's phase timer (default Date.now). */
  now?: () => number;
}

export interface SoloSessionResult {
  drillId: number;
  key: string;
  score: DrillScore;
  report: string;
}

export const SESSION_HELP = `Commands (one per line):
  cards                       the evidence you can ask for ([x] = you have it)
  show CARD                   ask for a card (costs its reveal time once) and print it;
                              artifact pairs are diffed by the real diff engine
  raw CARD                    print an artifact pair's two files in full
  checks                      the diagnosis checks;  order ID,ID,…  (or 2,1,3 by number) ranks them
  actions                     the actions on the table;  action ID (or number) takes one
  classify CLASS [ORIGIN]     e.g. classify data config
  impact TEXT | hypothesis TEXT | note TEXT
  mitigate TEXT               record the mitigation;  verify  marks it verified
  advance [REASON]            leave the current phase (a reason is needed when its gate is not met)
  status | briefing | timeline | help
  finish                      end the drill and print the debrief (end of input does the same)
Classes: ${FAILURE_CLASSES.join(', ')}. Origins: ${ROOT_CAUSE_ORIGINS.join(', ')}.
`;

const errMessage = (e: unknown) => (e && typeof e === 'object' && 'message' in e ? String((e as { message: unknown }).message) : String(e));

function cardText(c: DrillCardView): string {
  const head = `── ${c.title} [${c.id}] (${c.kind}) ──`;
  return `${head}\n${(c.body ?? '').trimEnd()}\n`;
}

export async function runSoloDrill(o: SoloSessionOptions): Promise<SoloSessionResult> {
  const { call, out } = o;
  const now = o.now ?? (() => Date.now());
  let st: DrillState = await call('drill:start', { scenarioId: o.scenarioId, mode: 'solo', participant: o.participant });
  const drillId = st.drillId;
  const refresh = async () => {
    const s = await call('drill:get', { drillId, view: 'responder' });
    if (!s.unchanged) st = s;
    return st;
  };

  out(`\n=== Drill: ${st.scenario.title} ===\n`);
  out(`Drill #${drillId} · incident ${st.key} · ${st.scenario.severity} · ${st.scenario.service} · solo · participant ${st.participant}\n`);
  out(`Expected duration ~${st.scenario.expectedDurationMinutes} min. The six-phase flow runs with its budgets; you own the incident.\n\n`);
  out(`${st.scenario.briefing.trim()}\n\nSymptoms:\n${st.scenario.symptoms.map((s) => `  - ${s}`).join('\n')}\n\n`);
  for (const c of st.cards.filter((c) => c.status === 'released')) out(cardText(c) + '\n');
  out(`Type "help" for commands, "cards" for the evidence you can ask for.\n`);

  const findCard = (ref: string): DrillCardView | undefined => {
    const n = Number(ref);
    if (Number.isInteger(n) && n >= 1 && n <= st.cards.length) return st.cards[n - 1];
    return st.cards.find((c) => c.id === ref.toLowerCase());
  };

  const printDiff = async (c: DrillCardView) => {
    if (!c.artifacts) return;
    try {
      const view = await call('artifact:diff', { key: st.key, beforeId: c.artifacts.beforeId, afterId: c.artifacts.afterId });
      out(`Semantic diff ${c.before?.name} → ${c.after?.name} (${view.kind}):\n`);
      if (!view.changes.length) out(view.noSemanticChange ? '  no semantic change\n' : '  no changes\n');
      for (const ch of view.changes) out(`  ${ch.severity.toUpperCase().padEnd(8)} ${ch.failureClass.padEnd(14)} ${ch.message}\n`);
      out(`(raw ${c.id} prints both files)\n`);
    } catch (e) {
      out(`  (diff unavailable: ${errMessage(e)}; raw ${c.id} prints both files)\n`);
    }
  };

  const prompt = () => {
    const budget = st.phase === 'closed' ? null : PHASE_DEFS[st.phase].budgetMinutes;
    const elapsed = formatDuration(now() - Date.parse(st.phaseEnteredAt));
    out(`\n[${st.phase}${st.phase === 'closed' ? '' : ` ${elapsed}${budget ? `/${budget}:00` : ''}`}] drill> `);
  };

  let finished = false;
  const handle = async (line: string): Promise<void> => {
    const m = /^(\S+)\s*(.*)$/.exec(line.trim());
    if (!m) return;
    const cmd = m[1].toLowerCase();
    const rest = m[2].trim();
    const need = (what: string) => {
      if (!rest) throw new Error(`${cmd} needs ${what}`);
      return rest;
    };
    switch (cmd) {
      case 'help':
      case '?':
        out(SESSION_HELP);
        return;
      case 'briefing':
        out(`${st.scenario.briefing.trim()}\n\nSymptoms:\n${st.scenario.symptoms.map((s) => `  - ${s}`).join('\n')}\n`);
        return;
      case 'cards':
        await refresh();
        st.cards.forEach((c, i) =>
          out(`  ${String(i + 1).padStart(2)}. [${c.status === 'released' ? 'x' : ' '}] ${c.id.padEnd(28)} ${c.kind.padEnd(13)} ${c.status === 'released' ? '      ' : `${String(c.revealCost).padStart(3)} s `} ${c.title}\n`),
        );
        return;
      case 'show':
      case 'request': {
        const c = findCard(need('a card id'));
        if (!c) throw new Error(`no card "${rest}" (type cards)`);
        if (c.status !== 'released') {
          out(`Requesting "${c.title}" (reveal cost ${c.revealCost} s)…\n`);
          st = await call('drill:requestCard', { drillId, cardId: c.id });
        }
        const shown = st.cards.find((x) => x.id === c.id)!;
        out(cardText(shown));
        if (shown.kind === 'artifact-pair') await printDiff(shown);
        return;
      }
      case 'raw': {
        const c = findCard(need('a card id'));
        if (!c) throw new Error(`no card "${rest}" (type cards)`);
        if (c.status !== 'released') throw new Error(`you do not have "${c.id}" yet: show ${c.id} asks for it`);
        if (c.before && c.after) out(`--- ${c.before.name} (last known good)\n${c.before.content.trimEnd()}\n\n+++ ${c.after.name} (failing)\n${c.after.content.trimEnd()}\n`);
        else out(cardText(c));
        return;
      }
      case 'checks':
        st.checks.forEach((c, i) => out(`  ${i + 1}. ${c.id.padEnd(28)} (${c.stage}) ${c.title}\n`));
        if (st.checkOrder) out(`Your order: ${st.checkOrder.join(' → ')}\n`);
        return;
      case 'order': {
        const parts = need('check ids (order ID,ID,…)').split(/(?:->|→|>|,|\s)+/).filter(Boolean);
        const ids = parts.map((p) => {
          const n = Number(p);
          return Number.isInteger(n) && n >= 1 && n <= st.checks.length ? st.checks[n - 1].id : p.toLowerCase();
        });
        st = await call('drill:orderChecks', { drillId, checkIds: ids });
        out(`Order recorded: ${ids.join(' → ')}\n`);
        return;
      }
      case 'actions':
        st.actions.forEach((a, i) => out(`  ${i + 1}. [${st.actionsTaken.some((t) => t.actionId === a.id) ? 'x' : ' '}] ${a.id.padEnd(28)} ${a.title}\n`));
        return;
      case 'action': {
        const ref = need('an action id');
        const n = Number(ref);
        const id = Number.isInteger(n) && n >= 1 && n <= st.actions.length ? st.actions[n - 1].id : ref.toLowerCase();
        st = await call('drill:takeAction', { drillId, actionId: id });
        out(`Action taken: ${st.actionsTaken.find((t) => t.actionId === id)?.title ?? id}\n`);
        return;
      }
      case 'classify': {
        const [cls, origin] = need('a failure class').split(/[\s/,]+/).map((x) => x.toLowerCase().replace(/-/g, '_'));
        st = await call('drill:classify', { drillId, failureClass: cls as FailureClass, rootCauseOrigin: (origin || undefined) as never });
        out(`Classified: ${st.classification?.failureClass}${st.classification?.rootCauseOrigin ? `, origin ${st.classification.rootCauseOrigin}` : ''}\n`);
        return;
      }
      case 'impact':
      case 'hypothesis':
        await call('incident:update', { key: st.key, patch: cmd === 'impact' ? { impact: need('text') } : { hypothesis: need('text') } });
        out(`${cmd === 'impact' ? 'Impact' : 'Hypothesis'} recorded.\n`);
        await refresh();
        return;
      case 'note':
        await call('timeline:add', { key: st.key, kind: 'note', body: need('text') });
        out('Noted.\n');
        return;
      case 'mitigate':
        st = await call('drill:mitigate', { drillId, text: need('the mitigation text') });
        out('Mitigation recorded. When it is verified: verify\n');
        return;
      case 'verify':
        await call('incident:update', { key: st.key, patch: { mitigationVerified: true } });
        out('Mitigation marked verified.\n');
        await refresh();
        return;
      case 'advance': {
        const from = st.phase;
        const inc = await call('incident:advance', { key: st.key, reason: rest || undefined });
        await refresh();
        out(`Phase: ${from} → ${inc.phase}${inc.phase !== 'closed' && PHASE_DEFS[inc.phase].budgetMinutes ? ` (budget ${PHASE_DEFS[inc.phase].budgetLabel})` : ''}\n`);
        return;
      }
      case 'status': {
        await refresh();
        const seen = st.cards.filter((c) => c.status === 'released').length;
        out(
          `Phase ${st.phase} (${formatDuration(now() - Date.parse(st.phaseEnteredAt))} in it) · cards ${seen}/${st.cards.length}\n` +
            `Classification: ${st.classification ? `${st.classification.failureClass}${st.classification.rootCauseOrigin ? ` / ${st.classification.rootCauseOrigin}` : ''}` : '—'}\n` +
            `Check order: ${st.checkOrder ? st.checkOrder.join(' → ') : '—'}\n` +
            `Actions: ${st.actionsTaken.map((a) => a.actionId).join(', ') || '—'}\n` +
            `Mitigation: ${st.mitigation || '—'}\n`,
        );
        return;
      }
      case 'timeline': {
        const inc = await call('incident:get', { key: st.key });
        for (const e of inc.timeline) out(`  +${formatDuration(Math.max(0, Date.parse(e.occurredAt) - Date.parse(st.startedAt)))}  [${e.kind}] ${e.body.split('\n')[0]}\n`);
        return;
      }
      case 'finish':
      case 'quit':
      case 'exit':
        finished = true;
        return;
      default:
        out(`Unknown command "${cmd}". Type help.\n`);
    }
  };

  prompt();
  for await (const raw of o.lines) {
    const line = raw.trim();
    if (line && !line.startsWith('#')) {
      try {
        await handle(line);
      } catch (e) {
        out(`! ${errMessage(e)}\n`);
      }
    }
    if (finished) break;
    prompt();
  }
  if (!finished) out('\n(end of input: finishing the drill)\n');
  else out('\n');
  st = await call('drill:finish', { drillId });
  const report = await call('drill:report', { drillId });
  out(`\n${report.content}\n`);
  out(`Score: ${st.score!.total}/100 — ${st.score!.parts.map((p) => `${p.label} ${p.points}/${p.max}`).join(' · ')}\n`);
  return { drillId, key: st.key, score: st.score!, report: report.content };
}
