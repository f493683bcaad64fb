import type { ClassPlaybook } from '../types';

export const LIVE_BEHAVIOUR_PLAYBOOK: ClassPlaybook = {
  failureClass: 'live_behaviour',
  label: 'Live behaviour',
  description:
    'Everything is technically green — endpoint answers, gates passed — but predictions are wrong for the business: drift, ' +
    'concept drift, training-serving skew, segment regressions or feedback loops. Technical green is not business green.',
  symptoms: [
    'Accuracy or precision falls over days (95% → 78% in a week) while error rates and latency look normal',
    'Customer complaints or a business KPI regression (CTR, conversion, fraud false negatives)',
    'The model is wrong only in one country, platform or segment',
    'Prediction distribution or confidence shifted; prediction entropy up',
    'The same entity gets different feature values in training and in serving',
    'Bias or lack of diversity grows over retraining cycles (feedback loop)',
  ],
  evidenceSources: [
    'Business KPI dashboards, broken down by segment',
    'Drift dashboards per feature and per segment vs the training snapshot',
    'Prediction distribution and confidence logs per model version',
    'Ground-truth labels / feedback and their delay',
    'A/B and canary configuration: which variant serves which users',
    'Feature store online vs offline values for the same entity and timestamp',
    'Fairness metrics with demographic breakdowns, holdout results',
  ],
  firstChecks: [
    {
      id: 'live-which-model',
      stage: 'artifact',
      title: 'Confirm which model version is serving, and when it last changed',
      detail:
        'Line up model promotions, config changes and A/B changes with the start of the KPI drop. If a new version went ' +
        'out at the break point, switch to the deployment / validation playbooks — this is a release, not drift.',
      commands: [
        'az ml online-endpoint show --name <endpoint> --query traffic',
        'kubectl rollout history deployment/ml-model -n ml-production',
      ],
    },
    {
      id: 'live-gates-covered-segment',
      stage: 'gates',
      title: 'Did the last promotion\'s gates cover the failing segment?',
      detail:
        'Check the validation report and canary analysis for the affected segment. A segment absent from validation or from ' +
        'the canary is a gate gap, and explains why "all checks passed".',
      commands: ['az pipelines runs show --id <run-id>'],
    },
    {
      id: 'live-endpoint-inputs',
      stage: 'endpoint',
      title: 'Rule out a serving problem: valid inputs in, no silent fallback',
      detail:
        'Confirm requests carry every feature (no defaults filling missing ones), the intended model answers (no fallback ' +
        'model), and there are no errors hidden behind 200s. Serving failures show API symptoms; quality failures show ' +
        'valid but poor predictions.',
      commands: [
        'az ml online-deployment get-logs --endpoint-name <endpoint> --name <deployment>',
        "kubectl logs deploy/ml-model -n ml-production --since=1h | grep -iE 'fallback|default|missing|error' | tail -50",
      ],
    },
    {
      id: 'live-drift-kpi-segments',
      stage: 'quality',
      title: 'Quantify drift and KPI change per segment',
      detail:
        'Find which features drifted (PSI 0.1 watch / 0.2 act, KS or Wasserstein) and in which segments, and whether the ' +
        'prediction distribution moved with them. Do not trust global averages — one region can carry the whole drop.',
    },
    {
      id: 'live-skew',
      stage: 'quality',
      title: 'Check training-serving skew on a few entities',
      detail:
        'For a handful of entity ids and timestamps, compare feature values from the training data with the feature store ' +
        'at serving time. Differences point at divergent feature logic, timezones, library versions or late data.',
    },
    {
      id: 'live-labels-feedback',
      stage: 'quality',
      title: 'Check label assumptions and feedback loops',
      detail:
        'Confirm the ground truth you measure against is correct and current (label delay, definition changes) and whether ' +
        'the model\'s own predictions feed its training data. Only then decide rollback vs investigation vs retraining.',
    },
  ],
  usualRootCauses: [
    { origin: 'data', text: 'Concept drift: the relationship changed (new fraud patterns) and the model is stale' },
    { origin: 'data', text: 'Input drift from an upstream change that stays within historical ranges' },
    { origin: 'code', text: 'Training-serving skew: different feature logic, timezone handling or rounding between batch and online paths' },
    { origin: 'infrastructure', text: 'Online/offline store inconsistency: replication lag, caching, clock skew' },
    { origin: 'config', text: 'A/B or routing configuration serving the wrong variant to a segment' },
    { origin: 'process', text: 'Feedback loop: predictions shape the training data and amplify bias over retraining cycles' },
  ],
  temptingWrongAction: {
    action: 'Retrain immediately because accuracy dropped.',
    whyWrong:
      'Most quality drops come from wrong artifact promotion, schema mismatch, feature drift or routing — not a stale model. ' +
      'Retraining on skewed or corrupted inputs bakes the problem in; retraining on feedback-loop data amplifies the bias; ' +
      'and the new model adds one more unknown.',
    instead:
      'Walk the order: confirm the artifact, the gates and that the endpoint gets valid inputs; then quantify drift and skew ' +
      'per segment. Roll back if a recent release explains it. Retrain only when drift is real, inputs are correct and ' +
      'labels are trustworthy — and validate the retrained model per segment.',
  },
  checklists: {
    acknowledge: [
      { id: 'own-page', text: 'Acknowledge and name the incident commander' },
      { id: 'kpi-evidence', text: 'Capture the KPI or accuracy evidence: metric, baseline, current value, since when' },
      { id: 'impact-line', text: 'Write the impact in business terms (e.g. 30% more prediction errors, missed fraud)' },
    ],
    assess: [
      { id: 'segments', text: 'Break the drop down by segment (country, platform, tier) to size the blast radius' },
      { id: 'set-severity', text: 'Set severity from the business cost and how many users are affected' },
      { id: 'release-correlation', text: 'Check whether a release, config or A/B change coincides with the start' },
      { id: 'post-initial-report', text: 'Post the initial incident report with the next update time' },
    ],
    investigate: [
      { id: 'drift-per-feature', text: 'Rank features by drift vs the training snapshot, per affected segment' },
      { id: 'prediction-shift', text: 'Compare prediction and confidence distributions with the baseline period' },
      { id: 'skew-entities', text: 'Compare training vs serving feature values for a few entities' },
      { id: 'labels-check', text: 'Verify label definition and delay; check for feedback loops' },
      { id: 'decide-action', text: 'Decide and record: rollback, further investigation, or retraining — with the reason' },
    ],
    mitigate: [
      { id: 'rollback-if-release', text: 'If a release explains it, roll back to the last-known-good model version' },
      { id: 'segment-fallback', text: 'Route the affected segment to a fallback (previous model, rules or human review)' },
      { id: 'pause-auto-retrain', text: 'Pause automatic retraining on possibly contaminated data' },
      { id: 'verify-kpi', text: 'Verify: KPI and prediction distribution for the affected segment moving back to baseline' },
    ],
    resolve: [
      { id: 'fix-skew', text: 'Fix feature-logic skew or routing so training and serving agree' },
      { id: 'retrain-validated', text: 'If drift is real, retrain on validated, point-in-time correct data' },
      { id: 'per-segment-validation', text: 'Validate the new model per segment and release via a stratified canary' },
      { id: 'kpi-recovered', text: 'Confirm the business KPI recovered with the business owner' },
    ],
    review: [
      { id: 'drift-alerts', text: 'Add per-segment drift and prediction-distribution alerts' },
      { id: 'kpi-link', text: 'Link ML metrics to business KPIs on one dashboard with alerting' },
      { id: 'skew-test', text: 'Add a training-serving parity test for feature computation' },
      { id: 'feedback-controls', text: 'Add exploration / holdout or debiasing where feedback loops exist' },
      { id: 'owners-dates', text: 'Give every action item an owner and a due date' },
    ],
  },
  rollbackCriteria: [
    'The KPI drop starts at a model, config or routing change',
    'A segment is materially harmed and the previous version served it well',
    'Root cause will not be known within the mitigation budget and the previous version is known good',
  ],
  rollbackVerification: [
    'Previous version serves 100% of the affected traffic (endpoint traffic and rollout history agree)',
    'Per-segment prediction distribution matches the pre-incident baseline',
    'Business KPI trending back for the affected segment — allow for traffic lag, caches and queued outputs',
    'Downstream consumers and caches no longer hold outputs from the bad period',
  ],
  escalation:
    'Bring in the business owner of the KPI early — technical green is not business green and they decide on acceptable ' +
    'risk. Page the data owner when drift traces to an upstream change and the model owner before any retrain is promoted. ' +
    'For fairness or bias findings, involve the accountable reviewer / compliance contact.',
  prevention: [
    'Statistical drift detection against the training distribution, per feature and per segment',
    'Prediction-distribution monitoring (works before labels arrive) with per-deployment baselines',
    'Business KPI monitoring correlated with ML metrics; regular model-performance reviews',
    'Training-serving parity tests and a feature store with one feature definition for both paths',
    'Fairness metrics with demographic breakdowns and independent holdout ground truth',
  ],
  examples: [
    'Fraud model accuracy fell from 95% to 78% in a week with rising complaints: new fraud patterns vs feature pipeline issues vs staleness vs resources (seed 001)',
    'Bid optimisation declined with drift that stayed within historical ranges; caught only by periodic performance reviews (seed 002)',
    'Feature store served different values for the same features in training and inference (seed 001)',
    'Claims model bias grew over retraining cycles because its own routing shaped the outcomes it retrained on (seed 002)',
  ],
};
