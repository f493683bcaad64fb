// Drill scenario content files (DESIGN §8, issue 5): schema, type and parser. Pure TypeScript.
//
// A scenario is content: briefing, symptoms, evidence cards (logs, metric snapshots, real artifact pairs
// the diff engine diffs), the expected classification, the candidate checks and their ideal order,
// actions (tempting wrong ones among them), the correct mitigation and the debrief. One JSON file per
// scenario in ./library, file name = `${id}.json`.
import { z } from 'zod';
import { lazySchema } from '../lazy';
import { FAILURE_CLASSES, PHASES, ROOT_CAUSE_ORIGINS, SEVERITIES } from '../domain';
import { ARTIFACT_KINDS } from '../diff/types';
import { CHECK_STAGES, GENERAL_ANTI_PATTERNS } from '../playbook';

/** Bump when the file format changes incompatibly (files carry their own content `version`). */
export const SCENARIO_FORMAT_VERSION = 1;

/** Scenario ids: kebab case, also the file name without `.json`. */
export const SCENARIO_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Card, check and action ids within a scenario. */
export const SCENARIO_ITEM_ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,80}$/;

export const EVIDENCE_KINDS = ['log', 'metric', 'artifact-pair', 'note', 'dashboard'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const DIFFICULTY_LEVELS = ['intro', 'intermediate', 'advanced'] as const;
export type DifficultyLevel = (typeof DIFFICULTY_LEVELS)[number];

/** The seeds the drills are built from (issue 5). */
export const SCENARIO_SEEDS = ['000', '001', '002', '003', '004'] as const;

/** Anti-pattern ids a tempting action can be tagged with: the playbook's general ones plus drill-specific ones. */
export const DRILL_ANTI_PATTERNS = [
  ...GENERAL_ANTI_PATTERNS.map((a) => a.id),
  /** Adding replicas / resources before knowing why pods fail or are slow (e.g. scaling up a leaking pod). */
  'scale-without-diagnosis',
  /** Muting the alert or closing the incident because the symptom looks like noise. */
  'dismiss-as-noise',
] as const;

const nonEmpty = (what: string) => z.string().trim().min(1, `${what} must not be empty`);
const itemId = lazySchema(() => z.string().regex(SCENARIO_ITEM_ID_PATTERN, 'must be a lowercase id (a-z, 0-9, . _ -)'));

export const artifactSideSchema = lazySchema(() => z.strictObject({
  /** File name as the engineer would have it (drives kind detection): requirements.txt, deployment.yaml… */
  name: nonEmpty('name'),
  /** Kind hint passed to the diff engine. */
  kind: z.enum(ARTIFACT_KINDS),
  /** The file content, inline, as text. */
  content: z.string(),
}));
export type ScenarioArtifact = z.infer<typeof artifactSideSchema>;

const cardBase = {
  id: itemId,
  title: nonEmpty('title'),
  /** Markdown / plain text: log lines with timestamps, small metric tables, or what an artifact pair is. */
  body: nonEmpty('body'),
  /** Seconds added to the responder's time when the card is requested (0 = free). */
  revealCost: z.number().int().min(0).max(3600),
  /** True when the card bears on the diagnosis (including ruling causes out); false for red herrings. */
  relevant: z.boolean(),
  /** Shown to the game master only: what the card proves, or how to hand it out. */
  gmNote: z.string().optional(),
  /** Released at the start with the briefing (no request needed). */
  initiallyVisible: z.boolean().optional(),
};

export const evidenceCardSchema = lazySchema(() => z.discriminatedUnion('kind', [
  z.strictObject({ ...cardBase, kind: z.enum(['log', 'metric', 'note', 'dashboard']) }),
  z.strictObject({ ...cardBase, kind: z.literal('artifact-pair'), before: artifactSideSchema, after: artifactSideSchema }),
]));
export type EvidenceCard = z.infer<typeof evidenceCardSchema>;
export type ArtifactPairCard = Extract<EvidenceCard, { kind: 'artifact-pair' }>;

export const scenarioCheckSchema = lazySchema(() => z.strictObject({
  /** Scenario-specific id, or a playbook first-check id (shared/playbook). */
  id: itemId,
  title: nonEmpty('title'),
  stage: z.enum(CHECK_STAGES),
  /** What the check involves (commands, where to look). */
  detail: z.string().optional(),
  /** Evidence cards a game master releases when this check is ordered. */
  reveals: z.array(itemId).optional(),
}));
export type ScenarioCheck = z.infer<typeof scenarioCheckSchema>;

export const scenarioActionSchema = lazySchema(() => z.strictObject({
  id: itemId,
  title: nonEmpty('title'),
  /** The action the team will want to take under pressure (always a wrong one here). */
  tempting: z.boolean(),
  correct: z.boolean(),
  /** Required when the action is not correct. */
  whyWrong: z.string().optional(),
  /** Required when the action is correct. */
  why: z.string().optional(),
  antiPattern: z.enum(DRILL_ANTI_PATTERNS).optional(),
}));
export type ScenarioAction = z.infer<typeof scenarioActionSchema>;

export const scenarioSourceSchema = lazySchema(() => z.strictObject({
  seed: z.enum(SCENARIO_SEEDS),
  /** Which part of the seed, e.g. "Scenario 2: Kubernetes Pod Crashes in Production". */
  section: nonEmpty('section'),
}));

export const scenarioSchema = lazySchema(() => z
  .strictObject({
    id: z.string().regex(SCENARIO_ID_PATTERN, 'must be kebab case (a-z, 0-9, single hyphens)'),
    /** Content version of this scenario; bump when its answers or evidence change. */
    version: z.number().int().min(1),
    title: nonEmpty('title'),
    /** One line for the library list. */
    summary: nonEmpty('summary'),
    difficulty: z.union([z.number().int().min(1).max(5), z.enum(DIFFICULTY_LEVELS)]),
    expectedDurationMinutes: z.number().int().min(5).max(240),
    sources: z.array(scenarioSourceSchema).min(1),
    tags: z.array(itemId).optional(),
    /** Service and initial severity of the drill incident the runner opens. */
    service: nonEmpty('service'),
    severity: z.enum(SEVERITIES),
    /** What the responder sees first. */
    briefing: nonEmpty('briefing'),
    symptoms: z.array(nonEmpty('symptom')).min(1),
    evidence: z.array(evidenceCardSchema).min(1).max(30),
    expected: z.strictObject({
      failureClass: z.enum(FAILURE_CLASSES),
      rootCauseOrigin: z.enum(ROOT_CAUSE_ORIGINS),
      rootCause: nonEmpty('rootCause'),
      /** Other classes worth partial credit (defensible readings of the same evidence). */
      acceptableClasses: z.array(z.enum(FAILURE_CLASSES)).optional(),
      acceptableOrigins: z.array(z.enum(ROOT_CAUSE_ORIGINS)).optional(),
    }),
    checks: z.array(scenarioCheckSchema).min(2),
    /** Every check id exactly once, in the order an expert would run them. */
    idealCheckOrder: z.array(itemId).min(2),
    actions: z.array(scenarioActionSchema).min(2),
    correctMitigation: z.strictObject({
      text: nonEmpty('text'),
      rollbackCriteria: z.array(nonEmpty('rollback criterion')).min(1),
      verification: z.array(nonEmpty('verification step')).min(1),
    }),
    debriefPoints: z.array(nonEmpty('debrief point')).min(1),
    /** Optional per-phase time budgets (minutes) for scoring; the runner's defaults apply otherwise. */
    phaseBudgetsMinutes: z.partialRecord(z.enum(PHASES), z.number().int().min(1).max(240)).optional(),
  })
  .superRefine((s, ctx) => {
    const dup = (list: { id: string }[], field: 'evidence' | 'checks' | 'actions') => {
      const seen = new Map<string, number>();
      list.forEach((x, i) => {
        if (seen.has(x.id)) ctx.addIssue({ code: 'custom', path: [field, i, 'id'], message: `duplicate id "${x.id}" (also ${field}[${seen.get(x.id)}])` });
        else seen.set(x.id, i);
      });
    };
    dup(s.evidence, 'evidence');
    dup(s.checks, 'checks');
    dup(s.actions, 'actions');

    const cardIds = new Set(s.evidence.map((c) => c.id));
    s.checks.forEach((c, i) =>
      (c.reveals ?? []).forEach((r, j) => {
        if (!cardIds.has(r)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'reveals', j], message: `unknown evidence card "${r}"` });
      }),
    );

    const checkIds = new Set(s.checks.map((c) => c.id));
    const inOrder = new Set<string>();
    s.idealCheckOrder.forEach((id, i) => {
      if (!checkIds.has(id)) ctx.addIssue({ code: 'custom', path: ['idealCheckOrder', i], message: `unknown check "${id}"` });
      if (inOrder.has(id)) ctx.addIssue({ code: 'custom', path: ['idealCheckOrder', i], message: `check "${id}" listed twice` });
      inOrder.add(id);
    });
    s.checks.forEach((c, i) => {
      if (!inOrder.has(c.id)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'id'], message: `check "${c.id}" is missing from idealCheckOrder` });
    });

    s.actions.forEach((a, i) => {
      if (a.tempting && a.correct) ctx.addIssue({ code: 'custom', path: ['actions', i, 'correct'], message: 'a tempting action is a wrong one: it cannot also be correct' });
      if (!a.correct && !a.whyWrong?.trim()) ctx.addIssue({ code: 'custom', path: ['actions', i, 'whyWrong'], message: 'an action that is not correct needs whyWrong' });
      if (a.correct && !a.why?.trim()) ctx.addIssue({ code: 'custom', path: ['actions', i, 'why'], message: 'a correct action needs why' });
    });
    if (!s.actions.some((a) => a.correct)) ctx.addIssue({ code: 'custom', path: ['actions'], message: 'at least one action must be correct' });

    s.evidence.forEach((c, i) => {
      if (c.kind === 'artifact-pair' && c.before.content === c.after.content)
        ctx.addIssue({ code: 'custom', path: ['evidence', i, 'after', 'content'], message: 'before and after are identical: an artifact pair must differ' });
    });

    const acc = s.expected.acceptableClasses ?? [];
    if (acc.includes(s.expected.failureClass))
      ctx.addIssue({ code: 'custom', path: ['expected', 'acceptableClasses'], message: 'must not repeat the expected failureClass' });
    const accO = s.expected.acceptableOrigins ?? [];
    if (accO.includes(s.expected.rootCauseOrigin))
      ctx.addIssue({ code: 'custom', path: ['expected', 'acceptableOrigins'], message: 'must not repeat the expected rootCauseOrigin' });
  }));

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioDifficulty = Scenario['difficulty'];

export interface ScenarioIssue {
  /** Field path, e.g. "evidence[2].before.kind" ("(root)" for the whole file). */
  path: string;
  message: string;
}

/** Thrown by parseScenario: the message names the file and every failing field path. */
export class ScenarioParseError extends Error {
  readonly fileName: string;
  readonly issues: ScenarioIssue[];
  constructor(fileName: string, issues: ScenarioIssue[]) {
    const lines = issues.slice(0, 20).map((i) => `  ${fileName}: ${i.path}: ${i.message}`);
    if (issues.length > 20) lines.push(`  … and ${issues.length - 20} more`);
    super(`Invalid scenario ${fileName} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'ScenarioParseError';
    this.fileName = fileName;
    this.issues = issues;
  }
}

/** "evidence", 2, "before", "kind" → "evidence[2].before.kind". */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += (out ? '.' : '') + String(p);
  }
  return out || '(root)';
}

/** Base name without directories and without `.json`. */
function stem(fileName: string): string {
  const base = fileName.replace(/\\/g, '/').split('/').pop() ?? fileName;
  return base.replace(/\.json$/i, '');
}

/**
 * Validate one scenario file. `json` is the parsed value or the raw text. Throws ScenarioParseError naming
 * the file and each field path; also checks that the id equals the file name (without `.json`).
 */
export function parseScenario(json: unknown, fileName: string): Scenario {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new ScenarioParseError(fileName, [{ path: '(root)', message: `not valid JSON: ${(e as Error).message}` }]);
    }
  }
  const r = scenarioSchema.safeParse(value);
  if (!r.success) {
    throw new ScenarioParseError(
      fileName,
      r.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message })),
    );
  }
  const expectedId = stem(fileName);
  if (fileName && r.data.id !== expectedId) {
    throw new ScenarioParseError(fileName, [{ path: 'id', message: `id "${r.data.id}" must equal the file name "${expectedId}"` }]);
  }
  return r.data;
}

/** Artifact-pair cards of a scenario. */
export function artifactPairs(s: Scenario): ArtifactPairCard[] {
  return s.evidence.filter((c): c is ArtifactPairCard => c.kind === 'artifact-pair');
}

/** Difficulty as 1–5 (intro = 1, intermediate = 3, advanced = 5) for sorting and filters. */
export function difficultyRank(d: ScenarioDifficulty): number {
  if (typeof d === 'number') return d;
  return d === 'intro' ? 1 : d === 'intermediate' ? 3 : 5;
}
