import type { ClassPlaybook } from '../types';

export const DATA_PLAYBOOK: ClassPlaybook = {
  failureClass: 'data',
  label: 'Data',
  description:
    'Input data is missing, late, structurally changed (schema) or statistically shifted (drift, semantic corruption). ' +
    'Seed 002 puts 60–70% of ML incidents here, and they are usually silent: the endpoint keeps answering 200 OK on wrong inputs.',
  symptoms: [
    'Ingestion / ETL run failed or landed an empty or partial partition ("no new training data available for the 6 AM retrain")',
    'Feature freshness SLO breached: time since the last successful ingestion from a source keeps growing',
    'Columns appeared, disappeared, were renamed or changed dtype (e.g. feature_x replaced by an integer feature_x_id)',
    'Null rate jumped or values left their usual range (age < 0 or > 120, negative amounts, unseen categories)',
    'Prediction distribution or prediction entropy shifted with no model or code deploy',
    'Business KPI slid for days or weeks (CTR −15%) while every technical dashboard stayed green',
  ],
  evidenceSources: [
    'Orchestrator run history and task logs (Airflow DAG runs, failed task dependencies)',
    'Data freshness: newest partitions and file timestamps in the landing bucket / input directory',
    'Dataset stats of the failing batch vs the training snapshot: column set, dtypes, order, null rates, quantiles, category sets',
    'Schema history of source tables (information_schema.columns) and the data contract with the upstream owner',
    'Drift dashboards per feature and per segment (PSI, KS, Wasserstein / Jensen–Shannon)',
    'Upstream change notices: source-system releases, front-end releases, data migrations',
    'Feature store freshness and online/offline consistency reports',
  ],
  firstChecks: [
    {
      id: 'data-which-snapshot',
      stage: 'artifact',
      title: 'Identify the model and the data it is actually consuming',
      detail:
        'Record which model version is serving, which dataset snapshot / feature view it was trained on, and which partitions ' +
        'the failing run read or produced. Write run ids and partition dates on the timeline — you need the last-known-good ' +
        'snapshot as a baseline for every later comparison.',
      commands: [
        'az ml job show --name <job-id>',
        'ls -la /data/ml_input/ | tail -10',
        'aws s3 ls s3://ml-data-bucket/daily/ --recursive | tail -10',
      ],
    },
    {
      id: 'data-pipeline-runs',
      stage: 'gates',
      title: 'Did ingestion and data-validation gates run — and pass?',
      detail:
        'Find the first failed run and the last good one. Check whether the validation task failed, was skipped, or passed a ' +
        'batch it should have quarantined. A failed extraction task usually points at the source (outage, auth, schema); a ' +
        'passed run with wrong data points at missing checks.',
      commands: [
        'airflow dags list-runs -d daily_ml_pipeline --state failed',
        'airflow tasks failed-deps daily_ml_pipeline data_extraction',
        'kubectl get pods -n data-pipeline',
      ],
    },
    {
      id: 'data-source-reachable',
      stage: 'gates',
      title: 'Is the upstream source reachable and authorised?',
      detail:
        'Rule out the boring causes fast: DNS, network, TLS and expired credentials for the database or external API the ' +
        'extraction reads from. If the source is down, this is a dependency outage — engage the provider, do not debug the model.',
      commands: [
        'nslookup database.internal.com',
        'telnet api.external-source.com 443',
        'curl -f http://model-training-service:8080/health',
      ],
    },
    {
      id: 'data-schema-diff',
      stage: 'gates',
      title: 'Diff the failing batch against the last-known-good snapshot',
      detail:
        'Capture a sample of both into the workbench and diff: column set, dtypes, column order, null rates, ranges, category ' +
        'sets. Structural differences (missing/renamed column, dtype switch) mean a schema change; statistical ones mean drift; ' +
        'valid-looking but wrong values (after a migration) mean semantic corruption.',
    },
    {
      id: 'data-live-inputs',
      stage: 'endpoint',
      title: 'Check the endpoint receives complete, valid inputs',
      detail:
        'Look at recent request payloads and serving logs for missing fields, nulls replaced by defaults and unknown categories. ' +
        'A feature silently defaulted at serving time looks exactly like drift on the dashboards.',
      commands: [
        "kubectl logs deploy/ml-model -n ml-production --since=1h | grep -iE 'missing|null|KeyError|schema' | tail -50",
      ],
    },
    {
      id: 'data-drift-vs-training',
      stage: 'quality',
      title: 'Quantify drift against the training snapshot, per segment',
      detail:
        'Compare current feature distributions with the training snapshot: PSI 0.1 = watch, 0.2 = act; KS p < 0.05 on small ' +
        'samples; Wasserstein / Jensen–Shannon 0.1 on large ones. Break down by segment and compare with the same period last ' +
        'week/year before blaming drift on what may be seasonality.',
    },
  ],
  usualRootCauses: [
    { origin: 'data', text: 'Upstream schema change (renamed or retyped field, new column shifting the order) shipped without a data contract or notice' },
    { origin: 'infrastructure', text: 'Upstream source outage, network partition or expired credentials → stale or partial partitions' },
    { origin: 'code', text: 'Application / front-end change stopped sending a feature, which the pipeline silently filled with a default' },
    { origin: 'process', text: 'Data migration corrupted values that are still schema-valid (semantic corruption in some categories)' },
    { origin: 'data', text: 'Genuine distribution shift: new behaviour or fraud patterns not seen in training' },
    { origin: 'data', text: 'Late-arriving data: the batch ran before upstream finished writing, or batch and real-time paths disagree' },
    { origin: 'config', text: 'Pipeline configuration drift: wrong partition date, timezone or source path' },
  ],
  temptingWrongAction: {
    action: 'Retrain right away on the newest data to "catch up" with the change.',
    whyWrong:
      'If the batch is malformed or the schema changed, retraining bakes the corruption into a new model, overwrites the ' +
      'last-known-good baseline you need for comparison, and adds a second unknown to the incident.',
    instead:
      "Quarantine the bad partitions, suspend scheduled retraining (kubectl patch cronjob ml-training -p '{\"spec\":{\"suspend\":true}}'), " +
      'keep the current model serving, and fix the data first. Retrain only after the data passes validation and the drift is confirmed real.',
  },
  checklists: {
    acknowledge: [
      { id: 'own-page', text: 'Acknowledge the page and name the incident commander' },
      { id: 'which-dataset', text: 'Name the affected pipeline / dataset and the failing run id' },
      { id: 'serving-or-next-retrain', text: 'Establish whether serving uses the bad data now, or only the next scheduled retrain would' },
      { id: 'impact-line', text: 'Write the impact in one line: which predictions are stale or wrong, for whom, since when' },
    ],
    assess: [
      { id: 'lineage-blast-radius', text: 'List every model and feature that consumes this dataset (lineage) — that is the blast radius' },
      { id: 'set-severity', text: 'Set severity: wrong predictions served now → SEV1/SEV2; only a blocked retrain → SEV3/SEV4' },
      { id: 'deadline', text: 'Note the next consumer deadline (e.g. the 6 AM retrain) on the timeline' },
      { id: 'rule-out-deploy', text: 'Check for a model or code deploy near the start time before settling on the data class' },
      { id: 'post-initial-report', text: 'Post the initial incident report (severity, impact, who is investigating, next update)' },
    ],
    investigate: [
      { id: 'first-bad-last-good', text: 'Find the first failed or anomalous run and the last good one' },
      { id: 'capture-samples', text: 'Capture a sample of the failing batch and of the last-known-good snapshot as artifacts' },
      { id: 'schema-diff', text: 'Diff column set, dtypes, order, null rates, ranges and category sets' },
      { id: 'source-reachability', text: 'Check source reachability and credentials (DNS, TLS, auth) for the extraction step' },
      { id: 'upstream-changes', text: 'Check upstream releases, migrations and front-end changes around the start time' },
      { id: 'classify-data-issue', text: 'Record the verdict with evidence: schema change, drift, semantic corruption or outage' },
    ],
    mitigate: [
      { id: 'quarantine', text: 'Quarantine the bad partitions so no training or serving job reads them' },
      { id: 'suspend-retrain', text: 'Suspend scheduled retraining until the data passes validation' },
      { id: 'fallback-data', text: "Fall back to last good data (cached features or yesterday's inputs) and record the decision" },
      { id: 'notify-consumers', text: 'Tell downstream consumers the data is stale or partial, and until when' },
      { id: 'verify-mitigation', text: 'Verify: consumers read good data and the prediction distribution is back within baseline' },
    ],
    resolve: [
      { id: 'fix-at-source', text: 'Fix at the source, or add a backward-compatible mapping / migration for the schema change' },
      { id: 'backfill-pit', text: 'Backfill or recompute affected features with point-in-time correct queries' },
      { id: 'rerun-validate', text: 'Re-run ingestion and validation end to end, then un-suspend retraining' },
      { id: 'retrain-if-poisoned', text: 'Retrain only if a model was trained on the bad data — and only on validated data' },
      { id: 'confirm-kpi', text: 'Confirm per-segment business KPIs recovered, not just the pipeline status' },
    ],
    review: [
      { id: 'tests-from-findings', text: 'Turn the column, dtype, null-rate and range findings into pytest checks that run in CI' },
      { id: 'data-contract', text: 'Agree a data contract with the upstream owner: schema versioning, change notice, SLA' },
      { id: 'freshness-alert', text: 'Add a freshness alert on time since last successful ingestion per source' },
      { id: 'detection-gap', text: 'Record how the issue was detected and how long it stayed silent (MTTD)' },
      { id: 'owners-dates', text: 'Give every action item an owner and a due date' },
    ],
  },
  rollbackCriteria: [
    'The serving model is consuming the bad data now and predictions are measurably off (KPI or prediction-distribution alert)',
    'A model retrained on the bad batch has already been promoted',
    'A source-side fix will take longer than the 30-minute mitigation budget',
  ],
  rollbackVerification: [
    'No training or serving job reads the quarantined partitions (check job inputs and feature-store write timestamps)',
    'Spot-check a few entity ids: the feature store serves values from the last good snapshot',
    'The model registry shows the pre-bad-data model version serving 100% of traffic',
    'Prediction distribution and per-segment KPIs are back within baseline tolerance',
  ],
  escalation:
    'Page the owning upstream data team when a source, schema or contract changed, and the data-platform on-call for ' +
    'orchestrator, storage or feature-store failures. Raise to SEV2 as soon as stale or corrupted features reach serving; ' +
    'involve the product owner if a model retrained on bad data has been promoted.',
  prevention: [
    'Schema enforcement at ingestion: reject or quarantine batches with missing/renamed columns or dtype switches',
    'Per-column null-rate ceilings, range checks and category-set checks in the pipeline and as pytest tests in CI',
    'Drift monitors against the training snapshot per feature and per segment (PSI bands 0.1 / 0.2)',
    'Data contracts with upstream owners: versioned schemas, change notice, freshness SLA',
    'Freshness alerting: time since last successful ingestion from each source',
    'Semantic validation against historical patterns and cross-source checks before and after data migrations',
  ],
  examples: [
    'Daily ETL failed at 3 AM: no new training data for the 6 AM retrain; options were yesterday\'s data, skipping the retrain, or a manual partial run (seed 001)',
    'Recommendations: an upstream schema change made a behaviour feature wrong but in range; CTR fell 15% over weeks and was caught by business KPIs, not alerts (seed 002)',
    'Demand forecasting: a data migration corrupted sales history for some product categories; schema and completeness checks passed (seed 002)',
    'A UI rollout stopped sending feature_x and started sending an integer feature_x_id, shifting column order; prediction entropy rose (seed 004)',
  ],
};
