// Budgets of issue 12 on a store of 100k incidents and 1M timeline events:
//   search p95 < 10 ms · similar incidents p95 < 20 ms · stats summary < 200 ms · first list page p95 < 20 ms
//   web UI first rows < 1 s (the web host on the generated store, real Chromium: navigation to the
//   first incident row visible; baseline: the same on a store of one incident)
// Each figure is printed beside a baseline measured in the same run (LIKE scans, the un-indexed query,
// the previous unpaged list) and the ratio.
//
// The store is generated through the app's own services (the same prepared statements and triggers
// the app runs; no hand-written INSERTs), from incident "stories" whose evidence is real diff output
// of the files in test/fixtures/real/. It is cached in .tmp/bench-store/ under a hash of the migrations and
// of this generator's version, so a schema change regenerates it; older caches are deleted.
// Generating 100k incidents / 1.05M events took 891 s on a shared 2-core machine (load 6-7, unit suite
// running alongside), at a steady ~9 s per 1,000 once migration 0011 fixed the incident-insert trigger.
//   PMW_BENCH_INCIDENTS=N   a smaller store (default 100000; events are 10 per incident)
//   PMW_BENCH_FRESH=1       regenerate even when a cache exists
//   PMW_BENCH_STORE=path    measure this existing store as it is (e.g. one whose generation was cut
//                           short on a slow machine); its fingerprint queue is drained and its FTS
//                           index optimised first, as generation ends. The counts printed are its own.
//   PMW_BENCH_CHROMIUM=path the browser for "web UI first rows" (default /usr/bin/chromium, else
//                           Playwright's own); the figure is skipped, with the reason, when none starts
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { benchTempDir, row } from './util';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type App } from '../../main/app';
import { loadMigrations } from '../../main/store/db';
import type { ParsedInput } from '../../shared/api/contract';
import { diffArtifacts } from '../../shared/diff/index';
import { SEVERITY_RANK, type Change } from '../../shared/diff/types';
import { PHASES, type FailureClass, type RootCauseOrigin, type Severity } from '../../shared/domain';
import { compileQuery } from '../../shared/search';

const GENERATOR_VERSION = 2;
const N = Number(process.env.PMW_BENCH_INCIDENTS ?? 100_000);
const EVENTS_PER_INCIDENT = 10;
const root = join(__dirname, '..', '..');
const real = (p: string) => readFileSync(join(root, 'test', 'fixtures', 'real', p));

// ── deterministic randomness ─────────────────────────────────────────────────────────────────────
let seed = 0x2545f491;
function rnd(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
/** Zipf-ish: early entries far more often. */
const zipf = <T>(xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(xs.length * rnd() ** 2.2))];
const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));

// ── the real changes incidents carry as evidence ────────────────────────────────────────────────
function changesOf(a: string, b: string): Change[] {
  return diffArtifacts({ name: a.split('/').pop()!, bytes: real(a) }, { name: b.split('/').pop()!, bytes: real(b) }).changes as Change[];
}
const serious = (cs: Change[]) => cs.filter((c) => SEVERITY_RANK[c.severity] >= SEVERITY_RANK.warning);
const LOCK = changesOf('deps/nannyml-poetry-e8623af8.lock', 'deps/nannyml-poetry-94c3e242.lock');
const LOCK2 = changesOf('deps/nannyml-poetry-17430fc5.lock', 'deps/nannyml-poetry-0ec1fc80.lock');
const WHISPER = [
  ...changesOf('deps/whisper-requirements-ad3250a8.txt', 'deps/whisper-requirements-839639a2.txt'),
  ...changesOf('deps/whisper-requirements-b9f17e1f.txt', 'deps/whisper-requirements-746aaaea.txt'),
  ...changesOf('deps/whisper-requirements-e58f2880.txt', 'deps/whisper-requirements-8bc88606.txt'),
];
const TITANIC = serious(changesOf('data/titanic_reference.csv', 'data/titanic_analysis.csv'));
const HOUSING = serious(changesOf('data/california_housing_reference.csv', 'data/california_housing_analysis.csv'));
const VLLM = changesOf('k8s/vllm-deployment-929f82b7.yaml', 'k8s/vllm-deployment-a0ed769c.yaml');
const PACKAGES = [...new Set([...LOCK, ...LOCK2].map((c) => c.subject.replace(/\s*[([].*$/, '')))];
const COLUMNS = ['Survived', 'Fare', 'Age', 'Embarked', 'boat', 'MedInc', 'HouseAge', 'Latitude', 'Longitude', 'AveOccup', 'clf_target', 'y_pred', 'tenure', 'basket_value', 'session_len', 'country', 'device', 'price_bucket'];
const ERRORS = [
  'CUDA out of memory. Tried to allocate {n} MiB',
  "KeyError: '{col}'",
  'ValueError: could not convert string to float: {q}',
  'OOMKilled: container scorer exceeded memory limit',
  'TimeoutError: feature store read exceeded {n} ms',
  'RuntimeError: Expected all tensors to be on the same device',
  'ModuleNotFoundError: No module named {q}',
  'sklearn.exceptions.InconsistentVersionWarning: Trying to unpickle estimator',
  'AttributeError: module numpy has no attribute float_',
  'grpc StatusCode.UNAVAILABLE: upstream connect error',
];

/** A real change with its subject swapped for another real one, so fingerprints vary like a store's would. */
function variant(c: Change): Change {
  if (c.kind.startsWith('dependency.') && rnd() < 0.6) {
    const pkg = zipf(PACKAGES);
    return { ...c, subject: pkg, message: c.message.replace(c.subject, pkg) };
  }
  if (/^(column|drift|nulls|range|category)\./.test(c.kind) && rnd() < 0.6) {
    const col = pick(COLUMNS);
    return { ...c, subject: col, params: { ...(c.params ?? {}), column: col }, message: c.message.replace(c.subject, col) };
  }
  return c;
}
function logChange(): Change {
  const sig = pick(ERRORS).replace('{n}', String(int(20, 4000))).replace('{col}', pick(COLUMNS)).replace('{q}', `'${pick(PACKAGES)}'`);
  const count = int(3, 900);
  return { kind: 'log.new-signature', severity: 'critical', failureClass: 'serving', subject: sig, before: 0, after: count, message: `new error signature (×${count}): ${sig}`, params: { signature: sig, count } };
}

// ── incident stories ─────────────────────────────────────────────────────────────────────────────
const SERVICES = ['scoring-api', 'ranking', 'recs-batch', 'fraud-score', 'search-rerank', 'churn-model', 'pricing', 'feature-store', 'ads-ctr', 'eta-predict',
  'ocr-extract', 'asr-whisper', 'llm-gateway', 'embedding-svc', 'forecast-daily', 'anomaly-det', 'kyc-match', 'label-pipeline', 'training-orch', 'vllm-serving'];
const PEOPLE = ['ana', 'raj', 'mei', 'tomas', 'olu', 'sara', 'ken', 'lea', 'ivan', 'nora', 'pablo', 'yuki', 'omar', 'eva', 'li', 'sam', 'zoe', 'arun', 'jon', 'ines',
  'platform-team', 'data-eng', 'ml-infra', 'sre-oncall'];
const METRICS = ['p99 latency', 'error rate', 'AUC', 'precision@10', 'calibration error', 'null rate', 'throughput', 'GPU memory', 'queue depth', 'click-through rate'];
const ACTIONS = ['Rolled back', 'Restarted', 'Scaled', 'Paused', 'Drained', 'Re-pinned', 'Re-ran', 'Promoted', 'Reverted', 'Bisected'];

interface Story {
  failureClass: FailureClass;
  origin: RootCauseOrigin;
  title: () => string;
  evidence: () => Change[];
  note: () => string;
  weight: number;
}
const svc = () => zipf(SERVICES);
const STORIES: Story[] = [
  {
    weight: 25, failureClass: 'packaging', origin: 'dependency',
    title: () => `${svc()} ${pick(['returns NaN', 'crashes on import', 'scores drift', 'fails to unpickle the model'])} after ${pick(PACKAGES)} upgrade`,
    evidence: () => {
      const pool = rnd() < 0.15 ? serious(LOCK).slice(0, 3) : rnd() < 0.5 ? serious(LOCK) : rnd() < 0.7 ? serious(LOCK2) : WHISPER;
      return Array.from({ length: int(1, 4) }, () => variant(pick(pool)));
    },
    note: () => `${pick(PACKAGES)} ${int(0, 3)}.${int(0, 30)}.${int(0, 9)} → ${int(1, 4)}.${int(0, 30)}.${int(0, 9)} in the failing lockfile; ${pick(['pinned it back', 'checked the wheel', 'import time doubled', 'numeric results differ'])}`,
  },
  {
    weight: 20, failureClass: 'data', origin: 'data',
    title: () => `${pick(['Column', 'Feature', 'Label'])} ${pick(COLUMNS)} ${pick(['missing from', 'renamed in', 'all null in'])} the ${pick(['daily extract', 'feature table', 'analysis set'])} for ${svc()}`,
    evidence: () => Array.from({ length: int(1, 3) }, () => variant(pick(TITANIC))),
    note: () => `${pick(COLUMNS)} ${pick(['null rate', 'row count', 'distinct values'])} went from ${int(0, 99)} to ${int(0, 99)} between the last-known-good and the failing extract`,
  },
  {
    weight: 15, failureClass: 'live_behaviour', origin: 'data',
    title: () => `${pick(METRICS)} ${pick(['dropped', 'spiked', 'drifted'])} on ${svc()}`,
    evidence: () => Array.from({ length: int(1, 3) }, () => variant(pick(HOUSING))),
    note: () => `Drift on ${pick(COLUMNS)}: PSI ${(rnd() * 0.5).toFixed(2)}, Wasserstein ${(rnd() * 0.3).toFixed(3)}; ${pick(['segment mix changed', 'seasonal', 'upstream vendor change', 'within tolerance'])}`,
  },
  {
    weight: 15, failureClass: 'deployment', origin: 'config',
    title: () => `${svc()} canary ${pick(['serves the wrong image', 'regressed', 'stuck at 10%', 'lost its GPU limits'])}`,
    evidence: () => Array.from({ length: int(1, 3) }, () => pick(VLLM)),
    note: () => `Canary at ${int(1, 50)}% shows ${pick(METRICS)} ${pick(['up', 'down'])} ${int(1, 40)}%; image tag ${pick(['latest', 'v0.11.0', 'v0.10.2', 'main'])}`,
  },
  {
    weight: 15, failureClass: 'serving', origin: 'infrastructure',
    title: () => `${svc()} ${pick(['OOMKilled pods', '5xx storm', 'timeouts', 'GPU memory exhaustion'])} ${pick(['at peak', 'after the node pool resize', 'overnight', 'during backfill'])}`,
    evidence: () => Array.from({ length: int(1, 2) }, logChange),
    note: () => `${pick(ACTIONS)} ${int(2, 40)} pods in ${pick(['prod-eu', 'prod-us', 'batch', 'gpu-pool'])}; ${pick(ERRORS).replace('{n}', String(int(10, 900))).replace('{col}', pick(COLUMNS)).replace('{q}', 'x')}`,
  },
  {
    weight: 10, failureClass: 'training', origin: 'code',
    title: () => `Nightly training of ${svc()} ${pick(['diverged', 'produced an empty model', 'skipped validation', 'used stale labels'])}`,
    evidence: () => [logChange()],
    note: () => `Loss ${(rnd() * 3).toFixed(3)} at epoch ${int(1, 40)}; ${pick(['learning rate halved', 'seed changed', 'label join lagging', 'checkpoint corrupt'])}`,
  },
];
const WEIGHTED: Story[] = STORIES.flatMap((s) => Array.from({ length: s.weight }, () => s));
const GENERIC_NOTES = [
  () => `Checked ${pick(METRICS)} on ${svc()}: ${int(1, 999)} against a baseline of ${int(1, 999)}`,
  () => `Paged ${pick(PEOPLE)} from ${pick(['data-eng', 'ml-infra', 'sre', 'platform'])}`,
  () => `${pick(ACTIONS)} ${svc()} to ${pick(['v', 'r'])}${int(1, 300)}; ${pick(METRICS)} back to normal`,
  () => `Status update posted to #${pick(['incidents', 'ml-ops', 'announce'])}: ${pick(['investigating', 'mitigated', 'monitoring'])}`,
  () => `Dashboard link for ${svc()} ${pick(METRICS)} attached`,
];

// ── generation through the services ─────────────────────────────────────────────────────────────
class BenchClock {
  t = Date.parse('2024-12-01T00:00:00Z');
  now() {
    return new Date(this.t);
  }
}
const MIN = 60_000;

async function generate(path: string): Promise<void> {
  const clock = new BenchClock();
  const app = createApp({ dbPath: path, host: 'cli', clock });
  const db = app.db;
  db.pragma('synchronous = OFF'); // this bench's own throw-away store: no fsync per commit
  db.pragma('cache_size = -262144');
  // The services prepare their statements on every call; with the search/timing triggers compiled into
  // each, preparing was two thirds of the generation time. While generating (only), reuse a statement per
  // SQL text: the same statements and triggers run, they are just not recompiled each time.
  const prepared = new Map<string, ReturnType<typeof db.prepare>>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    let st = prepared.get(sql);
    if (!st) prepared.set(sql, (st = prepare(sql)));
    return st;
  }) as typeof db.prepare;
  const s = app.services;
  const span = 730 * 24 * 60 * MIN;
  const start = clock.t;
  const t0 = performance.now();
  let events = 0;
  const pairs = [
    ['deps/nannyml-poetry-e8623af8.lock', 'deps/nannyml-poetry-94c3e242.lock', 'poetry.lock'],
    ['data/titanic_reference.csv', 'data/titanic_analysis.csv', 'extract.csv'],
    ['k8s/vllm-deployment-929f82b7.yaml', 'k8s/vllm-deployment-a0ed769c.yaml', 'deployment.yaml'],
  ] as const;
  const BATCH = 500;
  for (let b = 0; b < N; b += BATCH) {
    const diffs: [string, number, number][] = [];
    db.transaction(() => {
      for (let i = b; i < Math.min(N, b + BATCH); i++) {
        const story = pick(WEIGHTED);
        const detected = start + Math.floor((i / N) * span) + int(0, 60) * MIN;
        clock.t = detected;
        const severity = zipf(['SEV3', 'SEV2', 'SEV4', 'SEV1'] as Severity[]);
        const service = svc();
        const title = story.title();
        const inc = s.incidents.create({
          title, severity, failureClass: story.failureClass, service, isDrill: false,
          summary: `${title}. ${story.note()}.`, impact: `${int(1, 60)}% of ${service} requests affected for ${int(5, 300)} minutes`,
          detectedAt: new Date(detected).toISOString(), startedAt: rnd() < 0.8 ? new Date(detected - int(1, 240) * MIN).toISOString() : undefined,
        } as ParsedInput<'incident:create'>);
        const key = inc.key;
        let evs = 1; // "Incident opened"
        const note = (kind: 'note' | 'evidence' | 'action' | 'comms', body: string) => {
          clock.t += int(1, 4) * MIN;
          s.incidents.addEvent({ key, kind, body } as ParsedInput<'timeline:add'>);
          evs++;
        };
        s.incidents.setRole({ key, role: 'incident_commander', person: pick(PEOPLE) });
        clock.t += int(1, 6) * MIN;
        const open = i > N - 300 || rnd() < 0.01; // the last few days are still open
        const stop = open ? int(0, 4) : PHASES.length;
        for (let p = 0; p < stop; p++) {
          const phase = PHASES[p];
          if (phase === 'investigate') {
            s.incidents.update({ key, patch: { hypothesis: story.note(), rootCauseOrigin: story.origin } } as ParsedInput<'incident:update'>);
            note('evidence', story.note());
          }
          let reason: string | undefined;
          if (phase === 'mitigate') {
            const verified = rnd() < 0.85;
            s.incidents.update({ key, patch: { mitigation: `${pick(ACTIONS)} ${service}`, mitigationVerified: verified } } as ParsedInput<'incident:update'>);
            if (verified) evs++; // "Changed mitigation verified."
            else reason = 'verify after the pager storm';
          }
          if (phase === 'resolve') s.incidents.update({ key, patch: { resolution: `${pick(['Pinned', 'Fixed', 'Reverted', 'Backfilled'])} ${story.note()}` } } as ParsedInput<'incident:update'>);
          if (phase === 'review') s.incidents.update({ key, patch: { lessons: `${pick(['Add a regression test', 'Alert earlier on', 'Pin'])} ${pick(METRICS)}` } } as ParsedInput<'incident:update'>);
          clock.t += int(1, phase === 'resolve' ? 600 : phase === 'mitigate' ? 60 : 20) * MIN;
          s.incidents.advance({ key, reason });
          evs++;
        }
        // People's notes up to ~10 events an incident.
        const notes = Math.max(1, EVENTS_PER_INCIDENT + int(-2, 2) - evs);
        for (let k = 0; k < notes; k++) note(pick(['note', 'note', 'evidence', 'action', 'comms'] as const), rnd() < 0.5 ? story.note() : pick(GENERIC_NOTES)());
        events += evs;
        if (rnd() < 0.6) {
          for (const c of story.evidence().slice(0, int(1, 3))) {
            s.findings.create({
              key, title: c.message.slice(0, 300), description: `From the ${story.failureClass} evidence of ${service}`, failureClass: story.failureClass,
              rootCauseOrigin: story.origin, role: rnd() < 0.4 ? 'root_cause' : 'contributing', genKind: null, params: {},
              evidence: { changes: [c as unknown as Record<string, unknown>] },
            } as ParsedInput<'finding:create'>);
          }
        }
        if (rnd() < 0.5) {
          for (let k = int(1, 3); k > 0; k--) {
            const due = new Date(detected + int(1, 60) * 24 * 60 * MIN).toISOString().slice(0, 10);
            s.documents.createAction({
              key, title: `${pick(['Add alert on', 'Write a test for', 'Document', 'Automate'])} ${pick(METRICS)} of ${service}`, owner: rnd() < 0.9 ? pick(PEOPLE) : '',
              dueDate: due, type: pick(['detective', 'preventative', 'corrective'] as const), status: detected < start + span * 0.9 && rnd() < 0.8 ? 'done' : 'open',
            } as ParsedInput<'action:create'>);
          }
        }
        if (!open && rnd() < 0.05) {
          s.documents.saveDoc({ key, kind: 'postmortem', content: `# Postmortem: ${title}\n\n## Summary\n${story.note()}\n\n## Lessons\n${story.note()}\n` });
          if (rnd() < 0.5) s.documents.saveDoc({ key, kind: 'runbook', content: `---\ntitle: ${pick(['Pin', 'Check', 'Roll back'])} ${service}\n---\n# Runbook\n\n${story.note()}\n` });
        }
        if (rnd() < 0.01) {
          const [a, z, name] = pick(pairs);
          const x = s.artifacts.addText({ key, role: 'last-known-good', name, text: real(a).toString('utf8') } as ParsedInput<'artifact:addText'>);
          const y = s.artifacts.addText({ key, role: 'failing', name, text: real(z).toString('utf8') } as ParsedInput<'artifact:addText'>);
          diffs.push([key, x.id, y.id]);
        }
      }
    })();
    for (const [key, beforeId, afterId] of diffs) await s.artifacts.diff({ key, beforeId, afterId });
    if ((b / BATCH) % 10 === 9) console.log(`  generating: ${b + BATCH} incidents, ${events} events, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  // Drills: the same flow, flagged; kept out of the real figures.
  for (let d = 0; d < Math.min(300, Math.ceil(N / 300)); d++) {
    clock.t = start + Math.floor((d / 300) * span);
    const st = s.drills.start({ scenarioId: 'canary-contamination-non-stratified', mode: 'solo', participant: pick(PEOPLE) } as ParsedInput<'drill:start'>);
    clock.t += int(5, 40) * MIN;
    s.drills.finish({ drillId: st.drillId } as ParsedInput<'drill:finish'>);
  }
  db.prepare = prepare;
  const tSync = performance.now();
  const synced = s.similar.sync();
  console.log(`\n  generated ${N} incidents, ${(db.prepare('SELECT COUNT(*) AS n FROM timeline_events').get() as { n: number }).n} events in ${((performance.now() - t0) / 1000).toFixed(0)} s (fingerprints of ${synced} incidents: ${((performance.now() - tSync) / 1000).toFixed(1)} s)`);
  db.exec("INSERT INTO search_fts(search_fts) VALUES ('optimize')");
  db.pragma('wal_checkpoint(TRUNCATE)');
  app.close();
}

async function store(): Promise<string> {
  // Not .tmp/bench: scripts/bench.mjs empties that folder at every run, which made the cache useless.
  const dir = join(root, '.tmp', 'bench-store');
  mkdirSync(dir, { recursive: true });
  const h = createHash('sha256');
  // The schema, not its comments or layout: a reworded comment keeps the cache.
  for (const m of loadMigrations(join(root, 'migrations'))) h.update(m.name).update(m.sql.replace(/--[^\n]*/g, '').replace(/\s+/g, ' ').trim());
  const tag = h.update(`gen${GENERATOR_VERSION}:${N}`).digest('hex').slice(0, 12);
  const path = join(dir, `insights-store-${tag}.db`);
  // Any other cache is for another schema or size: remove it.
  for (const f of readdirSync(dir)) if (f.startsWith('insights-store-') && !f.startsWith(`insights-store-${tag}.db`)) rmSync(join(dir, f), { force: true });
  const done = `${path}.complete`;
  if (process.env.PMW_BENCH_FRESH || !existsSync(done)) {
    for (const suffix of ['', '-wal', '-shm', '.complete']) rmSync(path + suffix, { force: true });
    console.log(`Generating the store (${N} incidents) through the app's services; cached in ${path}`);
    await generate(path);
    writeFileSync(done, new Date().toISOString());
  } else console.log(`Using the cached store ${path} (${(statSync(path).size / 1048576).toFixed(0)} MB; PMW_BENCH_FRESH=1 regenerates)`);
  return path;
}

// ── measuring ────────────────────────────────────────────────────────────────────────────────────
function percentiles(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { p50: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}
async function timeEach<T>(inputs: T[], fn: (x: T) => unknown, rounds = 5): Promise<number[]> {
  for (const x of inputs) await fn(x); // warm-up: pages in cache, statements prepared
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const x of inputs) {
      const t = performance.now();
      await fn(x);
      out.push(performance.now() - t);
    }
  }
  return out;
}
function line(name: string, p: { p50: number; p95: number }, target: string, baseName: string, base: { p50: number; p95: number }, metric: 'p95' | 'p50' = 'p95') {
  console.log(
    `${name}: p50 ${p.p50.toFixed(2)} ms, ${metric} ${p[metric].toFixed(2)} ms (target ${target}); baseline ${baseName}: p50 ${base.p50.toFixed(1)} ms, ${metric} ${base[metric].toFixed(1)} ms; ratio ${(p[metric] / base[metric]).toFixed(3)}×`,
  );
}

async function main() {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'main', '--if-needed'], { stdio: 'inherit' });
  const given = process.env.PMW_BENCH_STORE;
  if (given && !existsSync(given)) throw new Error(`PMW_BENCH_STORE: ${given} does not exist`);
  const path = given || (await store());
  const app: App = createApp({ dbPath: path, host: 'cli' });
  const db = app.db;
  if (given) {
    const t = performance.now();
    const synced = app.services.similar.sync();
    db.exec("INSERT INTO search_fts(search_fts) VALUES ('optimize')");
    db.pragma('wal_checkpoint(TRUNCATE)');
    console.log(`Measuring the given store ${given} (fingerprints of ${synced} incidents synced, index optimised in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  console.log(`store: ${count('SELECT COUNT(*) AS n FROM incidents')} incidents, ${count('SELECT COUNT(*) AS n FROM timeline_events')} timeline events, ${count('SELECT COUNT(*) AS n FROM search_docs')} indexed texts, ${count('SELECT COUNT(*) AS n FROM incident_fingerprints')} fingerprints`);
  const maxSeq = count('SELECT MAX(seq) AS n FROM incidents');
  const key = (n: number) => `INC-${String(n).padStart(4, '0')}`;
  const yearAgo = new Date(Date.parse('2026-12-01T00:00:00Z') - 365 * 86_400_000).toISOString();

  // 1. Search: words a responder types, rare to very common, as-you-type prefixes, keys, filters.
  const queries: Record<string, unknown>[] = [
    ...['tiktoken', 'Survived', 'clf_target', 'OOMKilled', 'sentencepiece', 'InconsistentVersionWarning', 'float_', 'unpickle'].map((q) => ({ query: q })),
    ...['numpy', 'rollback', 'drift', 'canary', 'pandas upgrade', 'feature store', 'GPU memory', 'null rate', 'vllm openai'].map((q) => ({ query: q })),
    ...['scoring', 'latency', 'pods', 'lockfile'].map((q) => ({ query: q })),
    ...['num', 'numpy pa', 'rollb', 'scor', 'Survi'].map((q) => ({ query: q })),
    { query: key(Math.floor(maxSeq * 0.42)) },
    { query: '"could not convert string"' },
    { query: 'drift', failureClass: 'data' },
    { query: 'rollback', since: yearAgo },
    { query: 'latency', severity: 'SEV1' },
    { query: 'numpy', service: 'scoring-api' },
    { query: 'OOMKilled', phase: 'open' },
  ];
  const search = percentiles(await timeEach(queries, (q) => app.call('search:query', q as never)));
  // Baseline: the same texts scanned with LIKE (incident fields and timeline notes) for every match —
  // what any ranking must read without an index (the old list filter was such a scan).
  const like = db.prepare(
    `SELECT COUNT(*) FROM (SELECT i.id FROM incidents i WHERE i.title LIKE @q OR i.summary LIKE @q OR i.hypothesis LIKE @q OR i.mitigation LIKE @q OR i.resolution LIKE @q
       UNION ALL SELECT e.incident_id FROM timeline_events e WHERE e.body LIKE @q)`,
  );
  const likeQueries = queries.map((q) => `%${compileQuery(String(q.query)).terms[0] ?? ''}%`);
  const baseSearch = percentiles(await timeEach(likeQueries, (q) => like.all({ q }), 1));

  // 2. Similar incidents for incidents that have fingerprints.
  const withFps = (db.prepare('SELECT DISTINCT incident_id AS id FROM incident_fingerprints ORDER BY incident_id').all() as { id: number }[]).map((r) => r.id);
  const sample = Array.from({ length: 60 }, (_, i) => withFps[Math.floor(((i + 0.5) / 60) * withFps.length)]);
  const keys = sample.map((id) => (db.prepare('SELECT key FROM incidents WHERE id = ?').get(id) as { key: string }).key);
  const similar = percentiles(await timeEach(keys, (k) => app.call('incident:similar', { key: k })));
  // Baseline: the same overlap computed without the fingerprint index (a scan of incident_fingerprints).
  const mine = db.prepare('SELECT fp FROM incident_fingerprints WHERE incident_id = ?').pluck();
  const baseSimilar = percentiles(
    await timeEach(sample.slice(0, 10), (id) => {
      const fps = mine.all(id) as string[];
      return db
        .prepare(`SELECT incident_id, COUNT(*) AS n FROM incident_fingerprints WHERE +fp IN (${fps.map(() => '?').join(',')}) AND incident_id <> ? GROUP BY incident_id ORDER BY n DESC LIMIT 10`)
        .all(...fps, id);
    }, 1),
  );

  // 3. Stats summary over every real incident.
  const stats = percentiles(await timeEach([{}], () => app.call('stats:summary', {}), 5));
  // Baseline: the same durations read the way the incident page does, joining each incident's phase entries.
  const joined = db.prepare(
    `SELECT i.detected_at, i.started_at, a.exited_at, m.exited_at, m.early_reason, i.mitigation_verified_at, r.exited_at, i.severity, i.failure_class, i.service, i.root_cause_origin
     FROM incidents i LEFT JOIN phase_entries a ON a.incident_id = i.id AND a.phase = 'acknowledge'
     LEFT JOIN phase_entries m ON m.incident_id = i.id AND m.phase = 'mitigate' LEFT JOIN phase_entries r ON r.incident_id = i.id AND r.phase = 'resolve'
     WHERE i.is_drill = 0`,
  ).raw();
  const baseStats = percentiles(await timeEach([{}], () => joined.all(), 5));

  // 4. First list page: default, filtered, text query — against the previous unpaged list.
  const lists: Record<string, unknown>[] = [{}, { sort: 'severity' }, { phase: 'open' }, { failureClass: 'data' }, { query: 'scoring' }, { counts: true }];
  const list = percentiles(await timeEach(lists, (i) => app.call('incident:list', i as never)));
  const old = db.prepare(
    `SELECT i.*, pe.entered_at AS phase_entered_at FROM incidents i LEFT JOIN phase_entries pe ON pe.incident_id = i.id AND pe.phase = i.phase
     WHERE i.is_drill = 0 ORDER BY i.updated_at DESC, i.seq DESC`,
  );
  const baseList = percentiles(await timeEach([0], () => old.all(), 3));
  const oldQuery = db.prepare(
    `SELECT i.* FROM incidents i WHERE i.is_drill = 0 AND (i.title LIKE @q OR i.key LIKE @q OR i.service LIKE @q) ORDER BY i.updated_at DESC, i.seq DESC`,
  );
  const listQuery = percentiles(await timeEach(['scoring', 'numpy', 'pods'], (q) => app.call('incident:list', { query: q })));
  const baseListQuery = percentiles(await timeEach(['scoring', 'numpy', 'pods'], (q) => oldQuery.all({ q: `%${q}%` }), 3));

  // How loaded the machine is: a fixed loop (about 100 ms on an idle recent core).
  const c0 = performance.now();
  let acc = 0;
  for (let i = 0; i < 1e8; i++) acc += i % 7;
  console.log(`\nCPU check: a fixed 1e8-step loop took ${(performance.now() - c0).toFixed(0)} ms (${acc > 0 ? 'figures below are from this machine as loaded' : ''})`);
  line('search (search:query, 32 queries × 5)', search, 'p95 < 10 ms', 'LIKE scan of the same texts', baseSearch);
  line('similar incidents (incident:similar, 60 incidents × 5)', similar, 'p95 < 20 ms', 'same overlap by a scan of all fingerprints (index unused)', baseSimilar);
  console.log(`stats summary (stats:summary, ${count('SELECT COUNT(*) AS n FROM incidents WHERE is_drill = 0')} incidents): median ${stats.p50.toFixed(1)} ms, max ${stats.max.toFixed(1)} ms (target < 200 ms); baseline reading the rows through the phase-entry joins alone: median ${baseStats.p50.toFixed(1)} ms; ratio ${(stats.p50 / baseStats.p50).toFixed(2)}×`);
  line('first list page (incident:list, 6 filter sets × 5)', list, 'p95 < 20 ms', 'the previous unpaged list (every row)', baseList);
  line('list text filter (incident:list query, FTS)', listQuery, '—', 'the previous LIKE filter', baseListQuery);
  const storeNote = `${count('SELECT COUNT(*) AS n FROM incidents')} incidents, ${count('SELECT COUNT(*) AS n FROM timeline_events')} events`;
  row({ figure: 'search p95 (search:query)', value: search.p95, baseline: 'LIKE scan of the same texts p95', baselineValue: baseSearch.p95, target: { max: 10 }, note: storeNote });
  row({ figure: 'similar incidents p95 (incident:similar)', value: similar.p95, baseline: 'overlap by a fingerprint scan p95', baselineValue: baseSimilar.p95, target: { max: 20 } });
  row({ figure: 'stats summary median (stats:summary)', value: stats.p50, baseline: 'phase-entry joins alone', baselineValue: baseStats.p50, target: { max: 200 }, note: `max ${stats.max.toFixed(0)} ms` });
  row({ figure: 'first list page p95 (incident:list)', value: list.p95, baseline: 'previous unpaged list p95', baselineValue: baseList.p95, target: { max: 20 } });
  app.close();

  // 5. Web UI first rows: the web host on this store, real Chromium, navigation → first row visible.
  const big = await firstRows(path);
  if (big) {
    const tiny = join(benchTempDir('pmw-bench-ui-').dir, 'tiny.db');
    const t = createApp({ dbPath: tiny, host: 'cli' });
    await t.call('incident:create', { title: 'One incident', severity: 'SEV3', failureClass: 'serving' });
    t.close();
    const small = (await firstRows(tiny))!;
    console.log(`web UI first rows: ${storeNote}: p50 ${big.p50.toFixed(0)} ms, max ${big.max.toFixed(0)} ms (target < 1 s); one-incident store: p50 ${small.p50.toFixed(0)} ms`);
    row({ figure: 'web UI first rows (Chromium, web host), median of 5', value: big.p50, baseline: 'same on a one-incident store', baselineValue: small.p50, target: { max: 1000 }, note: `max ${big.max.toFixed(0)} ms (one-incident store: ${small.max.toFixed(0)} ms)` });
  }
}

/** Start `pmw serve` on a store; resolves with its URL (with the token) and a stop function. */
async function serve(dbPath: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'pmw.cjs'), 'serve', '--port', '0', '--no-build', '--db', dbPath], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), rej(new Error(`web host printed no URL in 60 s:\n${out}`))), 60_000);
    const on = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_\-.~%]+)/.exec(out);
      if (m) (clearTimeout(timer), res(m[1]));
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => (clearTimeout(timer), rej(new Error(`web host exited with ${code}:\n${out}`))));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000);
      }),
  };
}

/** Time from navigation to the first incident row visible, 1 warm-up + 5 runs, each in a fresh browser context. */
async function firstRows(dbPath: string): Promise<{ p50: number; max: number } | null> {
  // Loaded at run time (not bundled into the bench): Playwright's browser driver.
  type Browser = { newContext(): Promise<{ newPage(): Promise<any>; close(): Promise<void> }>; close(): Promise<void> };
  let chromium: { launch(o: object): Promise<Browser> };
  try {
    chromium = createRequire(join(root, 'package.json'))('playwright-core').chromium;
  } catch (e) {
    console.log(`web UI first rows: skipped — playwright-core is not installed (${(e as Error).message.split('\n')[0]})`);
    return null;
  }
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'renderer', '--if-needed'], { stdio: 'inherit' });
  const exe = process.env.PMW_BENCH_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  } catch (e) {
    console.log(`web UI first rows: skipped — Chromium did not start (${(e as Error).message.split('\n')[0]})`);
    return null;
  }
  const host = await serve(dbPath);
  const times: number[] = [];
  try {
    for (let i = 0; i < 6; i++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.setViewportSize({ width: 1440, height: 900 });
      const t0 = performance.now();
      await page.goto(host.url);
      await page.locator('[data-testid="incident-row"]').first().waitFor({ state: 'visible', timeout: 120_000 });
      if (i > 0) times.push(performance.now() - t0);
      await ctx.close();
    }
  } finally {
    await host.stop();
    await browser.close();
  }
  const p = percentiles(times);
  return { p50: p.p50, max: p.max };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
