import type { ClassPlaybook } from '../types';

export const SERVING_PLAYBOOK: ClassPlaybook = {
  failureClass: 'serving',
  label: 'Serving',
  description:
    'The endpoint exists but cannot serve reliably: pods OOMKilled or crash-looping, latency spikes, cold starts, resource ' +
    'limits, or slow dependencies (feature store, database). Symptoms are API and runtime errors, not wrong-but-valid predictions.',
  symptoms: [
    'Pods OOMKilled or in CrashLoopBackOff; intermittent failures on a share of requests (e.g. 30%)',
    'Inference latency jumps (50 ms → 2000 ms); load-balancer health checks failing',
    'Autoscaler adds pods but latency does not improve',
    'New replicas take traffic before the model is loaded (45 s to load a 2 GB model), p99 spikes during scale-up',
    'Timeouts to the feature store or database; connection pool exhausted',
  ],
  evidenceSources: [
    'Pod status, events and previous-container logs (OOMKilled, exit codes, restarts)',
    'Resource usage vs requests/limits (kubectl top, container stats, node pressure)',
    'Node logs (kubelet) for evictions and memory pressure',
    'Endpoint metrics: latency percentiles, error rate, saturation, replica readiness',
    'Host metrics: CPU throttling, I/O wait, memory, network sockets',
    'Dependency health: feature store latency, database connection counts',
  ],
  firstChecks: [
    {
      id: 'serve-version-changed',
      stage: 'artifact',
      title: 'Which version runs on the failing pods — did it change?',
      detail:
        'Check image digests and rollout history. If the failures started with a new version, treat it as a release ' +
        'problem and roll back first; if nothing changed, look at traffic and resources.',
      commands: [
        'kubectl rollout history deployment/ml-model -n ml-production',
        "kubectl get pods -n ml-production -o jsonpath='{range .items[*]}{.metadata.name}{\"\\t\"}{.status.containerStatuses[*].imageID}{\"\\n\"}{end}'",
      ],
    },
    {
      id: 'serve-resource-config',
      stage: 'gates',
      title: 'Did limits, probes or capacity change without review?',
      detail:
        'Read the deployment\'s resources, readiness probe and HPA settings and the recent events. Limits set too low for ' +
        'the current model size, or a readiness probe that passes before the model is loaded, are release-gate gaps.',
      commands: [
        'kubectl get deployment ml-model -n ml-production -o yaml | grep -A 10 resources',
        "kubectl get events -n ml-production --sort-by='.lastTimestamp'",
      ],
    },
    {
      id: 'serve-why-pods-fail',
      stage: 'endpoint',
      title: 'Why are pods failing?',
      detail:
        'Look at pod status, the last termination reason and the previous container\'s logs. OOMKilled with memory growing ' +
        'per request suggests a leak; flat high usage suggests limits too low or a bigger model; failures only on new pods ' +
        'suggest cold start.',
      commands: [
        'kubectl get pods -n ml-production',
        'kubectl describe pod <failing-pod> -n ml-production',
        'kubectl logs <pod-name> -n ml-production --previous',
        'kubectl top pods -n ml-production',
        'kubectl top nodes',
        'journalctl -u kubelet -n 50',
      ],
    },
    {
      id: 'serve-where-latency',
      stage: 'endpoint',
      title: 'Where is the latency spent?',
      detail:
        'Separate model time from infrastructure time: CPU throttling, swapping, I/O wait, connection pools, downstream ' +
        'calls. If replicas serve before the model is loaded, fix readiness before anything else.',
      commands: [
        'docker stats <container-id>',
        'sar -u 1 10',
        'sar -r 1 10',
        'iostat -x 1 10',
        'ss -tuln | grep :8000',
        'psql -h db-host -c "SELECT count(*) FROM pg_stat_activity;"',
      ],
    },
    {
      id: 'serve-answers-correct',
      stage: 'quality',
      title: 'Are the answers that do come back still correct?',
      detail:
        'Check the prediction distribution of successful responses and whether a fallback model or default values are ' +
        'silently answering. Timeouts that degrade to defaults turn a serving incident into a quality one.',
    },
  ],
  usualRootCauses: [
    { origin: 'code', text: 'Memory leak in inference or preprocessing code' },
    { origin: 'infrastructure', text: 'Traffic increase without capacity planning; node memory pressure' },
    { origin: 'config', text: 'Resource limits too low for the current model and workload; CPU throttling' },
    { origin: 'config', text: 'Readiness probe passes before the model is loaded, so cold replicas receive traffic' },
    { origin: 'infrastructure', text: 'Slow dependency: feature store, database or external API; connection pool exhaustion' },
    { origin: 'code', text: 'Blocking I/O or inefficient preprocessing in the request path' },
  ],
  temptingWrongAction: {
    action: 'Scale up — more replicas or bigger memory limits — on the leaking / OOMing pods and call it fixed.',
    whyWrong:
      'A leak fills any limit eventually; each new replica loading a 2 GB model adds cold-start load, pushes nodes into ' +
      'memory pressure and can take neighbouring services down. The autoscaler already showed that more pods do not help.',
    instead:
      'Find the shape first: memory growth per request (leak), flat high usage (limits/model size) or new-pod-only failures ' +
      '(cold start). For a leak, roll back to the version without it (or rolling restarts as a stopgap) and profile; for cold ' +
      'start, gate readiness on model load and pre-warm; raise limits only when usage is flat and legitimately higher.',
  },
  checklists: {
    acknowledge: [
      { id: 'own-page', text: 'Acknowledge and name the incident commander' },
      { id: 'failing-share', text: 'Measure the failing share of requests and the latency percentiles now' },
      { id: 'impact-line', text: 'Write the impact: which callers time out or get errors, since when' },
    ],
    assess: [
      { id: 'set-severity', text: 'Set severity from the failing share and caller criticality' },
      { id: 'neighbours', text: 'Check whether other services on the same nodes are affected' },
      { id: 'recent-change', text: 'Check for a rollout, config change or traffic surge near the start time' },
      { id: 'post-initial-report', text: 'Post the initial incident report with the next update time' },
    ],
    investigate: [
      { id: 'termination-reason', text: 'Read termination reasons and previous-container logs of failing pods' },
      { id: 'memory-shape', text: 'Plot memory per pod over time: growth per request (leak) vs flat high usage' },
      { id: 'cold-start', text: 'Compare model load time with readiness-probe timing on new replicas' },
      { id: 'dependency-latency', text: 'Check dependency latency and connection pools (feature store, database)' },
      { id: 'throttling', text: 'Check CPU throttling and I/O wait against the limits' },
    ],
    mitigate: [
      { id: 'rollback-if-release', text: 'If a release started it, roll back to the last good digest' },
      { id: 'stopgap-restarts', text: 'For a confirmed leak, schedule rolling restarts as a stopgap — not more replicas' },
      { id: 'readiness-gate', text: 'For cold starts, hold traffic until the model is loaded (readiness) or use a warm pool' },
      { id: 'shed-load', text: 'Shed or rate-limit load to protect the remaining capacity if needed' },
      { id: 'verify-mitigation', text: 'Verify: no restarts for 15 minutes, p99 and error rate back at baseline' },
    ],
    resolve: [
      { id: 'fix-leak', text: 'Fix the leak / blocking call with a profile that proves it' },
      { id: 'right-size', text: 'Right-size requests and limits from measured usage' },
      { id: 'prewarm', text: 'Pre-warm replicas (init container or warm standby pool)' },
      { id: 'load-test', text: 'Load-test the fix at peak traffic before redeploying' },
    ],
    review: [
      { id: 'memory-alert', text: 'Alert on memory growth per pod and on restarts, before OOMKilled' },
      { id: 'capacity-plan', text: 'Add capacity planning for traffic growth and model size' },
      { id: 'load-gate', text: 'Add a load / soak test gate to the release pipeline' },
      { id: 'readiness-standard', text: 'Standardise readiness probes that wait for model load' },
      { id: 'owners-dates', text: 'Give every action item an owner and a due date' },
    ],
  },
  rollbackCriteria: [
    'Failures or latency regression started with a new version or config',
    'Error rate or p99 above the SLO and not recovering within the mitigation budget',
    'Pods are crash-looping and capacity is shrinking',
  ],
  rollbackVerification: [
    'All pods on the previous digest, Ready, and with zero restarts for at least 15 minutes',
    'p99 latency and error rate back at the pre-incident baseline',
    'Memory per pod flat under normal traffic',
    'Health checks passing at the load balancer',
  ],
  escalation:
    'Page the platform / cluster on-call for node pressure, evictions or autoscaler behaviour, and the owners of the ' +
    'feature store or database if they are the bottleneck. Escalate immediately if neighbouring services on the same ' +
    'nodes start failing.',
  prevention: [
    'Readiness probes that pass only after the model and indexes are loaded; warm standby pool; admission control during scale-up',
    'Memory-growth and restart alerts per pod; soak tests that catch leaks',
    'Requests/limits sized from measured usage, reviewed when the model artifact grows',
    'Load tests at peak traffic as a release gate',
    'Circuit breakers and cached-feature fallbacks for slow dependencies',
  ],
  examples: [
    'Serving pods OOMKilled for a week, 30% of requests failing intermittently; causes range from a leak to limits too low for the workload (seed 001)',
    'Latency 50 ms → 2000 ms, health checks failing, autoscaler adding pods that did not help (seed 001)',
    'Canary scaled 2 → 20 replicas; each needed 45 s to load a 2 GB model and 500 MB index but took traffic anyway; p99 50 → 800 ms and an automated rollback (seed 003)',
  ],
};
