#!/usr/bin/env node
// pmw — the Postmortem Workbench CLI. In a source checkout the Node bundle is (re)built when stale.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

// Ctrl+C before the command starts: nothing has been written yet; leave as an interrupted command does.
const early = () => process.exit(130);
process.once('SIGINT', early);
process.once('SIGTERM', early);

const root = join(__dirname, '..');
const argv = process.argv.slice(2);
// `pmw diff A B` runs from its own small bundle (no app code to load); --help/--version need the full CLI.
const diffOnly = argv[0] === 'diff' && !argv.some((a) => a === '--help' || a === '-h' || a === '--version');
// `pmw capture` likewise (issue 13): it must run on a failing host without the database or the app.
const captureOnly = argv[0] === 'capture' && !argv.some((a) => a === '--help' || a === '-h' || a === '--version');
const full = join(root, 'dist', 'main', 'cli.cjs');
const diffBundle = join(root, 'dist', 'main', 'cli-diff.cjs');
const captureBundle = join(root, 'dist', 'main', 'cli-capture.cjs');
if (existsSync(join(root, 'scripts', 'build.mjs')) && existsSync(join(root, 'node_modules', 'esbuild'))) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'main', '--if-needed'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('pmw: could not build the CLI bundle (see above)\n');
    process.exit(2);
  }
}
const bundle = diffOnly && existsSync(diffBundle) ? diffBundle : captureOnly && existsSync(captureBundle) ? captureBundle : full;
if (!existsSync(bundle)) {
  process.stderr.write(`pmw: ${bundle} is missing; run "npm install" (or "npm run build") first\n`);
  process.exit(2);
}
const cli = require(bundle);
process.removeListener('SIGINT', early);
process.removeListener('SIGTERM', early);
cli
  .main(argv)
  .then((code) => {
    process.exitCode = code;
  });
