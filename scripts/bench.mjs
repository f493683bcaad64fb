#!/usr/bin/env node
// `npm run bench [name…]`: builds the Node bundles, then runs each test/bench/*.bench.{ts,mjs} in its
// own Node process (.ts ones bundled with esbuild first; clean RSS figures). Each bench prints its
// figures as rows (test/bench/report.mjs: figure, baseline measured in the same run, ratio, target,
// machine load); this script then prints all rows as one summary table and removes .tmp/bench.
// Not a test: nothing here fails on a slow machine.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawTextPlugin } from './esbuild-raw.mjs';
import { buildMain } from './build.mjs';
import { summaryTable } from '../test/bench/report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'test', 'bench');
const out = join(root, '.tmp', 'bench');
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => /\.bench\.(ts|mjs)$/.test(f))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
const rowsFile = join(out, 'rows.jsonl');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const started = performance.now();
try {
  // Whole-process benches run the real CLI: build it from this tree first.
  await buildMain();
  console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; node ${process.version}`);
  for (const f of benches) {
    let file = join(dir, f);
    if (f.endsWith('.ts')) {
      file = join(out, f.replace(/\.ts$/, '.cjs'));
      await build({
        entryPoints: [join(dir, f)],
        outfile: file,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['better-sqlite3', 'electron'],
        plugins: [rawTextPlugin],
        logLevel: 'warning',
      });
    } // plain ESM benches run as they are (they bundle what they need themselves)
    console.log(`\n=== ${f} ===`);
    const r = spawnSync(process.execPath, ['--expose-gc', file], {
      stdio: 'inherit',
      cwd: root,
      env: { ...process.env, PMW_BENCH_ROWS: rowsFile, PMW_BENCH_NAME: f.replace(/\.bench\.(ts|mjs)$/, '') },
    });
    if (r.status !== 0) failed++;
  }
  const rows = existsSync(rowsFile) ? readFileSync(rowsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  console.log(`\n=== summary (${rows.length} figures, ${((performance.now() - started) / 1000).toFixed(0)} s; load = 1-minute load average / CPUs when measured) ===`);
  if (rows.length) console.log(summaryTable(rows));
} finally {
  rmSync(out, { recursive: true, force: true });
}
// Nothing left behind: the bundles go with the run (each bench removes its own inputs).
rmSync(out, { recursive: true, force: true });
if (failed) {
  console.error(`${failed} bench(es) did not run to the end`);
  process.exit(1);
}
