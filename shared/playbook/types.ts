// Typed playbook content: what an on-call engineer checks, in which order, per failure class.
// Pure TypeScript (no node built-ins, no electron). Content lives in ./classes/*.ts.
import type { FailureClass, Phase, RootCauseOrigin } from '../domain';

/** Bump when the content changes in a way consumers (runbooks, drills) should notice. */
export const PLAYBOOK_VERSION = 1;

/**
 * Seed 000's troubleshooting order: which artifact is deployed → did the pipeline gates run →
 * can the endpoint serve valid requests → do drift / business KPIs show a real model-quality problem.
 */
export const CHECK_STAGES = ['artifact', 'gates', 'endpoint', 'quality'] as const;
export type CheckStage = (typeof CHECK_STAGES)[number];

/** Checklist item and first-check ids: lowercase, stable, safe in URLs and file names. */
export const PLAYBOOK_ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,80}$/;

export interface FirstCheck {
  /** Stable id (kebab/snake case), unique within the class. */
  id: string;
  title: string;
  /** What to look at and how to read the result. */
  detail: string;
  /** Real shell commands (become runnable `sh` blocks in runbooks). Placeholders in <angle-brackets>. */
  commands?: string[];
  stage: CheckStage;
}

export interface RootCause {
  text: string;
  origin: RootCauseOrigin;
}

export interface TemptingWrongAction {
  /** What the team will want to do at 3 AM. */
  action: string;
  whyWrong: string;
  /** What to do instead. */
  instead: string;
}

export interface ChecklistItem {
  /** Unique within class + phase; matches PLAYBOOK_ID_PATTERN. Stored in Incident.checklist. */
  id: string;
  text: string;
}

export interface ClassPlaybook {
  failureClass: FailureClass;
  label: string;
  /** One or two sentences. */
  description: string;
  symptoms: string[];
  /** Where the evidence for this class lives, and what to look for there. */
  evidenceSources: string[];
  /** Ordered by CHECK_STAGES (lifecycle order); every stage is covered at least once. */
  firstChecks: FirstCheck[];
  usualRootCauses: RootCause[];
  temptingWrongAction: TemptingWrongAction;
  /** Per phase, an ordered list of 3–7 concrete items. */
  checklists: Record<Phase, ChecklistItem[]>;
  /** When to roll back rather than fix forward. */
  rollbackCriteria: string[];
  /** How to prove the rollback worked (previous stable version serving and behaving). */
  rollbackVerification: string[];
  escalation: string;
  /** Tests, schema checks and guards that stop a recurrence. */
  prevention: string[];
  /** Short worked examples from the seed material (drill and runbook "related incidents" fodder). */
  examples: string[];
}

export interface TroubleshootingStage {
  stage: CheckStage;
  label: string;
  question: string;
}

export interface AntiPattern {
  id: string;
  title: string;
  whyWrong: string;
  instead: string;
}
