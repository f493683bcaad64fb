// electron-builder beforePack hook: stage the Electron-ABI better-sqlite3 binding for the platform
// and arch being packed into .native/stage/, which electron-builder.yml copies to
// <resources>/native/better_sqlite3.node (main/electron/main.ts looks there when packaged).
// npmRebuild is off on purpose: electron-builder would rebuild node_modules/better-sqlite3 in place
// for Electron, and tests, the CLI and the web host (Node's ABI) would break until the next rebuild.
'use strict';
const { copyFileSync, mkdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const ARCH = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

module.exports = async function beforePack(context) {
  const root = join(__dirname, '..');
  const platform = context.electronPlatformName;
  const arch = ARCH[context.arch] ?? String(context.arch);
  if (arch === 'universal') return; // built from the x64 and arm64 passes, each staged on its own
  const { ensureElectronBinding } = await import(pathToFileURL(join(root, 'scripts', 'native-electron.mjs')).href);
  const { electronVersion } = require(join(root, 'scripts', 'electron-binary.cjs'));
  const target = context.packager?.info?.framework?.version ?? electronVersion();
  const binding = ensureElectronBinding({ target, platform, arch });
  const stage = join(root, '.native', 'stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  copyFileSync(binding, join(stage, 'better_sqlite3.node'));
  console.log(`  • staged ${binding} for ${platform}-${arch} (Electron ${target})`);
};
