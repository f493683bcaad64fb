// Helpers for .ts benches. Rows, timing and temp dirs come from ./report.mjs (shared with .mjs
// benches); print every figure with row() so it lands in the summary table of `npm run bench`.
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { benchTempDir, row } from './report.mjs';

export * from './report.mjs';

/** Old-style one-line report; now a row without a numeric target. */
export function report(name: string, ms: number, target: string, baselineName: string, baselineMs: number) {
  row({ figure: name, value: ms, baseline: baselineName, baselineValue: baselineMs, target: { text: target } });
}

export const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

export const ROOT = process.cwd();

/**
 * Node 20 reads and parses the file named by NODE_EXTRA_CA_CERTS (and builds its root store) at every
 * start, before any script runs; this machine sets it, which roughly triples `node -e 0`. Whole-process
 * benches also measure node and pmw without it (this environment minus that variable): null when it is
 * not set, as on most machines.
 */
export const WITHOUT_EXTRA_CA: Record<string, string | undefined> | null = process.env.NODE_EXTRA_CA_CERTS
  ? Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'))
  : null;

/**
 * The two ways `pmw` runs, as argv prefixes for compareCommands:
 *  - checkout: `node bin/pmw.cjs` in this source tree (no build check since issue 14: the same as installed
 *    unless PMW_DEV_BUILD=1);
 *  - installed: the same bin/*.cjs and dist/main bundles copied into a temp dir laid out like an
 *    installed package, node_modules linked.
 * pmw's V8 code cache (bin/compile-cache.cjs) goes into a temp dir too, so a bench leaves nothing behind.
 * Call after `node scripts/build.mjs main` (scripts/bench.mjs does it first).
 */
export function pmwLayouts(): { checkout: string[]; installed: string[] } {
  const dist = join(ROOT, 'dist', 'main');
  if (!existsSync(join(dist, 'cli.cjs'))) throw new Error('dist/main/cli.cjs is missing: run node scripts/build.mjs main');
  const t = benchTempDir('pmw-bench-installed-');
  process.env.PMW_COMPILE_CACHE ??= join(t.dir, 'v8-cache');
  mkdirSync(join(t.dir, 'bin'));
  mkdirSync(join(t.dir, 'dist', 'main'), { recursive: true });
  for (const f of readdirSync(join(ROOT, 'bin'))) if (f.endsWith('.cjs')) cpSync(join(ROOT, 'bin', f), join(t.dir, 'bin', f));
  for (const f of readdirSync(dist)) if (f.endsWith('.cjs')) cpSync(join(dist, f), join(t.dir, 'dist', 'main', f));
  symlinkSync(join(ROOT, 'node_modules'), join(t.dir, 'node_modules'), 'dir');
  return { checkout: [join(ROOT, 'bin', 'pmw.cjs')], installed: [join(t.dir, 'bin', 'pmw.cjs')] };
}
