// Drill report as Markdown (issue 5 §5): `drill:report`, `pmw drill report ID`, and the terminal debrief. Pure.
import { formatDuration } from '../phases';
import type { DrillDebrief } from './types';
import { mdCell, mdInline, mdText } from '../generators/md';

// Scenario text (custom scenarios come from past incidents) and the responder's input are user text:
// made inert (no raw HTML, no javascript: links) by the generators' Markdown helpers.
const cell = (s: string | number | null | undefined) => (s === null || s === undefined || s === '' ? '—' : mdCell(String(s)));
const inl = (s: string | null | undefined) => mdInline(s);
const time = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').replace(/(:\d\d)(\.\d+)?Z$/, '$1Z') : '—');

/** Minutes:seconds since the drill started ("+3:05"), the natural clock of a drill. */
function rel(startedAt: string, iso: string | null | undefined): string {
  if (!iso) return '—';
  return `+${formatDuration(Math.max(0, Date.parse(iso) - Date.parse(startedAt)))}`;
}

export function drillReportFileName(d: Pick<DrillDebrief, 'drillId' | 'scenario'>): string {
  return `drill-${d.drillId}-${d.scenario.id}.md`;
}

export function drillReportMarkdown(d: DrillDebrief): string {
  const L: string[] = [];
  const push = (...xs: string[]) => L.push(...xs);
  const c = d.classification;

  push(`# Drill report: ${inl(d.scenario.title)}`, '');
  push('| | |', '|---|---|');
  push(`| Drill | #${d.drillId} (${d.key}) |`);
  push(`| Participant | ${cell(d.participant)} |`);
  push(`| Mode | ${d.mode === 'gm' ? 'game master' : 'solo'} |`);
  push(`| Scenario | ${cell(d.scenario.id)} v${d.scenario.version}${d.scenario.custom ? ' (from a past incident)' : ''} · difficulty ${d.scenario.difficulty} · expected ${d.scenario.expectedDurationMinutes} min |`);
  push(`| Started | ${time(d.startedAt)} |`);
  push(`| Finished | ${time(d.finishedAt)} (${formatDuration(Date.parse(d.finishedAt) - Date.parse(d.startedAt))}) |`);
  push(`| Score | **${d.score.total}/100** |`, '');

  push('## Score', '', '| part | points | why |', '|---|---:|---|');
  for (const p of d.score.parts) push(`| ${p.label} | ${p.points}/${p.max} | ${cell(p.explanation)} |`);
  push(`| **Total** | **${d.score.total}/100** | |`, '');

  push('## Classification', '', '| | expected | given | verdict |', '|---|---|---|---|');
  push(`| Failure class | ${c.expected.failureClass}${c.expected.acceptableClasses?.length ? ` (also: ${c.expected.acceptableClasses.join(', ')})` : ''} | ${c.given?.failureClass ?? '—'} | ${c.classVerdict} |`);
  push(`| Root-cause origin | ${c.expected.rootCauseOrigin}${c.expected.acceptableOrigins?.length ? ` (also: ${c.expected.acceptableOrigins.join(', ')})` : ''} | ${c.given?.rootCauseOrigin ?? '—'} | ${c.originVerdict} |`);
  push('', `**Root cause.** ${inl(c.expected.rootCause)}`, '');

  push('## Order of checks', '', '| # | ideal | theirs | ideal position of theirs |', '|---:|---|---|---:|');
  const n = Math.max(d.checks.ideal.length, d.checks.theirs?.length ?? 0);
  for (let i = 0; i < n; i++) {
    const ideal = d.checks.ideal[i];
    const theirs = d.checks.theirs?.[i];
    push(`| ${i + 1} | ${cell(ideal ? `${ideal.title} (${ideal.stage})` : '')} | ${cell(theirs?.title ?? (d.checks.theirs ? '' : 'not ordered'))} | ${theirs ? theirs.idealPosition : '—'} |`);
  }
  push('', d.checks.tau === null ? 'The checks were never ordered.' : `Kendall's τ = ${d.checks.tau.toFixed(2)} (${d.checks.concordantPairs} of ${d.checks.totalPairs} pairs in the ideal relative order).`, '');

  push('## Actions', '', '### What was done');
  if (!d.actions.taken.length) push('', 'No action taken.');
  else {
    push('');
    for (const a of d.actions.taken) {
      const why = a.verdict === 'correct' ? a.why : a.whyWrong;
      push(`- ${rel(d.startedAt, a.takenAt)} (${a.phase}) **${inl(a.title)}** — ${a.verdict === 'tempting' ? 'TEMPTING, WRONG' : a.verdict === 'wrong' ? 'wrong' : 'correct'}${a.antiPattern ? ` [${inl(a.antiPattern)}]` : ''}${why ? `: ${inl(why)}` : ''}`);
    }
  }
  push('', '### The ideal: correct actions', '');
  for (const a of d.actions.correct) push(`- [${a.taken ? 'x' : ' '}] **${inl(a.title)}** — ${inl(a.why)}`);
  if (d.actions.temptingAvoided.length) {
    push('', '### Tempting actions avoided', '');
    for (const a of d.actions.temptingAvoided) push(`- ${inl(a.title)} — ${inl(a.whyWrong)}`);
  }
  push('');

  push('## Evidence', '', '| card | kind | relevant | requested | released | reveal cost |', '|---|---|---|---|---|---:|');
  for (const e of d.cards) {
    push(`| ${cell(e.title)} | ${e.kind} | ${e.relevant ? 'yes' : 'no (red herring)'} | ${e.initiallyVisible ? 'at start' : rel(d.startedAt, e.requestedAt)} | ${e.releasedAt ? `${rel(d.startedAt, e.releasedAt)}${e.releasedBy === 'gm' ? ' by the GM' : ''}` : 'never'} | ${e.revealCost} s |`);
  }
  push('');

  push('## Time per phase', '', '| phase | budget | spent (incl. reveal cost) | reveal cost | |', '|---|---|---|---:|---|');
  for (const p of d.phases) {
    const state = !p.reached ? 'not reached' : p.factor === null ? '' : p.passedEarly ? 'gate passed early (no credit)' : p.factor === 1 ? 'within budget' : `over budget (${Math.round(p.factor * 100)}% credit)`;
    push(`| ${p.label} | ${p.budgetMinutes === null ? '—' : `${p.budgetMinutes} min`} | ${p.reached ? formatDuration(p.elapsedMs) : '—'} | ${p.revealCostSeconds} s | ${state} |`);
  }
  push('');

  push('## Mitigation', '', `**Recorded:** ${d.mitigation.theirs.trim() ? mdText(d.mitigation.theirs.trim()) : '(none)'}`, '', `**Correct:** ${mdText(d.mitigation.correct.text)}`, '', 'Rollback criteria:', '');
  for (const r of d.mitigation.correct.rollbackCriteria) push(`- ${inl(r)}`);
  push('', 'Verification:', '');
  for (const v of d.mitigation.correct.verification) push(`- ${inl(v)}`);
  push('');

  push('## Debrief points', '');
  for (const p of d.debriefPoints) push(`- ${inl(p)}`);
  push('');
  return L.join('\n');
}
