// Incident + findings + action items → a postmortem draft in the shape of the Google SRE book's example
// postmortem (issue 4 §4, DESIGN §7). Pure TypeScript.
//
//   # Postmortem: <title> (INC-0007)
//   Date / Authors / Status / Severity / Service / Failure class
//   ## Summary  ## Impact  ## Root causes  ## Trigger  ## Resolution  ## Detection
//   ## Action items (table)  ## Lessons learned (### What went well / What went wrong / Where we got lucky)
//   ## Timeline (UTC, with phase changes and early-gate reasons)  ## Supporting information
//
// Headings are stable so the same three-way merge as the runbook's (mergeRunbook) can be applied.
import type { Artifact, Finding } from '../artifacts';
import { ARTIFACT_ROLE_LABELS, FINDING_ROLE_LABELS } from '../artifacts';
import { maturityTier, mitigationHonesty } from '../honesty';
import type { Incident, Phase, Role, TimelineEvent } from '../domain';
import { FAILURE_CLASS_LABELS, PHASES, ROLE_LABELS, SEVERITY_LABELS } from '../domain';
import { PHASE_DEFS } from '../phases';
import { playbookFor } from '../playbook/index';
import { humanDuration, mdCell, mdCode, mdInline, mdText, oneLine, utcSeconds, block } from './md';
import { regressionTestFileName, REGRESSION_TESTS_DIR, testableFindings } from './pytest';
import { incidentFileStem } from './slug';
import type { ActionItem } from './types';
import { ACTION_ITEM_STATUS_LABELS, ACTION_ITEM_TYPE_LABELS } from './types';

export const POSTMORTEMS_DIR = 'postmortems';

export const POSTMORTEM_SECTIONS = [
  'Summary',
  'Impact',
  'Root causes',
  'Trigger',
  'Resolution',
  'Detection',
  'Action items',
  'Lessons learned',
  'Timeline',
  'Supporting information',
] as const;

/** "INC-0007-fraud-model-accuracy-dropped.md" */
export function postmortemFileName(incident: Pick<Incident, 'key' | 'title'>): string {
  return `${incidentFileStem(incident.key, incident.title)}.md`;
}

const TODO = (what: string) => `_(${what})_`;

function statusLine(incident: Incident, items: ActionItem[]): string {
  const open = items.filter((i) => i.status !== 'done').length;
  const itemsText = items.length ? `; ${open} of ${items.length} action item${items.length === 1 ? '' : 's'} open` : '';
  if (incident.phase === 'closed') return `Complete${itemsText}`;
  if (incident.phase === 'review') return `Draft — in review${itemsText}`;
  return `Draft — incident ongoing (phase: ${PHASE_DEFS[incident.phase as Phase]?.label ?? incident.phase})${itemsText}`;
}

function authors(incident: Incident): string {
  const byPerson = new Map<string, string[]>();
  for (const role of Object.keys(ROLE_LABELS) as Role[]) {
    for (const raw of (incident.roles?.[role] ?? '').split(/[,;]+/)) {
      const name = oneLine(raw);
      if (!name) continue;
      const k = name.toLowerCase();
      if (!byPerson.has(k)) byPerson.set(k, [name]);
      byPerson.get(k)!.push(ROLE_LABELS[role].toLowerCase());
    }
  }
  if (byPerson.size === 0) return TODO('add authors');
  return [...byPerson.values()].map(([name, ...roles]) => `${mdInline(name)} (${roles.join(', ')})`).join(', ');
}

/** What a document may say about an artifact: its label and file, never its internal id. */
export type ArtifactRef = Pick<Artifact, 'id' | 'name' | 'label' | 'role'>;

/** "poetry.lock (label: deps, last known good)"; an artifact no longer listed is "a removed artifact". */
export function artifactName(id: number, artifacts: readonly ArtifactRef[]): string {
  const a = artifacts.find((x) => x.id === id);
  if (!a) return 'a removed artifact';
  const bits = [a.label ? `label: ${a.label}` : null, ARTIFACT_ROLE_LABELS[a.role]?.toLowerCase() ?? null].filter(Boolean);
  return `${mdCode(a.name)}${bits.length ? ` (${bits.map((b) => mdInline(b!)).join(', ')})` : ''}`;
}

function evidenceLines(f: Finding, timeline: TimelineEvent[], artifacts: readonly ArtifactRef[]): string[] {
  const out: string[] = [];
  for (const c of f.evidence?.changes ?? []) {
    const ba = c.before !== null || c.after !== null ? ` (${mdCode(String(c.before ?? '∅'))} → ${mdCode(String(c.after ?? '∅'))})` : '';
    out.push(`- ${mdInline(c.message)}${ba} — ${mdInline(c.kind)}, ${c.severity}`);
  }
  for (const id of f.evidence?.timelineEventIds ?? []) {
    const e = timeline.find((t) => t.id === id);
    if (e) out.push(`- Timeline ${utcSeconds(e.occurredAt) ?? ''} UTC: ${mdInline(e.body)}`);
  }
  const arts = f.evidence?.artifactIds ?? [];
  if (arts.length) out.push(`- Artifacts: ${arts.map((a) => artifactName(a, artifacts)).join(' → ')}`);
  return out;
}

function findingBlock(f: Finding, timeline: TimelineEvent[], artifacts: readonly ArtifactRef[]): string {
  const meta = [FAILURE_CLASS_LABELS[f.failureClass] ?? f.failureClass, f.rootCauseOrigin ? `origin: ${f.rootCauseOrigin}` : null, f.status === 'draft' ? 'draft' : null]
    .filter(Boolean)
    .join(' · ');
  const out = [`### ${mdInline(f.title)}`, '', `_${meta}_`];
  const d = mdText(f.description);
  if (d) out.push('', d);
  const ev = evidenceLines(f, timeline, artifacts);
  if (ev.length) out.push('', 'Evidence:', '', ...ev);
  return out.join('\n');
}

const phaseMs = (incident: Incident, p: Phase): number | null => {
  const e = incident.phases?.find((x) => x.phase === p);
  if (!e?.enteredAt || !e.exitedAt) return null;
  const ms = Date.parse(e.exitedAt) - Date.parse(e.enteredAt);
  return Number.isFinite(ms) ? ms : null;
};

/** Split free-text lessons into the three SRE buckets when the text uses those headings. */
function lessonBuckets(text: string): { well: string[]; wrong: string[]; lucky: string[]; other: string[] } {
  const out = { well: [] as string[], wrong: [] as string[], lucky: [] as string[], other: [] as string[] };
  let cur: keyof typeof out = 'other';
  for (const line of block(text).split('\n')) {
    const h = /^\s*(?:#+\s*)?(?:\*\*)?\s*(what\s+went\s+well|went\s+well|what\s+went\s+wrong|went\s+wrong|where\s+we\s+got\s+lucky|we\s+got\s+lucky|got\s+lucky|lucky)\s*(?:\*\*)?\s*:?\s*(.*)$/i.exec(line);
    if (h) {
      const w = h[1].toLowerCase();
      cur = w.includes('well') ? 'well' : w.includes('wrong') ? 'wrong' : 'lucky';
      if (h[2].trim()) out[cur].push(h[2].trim());
      continue;
    }
    if (line.trim()) out[cur].push(line);
  }
  return out;
}

const asBullets = (lines: string[]) => lines.map((l) => (/^\s*([-*+]|\d+\.)\s/.test(l) ? mdText(l) : `- ${mdInline(l)}`));

function timelineRows(incident: Incident): { at: string; phase: string; kind: string; body: string }[] {
  const rows: { t: number; at: string; phase: string; kind: string; body: string }[] = [];
  const events = [...(incident.timeline ?? [])];
  for (const e of events) {
    const t = Date.parse(e.occurredAt);
    const edited = e.editedAt ? ' (edited)' : '';
    rows.push({ t, at: utcSeconds(e.occurredAt) ?? e.occurredAt, phase: PHASE_DEFS[e.phase]?.label ?? e.phase, kind: e.kind.replace('_', ' '), body: oneLine(e.body) + edited });
  }
  // Phase changes and early-gate reasons the timeline does not already carry.
  const hasPhaseEvents = events.some((e) => e.kind === 'phase_change');
  for (const p of incident.phases ?? []) {
    const label = PHASE_DEFS[p.phase]?.label ?? p.phase;
    if (!hasPhaseEvents && p.enteredAt) {
      rows.push({ t: Date.parse(p.enteredAt), at: utcSeconds(p.enteredAt) ?? p.enteredAt, phase: label, kind: 'phase change', body: `Entered ${label}` });
    }
    const reason = oneLine(p.earlyReason);
    if (reason && p.exitedAt && !events.some((e) => e.kind === 'phase_change' && oneLine(e.body).includes(reason))) {
      rows.push({ t: Date.parse(p.exitedAt), at: utcSeconds(p.exitedAt) ?? p.exitedAt, phase: label, kind: 'phase change', body: `${label} gate passed early. Reason: ${reason}` });
    }
  }
  if (incident.startedAt && !events.some((e) => e.occurredAt === incident.startedAt)) {
    rows.push({ t: Date.parse(incident.startedAt), at: utcSeconds(incident.startedAt) ?? incident.startedAt, phase: '—', kind: 'impact', body: 'Impact began' });
  }
  return rows
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => (Number.isFinite(a.t) ? a.t : Infinity) - (Number.isFinite(b.t) ? b.t : Infinity) || a.i - b.i);
}

/** The postmortem draft (shape in the header of this file). */
export function generatePostmortem(incident: Incident, findings: Finding[], actionItems: ActionItem[], artifacts: readonly ArtifactRef[] = []): string {
  const active = findings.filter((f) => f.status !== 'rejected').sort((a, b) => a.id - b.id);
  const byRole = (r: Finding['role']) => active.filter((f) => f.role === r);
  const timeline = incident.timeline ?? [];
  const pb = playbookFor(incident.failureClass);
  const m = incident.metrics ?? { timeToDetectMs: null, timeToAcknowledgeMs: null, timeToMitigateMs: null, timeToResolveMs: null };
  const out: string[] = [];
  const P = (...lines: string[]) => out.push(...lines);

  // Header
  const date = utcSeconds(incident.startedAt ?? incident.detectedAt)?.slice(0, 10) ?? TODO('date');
  P(`# Postmortem: ${mdInline(incident.title) || '(untitled incident)'} (${incident.key})`, '');
  P(`- **Date:** ${date}`);
  P(`- **Authors:** ${authors(incident)}`);
  P(`- **Status:** ${statusLine(incident, actionItems)}`);
  P(`- **Severity:** ${incident.severity} (${SEVERITY_LABELS[incident.severity]})`);
  P(`- **Service:** ${mdInline(incident.service) || TODO('service')}`);
  P(`- **Failure class:** ${FAILURE_CLASS_LABELS[incident.failureClass]}${incident.rootCauseOrigin ? ` (root-cause origin: ${incident.rootCauseOrigin})` : ''}`);
  if (incident.isDrill) P('- **Drill:** yes — a practice incident, kept out of real analytics');
  P('');

  // Summary
  P('## Summary', '', mdText(incident.summary) || TODO('one paragraph: what happened, to whom, for how long, and how it ended'), '');

  // Impact
  P('## Impact', '');
  P(mdText(incident.impact) || TODO('who and what was affected: users, requests, predictions, revenue, SLOs'));
  const impactStart = incident.startedAt ?? incident.detectedAt;
  const mitigateExit = incident.phases?.find((p) => p.phase === 'mitigate')?.exitedAt ?? null;
  const impactEnd = incident.mitigationVerifiedAt ?? mitigateExit;
  const dur = impactStart && impactEnd ? humanDuration(Date.parse(impactEnd) - Date.parse(impactStart)) : null;
  if (dur) {
    const how = incident.mitigationVerifiedAt ? 'the mitigation was verified' : 'the mitigate phase ended';
    P('', `Impact lasted about ${dur}, from ${utcSeconds(impactStart)} UTC until ${how} (${utcSeconds(impactEnd)} UTC).`);
  }
  P('');

  // Root causes
  P('## Root causes', '');
  const roots = byRole('root_cause');
  if (roots.length) P(roots.map((f) => findingBlock(f, timeline, artifacts)).join('\n\n'));
  else if (oneLine(incident.hypothesis)) P(`Working hypothesis (no finding marked as root cause yet): ${mdInline(incident.hypothesis)}`);
  else P(TODO('no root cause recorded yet — mark a finding as root cause, or write "unknown" with what was ruled out'));
  const contributing = byRole('contributing');
  if (contributing.length) P('', '### Contributing factors', '', ...contributing.map((f) => `- ${mdInline(f.title)}${f.description ? ` — ${mdInline(f.description)}` : ''}`));
  P('');

  // Trigger
  P('## Trigger', '');
  const triggers = byRole('trigger');
  if (triggers.length) P(triggers.map((f) => findingBlock(f, timeline, artifacts)).join('\n\n'));
  else P(TODO('the change or event that set the root cause off (a deploy, a data load, an upstream release, a traffic shift)'));
  P('');

  // Resolution
  P('## Resolution', '');
  const mitigation = mdText(incident.mitigation);
  const verified = utcSeconds(incident.mitigationVerifiedAt);
  P(`**Mitigation:** ${mitigation ? (mitigation.includes('\n') ? `\n\n${mitigation}` : mitigation) : TODO('temporary fix or rollback')}`);
  P('', verified ? `Verified ${verified} UTC.` : '**Not verified** — a rollback is not done until the previous stable version is serving and behaving.');
  const mit = mitigationHonesty(incident);
  if (mit.early) P('', `**The mitigate gate was passed early** (${mit.phrase}). Reason given: ${mdInline(mit.early.reason)}`);
  const resolution = mdText(incident.resolution);
  P('', `**Permanent fix:** ${resolution ? (resolution.includes('\n') ? `\n\n${resolution}` : resolution) : TODO('permanent fix, or "pending" with the action item that tracks it')}`, '');

  // Detection
  P('## Detection', '');
  const ttd = humanDuration(m.timeToDetectMs);
  const ttdMin = m.timeToDetectMs !== null ? m.timeToDetectMs / 60_000 : null;
  P(`- **Impact began:** ${utcSeconds(incident.startedAt) ? `${utcSeconds(incident.startedAt)} UTC` : TODO('unknown — set the start of impact to measure TTD')}`);
  P(`- **Detected:** ${utcSeconds(incident.detectedAt) ?? '—'} UTC${ttd ? ` — time to detect (TTD) ${ttd}` : ''}`);
  const first = [...timeline].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt)).find((e) => e.kind !== 'phase_change') ?? null;
  P(`- **How:** ${first ? `first recorded signal: ${mdInline(first.body)}` : TODO('the alert, dashboard or report that raised it — and whether a check should have fired sooner')}`);
  const metricParts = [
    ['acknowledge', humanDuration(m.timeToAcknowledgeMs)],
    ['mitigate', humanDuration(m.timeToMitigateMs)],
    ['resolve', humanDuration(m.timeToResolveMs)],
  ].filter(([, v]) => v);
  const ttmNote = mit.left && mit.state !== 'verified' ? ' (unverified: mitigation not verified — the clock stopped, the fix may not have worked)' : '';
  if (metricParts.length) P(`- **From detection to:** ${metricParts.map(([k, v]) => `${k} ${v}${k === 'mitigate' ? ttmNote : ''}`).join(', ')}`);
  const tier = maturityTier(incident);
  P(`- **Maturity tier (seed 002: world-class MTTD < 5 min, MTTR < 30 min):** ${tier.tier ? `${tier.tier} — ${mdInline(tier.why)}` : mdInline(tier.why)}`);
  const gaps = byRole('detection_gap');
  if (gaps.length) P('', '### Detection gaps', '', ...gaps.map((f) => `- ${mdInline(f.title)}${f.description ? ` — ${mdInline(f.description)}` : ''}`));
  P('');

  // Action items
  P('## Action items', '');
  P('| Action item | Type | Owner | Due | Status |', '|---|---|---|---|---|');
  if (actionItems.length) {
    for (const a of actionItems) {
      P(`| ${mdCell(a.title)} | ${ACTION_ITEM_TYPE_LABELS[a.type] ?? mdCell(a.type)} | ${mdCell(a.owner) === ' ' ? '**unowned**' : mdCell(a.owner)} | ${mdCell(a.dueDate ?? '—')} | ${ACTION_ITEM_STATUS_LABELS[a.status] ?? mdCell(a.status)} |`);
    }
  } else P(`| ${TODO('no action items yet')} | | | | |`);
  if (actionItems.length === 0) {
    const tests = testableFindings(active).length ? [`Run ${mdCode(`${REGRESSION_TESTS_DIR}/${regressionTestFileName(incident)}`)} in CI (preventative)`] : [];
    P('', `Candidates (from the findings and the ${pb.label.toLowerCase()} playbook):`, '', ...[...tests, ...pb.prevention.map(mdInline)].map((s) => `- ${s}`));
  }
  P('');

  // Lessons learned
  P('## Lessons learned', '');
  const buckets = lessonBuckets(incident.lessons ?? '');
  if (buckets.other.length) P(...asBullets(buckets.other), '');
  const well: string[] = [...buckets.well];
  const wrong: string[] = [...buckets.wrong];
  if (incident.mitigationVerifiedAt) well.push('The mitigation was verified before the incident left the mitigate phase.');
  for (const p of PHASES) {
    const def = PHASE_DEFS[p];
    const ms = phaseMs(incident, p);
    if (def.budgetMinutes === null || ms === null) continue;
    if (ms > def.budgetMinutes * 60_000) wrong.push(`${def.label} took ${humanDuration(ms)}, over its ${def.budgetLabel} budget.`);
  }
  for (const p of incident.phases ?? []) {
    if (p.earlyReason) wrong.push(`${PHASE_DEFS[p.phase]?.label ?? p.phase} gate passed early: ${oneLine(p.earlyReason)}`);
  }
  for (const f of gaps) wrong.push(`Detection gap: ${oneLine(f.title)}`);
  if (ttdMin !== null && ttdMin <= 5) well.push(`Detected within ${humanDuration(m.timeToDetectMs)} of impact (world-class MTTD is under 5 min).`);
  P('### What went well', '', ...(well.length ? asBullets(well) : [TODO('what helped: alerts, runbooks, tooling, people')]), '');
  P('### What went wrong', '', ...(wrong.length ? asBullets(wrong) : [TODO('what hurt: missing checks, slow detection, unclear ownership')]), '');
  P('### Where we got lucky', '', ...(buckets.lucky.length ? asBullets(buckets.lucky) : [TODO('what could have made this much worse and did not happen')]), '');

  // Timeline
  P('## Timeline', '', 'All times UTC.', '');
  const rows = timelineRows(incident);
  if (rows.length) {
    P('| Time (UTC) | Phase | Kind | Event |', '|---|---|---|---|');
    for (const r of rows) P(`| ${mdCell(r.at)} | ${mdCell(r.phase)} | ${mdCell(r.kind)} | ${mdCell(r.body)} |`);
  } else P(TODO('no timeline events recorded'));
  P('');

  // Supporting information
  P('## Supporting information', '');
  if (active.length) {
    P('Findings:', '');
    for (const f of active) {
      const gen = f.genKind ? ` — generator ${mdCode(f.genKind)}` : '';
      P(`- **${FINDING_ROLE_LABELS[f.role] ?? f.role}:** ${mdInline(f.title)}${gen}`);
      for (const l of evidenceLines(f, timeline, artifacts)) P(`  ${l}`);
    }
    P('');
  }
  const tests = testableFindings(active);
  if (tests.length) P(`Regression tests: ${mdCode(`${REGRESSION_TESTS_DIR}/${regressionTestFileName(incident)}`)} (${tests.length} finding${tests.length === 1 ? '' : 's'} covered).`, '');
  P(`Playbook: ${pb.label.toLowerCase()} failures — ${mdInline(pb.description)}`);
  return out.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
