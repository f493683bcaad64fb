#!/usr/bin/env node
// `npm run bench`: bundles each test/bench/*.bench.ts with esbuild and runs it in its own
// Node process (clean RSS figures). Each bench prints its figures and the ratio to a named
// baseline measured in the same run. Not a test: nothing here fails on a slow machine.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'test', 'bench');
const out = join(root, '.tmp', 'bench');
mkdirSync(out, { recursive: true });
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => /\.bench\.(ts|mjs)$/.test(f))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const f of benches) {
  if (f.endsWith('.mjs')) {
    // Plain ESM benches run as they are (they bundle what they need themselves).
    console.log(`\n=== ${f} ===`);
    const r = spawnSync(process.execPath, ['--expose-gc', join(dir, f)], { stdio: 'inherit', cwd: root });
    if (r.status !== 0) failed++;
    continue;
  }
  const outfile = join(out, f.replace(/\.(ts|mjs)$/, '.cjs'));
  await build({
    entryPoints: [join(dir, f)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', 'electron'],
    logLevel: 'warning',
  });
  console.log(`\n=== ${f} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed++;
}
// Nothing left behind: the bundles go with the run (each bench removes its own inputs).
rmSync(out, { recursive: true, force: true });
if (failed) {
  console.error(`${failed} bench(es) did not run to the end`);
  process.exit(1);
}
