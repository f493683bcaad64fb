#!/usr/bin/env node
// `npm start`: build what is missing, make sure better-sqlite3 has its Electron-ABI copy in .native/
// (the Node build in node_modules stays as it is for tests, the CLI and the web host), then run the
// Electron binary on this folder. Extra arguments pass through (e.g. `npm start -- --db=/tmp/x.db`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronBinding } from './native-electron.mjs';

const require = createRequire(import.meta.url);
const { findElectronBinary } = require('./electron-binary.cjs');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  console.error(`\n${message}\n`);
  process.exit(1);
}

const noElectron = (reason) =>
  fail(
    `Cannot start the desktop app: ${reason}.\n\n` +
      'The Electron binary is downloaded from GitHub by `npm install` (unless ELECTRON_SKIP_BINARY_DOWNLOAD is set).\n' +
      'Retry with network access:  node node_modules/electron/install.js\n\n' +
      'Meanwhile the same workbench runs in your browser:  npm run web',
  );

// 1. Build (main and renderer, each only when its sources are newer than its output).
function build(what, ifNeeded) {
  const args = [join(root, 'scripts', 'build.mjs'), what, ...(ifNeeded ? ['--if-needed'] : [])];
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail(`Build failed (node scripts/build.mjs ${what}).`);
}
// build.mjs decides staleness on dist/main/cli.cjs; rebuild fully when an Electron bundle is missing.
const mainComplete = ['electron-main.cjs', 'preload.cjs'].every((f) => existsSync(join(root, 'dist', 'main', f)));
build('main', mainComplete);
build('renderer', true);

// 2. The Electron binary (looked up without require('electron'), which would try to download it).
let electron = findElectronBinary();
if (!electron.path && electron.version && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && !process.env.CI) {
  console.error(`Electron ${electron.version} is not downloaded yet; trying once (node node_modules/electron/install.js)…`);
  spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, stdio: 'inherit', timeout: 300_000 });
  electron = findElectronBinary();
}
if (!electron.path) noElectron(electron.reason);

// 3. better-sqlite3 for Electron's ABI, in .native/ (built once per Electron / better-sqlite3 version).
let binding;
try {
  binding = ensureElectronBinding({});
} catch (e) {
  fail(
    `Cannot start the desktop app: ${e instanceof Error ? e.message : String(e)}\n\n` +
      'Meanwhile the same workbench runs in your browser:  npm run web',
  );
}

// 4. Run Electron on this folder (package.json "main" → dist/main/electron-main.cjs).
const env = { ...process.env, PMW_NATIVE_BINDING: binding };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(electron.path, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env, windowsHide: false });
child.on('error', (e) => fail(`Could not run ${electron.path}: ${e.message}`));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (!child.killed) child.kill(sig);
  });
}
child.on('exit', (code, signal) => {
  if (signal) {
    // Die of the same signal (our forwarding handlers removed first, or they would swallow it).
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 0);
});
