// Drill runner types (issue 5, DESIGN §8): the state each view sees, scores, debriefs, history.
// Pure TypeScript — shared by the service (main/services/drills.ts), the contract, the UI and the CLI.
import type { FailureClass, IncidentStatus, Phase, RootCauseOrigin, Severity } from '../domain';
import type { ScenarioListItem } from '../scenarios/index';
import type {
  EvidenceKind, Scenario, ScenarioAction, ScenarioArtifact, ScenarioCheck, ScenarioDifficulty, ScenarioIssue,
} from '../scenarios/schema';

export const DRILL_MODES = ['solo', 'gm'] as const;
/** solo: a requested card is released at once. gm: a game master releases requested cards. */
export type DrillMode = (typeof DRILL_MODES)[number];

export const DRILL_VIEWS = ['responder', 'gm'] as const;
/** responder: only released card content, no answers. gm: everything. */
export type DrillView = (typeof DRILL_VIEWS)[number];

export type CardStatus = 'hidden' | 'requested' | 'released';
/** start: initially visible; request: released on the responder's request (solo); gm: released by the game master. */
export type CardReleasedBy = 'start' | 'request' | 'gm';

/** What the store keeps per card that was requested or released. */
export interface DrillCardRecord {
  cardId: string;
  requestedAt: string | null;
  /** Phase of the drill incident when the card was requested (its reveal cost is charged to that phase). */
  requestedPhase: Phase | null;
  releasedAt: string | null;
  releasedBy: CardReleasedBy | null;
  /** Artifact-pair cards: the artifacts on the drill incident once released (use `artifact:diff`). */
  artifactIds: { before: number; after: number } | null;
}

export interface DrillActionRecord {
  actionId: string;
  takenAt: string;
  phase: Phase;
}

export interface DrillClassification {
  failureClass: FailureClass;
  rootCauseOrigin: RootCauseOrigin | null;
  classifiedAt: string;
}

/** One evidence card as a view sees it. Content fields are present only when the view may see them. */
export interface DrillCardView {
  id: string;
  kind: EvidenceKind;
  title: string;
  /** Seconds added to the responder's phase clock when the card is requested. */
  revealCost: number;
  status: CardStatus;
  initiallyVisible: boolean;
  requestedAt: string | null;
  releasedAt: string | null;
  releasedBy: CardReleasedBy | null;
  /** Released cards (responder) / every card (gm). */
  body?: string;
  before?: ScenarioArtifact;
  after?: ScenarioArtifact;
  /** Released artifact-pair cards: ids of the two artifacts on the drill incident, for `artifact:diff`. */
  artifacts?: { beforeId: number; afterId: number };
  /** gm view only. */
  relevant?: boolean;
  gmNote?: string;
}

/** A check as the responder sees it (no `reveals`); the gm view adds `reveals`. */
export type DrillCheckView = Pick<ScenarioCheck, 'id' | 'title' | 'stage' | 'detail'> & { reveals?: string[] };
/** An action as the responder sees it (title only, sorted by title); the gm view has every field. */
export type DrillActionView = Pick<ScenarioAction, 'id' | 'title'> & Partial<Omit<ScenarioAction, 'id' | 'title'>>;

export interface DrillTakenAction {
  actionId: string;
  title: string;
  takenAt: string;
  phase: Phase;
}

export interface DrillState {
  unchanged?: false;
  drillId: number;
  /** The drill incident (flagged isDrill): use the incident:* calls for the six-phase flow, timers and timeline. */
  key: string;
  /** Increments on every change to the drill or its incident; pass it back as `sinceRevision` to poll cheaply. */
  revision: number;
  view: DrillView;
  mode: DrillMode;
  participant: string;
  startedAt: string;
  finishedAt: string | null;
  phase: IncidentStatus;
  phaseEnteredAt: string;
  scenario: {
    id: string;
    version: number;
    custom: boolean;
    title: string;
    summary: string;
    difficulty: ScenarioDifficulty;
    expectedDurationMinutes: number;
    service: string;
    severity: Severity;
    briefing: string;
    symptoms: string[];
  };
  /** Every card (the catalogue the responder can ask for), content only where the view may see it. */
  cards: DrillCardView[];
  /** Requested and not yet released (gm mode). */
  pending: { cardId: string; title: string; requestedAt: string }[];
  checks: DrillCheckView[];
  actions: DrillActionView[];
  classification: DrillClassification | null;
  /** The responder's order of check ids, or null until given. */
  checkOrder: string[] | null;
  actionsTaken: DrillTakenAction[];
  mitigation: string;
  /** Set once the drill is finished. */
  score: DrillScore | null;
  /** gm view only: the answers. */
  answers?: {
    expected: Scenario['expected'];
    idealCheckOrder: string[];
    correctMitigation: Scenario['correctMitigation'];
    debriefPoints: string[];
    /** The budgets the time part is scored against (scenario override, else the flow's); untimed phases absent. */
    phaseBudgetsMinutes: Partial<Record<Phase, number>>;
  };
}

export interface DrillUnchanged {
  unchanged: true;
  drillId: number;
  revision: number;
}

export const SCORE_PART_IDS = ['classification', 'checkOrder', 'actions', 'time', 'evidence'] as const;
export type ScorePartId = (typeof SCORE_PART_IDS)[number];

export interface ScorePart {
  id: ScorePartId;
  label: string;
  /** Points earned (one decimal), 0..max. */
  points: number;
  max: number;
  /** One line: what earned and what cost. */
  explanation: string;
}

export interface DrillScore {
  /** 0..100, rounded from the unrounded parts. */
  total: number;
  max: 100;
  parts: ScorePart[];
}

export type Verdict = 'exact' | 'acceptable' | 'wrong' | 'missing';

export interface PhaseTime {
  phase: Phase;
  label: string;
  /** null: the phase has no budget (resolve, review) and is not scored. */
  budgetMinutes: number | null;
  reached: boolean;
  /** Time in the phase (to its exit, or to the finish) plus the reveal cost of the cards requested in it. */
  elapsedMs: number | null;
  revealCostSeconds: number;
  /** 0..1: 1 within budget, falling linearly to 0 at twice the budget; 0 when its gate was passed early; null when not scored. */
  factor: number | null;
  /** The phase's gate was passed early (exit criteria unmet): being quick without doing the work earns no time credit. */
  passedEarly?: string | null;
}

export interface DrillDebrief {
  drillId: number;
  key: string;
  participant: string;
  mode: DrillMode;
  startedAt: string;
  finishedAt: string;
  scenario: { id: string; version: number; title: string; custom: boolean; difficulty: ScenarioDifficulty; expectedDurationMinutes: number };
  score: DrillScore;
  classification: {
    expected: Scenario['expected'];
    given: { failureClass: FailureClass; rootCauseOrigin: RootCauseOrigin | null } | null;
    classVerdict: Verdict;
    originVerdict: Verdict;
  };
  checks: {
    ideal: { id: string; title: string; stage: ScenarioCheck['stage'] }[];
    /** Their order with the ideal 1-based position of each check; null when they never ordered. */
    theirs: { id: string; title: string; idealPosition: number }[] | null;
    tau: number | null;
    concordantPairs: number;
    totalPairs: number;
  };
  actions: {
    taken: (DrillTakenAction & { verdict: 'correct' | 'tempting' | 'wrong'; why?: string; whyWrong?: string; antiPattern?: string })[];
    correct: { id: string; title: string; why: string; taken: boolean }[];
    temptingTaken: { id: string; title: string; whyWrong: string; antiPattern?: string }[];
    temptingAvoided: { id: string; title: string; whyWrong: string }[];
  };
  cards: {
    id: string;
    title: string;
    kind: EvidenceKind;
    relevant: boolean;
    revealCost: number;
    initiallyVisible: boolean;
    status: CardStatus;
    requestedAt: string | null;
    releasedAt: string | null;
    releasedBy: CardReleasedBy | null;
    gmNote?: string;
  }[];
  phases: PhaseTime[];
  mitigation: { theirs: string; correct: Scenario['correctMitigation'] };
  debriefPoints: string[];
}

export interface DrillHistoryItem {
  drillId: number;
  key: string;
  participant: string;
  scenarioId: string;
  scenarioTitle: string;
  mode: DrillMode;
  startedAt: string;
  finishedAt: string | null;
  /** null while unfinished. */
  score: number | null;
  parts: { id: ScorePartId; points: number; max: number }[] | null;
}

export interface DrillTrend {
  /** Finished drills the trend is computed over. */
  drills: number;
  /** Least-squares slope of score over drill number (points per drill), null below 2 finished drills. */
  slope: number | null;
  /** Mean of the last 3 finished drills and of the 3 before them (null when there are none). */
  lastAverage: number | null;
  previousAverage: number | null;
  direction: 'improving' | 'declining' | 'steady' | 'insufficient';
}

export interface DrillHistory {
  /** The participant asked for, or null for everyone. */
  participant: string | null;
  /** Newest first. */
  drills: DrillHistoryItem[];
  trend: DrillTrend;
  /** Everyone who has run a drill (for pickers). */
  participants: string[];
}

/** A row of `drill:scenarios` (and `pmw drill list --json`). */
export interface DrillScenarioListItem extends ScenarioListItem {
  /** true for scenarios built from past incidents (stored in the database), false for the library. */
  custom: boolean;
}

/** A scenario as a content file, ready to commit to a repository. */
export interface ScenarioFile {
  scenarioId: string;
  /** Repository-relative path: drills/<id>.json */
  path: string;
  content: string;
}

export interface ScenarioFromIncidentResult extends ScenarioFile {
  saved: boolean;
  valid: boolean;
  /** Schema problems (field paths); empty when valid. */
  issues: ScenarioIssue[];
  /** The scenario (the draft as built when not valid). */
  scenario: Scenario;
  /** Where each evidence card came from. */
  cardSources: { cardId: string; from: 'timeline' | 'artifact-pair' | 'artifact'; ref: string }[];
  /** Candidates left out (over the 30-card limit, binary, too large, identical sides…) with the reason. */
  skipped: { ref: string; reason: string }[];
}

export interface DrillReport {
  drillId: number;
  fileName: string;
  /** Markdown. */
  content: string;
}
