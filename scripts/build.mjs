#!/usr/bin/env node
// Builds the Node side (esbuild: Electron main, preload, CLI/web host, workers) and the
// renderer (Vite). `node scripts/build.mjs main|renderer|all [--if-needed]`.
import { build } from 'esbuild';
import { existsSync, readFileSync, statSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
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
  // `pmw` commands that open the database (and serve), loaded by the CLI entry (cli.cjs) when one runs.
  // Start-up of a command is mostly reading and deserialising its bundle: keep it small (see lean()).
  await build({ ...common, entryPoints: { 'cli-app': join(root, 'main/cli/app-commands.ts') }, plugins: [...lean(), rawTextPlugin] });
  // The CLI entry: help, the command table, argument parsing; each command's bundle required lazily.
  await build({ ...common, entryPoints: { cli: join(root, 'main/cli/index.ts') }, plugins: [lazyCommands(), rawTextPlugin], supported: { 'dynamic-import': false } });
  // `pmw diff` alone (bin/pmw.cjs loads it for that command), its other engines loaded lazily.
  await build({ ...common, entryPoints: { 'cli-diff': join(root, 'main/cli/diff.ts') }, plugins: [...lean(), lazyEngines(), rawTextPlugin] });
}

/**
 * esbuild plugins that make a CLI bundle cheaper to load: zod's error-message locales other than
 * English (a third of zod, never used: the CLI speaks English), and our own JSON content (the drill
 * library, package.json) as JSON.parse of a string rather than object literals (V8 reads a string far
 * faster than it runs the code that builds the same objects).
 */
function lean() {
  return [
    {
      name: 'zod-english-only',
      setup(b) {
        b.onResolve({ filter: /^\.\.\/locales\/index\.c?js$/ }, (args) =>
          /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir) ? { path: join(args.resolveDir, '..', 'locales', 'en.js'), namespace: 'zod-en' } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};`, loader: 'js', resolveDir: root }));
      },
    },
    {
      // A module only some commands use: its functions and classes as stubs that require it (bundled)
      // on first call, so the others do not run its module code. A non-function export fails the build.
      name: 'lazy-packages',
      setup(b) {
        // yaml (253 KB); Node's built-ins that only some commands need (git and pytest runs, the web host).
        const lazy = ['yaml', 'node:child_process', 'child_process', 'node:http', 'node:net', 'node:readline', 'node:zlib', 'node:crypto', 'node:worker_threads'];
        b.onResolve({ filter: /^[a-z@][^/]*$/ }, (args) => (lazy.includes(args.path) && args.namespace !== 'lazy-package' ? { path: args.path, namespace: 'lazy-package' } : undefined));
        b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => {
          const req = createRequire(join(root, 'package.json'));
          const mod = req(args.path);
          const names = Object.keys(mod).filter((n) => typeof mod[n] === 'function' && /^[A-Za-z_$][\w$]*$/.test(n));
          return {
            contents:
              `let m;\nconst load = () => (m ??= require(${JSON.stringify(args.path)}));\n` +
              names.map((n) => `export function ${n}(...a) { return new.target ? new (load().${n})(...a) : load().${n}(...a); }`).join('\n'),
            loader: 'js',
            resolveDir: root,
          };
        });
      },
    },
    {
      name: 'json-as-parse',
      setup(b) {
        b.onLoad({ filter: /\.json$/ }, async (args) => {
          if (args.path.includes(`${'node_modules'}`)) return undefined;
          const text = readFileSync(args.path, 'utf8');
          JSON.parse(text); // a broken file fails the build here, naming it
          return { contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});`, loader: 'js' };
        });
      },
    },
  ];
}

/**
 * esbuild plugin for the CLI entry (main/cli/index.ts): its `import('./app-commands')` and
 * `import('./diff')` are not bundled but become requires of their own bundles (dist/main/cli-app.cjs,
 * cli-diff.cjs) beside it, so a command loads only its own code. Nothing else of those modules may be
 * imported statically by the entry (it would be bundled twice, with two copies of module state).
 */
function lazyCommands() {
  const bundles = { './app-commands': './cli-app.cjs', './diff': './cli-diff.cjs' };
  return {
    name: 'lazy-commands',
    setup(b) {
      b.onResolve({ filter: /^\.\/(app-commands|diff)$/ }, (args) => {
        if (args.kind !== 'dynamic-import') throw new Error(`${args.importer}: import ${args.path} only as import() (it is a lazily loaded bundle)`);
        return { path: bundles[args.path], external: true };
      });
    },
  };
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
