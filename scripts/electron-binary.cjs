// Where the Electron executable is — found WITHOUT require('electron'): since Electron 3x,
// require('electron') tries to download a missing binary (from GitHub) on the spot, which hangs or
// fails on offline machines. Used by scripts/start-electron.mjs, scripts/native-electron.mjs and the
// Electron e2e tests. CommonJS so that both ESM scripts and Playwright's TS loader can load it.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

function electronPackageDir() {
  return join(root, 'node_modules', 'electron');
}

/** The version of the installed `electron` package (null when it is not installed). */
function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(electronPackageDir(), 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/**
 * { path, version } when the binary is present, else { path: null, version, reason } with a reason a
 * human can act on. Honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does.
 */
function findElectronBinary() {
  const dir = electronPackageDir();
  const version = electronVersion();
  if (!version) return { path: null, version: null, reason: 'the electron package is not installed (run npm install)' };
  let rel = null;
  try {
    rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
  } catch {
    /* never downloaded */
  }
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel || (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(p) ? { path: p, version } : { path: null, version, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${p} does not exist` };
  }
  if (!rel) {
    return {
      path: null,
      version,
      reason:
        `the Electron ${version} binary was never downloaded (node_modules/electron/path.txt is missing — ` +
        'installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or the download from GitHub failed)',
    };
  }
  const p = join(dir, 'dist', rel);
  if (!existsSync(p)) return { path: null, version, reason: `the Electron binary ${p} is missing (the download from GitHub did not complete)` };
  return { path: p, version };
}

module.exports = { findElectronBinary, electronVersion, electronPackageDir, root };
