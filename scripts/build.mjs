#!/usr/bin/env node
// Builds the Node side (esbuild: Electron main, preload, CLI/web host, workers) and the
// renderer (Vite). `node scripts/build.mjs main|renderer|all [--if-needed]`.
import { build } from 'esbuild';
import { existsSync, readFileSync, statSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawTextPlugin } from './esbuild-raw.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const what = process.argv[2] ?? 'all';
const ifNeeded = process.argv.includes('--if-needed');
/** Source maps only when asked for (PMW_SOURCEMAPS=1, development): a build that ships or is served has none. */
export const withSourceMaps = process.env.PMW_SOURCEMAPS === '1';

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export async function buildMain() {
  const entries = {
    'electron-main': 'main/electron/main.ts',
    preload: 'main/electron/preload.ts',
    cli: 'main/cli/index.ts',
    'cli-diff-engines': 'main/cli/diff-engines.ts', // loaded by cli-diff on first non-text diff
    worker: 'main/workers/worker.ts',
    'app-host': 'main/host/appWorker.ts',
  };
  const entryPoints = Object.fromEntries(
    Object.entries(entries).filter(([, p]) => existsSync(join(root, p))).map(([k, p]) => [k, join(root, p)]),
  );
  const common = {
    outdir: join(root, 'dist/main'),
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: withSourceMaps,
    external: ['electron', 'better-sqlite3'],
    plugins: [rawTextPlugin],
    logLevel: 'warning',
  };
  await build({ ...common, entryPoints });
  // `pmw diff` alone (bin/pmw.cjs loads it for that command), its other engines loaded lazily.
  await build({ ...common, entryPoints: { 'cli-diff': join(root, 'main/cli/diff.ts') }, plugins: [lazyEngines(), rawTextPlugin] });
  // `pmw capture` alone: collects on a failing host without the database or the app (issue 13).
  await build({ ...common, entryPoints: { 'cli-capture': join(root, 'main/cli/capture.ts') } });
}

/**
 * esbuild plugin for the `pmw diff` bundle: an import of a module that main/cli/diff-engines.ts
 * re-exports becomes a stub whose functions require dist/main/cli-diff-engines.cjs on first call.
 * A name the stub lacks fails the build; a module not listed there is bundled as usual.
 */
function lazyEngines() {
  const listing = join(root, 'main/cli/diff-engines.ts');
  const names = new Map();
  for (const m of readFileSync(listing, 'utf8').matchAll(/export \{([^}]+)\} from '([^']+)'/g)) {
    names.set(resolve(root, 'main/cli', m[2]), m[1].split(',').map((x) => x.trim()).filter(Boolean));
  }
  return {
    name: 'lazy-engines',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const p = resolve(args.resolveDir, args.path).replace(/\.ts$/, '');
        return names.has(p) ? { path: p, namespace: 'lazy-engine' } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy-engine' }, (args) => ({
        contents:
          "let m;\nconst load = () => (m ??= require(require('node:path').join(__dirname, 'cli-diff-engines.cjs')));\n" +
          names.get(args.path).map((n) => `export function ${n}(...a) { return load().${n}(...a); }`).join('\n'),
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

export async function buildRenderer() {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'vite.config.mts'), logLevel: 'warn' });
}

function stale(outFile, ...srcDirs) {
  if (!existsSync(outFile)) return true;
  const out = statSync(outFile).mtimeMs;
  return srcDirs.some((d) => newest(join(root, d)) > out);
}

/** Maps of an earlier development build must not outlive it. */
function dropStaleMaps(dir) {
  if (withSourceMaps || !existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) dropStaleMaps(p);
    else if (e.name.endsWith('.map')) rmSync(p);
  }
}

async function run() {
  if (what === 'main' || what === 'all') {
    if (!ifNeeded || stale(join(root, 'dist/main/cli.cjs'), 'main', 'shared')) await buildMain();
    dropStaleMaps(join(root, 'dist/main'));
  }
  if (what === 'renderer' || what === 'all') {
    if (!ifNeeded || stale(join(root, 'dist/renderer/index.html'), 'renderer', 'shared')) await buildRenderer();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((e) => {
    console.error(e?.message ?? e);
    process.exit(1);
  });
}
