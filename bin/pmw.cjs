#!/usr/bin/env node
// pmw — the Postmortem Workbench CLI. Loads the prebuilt dist/main/cli.cjs (a small entry: help, the
// command table, argument parsing) which requires the bundle of the one command that runs. No build
// check here: a stale build is a development concern, handled by the npm scripts (`npm test`,
// `npm start`, `npm run web`, `npm run bench` build first) and by vitest's global setup. In a source
// checkout PMW_DEV_BUILD=1 rebuilds the Node bundles first when they are older than main/ or shared/.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

// Ctrl+C before the command starts: nothing has been written yet; leave as an interrupted command does.
const early = () => process.exit(130);
process.once('SIGINT', early);
process.once('SIGTERM', early);

const root = join(__dirname, '..');
if (process.env.PMW_DEV_BUILD === '1') {
  const r = require('node:child_process').spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'main', '--if-needed'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('pmw: could not build the CLI bundle (see above)\n');
    process.exit(2);
  }
}
const bundle = join(root, 'dist', 'main', 'cli.cjs');
if (!existsSync(bundle)) {
  process.stderr.write(`pmw: ${bundle} is missing; run "npm install" (or "npm run build") first\n`);
  process.exit(2);
}
require('./compile-cache.cjs').install(join(root, 'dist', 'main'));
const cli = require(bundle);
process.removeListener('SIGINT', early);
process.removeListener('SIGTERM', early);
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
