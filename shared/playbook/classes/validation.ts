import type { ClassPlaybook } from '../types';

export const VALIDATION_PLAYBOOK: ClassPlaybook = {
  failureClass: 'validation',
  label: 'Validation',
  description:
    'The validation / promotion stage failed, was skipped or bypassed, or passed a model it should have rejected ' +
    '(unrepresentative validation data, no per-segment checks, a canary that was not slice-aware or too short).',
  symptoms: [
    'Release blocked at the validation gate, with pressure to bypass it or lower the threshold',
    'A model reached production without a validation record or approval in the registry',
    'Validation and canary passed, but some segments degrade in production (Android / international users, free tier)',
    'Canary promoted after an analysis window too short to see segment-specific problems',
    'Gate thresholds were changed recently, or a gate was marked optional',
  ],
  evidenceSources: [
    'Pipeline run history: which stages ran on which artifact, and their outcome',
    'Validation reports: metrics per segment, thresholds, evaluation dataset version',
    'Model registry metadata: stage, validation results attached, who promoted it and when',
    'Approval history / audit log: manual approvals, overrides, skipped stages',
    'Canary analysis: routing configuration, traffic share per segment, analysis window, guard thresholds',
    'Composition of the validation dataset vs production traffic (segments, regions, devices, tiers)',
  ],
  firstChecks: [
    {
      id: 'val-deployed-is-validated',
      stage: 'artifact',
      title: 'Is the deployed model the one that was validated?',
      detail:
        'Compare the version / digest receiving traffic with the registry version that carries the validation results. A ' +
        'mismatch (re-tagged image, manual promotion, wrong version pinned) makes the validation record meaningless.',
      commands: [
        'az ml online-endpoint show --name <endpoint> --query traffic',
        'az ml model list --name <model-name> --output table',
        "kubectl get pods -n ml-production -o jsonpath='{range .items[*]}{.metadata.name}{\"\\t\"}{.status.containerStatuses[*].imageID}{\"\\n\"}{end}'",
      ],
    },
    {
      id: 'val-gates-ran',
      stage: 'gates',
      title: 'Did every gate run on this artifact — and who approved?',
      detail:
        'Walk the pipeline run stage by stage: evaluation, thresholds, approval. Look for skipped stages, manual overrides, ' +
        'approvals given without the validation report, and threshold changes in the same PR as the model.',
      commands: ['az pipelines runs show --id <run-id>', 'az ml job show --name <job-id>'],
    },
    {
      id: 'val-why-gate-failed',
      stage: 'gates',
      title: 'Why did the gate fail (or pass)?',
      detail:
        'Read the failing metric, its threshold and the dataset it was computed on. Decide: a real regression, a problem in ' +
        'the validation data, or a broken validation job (registry or tracking server down, evaluation OOM). Only the first ' +
        'is a model problem.',
      commands: ['curl -f http://mlflow-server:5000/health'],
    },
    {
      id: 'val-candidate-serves',
      stage: 'endpoint',
      title: 'Does the candidate serve valid requests — and does rollback work?',
      detail:
        'Send the canonical request set to the canary/staging deployment. Also check that the previous model still works ' +
        'with the current serving code and feature schema; otherwise an automated rollback will take the service down.',
      commands: ['az ml online-deployment get-logs --endpoint-name <endpoint> --name <deployment>'],
    },
    {
      id: 'val-per-segment',
      stage: 'quality',
      title: 'Compare canary and control per segment, not on the global average',
      detail:
        'Break metrics down by platform, region, tier and any segment users complain about. Check the canary routing was ' +
        'stratified (not "iOS North America only") and the analysis window was long enough to see the slow segments.',
    },
  ],
  usualRootCauses: [
    { origin: 'data', text: 'Validation data does not represent production diversity; some segments are missing or tiny' },
    { origin: 'config', text: 'Canary routing not slice-aware (e.g. only iOS North America or premium users), so metrics look healthy' },
    { origin: 'process', text: 'Gate bypassed or approval rubber-stamped under deadline pressure' },
    { origin: 'config', text: 'Threshold misconfigured, metric computed on the wrong split, or canary window too short' },
    { origin: 'infrastructure', text: 'Validation job itself failed: tracking server / model registry unavailable, evaluation cluster OOM' },
    { origin: 'code', text: 'Evaluation code bug: wrong label join or evaluation set leaking into training' },
  ],
  temptingWrongAction: {
    action: 'Bypass the failing validation gate (or quietly lower its threshold) to ship on time.',
    whyWrong:
      'Bypassing a gate ships an unverified model: a blocked release becomes a production incident, and there is no ' +
      'validation record to compare against when it goes wrong.',
    instead:
      'Keep the current production model serving. Find why the gate failed — real regression, bad validation data or a ' +
      'broken validation job — and fix that. If the business still needs the release, escalate for an accountable, recorded ' +
      'review (who approved, what risk was accepted), never a silent skip.',
  },
  checklists: {
    acknowledge: [
      { id: 'own-page', text: 'Acknowledge and name the incident commander' },
      { id: 'which-release', text: 'Name the release, model version and pipeline run id involved' },
      { id: 'blocked-or-shipped', text: 'Establish: release blocked at the gate, or an insufficiently validated model already serving' },
      { id: 'impact-line', text: 'Write the impact in one line (delayed release vs degraded segments)' },
    ],
    assess: [
      { id: 'segments-affected', text: 'List affected segments and their traffic share' },
      { id: 'set-severity', text: 'Set severity: users hit by a bad model → SEV1/SEV2; blocked release only → SEV3/SEV4' },
      { id: 'freeze-promotion', text: 'Freeze further promotions on this model line' },
      { id: 'post-initial-report', text: 'Post the initial incident report with the next update time' },
    ],
    investigate: [
      { id: 'stage-walk', text: 'Walk the pipeline run stage by stage; note skipped or overridden steps' },
      { id: 'approval-history', text: 'Pull the approval history: who approved, when, with which report' },
      { id: 'gate-verdict', text: 'Classify the gate result: real regression, bad validation data, or broken validation job' },
      { id: 'dataset-coverage', text: 'Compare validation-set segment composition with production traffic' },
      { id: 'canary-routing', text: 'Check canary routing stratification and the length of the analysis window' },
    ],
    mitigate: [
      { id: 'restore-validated', text: 'Roll back to the last fully validated model version (by digest / registry version)' },
      { id: 'keep-blocked', text: 'Keep the failing candidate blocked; do not bypass the gate' },
      { id: 'record-overrides', text: 'Record any gate override with approver and reason on the timeline' },
      { id: 'verify-segments', text: 'Verify: validated version serving and metrics at baseline in every segment, not only globally' },
    ],
    resolve: [
      { id: 'fix-validation-cause', text: 'Fix the cause: refresh validation data, repair the job, or fix the model regression' },
      { id: 'rerun-full-gates', text: 'Re-run the full gate sequence on the exact artifact to be deployed' },
      { id: 'stratified-canary', text: 'Release through a stratified canary with per-segment guards and an adequate window' },
      { id: 'unfreeze', text: 'Unfreeze promotions only after the canary passes in every segment' },
    ],
    review: [
      { id: 'segment-guards', text: 'Add per-segment guard thresholds to validation and canary analysis' },
      { id: 'override-policy', text: 'Make gate overrides require a recorded, accountable approval' },
      { id: 'validation-refresh', text: 'Schedule validation-set refreshes so it tracks production diversity' },
      { id: 'rollback-test', text: 'Add a staging test that the previous model works with the current serving code' },
      { id: 'owners-dates', text: 'Give every action item an owner and a due date' },
    ],
  },
  rollbackCriteria: [
    'A model without a complete validation record is serving traffic',
    'Any segment breaches its canary guard threshold, even if the global metric looks fine',
    'Approval history shows the gate was bypassed',
  ],
  rollbackVerification: [
    'Registry and endpoint agree: the last validated version serves 100% of traffic',
    'Per-segment metrics back to baseline across all segments, not just the aggregate',
    'Promotion pipeline frozen, so the unvalidated candidate cannot be re-promoted automatically',
  ],
  escalation:
    'Gate-bypass requests go to the accountable model owner / release approver, never to the on-call engineer alone; the ' +
    'decision and the accepted risk are written on the timeline. Page the ML-platform on-call when the validation ' +
    'infrastructure (registry, tracking server, evaluation cluster) is down.',
  prevention: [
    'Stratified canary allocation with separate guard thresholds per traffic segment',
    'Validation data refreshed to represent production segments; segment coverage checked in CI',
    'Longer canary analysis windows with segment-specific metrics; shadow mode for major model changes',
    'Registry access control: only models with attached validation results can be deployed',
    'Gate overrides need a recorded approver and reason',
    'Rollback test in staging: the previous model runs against the new serving environment',
  ],
  examples: [
    'A canary routed only to iOS users in North America looked healthy (high-intent users) while the model degraded for Android and international users (seed 003)',
    'Netflix-style contamination: canary saw only premium subscribers; full rollout degraded the free tier; fixed with per-tier guards and stratified allocation (seed 003)',
    'Streaming personalisation passed every validation check but hurt under-represented segments; canary window too short to see it (seed 002)',
    'A pipeline failed validation and the team wanted to bypass the gate: fix the validation issue or escalate with accountable review (seed 000)',
  ],
};
