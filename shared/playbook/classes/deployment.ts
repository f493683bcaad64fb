import type { ClassPlaybook } from '../types';

export const DEPLOYMENT_PLAYBOOK: ClassPlaybook = {
  failureClass: 'deployment',
  label: 'Deployment',
  description:
    'The right model exists, but the release broke on the way in: input-schema / contract mismatch with the calling ' +
    'application, wrong version or traffic split, configuration drift, or a rollback that itself fails.',
  symptoms: [
    'Endpoint returns 400s (schema / contract errors) or 5xx right after a release, while training and validation passed',
    'Error-rate or latency step change lines up with a rollout or traffic shift',
    'Wrong model version serving some or all traffic; blue/green split not as intended',
    'Rolled back, but bad outputs continue (caches, queues, feature pipelines still on the failed release)',
    'Automated rollback crashes the previous model on the new feature schema, leaving the service down',
  ],
  evidenceSources: [
    'Deployment history and rollout status (Kubernetes rollout history, endpoint deployments)',
    'Endpoint traffic configuration (blue/green weights, canary share)',
    'Container and deployment logs; request logs with the 4xx/5xx response bodies',
    'Deployed ConfigMaps / env / feature flags vs the versions in git',
    'Manifest and config diffs between the last good and the failing release',
    'CI/CD pipeline runs and approvals for the release; contract-test results',
    'Endpoint metrics: request rate, error rate by status code, latency percentiles',
  ],
  firstChecks: [
    {
      id: 'deploy-what-is-live',
      stage: 'artifact',
      title: 'What is actually deployed and receiving traffic?',
      detail:
        'Read the image digests of running pods, the rollout history and the endpoint traffic split. Confirm the version ' +
        'you think is live is the one taking traffic — a half-finished rollout or a stale traffic weight is common.',
      commands: [
        'kubectl rollout history deployment/ml-model -n ml-production',
        "kubectl get pods -n ml-production -o jsonpath='{range .items[*]}{.metadata.name}{\"\\t\"}{.status.containerStatuses[*].imageID}{\"\\n\"}{end}'",
        'az ml online-endpoint show --name <endpoint> --query traffic',
      ],
    },
    {
      id: 'deploy-pipeline-ran',
      stage: 'gates',
      title: 'Did the release pipeline run all its stages on this artifact?',
      detail:
        'Check the release run: contract tests, staging smoke test, approvals, canary analysis. A manual deploy or a ' +
        'skipped contract test is a strong lead.',
      commands: ['az pipelines runs show --id <run-id>'],
    },
    {
      id: 'deploy-config-drift',
      stage: 'gates',
      title: 'Diff the deployed configuration against the repository',
      detail:
        'Compare live ConfigMaps, env vars and manifests with git. A flipped boolean, a missing key or a changed default ' +
        'between repo and runtime often explains a release that worked in staging.',
      commands: [
        'kubectl get configmap -n prod my-config -o yaml',
        'kubectl get deployment ml-model -n ml-production -o yaml',
        "git log --since='3 days' --pretty=oneline --name-only",
      ],
    },
    {
      id: 'deploy-valid-request',
      stage: 'endpoint',
      title: 'Can the endpoint serve a known-valid request?',
      detail:
        'Send the canonical request from the contract tests and read the response body. A 400 naming a field means the ' +
        'application and model contracts diverged; a 5xx means look at the container logs.',
      commands: [
        "curl -s -X POST -H 'Content-Type: application/json' -d @sample-request.json http://<model-service>:8000/predict",
        'az ml online-deployment get-logs --endpoint-name <endpoint> --name <deployment>',
        'kubectl logs <pod-name> -n ml-production --previous',
      ],
    },
    {
      id: 'deploy-quality-or-release',
      stage: 'quality',
      title: 'Is there a real model-quality problem, or only the release?',
      detail:
        'Compare prediction distributions and KPIs before and after the rollout timestamp, per segment. If the change ' +
        'starts exactly at the rollout, it is the release — not drift, and not a reason to retrain.',
    },
  ],
  usualRootCauses: [
    { origin: 'code', text: 'Application API change altered the input schema; model contract not updated (400s on valid-looking requests)' },
    { origin: 'config', text: 'Traffic routing / split misconfigured: wrong weights, stale canary, wrong version pinned' },
    { origin: 'config', text: 'Runtime config drifted from the repo: ConfigMap, env var or feature flag differs' },
    { origin: 'code', text: 'No backward-compatible schema versioning: the previous model crashes on the new feature schema during rollback' },
    { origin: 'process', text: 'Release shipped without contract tests, staging rollback test or approval' },
    { origin: 'infrastructure', text: 'Caches, queues or downstream consumers still hold outputs of the failed release' },
  ],
  temptingWrongAction: {
    action: 'Hot-fix several things at once — patch the config, bump the image and tweak the traffic split in one go — or retrain because predictions "look wrong".',
    whyWrong:
      'If the errors stop you will not know which change mattered; if they do not, you have stacked new unknowns on the ' +
      'incident and may have broken the rollback path. A 400 from a schema mismatch is not a model problem, so retraining cannot fix it.',
    instead:
      'Roll back to the last-known-good digest and traffic split as one recorded action, verify it, then diff the release ' +
      '(manifests, ConfigMaps, API contract) and fix one thing at a time.',
  },
  checklists: {
    acknowledge: [
      { id: 'own-page', text: 'Acknowledge and name the incident commander' },
      { id: 'link-release', text: 'Link the incident to the release: version, digest, rollout start time' },
      { id: 'impact-line', text: 'Write the impact: error rate / failing share of requests and affected callers' },
      { id: 'freeze-deploys', text: 'Announce a deploy freeze on the affected service' },
    ],
    assess: [
      { id: 'traffic-share', text: 'Determine what share of traffic hits the new version (canary or full)' },
      { id: 'set-severity', text: 'Set severity from the error rate and caller impact' },
      { id: 'rollback-path', text: 'Confirm the last-known-good digest exists and the previous model accepts the current request schema' },
      { id: 'post-initial-report', text: 'Post the initial incident report with the next update time' },
    ],
    investigate: [
      { id: 'error-bodies', text: 'Read 4xx/5xx response bodies and container logs for the first error' },
      { id: 'contract-diff', text: 'Diff the request schema the app sends against the model contract' },
      { id: 'config-diff', text: 'Diff live ConfigMaps / env / manifests against git and the last good release' },
      { id: 'traffic-config', text: 'Check traffic weights and routing rules against the release plan' },
      { id: 'capture-manifests', text: 'Capture both releases\' manifests and configs as artifacts' },
    ],
    mitigate: [
      { id: 'rollback-digest', text: 'Roll back to the last-known-good artifact digest and traffic split' },
      { id: 'verify-rollback', text: 'Verify rollback: previous version serving and error rate back to baseline' },
      { id: 'flush-caches', text: 'Check caches / queues still holding outputs of the failed release; flush or drain them' },
      { id: 'downstream-check', text: 'Confirm downstream consumers and feature pipelines are not still on the failed release' },
      { id: 'record-rollback', text: 'Record the rollback time and verification evidence on the timeline' },
    ],
    resolve: [
      { id: 'fix-contract', text: 'Fix the contract mismatch or config, with a contract test that fails on the old bug' },
      { id: 'backward-compatible', text: 'Make serving accept both old and new schemas for the rollout window' },
      { id: 'staging-rollback-test', text: 'Test rollback in staging: old model against the new serving environment' },
      { id: 'redeploy-canary', text: 'Redeploy through a canary with error-rate and per-segment guards' },
      { id: 'lift-freeze', text: 'Lift the deploy freeze once the canary is healthy' },
    ],
    review: [
      { id: 'contract-tests', text: 'Add contract tests between the calling application and the model input schema' },
      { id: 'config-as-code', text: 'Alert on drift between deployed config and git' },
      { id: 'auto-rollback', text: 'Review automated-rollback behaviour and its verification step' },
      { id: 'cache-runbook', text: 'Add cache / queue flushing to the rollback runbook' },
      { id: 'owners-dates', text: 'Give every action item an owner and a due date' },
    ],
  },
  rollbackCriteria: [
    'Error rate or 4xx/5xx share above the SLO and starting at the rollout',
    'Wrong version or traffic split serving and cannot be corrected in minutes',
    'The fix-forward needs a code change to the app or the model contract',
  ],
  rollbackVerification: [
    'Rollout history and pod imageIDs show the previous digest; endpoint traffic 100% on the previous deployment',
    'Error rate and latency back to the pre-release baseline',
    'Canonical request returns the expected prediction',
    'No caches, queues or downstream systems still serving outputs of the failed release (bad outputs stopped, not just errors)',
  ],
  escalation:
    'Page the owning application team when their API change broke the contract, and the platform on-call for routing, ' +
    'ingress or cluster problems. If rollback fails (previous model incompatible with the new schema), escalate to SEV1 ' +
    'immediately — the service has no safe state.',
  prevention: [
    'Contract tests that pin the model input schema against the calling application, run in both repos',
    'Schema versioning with backward compatibility; serving handles old and new schemas during rollouts',
    'Staging rollback test: previous model against the new serving environment',
    'Deploy by digest; config as code with drift detection between cluster and git',
    'Canary with automated rollback and a post-rollback verification step (incl. caches and queues)',
  ],
  examples: [
    'Support-routing release: training done, validation passed, endpoint returned 400s — an application API change broke the input schema; fixed with contract tests (seed 000)',
    'New ranking model needed a streaming feature; rollback to the old model caused feature-fetch errors for 8 minutes until manual intervention; fixed with dual read paths (seed 003)',
    'Rolled back, but customers saw bad output for 15 more minutes: traffic lag, caching and queued outputs from the failed release (seed 000)',
  ],
};
