#!/usr/bin/env node
// Benchmark (DESIGN §9): CSV profile + drift of a 1M-row × 20-column file against another.
// Target: < 5 s and < 1 GB peak RSS. Printed figures, not a timed test.
//
//   node test/bench/dataset.bench.mjs [--rows 1000000] [--keep]
//
// Generates two CSVs into os.tmpdir() (10 numeric columns — ints, 2–4-decimal floats and
// full-precision floats — and 10 categorical columns of 2…1000 categories, ~1% nulls in some; in the
// second file num_9 is shifted by +0.5 sd, cat_9 re-weighted and num_8 gets more nulls), then measures
// in fresh child processes (so peak RSS is the work's own):
//   ours      — read both files + diffDataset (parse, profile both, schema diff, drift) from shared/diff/dataset/
//   baseline  — read both files + split into lines (buffer.toString().split('\n')): the floor for any parser
//   papaparse — read both files + Papa.parse(text, { header: false }) (tokenising only, strings per field)
//   pandas    — Debian python3: pandas.read_csv + describe(include='all') on both files, when available
// and prints each with the ratio of ours to it.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { row } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const args = process.argv.slice(2);

// ------------------------------------------------------------------ worker: summarise one file
if (args[0] === '--worker') {
  const [, bundle, file, name] = args;
  const { parentPort } = await import('node:worker_threads');
  const { summarizeDataset, summaryTransferables } = await import(pathToFileURL(bundle).href);
  const summary = summarizeDataset({ name, bytes: new Uint8Array(readFileSync(file)) }, 'csv');
  parentPort.postMessage(summary, summaryTransferables(summary));
}

// ------------------------------------------------------------------ child modes
if (args[0] === '--child') {
  const [, mode, a, b, bundle] = args;
  const t0 = performance.now();
  let info = '';
  let messages = [];
  if (mode === 'ours') {
    const { diffDataset } = await import(pathToFileURL(bundle).href);
    const before = { name: 'a.csv', bytes: new Uint8Array(readFileSync(a)) };
    const after = { name: 'b.csv', bytes: new Uint8Array(readFileSync(b)) };
    const r = diffDataset(before, after, 'csv');
    messages = r.changes.map((c) => c.message);
    info = r.changes.map((c) => `      [${c.severity}] ${c.message}`).join('\n');
    if (r.problems.length) info += `\n      problems: ${JSON.stringify(r.problems.slice(0, 3))}`;
  } else if (mode === 'ours-2workers') {
    // how the app runs it: each side summarised in its own worker thread, then compared
    const { Worker } = await import('node:worker_threads');
    const { diffDatasetSummaries } = await import(pathToFileURL(bundle).href);
    const summarise = (file, name) =>
      new Promise((resolvePromise, reject) => {
        const w = new Worker(fileURLToPath(import.meta.url), { argv: ['--worker', bundle, file, name] });
        w.once('message', (m) => {
          resolvePromise(m);
          w.terminate();
        });
        w.once('error', reject);
      });
    const [sa, sb] = await Promise.all([summarise(a, 'a.csv'), summarise(b, 'b.csv')]);
    const r = diffDatasetSummaries(sa, sb, 'csv');
    messages = r.changes.map((c) => c.message);
  } else if (mode === 'split') {
    let lines = 0;
    for (const f of [a, b]) lines += readFileSync(f).toString('utf8').split('\n').length;
    info = `      ${lines} lines`;
  } else if (mode === 'papaparse') {
    const require = createRequire(join(root, 'package.json'));
    const Papa = require('papaparse');
    let rows = 0;
    for (const f of [a, b]) rows += Papa.parse(readFileSync(f).toString('utf8'), { header: false }).data.length;
    info = `      ${rows} rows`;
  }
  const ms = performance.now() - t0;
  const ru = process.resourceUsage();
  const rssMb = ru.maxRSS / 1024;
  const cpuMs = (ru.userCPUTime + ru.systemCPUTime) / 1000;
  process.stdout.write(JSON.stringify({ ms, cpuMs, rssMb, info, messages }) + '\n');
  process.exit(0);
}

// ------------------------------------------------------------------ generation
const rowsArg = args.indexOf('--rows');
const ROWS = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 1_000_000;
const keep = args.includes('--keep');

function mulberry32(seed) {
  return function () {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CARD = [2, 3, 5, 10, 20, 50, 100, 300, 1000, 7];

function generate(file, seed, shifted) {
  const rnd = mulberry32(seed);
  const normal = () => {
    let u = 0;
    while (u === 0) u = rnd();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
  const header = [];
  for (let i = 0; i < 10; i++) header.push(`num_${i}`);
  for (let i = 0; i < 10; i++) header.push(`cat_${i}`);
  const fd = openSync(file, 'w');
  writeSync(fd, header.join(',') + '\n');
  let chunk = [];
  for (let r = 0; r < ROWS; r++) {
    const f = new Array(20);
    f[0] = String(18 + Math.floor(rnd() * 72)); // int age
    f[1] = (50 + 10 * normal()).toFixed(2);
    f[2] = String(rnd() * 1000); // full precision
    f[3] = String(Math.floor(-Math.log(rnd() + 1e-12) * 3)); // counts
    f[4] = Math.exp(normal()).toFixed(4);
    f[5] = String(normal() * 3 + 1); // full precision
    f[6] = String(Math.floor(rnd() * 1_000_000));
    f[7] = (rnd() * 100).toFixed(3);
    f[8] = rnd() < (shifted ? 0.08 : 0.01) ? '' : (20 + 5 * normal()).toFixed(2);
    f[9] = (100 + 15 * normal() + (shifted ? 7.5 : 0)).toFixed(2);
    for (let c = 0; c < 10; c++) {
      const card = CARD[c];
      let k;
      if (c === 9 && shifted) k = Math.floor(Math.pow(rnd(), 2) * card);
      else k = Math.floor(rnd() * card);
      f[10 + c] = c === 4 && rnd() < 0.01 ? '' : `c${c}_v${k}`;
    }
    chunk.push(f.join(','));
    if (chunk.length === 20000) {
      writeSync(fd, chunk.join('\n') + '\n');
      chunk = [];
    }
  }
  if (chunk.length) writeSync(fd, chunk.join('\n') + '\n');
  closeSync(fd);
}

const dir = join(tmpdir(), 'pmw-bench-dataset');
mkdirSync(dir, { recursive: true });
const fileA = join(dir, `ref-${ROWS}.csv`);
const fileB = join(dir, `cur-${ROWS}.csv`);
const tg = performance.now();
if (!existsSync(fileA)) generate(fileA, 1, false);
if (!existsSync(fileB)) generate(fileB, 2, true);
const mb = (f) => (statSync(f).size / 1048576).toFixed(0);
console.log(`dataset bench: 2 × ${ROWS.toLocaleString('en')} rows × 20 columns (${mb(fileA)} MB + ${mb(fileB)} MB) in ${dir} (generated/checked in ${((performance.now() - tg) / 1000).toFixed(1)} s)`);

// ------------------------------------------------------------------ bundle shared/diff/dataset/
const require = createRequire(join(root, 'package.json'));
const esbuild = require('esbuild');
const bundle = join(dir, 'dataset.bundle.mjs');
esbuild.buildSync({
  entryPoints: [join(root, 'shared', 'diff', 'dataset', 'index.ts')],
  bundle: true,
  platform: 'neutral',
  format: 'esm',
  mainFields: ['module', 'main'],
  outfile: bundle,
  logLevel: 'warning',
});

function child(mode) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, fileA, fileB, bundle], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function pandas() {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return null;
  const script = join(dir, 'pandas_baseline.py');
  writeFileSync(
    script,
    [
      'import sys, time, resource',
      'import pandas as pd',
      't = time.perf_counter()',
      'for f in sys.argv[1:]:',
      '    df = pd.read_csv(f)',
      "    d = df.describe(include='all')",
      'ms = (time.perf_counter() - t) * 1000',
      'ru = resource.getrusage(resource.RUSAGE_SELF)',
      'print(f"{ms} {ru.ru_maxrss / 1024} {(ru.ru_utime + ru.ru_stime) * 1000}")',
    ].join('\n'),
  );
  const r = spawnSync(py, [script, fileA, fileB], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const [ms, rssMb, cpuMs] = r.stdout.trim().split(/\s+/).map(Number);
  return { ms, rssMb, cpuMs };
}

const load = () => loadavg()[0].toFixed(2);
console.log(`  machine: ${cpus().length} CPUs, load average ${load()} before the runs (wall times suffer when other work shares the CPUs; CPU times are given too)`);
const ours = child('ours');
const ours2 = child('ours-2workers');
const split = child('split');
const papa = child('papaparse');
const pd = pandas();

const fmt = (x) => `${(x.ms / 1000).toFixed(2)} s (CPU ${(x.cpuMs / 1000).toFixed(2)} s), peak RSS ${x.rssMb.toFixed(0)} MB`;
console.log(`  ours  profile + drift (diffDataset)        ${fmt(ours)}   target < 5 s, < 1024 MB → ${ours.ms < 5000 && ours.rssMb < 1024 ? 'PASS' : 'FAIL'}`);
console.log(ours.info);
console.log(`  ours  2 worker threads (one per side)     ${fmt(ours2)}   target < 5 s, < 1024 MB → ${ours2.ms < 5000 && ours2.rssMb < 1024 ? 'PASS' : 'FAIL'}`);
console.log(`      same ${ours2.messages.length} changes as the single-thread run: ${JSON.stringify(ours2.messages) === JSON.stringify(ours.messages) ? 'yes' : 'NO'}`);
console.log(`  baseline read + split lines               ${fmt(split)}   ours/baseline = ${(ours.ms / split.ms).toFixed(2)}×`);
console.log(`  papaparse read + parse (header: false)    ${fmt(papa)}   ours/papaparse = ${(ours.ms / papa.ms).toFixed(2)}×`);
if (pd) console.log(`  pandas read_csv + describe(include=all)   ${fmt(pd)}   ours/pandas = ${(ours.ms / pd.ms).toFixed(2)}×`);
else console.log('  pandas baseline skipped (python3 with pandas not available)');

console.log(`  load average after the runs: ${load()}`);
// The same comparisons as rows of the `npm run bench` summary.
const csv = `CSV profile + drift, 2 × ${ROWS.toLocaleString('en')} rows`;
row({ figure: `${csv} (diffDataset)`, value: ours.ms, baseline: 'read + split lines', baselineValue: split.ms, target: { max: 5000 } });
row({ figure: `${csv} (diffDataset)`, value: ours.ms, baseline: 'papaparse', baselineValue: papa.ms });
if (pd) row({ figure: `${csv} (diffDataset)`, value: ours.ms, baseline: 'pandas read_csv + describe', baselineValue: pd.ms, target: { ratio: 1 } });
if (!keep) rmSync(dir, { recursive: true, force: true });
