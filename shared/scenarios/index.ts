// Drill scenario library (issue 5): every content file in ./library, validated. Pure TypeScript —
// static JSON imports (resolveJsonModule; esbuild / vite / vitest inline them), no fs.
import type { FailureClass } from '../domain';
import { ScenarioParseError, difficultyRank, parseScenario, type Scenario } from './schema';

import canaryContaminationNonStratified from './library/canary-contamination-non-stratified.json';
import coldStartAutoscalingLatency from './library/cold-start-autoscaling-latency.json';
import etlFailureBeforeRetrain from './library/etl-failure-before-retrain.json';
import experimentTrackingRegistryDown from './library/experiment-tracking-registry-down.json';
import featureBackfillLeakage from './library/feature-backfill-leakage.json';
import featureStoreTrainingServingSkew from './library/feature-store-training-serving-skew.json';
import feedbackLoopBiasAmplification from './library/feedback-loop-bias-amplification.json';
import fraudAccuracyDrop from './library/fraud-accuracy-drop.json';
import frontendFeatureXRenamed from './library/frontend-feature-x-renamed.json';
import inferenceLatencySpike from './library/inference-latency-spike.json';
import modelWrongInOneCountry from './library/model-wrong-in-one-country.json';
import nonDeterminismUnpinnedDeps from './library/non-determinism-unpinned-deps.json';
import normalisationChangePredictionEntropy from './library/normalisation-change-prediction-entropy.json';
import release400sApiSchemaChange from './library/release-400s-api-schema-change.json';
import rollbackBadPredictionsContinue from './library/rollback-bad-predictions-continue.json';
import rollbackIncompatibleFeatureSchema from './library/rollback-incompatible-feature-schema.json';
import servingPodsOomkilled from './library/serving-pods-oomkilled.json';
import upstreamSchemaCtrDrop from './library/upstream-schema-ctr-drop.json';

export * from './schema';

/** Library files by file name. Add new scenario files here (the schema test checks that the directory and this list agree). */
export const SCENARIO_FILES: Readonly<Record<string, unknown>> = {
  'fraud-accuracy-drop.json': fraudAccuracyDrop,
  'serving-pods-oomkilled.json': servingPodsOomkilled,
  'etl-failure-before-retrain.json': etlFailureBeforeRetrain,
  'inference-latency-spike.json': inferenceLatencySpike,
  'experiment-tracking-registry-down.json': experimentTrackingRegistryDown,
  'feature-store-training-serving-skew.json': featureStoreTrainingServingSkew,
  'release-400s-api-schema-change.json': release400sApiSchemaChange,
  'rollback-bad-predictions-continue.json': rollbackBadPredictionsContinue,
  'model-wrong-in-one-country.json': modelWrongInOneCountry,
  'canary-contamination-non-stratified.json': canaryContaminationNonStratified,
  'feature-backfill-leakage.json': featureBackfillLeakage,
  'rollback-incompatible-feature-schema.json': rollbackIncompatibleFeatureSchema,
  'cold-start-autoscaling-latency.json': coldStartAutoscalingLatency,
  'non-determinism-unpinned-deps.json': nonDeterminismUnpinnedDeps,
  'frontend-feature-x-renamed.json': frontendFeatureXRenamed,
  'normalisation-change-prediction-entropy.json': normalisationChangePredictionEntropy,
  'upstream-schema-ctr-drop.json': upstreamSchemaCtrDrop,
  'feedback-loop-bias-amplification.json': feedbackLoopBiasAmplification,
};

export interface ScenarioLoadResult {
  scenarios: Scenario[];
  /** One entry per invalid file (the file is left out of `scenarios`). */
  errors: ScenarioParseError[];
}

/** Validate every library file; never throws. Also reports duplicate ids. */
export function loadScenarios(files: Readonly<Record<string, unknown>> = SCENARIO_FILES): ScenarioLoadResult {
  const scenarios: Scenario[] = [];
  const errors: ScenarioParseError[] = [];
  const seen = new Map<string, string>();
  for (const [fileName, json] of Object.entries(files)) {
    try {
      const s = parseScenario(json, fileName);
      const prev = seen.get(s.id);
      if (prev) {
        errors.push(new ScenarioParseError(fileName, [{ path: 'id', message: `duplicate scenario id "${s.id}" (also in ${prev})` }]));
        continue;
      }
      seen.set(s.id, fileName);
      scenarios.push(s);
    } catch (e) {
      errors.push(e instanceof ScenarioParseError ? e : new ScenarioParseError(fileName, [{ path: '(root)', message: String(e) }]));
    }
  }
  return { scenarios, errors };
}

function validatedLibrary(): readonly Scenario[] {
  const { scenarios, errors } = loadScenarios();
  if (errors.length) throw new Error(errors.map((e) => e.message).join('\n'));
  return Object.freeze(scenarios);
}

let library: readonly Scenario[] | undefined;
let byId: Map<string, Scenario> | undefined;

/**
 * All library scenarios in library order, validated on first use (not at import: a command that never
 * touches drills does not pay for it): a content error throws with the file name and field path (the
 * schema test runs the same validation). Plain data — do not mutate.
 */
export function scenarioLibrary(): readonly Scenario[] {
  return (library ??= validatedLibrary());
}

export function scenarioById(id: string): Scenario | undefined {
  byId ??= new Map(scenarioLibrary().map((s) => [s.id, s]));
  return byId.get(id);
}

/** The row `pmw drill list --json` and the library list need. */
export interface ScenarioListItem {
  id: string;
  title: string;
  summary: string;
  failureClass: FailureClass;
  difficulty: Scenario['difficulty'];
  difficultyRank: number;
  expectedDurationMinutes: number;
  evidenceCards: number;
  version: number;
}

export function scenarioListItem(s: Scenario): ScenarioListItem {
  return {
    id: s.id,
    title: s.title,
    summary: s.summary,
    failureClass: s.expected.failureClass,
    difficulty: s.difficulty,
    difficultyRank: difficultyRank(s.difficulty),
    expectedDurationMinutes: s.expectedDurationMinutes,
    evidenceCards: s.evidence.length,
    version: s.version,
  };
}
