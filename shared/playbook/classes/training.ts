import type { ClassPlaybook } from '../types';

export const TRAINING_PLAYBOOK: ClassPlaybook = {
  failureClass: 'training',
  label: 'Training',
  description:
    'The training stage crashes, silently stops producing new models, or produces a model that is wrong in ways offline ' +
    'metrics hide (feature leakage, non-determinism). Serving keeps using the previous model, which masks the failure until staleness hurts.',
  symptoms: [
    'Training job failed, was OOM-killed, preempted or timed out; the retraining schedule produces no new versions',
    'Model freshness SLO breached: the newest registry version is days or weeks old (a fraud model stale for three weeks)',
    'Offline metric suspiciously good and production much worse (offline AUC 0.92 → 0.80 live): lookahead leakage',
    'Same code and data give different weights on rerun (V100 vs A100, NumPy 1.23 vs 1.24)',
    'Training-failure alerts fired but were lost among non-critical alerts',
  ],
  evidenceSources: [
    'Training job logs and run history (Azure ML job, orchestrator runs, Kubernetes job/cronjob status)',
    'Experiment tracking: parameters, metrics, dataset version and environment of the failing and last good run',
    'Model registry: newest version, creation time, lineage to data snapshot and code commit',
    'Environment fingerprints: lockfile / pip freeze, image digest, GPU type and driver, OMP/BLAS settings',
    'Training node resource metrics: GPU and host memory, OOM events, preemptions, quota',
    'Feature backfill queries and the timestamp windows they used',
  ],
  firstChecks: [
    {
      id: 'train-serving-version-age',
      stage: 'artifact',
      title: 'Which model version is serving, and when was it trained?',
      detail:
        'Compare the serving model version with the newest version in the registry. A large gap means retraining has been ' +
        'failing quietly — the incident may have started long before the page.',
      commands: [
        "kubectl get deployment ml-model -n ml-production -o jsonpath='{.spec.template.spec.containers[*].image}'",
        'az ml model list --name <model-name> --output table',
      ],
    },
    {
      id: 'train-runs-completed',
      stage: 'gates',
      title: 'Did the training runs execute and complete?',
      detail:
        'Find the last successful training run and the first failed one; read the failure (exception, OOM, preemption, ' +
        'missing input). If the input data was missing, hand over to the data playbook.',
      commands: [
        'az ml job show --name <job-id>',
        'airflow dags list-runs -d daily_ml_pipeline --state failed',
        'kubectl get cronjob ml-training',
        'kubectl get events -n ml-production --sort-by=.lastTimestamp | grep -i training',
      ],
    },
    {
      id: 'train-env-diff',
      stage: 'gates',
      title: 'Diff the training environment against the last good run',
      detail:
        'Capture pip freeze / lockfile and the image digest of the failing run and the last good one, plus GPU type, driver ' +
        'and OMP_NUM_THREADS. A dependency update is the classic cause of a training pipeline that "suddenly" fails or drifts.',
      commands: [
        'pip freeze > runtime-requirements.txt',
        "docker inspect --format='{{index .RepoDigests 0}}' <training-image>:<tag>",
        "git log --since='3 days' --pretty=oneline --name-only",
      ],
    },
    {
      id: 'train-leakage',
      stage: 'gates',
      title: 'Check feature backfills for lookahead leakage',
      detail:
        'For a sample of training rows, assert that no feature timestamp is later than its label timestamp. A backfill that ' +
        'fetched engagement "as of the training window end" instead of "as of the prediction time" inflates offline AUC.',
    },
    {
      id: 'train-endpoint-unaffected',
      stage: 'endpoint',
      title: 'Confirm what the endpoint is serving meanwhile',
      detail:
        'The endpoint usually still serves the previous model. Send a known-valid request and confirm a healthy response, so ' +
        'you know whether users are affected by staleness only or by a bad new model.',
      commands: [
        "curl -s -o /dev/null -w '%{http_code}\\n' -X POST -H 'Content-Type: application/json' -d @sample-request.json http://<model-service>:8000/predict",
      ],
    },
    {
      id: 'train-offline-vs-online',
      stage: 'quality',
      title: 'Compare offline metrics with online behaviour',
      detail:
        'A big offline/online gap right after a new model points at leakage or training-serving skew; a slow decline on an ' +
        'old model points at staleness / concept drift. Check the business cost of staleness (e.g. fraud false negatives).',
    },
  ],
  usualRootCauses: [
    { origin: 'dependency', text: 'A dependency update introduced an incompatibility and the training pipeline has been failing since' },
    { origin: 'dependency', text: 'Unpinned dependencies or different hardware make training non-deterministic and rollback unreproducible' },
    { origin: 'code', text: 'Feature backfill with a lookahead window leaked future data into training' },
    { origin: 'infrastructure', text: 'OOM, GPU failure, preemption or quota exhaustion on the training cluster' },
    { origin: 'config', text: 'Training configuration changed: data window, hyperparameters, seed, label definition' },
    { origin: 'process', text: 'Training-failure alerts drowned in noise and no model-freshness alert existed' },
  ],
  temptingWrongAction: {
    action: 'Rerun the job with bigger machines, newer libraries and tweaked settings all at once until it goes green.',
    whyWrong:
      'Changing several things before locating the failing layer destroys reproducibility: a green run with different ' +
      'dependencies or hardware can produce a different model, and nobody knows which change mattered. The stale model keeps serving meanwhile.',
    instead:
      'Reproduce the failing run with identical artifacts (lockfile, image digest, data snapshot), change one variable at a ' +
      'time (git bisect for code), keep the current model serving, and decide explicitly how long its staleness is acceptable.',
  },
  checklists: {
    acknowledge: [
      { id: 'own-page', text: 'Acknowledge the page and name the incident commander' },
      { id: 'failing-run', text: 'Record the failing run id and the last successful run id' },
      { id: 'serving-model-age', text: 'Note which model version is serving and how old it is' },
      { id: 'impact-line', text: 'Write the impact: stale model only, or a bad new model already serving' },
    ],
    assess: [
      { id: 'staleness-cost', text: 'Estimate the business cost of staleness per day (e.g. missed fraud) to set severity' },
      { id: 'promoted-check', text: 'Check whether any model from the failing runs was promoted to production' },
      { id: 'shared-infra', text: 'Check whether other models share the failing cluster, image or feature backfill' },
      { id: 'post-initial-report', text: 'Post the initial incident report with the next update time' },
    ],
    investigate: [
      { id: 'read-failure', text: 'Read the failing job log to the first real error (not the last retry)' },
      { id: 'env-fingerprint-diff', text: 'Diff lockfile, image digest, GPU type/driver and thread settings against the last good run' },
      { id: 'code-config-diff', text: 'List code and config changes since the last good run; bisect if needed' },
      { id: 'leakage-assert', text: 'Assert no feature timestamp is later than its label timestamp on a training sample' },
      { id: 'reproduce', text: 'Reproduce the failure with identical artifacts before changing anything' },
    ],
    mitigate: [
      { id: 'keep-last-good', text: 'Keep (or roll back to) the last good model version in production' },
      { id: 'pause-promotion', text: 'Pause automatic promotion from the training pipeline' },
      { id: 'pin-last-good-env', text: 'Re-run training once with the last good lockfile and image digest, if a retrain is urgent' },
      { id: 'verify-serving', text: 'Verify: expected model version serving and online metrics at baseline' },
    ],
    resolve: [
      { id: 'single-fix', text: 'Fix the one cause (pin, code fix, resource request) and re-run training' },
      { id: 'validate-new-model', text: 'Run the new model through the full validation gate — no shortcuts' },
      { id: 'resume-schedule', text: 'Resume the retraining schedule and confirm the next scheduled run succeeds' },
      { id: 'freshness-recovered', text: 'Confirm model freshness is back within its SLO' },
    ],
    review: [
      { id: 'freshness-alert', text: 'Add a model-freshness alert routed as business-critical' },
      { id: 'env-fingerprint', text: 'Record an environment fingerprint (lockfile, digest, hardware) with every training run' },
      { id: 'timestamp-test', text: 'Add a blocking check: no feature timestamp later than its label timestamp' },
      { id: 'alert-noise', text: 'Review alert noise: why was the failure missed, which alerts can be cut' },
      { id: 'owners-dates', text: 'Give every action item an owner and a due date' },
    ],
  },
  rollbackCriteria: [
    'A newly trained model with leakage or unexplained offline/online gap has been promoted',
    "The new model's online metrics are below the previous version's on any major segment",
    'The training fix cannot be validated within the mitigation budget',
  ],
  rollbackVerification: [
    'Registry and deployment agree: the previous model version serves 100% of traffic',
    'Online metrics and prediction distribution match the previous version\'s baseline',
    'Automatic promotion is paused so the next training run cannot re-promote a bad model',
  ],
  escalation:
    'Page the ML-platform on-call for cluster, GPU, quota or orchestrator failures; the owning data-science team for ' +
    'leakage or metric anomalies. If staleness causes ongoing business loss (fraud false negatives), escalate to the ' +
    'business owner to accept the risk explicitly or approve an emergency retrain.',
  prevention: [
    'Model-freshness monitoring with business-critical alerting; training-pipeline health as a key reliability metric',
    'Pinned dependencies via lockfiles and a captured environment fingerprint (lockfile, image digest, GPU, driver, OMP settings)',
    'Point-in-time feature retrieval and a blocking assertion that feature timestamps never exceed label timestamps',
    'Dependency-update PRs run a smoke test on a canonical set and fail if the metric delta exceeds a small threshold',
    'Alert hygiene: tiered alerts so a failing training pipeline is never lost in noise',
  ],
  examples: [
    'Fraud detection model stopped updating for three weeks after a dependency update broke training; alerts were lost in noise; fraud analysts noticed rising false negatives (seed 002)',
    'Driver acceptance-rate backfill with a lookahead window: offline AUC 0.91, production 0.83; fixed with a timestamp assertion that blocks training (seed 003)',
    'Same code and data produced different weights on V100 vs A100 and NumPy 1.23 vs 1.24, breaking reproducibility and rollback (seed 003)',
  ],
};
