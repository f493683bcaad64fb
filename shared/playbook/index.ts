// Versioned playbook content per failure class (DESIGN §5; seeds 000–004). Pure TypeScript.
import type { FailureClass, Phase } from '../domain';
import { FAILURE_CLASSES, PHASES, ROOT_CAUSE_ORIGINS } from '../domain';
import type { AntiPattern, CheckStage, ChecklistItem, ClassPlaybook, FirstCheck, TroubleshootingStage } from './types';
import { CHECK_STAGES, PLAYBOOK_ID_PATTERN } from './types';
import { DATA_PLAYBOOK } from './classes/data';
import { TRAINING_PLAYBOOK } from './classes/training';
import { VALIDATION_PLAYBOOK } from './classes/validation';
import { PACKAGING_PLAYBOOK } from './classes/packaging';
import { DEPLOYMENT_PLAYBOOK } from './classes/deployment';
import { SERVING_PLAYBOOK } from './classes/serving';
import { LIVE_BEHAVIOUR_PLAYBOOK } from './classes/live_behaviour';

export * from './types';

export const PLAYBOOK: Record<FailureClass, ClassPlaybook> = {
  data: DATA_PLAYBOOK,
  training: TRAINING_PLAYBOOK,
  validation: VALIDATION_PLAYBOOK,
  packaging: PACKAGING_PLAYBOOK,
  deployment: DEPLOYMENT_PLAYBOOK,
  serving: SERVING_PLAYBOOK,
  live_behaviour: LIVE_BEHAVIOUR_PLAYBOOK,
};

export function playbookFor(cls: FailureClass): ClassPlaybook {
  const pb = PLAYBOOK[cls];
  if (!pb) throw new Error(`no playbook for failure class "${String(cls)}"`);
  return pb;
}

export function checklistFor(cls: FailureClass, phase: Phase): ChecklistItem[] {
  return playbookFor(cls).checklists[phase] ?? [];
}

/** First checks of a class grouped by troubleshooting stage, in lifecycle order. */
export function firstChecksByStage(cls: FailureClass): { stage: TroubleshootingStage; checks: FirstCheck[] }[] {
  const checks = playbookFor(cls).firstChecks;
  return TROUBLESHOOTING_ORDER.map((stage) => ({ stage, checks: checks.filter((c) => c.stage === stage.stage) }));
}

/** Seed 000: "which artifact is deployed, whether the pipeline gates ran correctly, whether the endpoint can
 * serve valid requests, and whether drift or business KPIs show a true model-quality problem". */
export const TROUBLESHOOTING_ORDER: readonly TroubleshootingStage[] = [
  {
    stage: 'artifact',
    label: 'Which artifact is deployed',
    question: 'Is the model version, image digest and config actually taking traffic the one you think it is?',
  },
  {
    stage: 'gates',
    label: 'Did the pipeline gates run',
    question: 'Did ingestion, training, validation and approval gates run on this exact artifact — and pass without a bypass?',
  },
  {
    stage: 'endpoint',
    label: 'Can the endpoint serve valid requests',
    question: 'Does a known-valid request get a timely, well-formed answer? Any 4xx/5xx, crashes, latency or silent fallbacks?',
  },
  {
    stage: 'quality',
    label: 'Is there a real model-quality problem',
    question: 'Do drift dashboards and business KPIs, per segment, show that the model itself is wrong?',
  },
] as const;

export const STAGE_LABELS: Record<CheckStage, string> = Object.fromEntries(
  TROUBLESHOOTING_ORDER.map((s) => [s.stage, s.label]),
) as Record<CheckStage, string>;

/** Anti-patterns that apply to every class (seeds 000, 002, 004). */
export const GENERAL_ANTI_PATTERNS: readonly AntiPattern[] = [
  {
    id: 'change-before-classify',
    title: 'Changing anything before classifying the failure',
    whyWrong: 'Without knowing the broken stage you are guessing; every guess changes the system you are trying to observe.',
    instead: 'Classify the failure first (data, training, validation, packaging, deployment, serving, live behaviour), then debug in lifecycle order.',
  },
  {
    id: 'multiple-changes-at-once',
    title: 'Changing multiple things at once before confirming the failure layer',
    whyWrong: 'If the symptom goes away you do not know which change fixed it; if it does not, you have added new unknowns and may have broken the rollback path.',
    instead: 'One recorded change at a time — a rollback counts as one — and verify after each.',
  },
  {
    id: 'retrain-first',
    title: 'Jumping straight to retraining',
    whyWrong: 'Retraining is not always the answer: many failures come from deployment, schema, routing or pipeline issues, and retraining on bad inputs bakes them in.',
    instead: 'Check the artifact, the gates and the endpoint first; retrain only when drift is real and the data is validated.',
  },
  {
    id: 'bypass-gates',
    title: 'Bypassing validation gates to ship',
    whyWrong: 'Bypassing a gate ships an unverified model and leaves no record to compare against when it goes wrong.',
    instead: 'Fix the validation issue, or escalate for an accountable, recorded review of the risk.',
  },
  {
    id: 'unverified-rollback',
    title: 'Declaring victory after a rollback without verifying it',
    whyWrong: 'Config, routing, feature pipelines, caches and queued outputs can still reflect the failed release; customers may see bad output for many more minutes.',
    instead: 'Prove the previous stable version is serving and behaving correctly: version, error rate, prediction distribution, caches and downstream consumers.',
  },
  {
    id: 'technical-green-is-business-green',
    title: 'Treating technical green as business green',
    whyWrong: 'ML failures are often silent: the endpoint answers 200 OK on wrong inputs for weeks while dashboards stay green.',
    instead: 'Check drift, prediction distributions and business KPIs, per segment, before closing.',
  },
  {
    id: 'global-averages',
    title: 'Trusting global averages',
    whyWrong: 'A model can be wrong only in one country, platform or tier while the aggregate metric looks fine.',
    instead: 'Break every metric down by segment; inspect segment-specific data, schemas, feature handling and routing.',
  },
  {
    id: 'tags-not-digests',
    title: 'Reproducing from tags and loose pins instead of the exact artifact',
    whyWrong: 'A tag or a loose pin can resolve to something different from what failed; you debug a different system.',
    instead: 'Reproduce with the recorded image digest, lockfile, data snapshot and environment variables of the failing run.',
  },
  {
    id: 'automate-unknown-remediation',
    title: 'Automating remediation for failure modes you do not understand',
    whyWrong: 'Automation over a poorly understood failure can mask the underlying issue or cause new damage.',
    instead: 'Handle it manually with a runbook until the failure mode is understood and tested.',
  },
] as const;

/** Structural problems in a class playbook (empty list = valid). Used by tests and at startup in dev. */
export function playbookProblems(pb: ClassPlaybook): string[] {
  const out: string[] = [];
  const where = `playbook ${pb.failureClass}`;
  const nonEmpty = (name: string, v: unknown) => {
    if (typeof v === 'string' ? v.trim() === '' : Array.isArray(v) ? v.length === 0 : v == null) {
      out.push(`${where}: ${name} is empty`);
    }
  };
  nonEmpty('label', pb.label);
  nonEmpty('description', pb.description);
  nonEmpty('symptoms', pb.symptoms);
  nonEmpty('evidenceSources', pb.evidenceSources);
  nonEmpty('firstChecks', pb.firstChecks);
  nonEmpty('usualRootCauses', pb.usualRootCauses);
  nonEmpty('temptingWrongAction.action', pb.temptingWrongAction?.action);
  nonEmpty('temptingWrongAction.whyWrong', pb.temptingWrongAction?.whyWrong);
  nonEmpty('temptingWrongAction.instead', pb.temptingWrongAction?.instead);
  nonEmpty('rollbackCriteria', pb.rollbackCriteria);
  nonEmpty('rollbackVerification', pb.rollbackVerification);
  nonEmpty('escalation', pb.escalation);
  nonEmpty('prevention', pb.prevention);
  nonEmpty('examples', pb.examples);
  for (const list of ['symptoms', 'evidenceSources', 'rollbackCriteria', 'rollbackVerification', 'prevention', 'examples'] as const) {
    (pb[list] ?? []).forEach((s, i) => nonEmpty(`${list}[${i}]`, s));
  }

  // First checks: valid, unique ids; stages in lifecycle order; all four stages covered.
  const checkIds = new Set<string>();
  let lastStage = -1;
  for (const c of pb.firstChecks ?? []) {
    if (!PLAYBOOK_ID_PATTERN.test(c.id)) out.push(`${where}: first check id "${c.id}" is not a valid id`);
    if (checkIds.has(c.id)) out.push(`${where}: duplicate first check id "${c.id}"`);
    checkIds.add(c.id);
    nonEmpty(`firstChecks.${c.id}.title`, c.title);
    nonEmpty(`firstChecks.${c.id}.detail`, c.detail);
    if (c.commands) c.commands.forEach((cmd, i) => nonEmpty(`firstChecks.${c.id}.commands[${i}]`, cmd));
    const si = CHECK_STAGES.indexOf(c.stage);
    if (si < 0) out.push(`${where}: first check "${c.id}" has unknown stage "${c.stage}"`);
    else if (si < lastStage) out.push(`${where}: first check "${c.id}" (${c.stage}) is out of lifecycle order`);
    else lastStage = si;
  }
  for (const s of CHECK_STAGES) {
    if (!(pb.firstChecks ?? []).some((c) => c.stage === s)) out.push(`${where}: no first check for stage "${s}"`);
  }

  for (const rc of pb.usualRootCauses ?? []) {
    nonEmpty('usualRootCauses.text', rc.text);
    if (!(ROOT_CAUSE_ORIGINS as readonly string[]).includes(rc.origin)) {
      out.push(`${where}: root cause "${rc.text}" has unknown origin "${rc.origin}"`);
    }
  }

  for (const phase of PHASES) {
    const items = pb.checklists?.[phase];
    if (!items || items.length < 3 || items.length > 7) {
      out.push(`${where}: checklist for ${phase} must have 3–7 items (has ${items?.length ?? 0})`);
      continue;
    }
    const ids = new Set<string>();
    for (const it of items) {
      if (!PLAYBOOK_ID_PATTERN.test(it.id)) out.push(`${where}: ${phase} item id "${it.id}" is not a valid id`);
      if (ids.has(it.id)) out.push(`${where}: duplicate ${phase} item id "${it.id}"`);
      ids.add(it.id);
      nonEmpty(`checklists.${phase}.${it.id}`, it.text);
    }
  }
  return out;
}

/** Problems across the whole playbook (every class present and valid). */
export function allPlaybookProblems(): string[] {
  const out: string[] = [];
  for (const cls of FAILURE_CLASSES) {
    const pb = PLAYBOOK[cls];
    if (!pb) {
      out.push(`missing playbook for ${cls}`);
      continue;
    }
    if (pb.failureClass !== cls) out.push(`playbook under ${cls} says failureClass=${pb.failureClass}`);
    out.push(...playbookProblems(pb));
  }
  return out;
}
