import type { ClassPlaybook } from '../types';

export const PACKAGING_PLAYBOOK: ClassPlaybook = {
  failureClass: 'packaging',
  label: 'Packaging',
  description:
    'The trained model is fine but the shipped artifact is not: a dependency or base-image change, a floating tag, a ' +
    'serialization change or preprocessing code (feature order, scaler, missing-value strategy) that differs from training.',
  symptoms: [
    'Container fails at startup: ImportError / ModuleNotFoundError, unpickling errors, "trained with version X" warnings',
    'The same model gives different predictions in the container than in the training environment',
    'Smoke tests or the canonical test set fail only against the built artifact',
    'Prediction distribution or entropy shifted after a rebuild with no model change',
    'The image tag now resolves to a different digest than the last good deploy',
  ],
  evidenceSources: [
    'CI build logs and smoke-test results for the artifact',
    'Image digests in the registry (not tags) for the failing and last good build',
    'pip freeze / lockfile inside the image vs the training environment; SBOM',
    'Model metadata saved with the artifact: feature_order, scaler / normalisation parameters, library versions',
    'Serialization format and library versions (pickle/joblib, JSON vs msgpack, ONNX opset)',
    'Runtime environment: env vars, OMP_NUM_THREADS, BLAS/MKL build, CUDA and driver versions',
  ],
  firstChecks: [
    {
      id: 'pkg-exact-digest',
      stage: 'artifact',
      title: 'Pin down the exact image digest and model file being run',
      detail:
        'Resolve tags to digests for the failing and the last good artifact, and note which model file/version is baked in. ' +
        'Everything after this compares those two digests.',
      commands: [
        "docker inspect --format='{{index .RepoDigests 0}}' <image>:<tag>",
        'docker images --digests',
        "kubectl get pods -n ml-production -o jsonpath='{range .items[*]}{.metadata.name}{\"\\t\"}{.status.containerStatuses[*].imageID}{\"\\n\"}{end}'",
      ],
    },
    {
      id: 'pkg-build-gates',
      stage: 'gates',
      title: 'Did the build and smoke-test stages run on this digest?',
      detail:
        'Check the CI run that produced the digest: did the smoke test load the production model and run the canonical input ' +
        'set, or was the stage skipped / run on a different build?',
      commands: ['az pipelines runs show --id <run-id>'],
    },
    {
      id: 'pkg-deps-diff',
      stage: 'gates',
      title: 'Diff dependencies and environment against the last good artifact',
      detail:
        'Capture pip freeze from both images and diff: look for major bumps of numeric libraries (numpy, scipy, BLAS/MKL), ' +
        'loosened pins, transitive upgrades, serialization libraries, and env-var changes such as OMP_NUM_THREADS.',
      commands: [
        'docker run --rm --entrypoint pip <image>@<digest> freeze > runtime-requirements.txt',
        'docker run --rm --entrypoint env <image>@<digest>',
      ],
    },
    {
      id: 'pkg-preprocessing-parity',
      stage: 'gates',
      title: 'Check preprocessing parity with training',
      detail:
        'Compare model metadata (feature_order, scaler parameters, missing-value strategy) with what the packaged serving ' +
        'code does. A permuted feature order or a changed normaliser produces confident, wrong predictions with no error.',
    },
    {
      id: 'pkg-run-canonical',
      stage: 'endpoint',
      title: 'Run the canonical request through the packaged container',
      detail:
        'Start the exact digest locally or in a sandbox and send the canonical request. Startup errors and 4xx/5xx here are ' +
        'packaging; a clean 200 moves suspicion to the predictions themselves.',
      commands: [
        'docker run --rm -d -p 8000:8000 --name pkg-repro <image>@<digest>',
        "curl -s -X POST -H 'Content-Type: application/json' -d @sample-request.json http://localhost:8000/predict",
        'docker logs pkg-repro',
      ],
    },
    {
      id: 'pkg-prediction-parity',
      stage: 'quality',
      title: 'Compare packaged predictions with the training environment',
      detail:
        'Score the canonical set in both environments. If the prediction mean or distribution differs beyond a small ' +
        'tolerance, the packaging changed the model — no amount of drift analysis will explain it.',
    },
  ],
  usualRootCauses: [
    { origin: 'dependency', text: 'Unpinned or transitive dependency upgrade changed numeric semantics (numpy major bump, BLAS/MKL build)' },
    { origin: 'config', text: 'Floating image tag ("latest") resolved to a different build than the one tested' },
    { origin: 'code', text: 'Serialization change (JSON → msgpack, pickle across library versions) reordered or retyped fields' },
    { origin: 'code', text: 'Serving preprocessing diverged from training: feature order, normalisation or missing-value handling' },
    { origin: 'process', text: 'Wrong or stale model file baked into the image (build cache, wrong registry version)' },
    { origin: 'infrastructure', text: 'Native library or driver mismatch (CUDA, glibc, GPU driver) in the base image' },
  ],
  temptingWrongAction: {
    action: 'Rebuild from the same floating tag, or loosen/upgrade every pin to make the ImportError go away, and redeploy.',
    whyWrong:
      'A rebuild from floating tags and loose pins produces yet another unknown artifact: you lose the comparison with the ' +
      'failing build and cannot roll back to a known state if the new one misbehaves differently.',
    instead:
      'Roll back to the last-known-good image by digest. Then rebuild the failing artifact from its lockfile, diff pip freeze ' +
      'and model metadata against the good one, and fix the single offending pin or preprocessing change.',
  },
  checklists: {
    acknowledge: [
      { id: 'own-page', text: 'Acknowledge and name the incident commander' },
      { id: 'which-build', text: 'Name the failing build / pipeline run and the image tag involved' },
      { id: 'impact-line', text: 'Write the impact: failed startup (outage) or running with changed predictions' },
    ],
    assess: [
      { id: 'tag-to-digest', text: 'Resolve the tag to a digest and list where that digest is deployed' },
      { id: 'last-good-digest', text: 'Find the last-known-good digest and confirm it is still in the registry' },
      { id: 'set-severity', text: 'Set severity: outage or wrong predictions served → SEV1/SEV2; caught before prod → SEV3/SEV4' },
      { id: 'post-initial-report', text: 'Post the initial incident report with the next update time' },
    ],
    investigate: [
      { id: 'capture-freeze', text: 'Capture pip freeze / lockfile and env of both images as artifacts' },
      { id: 'diff-deps', text: 'Diff dependencies: major bumps, loosened pins, transitive upgrades, markers' },
      { id: 'metadata-parity', text: 'Diff model metadata (feature_order, scaler params) against the serving code' },
      { id: 'repro-canonical', text: 'Reproduce with the exact digest and the canonical input set' },
      { id: 'single-cause', text: 'Confirm the single cause by reverting only that change in a sandbox build' },
    ],
    mitigate: [
      { id: 'rollback-digest', text: 'Roll back to the last-known-good image by digest, not by tag' },
      { id: 'stop-builds', text: 'Stop automatic builds / promotions from the broken branch or base image' },
      { id: 'verify-digest-serving', text: 'Verify every pod runs the good digest and the canonical smoke test passes' },
      { id: 'verify-predictions', text: 'Verify prediction distribution is back at the baseline' },
    ],
    resolve: [
      { id: 'pin-fix', text: 'Pin the offending dependency or fix the preprocessing code — one change' },
      { id: 'rebuild-lockfile', text: 'Rebuild from the lockfile and record the new digest' },
      { id: 'smoke-test', text: 'Run the canonical smoke test and prediction-parity check on the new digest' },
      { id: 'deploy-by-digest', text: 'Deploy by digest through the normal canary' },
    ],
    review: [
      { id: 'pin-test', text: 'Add a pytest that asserts critical dependency versions via importlib.metadata' },
      { id: 'metadata-test', text: 'Add a test that serving feature order matches model.metadata.feature_order' },
      { id: 'digest-policy', text: 'Deploy only by digest; record lockfile, SBOM and digest with every build' },
      { id: 'dep-update-gate', text: 'Make dependency-update PRs run the canonical smoke test with a small delta threshold' },
      { id: 'owners-dates', text: 'Give every action item an owner and a due date' },
    ],
  },
  rollbackCriteria: [
    'The container fails to start or fails the canonical smoke test',
    'Packaged predictions differ from the training environment beyond tolerance',
    'The running digest is not the digest that passed CI',
  ],
  rollbackVerification: [
    'All pods report the last-known-good image digest (imageID), none on the bad one',
    'Canonical smoke test passes against the live endpoint',
    'Prediction distribution matches the pre-incident baseline',
  ],
  escalation:
    'Page the build/release owner for CI and registry problems and the model owner for preprocessing parity. Involve the ' +
    'platform team when a shared base image or native library changed — other models built on it are likely affected too.',
  prevention: [
    'Lockfiles (pip-compile / poetry) and an SBOM stored with every build; images published and deployed by digest',
    'CI smoke test that loads the production model and runs a canonical input set, failing on a small metric delta',
    'pytest checks of dependency pins via importlib.metadata',
    'Persist feature_order and scaler parameters in model metadata and test serving against them',
    'Serialization round-trip tests across old and new deserializers',
    'Capture runtime metadata (glibc, CUDA/driver, OMP settings) with every image',
  ],
  examples: [
    'A minor library upgrade changed numerical semantics and silently shifted outputs; reproduced by rebuilding from the historical lockfile (seed 004)',
    'A serialization switch (JSON → msgpack) permuted fields and produced high-entropy predictions (seed 004)',
    'NumPy 1.23 vs 1.24 produced different weights from the same code and data (seed 003)',
  ],
};
