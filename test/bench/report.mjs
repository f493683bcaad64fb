// Shared bench reporting (plain ESM so .mjs benches use it as is; .ts benches import it through
// ./util). Every figure is a row: figure, baseline measured in the same run, ratio, target, and the
// machine load when it was measured. `scripts/bench.mjs` collects the rows of all benches (through
// the file named by PMW_BENCH_ROWS) and prints one summary table at the end.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

/** @param {number[]} xs */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Seeded PRNG (mulberry32): the same inputs on every run. */
export function rng(seed) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 1-minute load average against the CPU count, e.g. "1.20/2". */
export function machineLoad() {
  return `${loadavg()[0].toFixed(2)}/${cpus().length}`;
}

const dirs = new Set();
process.on('exit', () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
/** A temp dir removed when the process exits (or earlier with cleanup()). */
export function benchTempDir(prefix = 'pmw-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return {
    dir,
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
  };
}

/** Median wall time (ms) of `runs` calls of fn after `warmup` calls. */
export function timeIt(fn, runs = 5, warmup = 1) {
  for (let i = 0; i < warmup; i++) fn();
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

/**
 * Whole-process timings of several commands, run alternately (each round rotates the order, so
 * neither side always runs first or right after the other) after one warm-up each; output goes to
 * /dev/null. Returns { [name]: { ms (median), samples, load } }. A command that exits with a status
 * outside `ok` (default [0]) throws with its stderr.
 * @param {{ name: string, cmd: string, args: string[], ok?: number[], cwd?: string }[]} commands
 */
export function compareCommands(commands, { runs = 5, warmup = 1 } = {}) {
  const once = (c) => {
    const t0 = performance.now();
    const r = spawnSync(c.cmd, c.args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: c.cwd, env: c.env ?? process.env, maxBuffer: 1 << 24 });
    const ms = performance.now() - t0;
    if (r.error) throw r.error;
    if (!(c.ok ?? [0]).includes(r.status)) throw new Error(`${c.name}: exit ${r.status}: ${String(r.stderr).slice(0, 2000)}`);
    return ms;
  };
  const samples = Object.fromEntries(commands.map((c) => [c.name, []]));
  for (const c of commands) for (let i = 0; i < warmup; i++) once(c);
  const load = machineLoad();
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < commands.length; k++) {
      const c = commands[(k + r) % commands.length];
      samples[c.name].push(once(c));
    }
  }
  return Object.fromEntries(commands.map((c) => [c.name, { ms: median(samples[c.name]), samples: samples[c.name], load }]));
}

/** "min–max over n runs" of a compareCommands result, for a row's note. */
export function spread(r) {
  return `${Math.min(...r.samples).toFixed(0)}–${Math.max(...r.samples).toFixed(0)} ms over ${r.samples.length} runs`;
}

const fmtValue = (v, unit) => (unit === 'ms' ? `${v.toFixed(v < 100 ? 1 : 0)} ms` : `${v.toFixed(v < 100 ? 1 : 0)} ${unit}`);

/**
 * One figure beside its baseline. target: { ratio } (figure/baseline at most this), { max } (figure
 * at most this, in its unit), and an optional text. Prints the row and records it for the summary.
 * @param {{ bench?: string, figure: string, value: number, unit?: string, baseline: string,
 *   baselineValue: number, target?: { ratio?: number, max?: number, text?: string }, load?: string, note?: string }} r
 */
export function row(r) {
  const unit = r.unit ?? 'ms';
  const ratio = r.value / r.baselineValue;
  const t = r.target ?? {};
  const met = t.ratio !== undefined ? ratio <= t.ratio : t.max !== undefined ? r.value <= t.max : null;
  const target = t.text ?? (t.ratio !== undefined ? `≤ ${t.ratio}×` : t.max !== undefined ? `≤ ${fmtValue(t.max, unit)}` : '');
  const rec = {
    bench: r.bench ?? process.env.PMW_BENCH_NAME ?? '',
    figure: r.figure,
    value: fmtValue(r.value, unit),
    baseline: r.baseline,
    baselineValue: fmtValue(r.baselineValue, unit),
    ratio: `${ratio.toFixed(2)}×`,
    target,
    met: met === null ? '' : met ? 'yes' : 'NO',
    load: r.load ?? machineLoad(),
  };
  console.log(
    `  ${rec.figure}: ${rec.value} | ${rec.baseline}: ${rec.baselineValue} | ratio ${rec.ratio}` +
      `${target ? ` (target ${target}${met === null ? '' : met ? ', met' : ', MISSED'})` : ''} | load ${rec.load}${r.note ? ` | ${r.note}` : ''}`,
  );
  if (process.env.PMW_BENCH_ROWS) appendFileSync(process.env.PMW_BENCH_ROWS, JSON.stringify(rec) + '\n');
  return rec;
}

/** The summary table of recorded rows (what `npm run bench` prints last). */
export function summaryTable(rows) {
  const cols = [
    ['bench', 'bench'],
    ['figure', 'figure'],
    ['value', 'value'],
    ['baseline', 'baseline'],
    ['baselineValue', 'baseline value'],
    ['ratio', 'ratio'],
    ['target', 'target'],
    ['met', 'met'],
    ['load', 'load/CPUs'],
  ];
  const w = cols.map(([k, h]) => Math.max(h.length, ...rows.map((r) => String(r[k] ?? '').length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(w[i])).join(' | ') + ' |';
  return [line(cols.map(([, h]) => h)), '|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|', ...rows.map((r) => line(cols.map(([k]) => r[k] ?? '')))].join('\n');
}
