// Turn a resolved incident into a drill scenario (issue 5 §4). Pure: the service passes the incident, its
// artifacts with their text, and the author's answers; this builds the content file and validates it.
//
// Evidence cards: timeline events of kind evidence/note (actions, decisions and comms record the response —
// the answers — and are left out), the proposed last-known-good → failing artifact pairs (their text becomes
// inline before/after content the diff engine diffs), and the remaining text artifacts. Defaults the author
// can override: checks and their order from the playbook's first checks for the expected class, a tempting
// wrong action from the playbook plus a general anti-pattern, the incident's recorded mitigation as the
// correct action, rollback criteria and verification from the playbook, debrief points from the lessons.
import type { Artifact } from '../artifacts';
import { proposePairs } from '../artifacts';
import type { Incident } from '../domain';
import { GENERAL_ANTI_PATTERNS, playbookFor } from '../playbook';
import {
  formatIssuePath, scenarioSchema, SCENARIO_ID_PATTERN, SCENARIO_ITEM_ID_PATTERN,
  type EvidenceCard, type Scenario, type ScenarioAction, type ScenarioCheck, type ScenarioDifficulty, type ScenarioIssue,
} from '../scenarios/schema';

/** Per-card choices of the author (card ids as the builder names them: tl-<event>, pair-<a>-<b>, art-<id>). */
export interface CardOverride {
  id: string;
  title?: string;
  relevant?: boolean;
  revealCost?: number;
  initiallyVisible?: boolean;
  gmNote?: string;
  /** Leave the card out. */
  exclude?: boolean;
}

export interface ScenarioAuthoring {
  id?: string;
  title?: string;
  summary?: string;
  briefing?: string;
  symptoms?: string[];
  difficulty?: ScenarioDifficulty;
  expectedDurationMinutes?: number;
  tags?: string[];
  expected: Scenario['expected'];
  checks?: ScenarioCheck[];
  idealCheckOrder?: string[];
  actions?: ScenarioAction[];
  correctMitigation?: Partial<Scenario['correctMitigation']>;
  debriefPoints?: string[];
  cards?: CardOverride[];
}

export interface ArtifactText {
  artifact: Artifact;
  /** null when the artifact has no text form (binary, parquet) or is too large to inline. */
  text: string | null;
  truncated?: boolean;
}

export interface BuiltScenario {
  draft: Scenario;
  cardSources: { cardId: string; from: 'timeline' | 'artifact-pair' | 'artifact'; ref: string }[];
  skipped: { ref: string; reason: string }[];
  /** Problems in the author's card overrides (unknown ids). */
  issues: ScenarioIssue[];
}

export const MAX_SCENARIO_CARDS = 30;
/** Largest artifact text inlined into a scenario file (per side). */
export const MAX_INLINE_CHARS = 200_000;
const MAX_SINGLE_BODY_CHARS = 20_000;

export function slugify(s: string, max = 48): string {
  const slug = s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // Cut at a word boundary when it is long.
  const cut = slug.length <= max ? slug : slug.lastIndexOf('-', max) > max / 2 ? slug.slice(0, slug.lastIndexOf('-', max)) : slug.slice(0, max);
  return cut.replace(/-+$/g, '') || 'scenario';
}

/** Default scenario id: slug of the title + the incident key ("fraud-model-accuracy-dropped-inc-0007"). */
export function defaultScenarioId(inc: Pick<Incident, 'title' | 'key'>): string {
  const id = `${slugify(inc.title)}-${inc.key.toLowerCase()}`;
  return SCENARIO_ID_PATTERN.test(id) ? id : `incident-${inc.key.toLowerCase()}`;
}

const firstLine = (s: string, max = 90) => {
  const line = s.trim().split(/\r?\n/).find((l) => l.trim())?.trim().replace(/^[#>*\-\s]+/, '') ?? '';
  return line.length > max ? line.slice(0, max - 1).trimEnd() + '…' : line;
};
const looksLikeLog = (s: string) => /^\s*\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(s);
const lines = (s: string) =>
  s
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim())
    .filter(Boolean);

interface Candidate {
  card: EvidenceCard;
  from: 'timeline' | 'artifact-pair' | 'artifact';
  ref: string;
  /** Lower = kept first when over the card limit. */
  priority: number;
  /** Display order. */
  order: number;
}

export function buildScenarioFromIncident(inc: Incident, artifacts: ArtifactText[], a: ScenarioAuthoring): BuiltScenario {
  const skipped: BuiltScenario['skipped'] = [];
  const issues: ScenarioIssue[] = [];
  const candidates: Candidate[] = [];
  let order = 0;

  // Timeline: evidence and notes, oldest first.
  const events = inc.timeline.filter((e) => e.kind === 'evidence' || e.kind === 'note');
  for (const e of events) {
    const when = e.occurredAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    candidates.push({
      card: {
        id: `tl-${e.id}`,
        kind: looksLikeLog(e.body) ? 'log' : 'note',
        title: firstLine(e.body) || `Timeline ${e.kind} at ${when}`,
        body: `_${when} · ${e.phase} · ${e.kind}_\n\n${e.body}`,
        revealCost: 15,
        relevant: true,
      },
      from: 'timeline',
      ref: `timeline event ${e.id}`,
      priority: 1,
      order: order++,
    });
  }

  // Artifact pairs as the workbench proposes them; their text becomes inline content.
  const textById = new Map(artifacts.map((x) => [x.artifact.id, x]));
  const usable = (x: ArtifactText | undefined, ref: string): string | null => {
    if (!x || x.text === null) {
      skipped.push({ ref, reason: 'no text form (binary or parquet)' });
      return null;
    }
    if (x.truncated || x.text.length > MAX_INLINE_CHARS) {
      skipped.push({ ref, reason: `too large to inline (over ${MAX_INLINE_CHARS} characters)` });
      return null;
    }
    return x.text;
  };
  const pairs = proposePairs(artifacts.map((x) => x.artifact));
  const paired = new Set<number>();
  for (const p of pairs) {
    const ref = `artifacts ${p.before.id} → ${p.after.id}`;
    paired.add(p.before.id);
    paired.add(p.after.id);
    const before = usable(textById.get(p.before.id), `artifact ${p.before.id} (${p.before.name})`);
    const after = usable(textById.get(p.after.id), `artifact ${p.after.id} (${p.after.name})`);
    if (before === null || after === null) continue;
    if (before === after) {
      skipped.push({ ref, reason: 'both sides are identical' });
      continue;
    }
    const label = p.before.label || p.after.label;
    candidates.push({
      card: {
        id: `pair-${p.before.id}-${p.after.id}`,
        kind: 'artifact-pair',
        title: label ? `${label}: ${p.before.name} → ${p.after.name}` : `${p.before.name} → ${p.after.name}`,
        body: `The last-known-good \`${p.before.name}\` and the failing \`${p.after.name}\` (${p.kind}). Diff them.`,
        revealCost: 30,
        relevant: true,
        before: { name: p.before.name, kind: p.before.kind, content: before },
        after: { name: p.after.name, kind: p.after.kind, content: after },
      },
      from: 'artifact-pair',
      ref,
      priority: 0,
      order: 1000 + order++,
    });
  }

  // Remaining text artifacts as single cards.
  for (const x of artifacts) {
    if (paired.has(x.artifact.id)) continue;
    const ref = `artifact ${x.artifact.id} (${x.artifact.name})`;
    if (x.text === null) {
      skipped.push({ ref, reason: 'no text form (binary or parquet)' });
      continue;
    }
    if (!x.text.trim()) {
      skipped.push({ ref, reason: 'empty' });
      continue;
    }
    const cut = x.text.length > MAX_SINGLE_BODY_CHARS || !!x.truncated;
    const text = x.text.slice(0, MAX_SINGLE_BODY_CHARS);
    candidates.push({
      card: {
        id: `art-${x.artifact.id}`,
        kind: x.artifact.kind === 'log' ? 'log' : 'note',
        title: `${x.artifact.role === 'failing' ? 'Failing' : x.artifact.role === 'last-known-good' ? 'Last known good' : 'Artifact'}: ${x.artifact.label || x.artifact.name}`,
        body: `\`${x.artifact.name}\` (${x.artifact.kind})${cut ? `, first ${MAX_SINGLE_BODY_CHARS} characters` : ''}:\n\n\`\`\`\n${text}\n\`\`\``,
        revealCost: 15,
        relevant: true,
      },
      from: 'artifact',
      ref,
      priority: 2,
      order: 2000 + order++,
    });
  }

  // Author overrides.
  const byId = new Map(candidates.map((c) => [c.card.id, c]));
  const excluded = new Set<string>();
  (a.cards ?? []).forEach((o, i) => {
    const c = byId.get(o.id);
    if (!c) {
      issues.push({ path: formatIssuePath(['cards', i, 'id']), message: `no card "${o.id}" in this incident (cards: ${[...byId.keys()].join(', ') || 'none'})` });
      return;
    }
    if (o.exclude) excluded.add(o.id);
    if (o.title !== undefined) c.card.title = o.title;
    if (o.relevant !== undefined) c.card.relevant = o.relevant;
    if (o.revealCost !== undefined) c.card.revealCost = o.revealCost;
    if (o.gmNote !== undefined) c.card.gmNote = o.gmNote;
    if (o.initiallyVisible !== undefined) c.card.initiallyVisible = o.initiallyVisible;
  });
  let kept = candidates.filter((c) => !excluded.has(c.card.id));
  if (kept.length > MAX_SCENARIO_CARDS) {
    const sorted = [...kept].sort((x, y) => x.priority - y.priority || x.order - y.order);
    for (const c of sorted.slice(MAX_SCENARIO_CARDS)) skipped.push({ ref: c.ref, reason: `over the ${MAX_SCENARIO_CARDS}-card limit` });
    const keep = new Set(sorted.slice(0, MAX_SCENARIO_CARDS));
    kept = kept.filter((c) => keep.has(c));
  }
  kept.sort((x, y) => x.order - y.order);
  // The earliest timeline card opens the drill unless the author chose.
  if (!kept.some((c) => c.card.initiallyVisible !== undefined)) {
    const first = kept.find((c) => c.from === 'timeline');
    if (first) first.card.initiallyVisible = true;
  }
  for (const c of kept) if (c.card.initiallyVisible === false) delete c.card.initiallyVisible;

  // Answers and content defaults from the playbook of the expected class.
  const pb = playbookFor(a.expected.failureClass);
  const checks: ScenarioCheck[] =
    a.checks ?? pb.firstChecks.map((c) => ({ id: c.id, title: c.title, stage: c.stage, ...(c.detail ? { detail: c.detail } : {}) }));
  const idealCheckOrder = a.idealCheckOrder ?? checks.map((c) => c.id);
  const mitigationText = (inc.mitigation || inc.resolution).trim();
  const actions: ScenarioAction[] = a.actions ?? defaultActions(a.expected.failureClass, mitigationText, inc.key);
  const lessons = lines(inc.lessons);
  const impactLines = lines(inc.impact);
  const detected = inc.detectedAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');

  const draft: Scenario = {
    id: a.id ?? defaultScenarioId(inc),
    version: 1,
    title: a.title ?? inc.title,
    summary: a.summary ?? `Replay of a past incident: ${inc.title}`,
    difficulty: a.difficulty ?? 'intermediate',
    expectedDurationMinutes: a.expectedDurationMinutes ?? 30,
    sources: [{ seed: '000', section: `Incident ${inc.key} (${inc.title}), replayed in seed 000's failure-drill format` }],
    tags: a.tags ?? ['from-incident', inc.key.toLowerCase()].filter((t) => SCENARIO_ITEM_ID_PATTERN.test(t)),
    service: inc.service || 'unknown-service',
    severity: inc.severity,
    briefing:
      a.briefing ??
      [
        `${detected}. **${inc.title}**${inc.service ? ` on **${inc.service}**` : ''} (${inc.severity}).`,
        inc.impact.trim() ? `Impact so far: ${inc.impact.trim()}` : '',
        'You are the on-call engineer. Find out what broke, and mitigate.',
      ]
        .filter(Boolean)
        .join('\n\n'),
    symptoms: a.symptoms ?? (impactLines.length ? impactLines.slice(0, 6) : [inc.title]),
    evidence: kept.map((c) => c.card),
    expected: a.expected,
    checks,
    idealCheckOrder,
    actions,
    correctMitigation: {
      text: a.correctMitigation?.text ?? mitigationText,
      rollbackCriteria: a.correctMitigation?.rollbackCriteria ?? [...pb.rollbackCriteria],
      verification: a.correctMitigation?.verification ?? [...pb.rollbackVerification],
    },
    debriefPoints: a.debriefPoints ?? (lessons.length ? lessons : [`Root cause: ${a.expected.rootCause}`]),
  };
  return {
    draft,
    cardSources: kept.map((c) => ({ cardId: c.card.id, from: c.from, ref: c.ref })),
    skipped,
    issues,
  };
}

function defaultActions(cls: Scenario['expected']['failureClass'], mitigation: string, key: string): ScenarioAction[] {
  const pb = playbookFor(cls);
  const general = GENERAL_ANTI_PATTERNS.find((x) => x.id === 'multiple-changes-at-once')!;
  const out: ScenarioAction[] = [
    {
      id: `tempting-${cls.replace(/_/g, '-')}`,
      title: pb.temptingWrongAction.action,
      tempting: true,
      correct: false,
      whyWrong: `${pb.temptingWrongAction.whyWrong} Instead: ${pb.temptingWrongAction.instead}`,
    },
    {
      id: general.id,
      title: general.title,
      tempting: true,
      correct: false,
      whyWrong: `${general.whyWrong} Instead: ${general.instead}`,
      antiPattern: general.id as ScenarioAction['antiPattern'],
    },
  ];
  if (mitigation) {
    out.push({ id: 'apply-recorded-mitigation', title: firstLine(mitigation, 200), tempting: false, correct: true, why: `This is what mitigated ${key}.` });
  }
  return out;
}

/** Validate a draft against the scenario schema; issues carry field paths. */
export function validateScenario(draft: unknown): { scenario: Scenario | null; issues: ScenarioIssue[] } {
  const r = scenarioSchema.safeParse(draft);
  if (r.success) return { scenario: r.data, issues: [] };
  return { scenario: null, issues: r.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message })) };
}

/** A scenario as its content file (same format as shared/scenarios/library/<id>.json). */
export function scenarioFileContent(s: Scenario): string {
  return JSON.stringify(s, null, 2) + '\n';
}

export function scenarioFilePath(id: string): string {
  return `drills/${id}.json`;
}
