#!/usr/bin/env node
// `npm start`: build what is missing, make sure better-sqlite3 has its Electron-ABI copy in .native/
// (the Node build in node_modules stays as it is for tests, the CLI and the web host), then run the
// Electron binary on this folder. Extra arguments pass through (e.g. `npm start -- --db=/tmp/x.db`).
//
// Where no Electron binary can be had (offline installs, CI boxes, servers) it says why and starts the
// web host instead (`pmw serve`, default database unless --db is given), then opens the system browser
// on the printed URL — or just prints it where there is no browser (no graphical session, or
// PMW_NO_BROWSER=1). BROWSER names a browser command to use instead of the platform's opener.
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
  webFallback(
    `${reason}.\n` +
      'The Electron binary is downloaded from GitHub by `npm install` (unless ELECTRON_SKIP_BINARY_DOWNLOAD is set);\n' +
      'to get the desktop app, retry with network access:  node node_modules/electron/install.js',
  );

/** `--db X`, `--db=X`, `--port N`, `--port=N` from the arguments: what the web host understands too. */
function webArgs(argv) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(db|port)(=.*)?$/.exec(argv[i]);
    if (!m) continue;
    if (m[2]) out.push(`--${m[1]}`, m[2].slice(1));
    else if (i + 1 < argv.length) out.push(`--${m[1]}`, argv[++i]);
  }
  return out;
}

/** Open `url` in the system browser; returns null when launched, else why not (the URL is printed either way). */
function openBrowser(url) {
  if (process.env.PMW_NO_BROWSER === '1') return 'PMW_NO_BROWSER=1 is set';
  let cmd;
  let args;
  if (process.env.BROWSER) [cmd, args] = [process.env.BROWSER, [url]];
  else if (process.platform === 'darwin') [cmd, args] = ['open', [url]];
  else if (process.platform === 'win32') [cmd, args] = ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  else {
    if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'there is no graphical session here (neither DISPLAY nor WAYLAND_DISPLAY is set)';
    const found = (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, 'xdg-open')));
    if (!found) return 'no xdg-open to launch a browser with';
    [cmd, args] = ['xdg-open', [url]];
  }
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', (e) => console.error(`Could not open a browser (${cmd}: ${e.message}); open the URL above yourself.`));
    child.unref();
    return null;
  } catch (e) {
    return `${cmd} could not be run (${e instanceof Error ? e.message : String(e)})`;
  }
}

/** No desktop app here: say why, run the web host in its place and point a browser at it. */
function webFallback(why) {
  console.error(`\nThe desktop app cannot start here: ${why}\n\nStarting the same workbench in your browser instead (web host on 127.0.0.1 only)…\n`);
  const args = [join(root, 'bin', 'pmw.cjs'), 'serve', '--no-build', ...webArgs(process.argv.slice(2))];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
  let out = '';
  let opened = false;
  child.stdout.on('data', (d) => {
    process.stdout.write(d);
    if (opened) return;
    out += d.toString();
    const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
    if (!m) return;
    opened = true;
    const why = openBrowser(m[1]);
    console.log(why ? `Not opening a browser: ${why}. Open the URL above in one.` : 'Opened it in your browser.');
  });
  child.on('error', (e) => fail(`Could not start the web host: ${e.message}`));
  forward(child);
}

function forward(child) {
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
}

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
else startElectron(electron.path);

function startElectron(electronPath) {
  // 3. better-sqlite3 for Electron's ABI, in .native/ (built once per Electron / better-sqlite3 version).
  let binding;
  try {
    binding = ensureElectronBinding({});
  } catch (e) {
    webFallback(`the SQLite driver could not be built for Electron: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }

  // 4. Run Electron on this folder (package.json "main" → dist/main/electron-main.cjs).
  const env = { ...process.env, PMW_NATIVE_BINDING: binding };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electronPath, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env, windowsHide: false });
  child.on('error', (e) => fail(`Could not run ${electronPath}: ${e.message}`));
  forward(child);
}
