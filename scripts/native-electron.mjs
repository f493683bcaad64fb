#!/usr/bin/env node
// Builds a SEPARATE copy of better-sqlite3's native binding for Electron's ABI:
//   .native/electron-<version>/<platform>-<arch>/better_sqlite3.node   (+ stamp.json)
// The Node build in node_modules/better-sqlite3/build (used by tests, the CLI and the web host) is
// never touched: the package is copied to a temp dir (without its build/) and built there.
// 1. prebuild-install --runtime electron (downloads the project's prebuilt binary from GitHub);
// 2. else node-gyp rebuild --runtime=electron --target=<v> --dist-url=https://electronjs.org/headers
//    (downloads Electron's headers once into ~/.electron-gyp; needs a C++ toolchain and Python).
// Offline: pass --nodedir=DIR (or PMW_ELECTRON_NODEDIR) pointing at unpacked Electron headers.
//
// Usage: node scripts/native-electron.mjs [--force] [--arch=x64|arm64|…] [--platform=…] [--target=<electron version>]
//        [--nodedir=DIR] [--no-prebuild] [--out=DIR] [--runtime=node]  (runtime=node: self-test of this script)
// Exit 0 with the binding's path on stdout's last line; non-zero with an explanation otherwise.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { findElectronBinary, electronVersion } = require('./electron-binary.cjs');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bsqDir = join(root, 'node_modules', 'better-sqlite3');
const nodeBuild = join(bsqDir, 'build', 'Release', 'better_sqlite3.node');
const BINDING = 'better_sqlite3.node';

function bsqVersion() {
  return JSON.parse(readFileSync(join(bsqDir, 'package.json'), 'utf8')).version;
}

/** Where the binding for (runtime, target, platform, arch) lives. Mirrors nativeBindingRelPath in main/electron/policy.ts. */
export function bindingDir({ runtime = 'electron', target, platform = process.platform, arch = process.arch } = {}) {
  return join(root, '.native', `${runtime}-${target}`, `${platform}-${arch}`);
}

function readStamp(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'stamp.json'), 'utf8'));
  } catch {
    return null;
  }
}

function snapshot(file) {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** Environment for the build tools: npm's nodedir/target/runtime settings would silently pick Node's ABI. */
function buildEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|target_arch|build_from_source|devdir)$/i.test(k)) delete env[k];
  }
  return env;
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: opts.quiet ? 'pipe' : 'inherit', encoding: 'utf8', ...opts });
  return { ok: r.status === 0, status: r.status, error: r.error, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Load the built binding in the target runtime and run a query; null when fine, else the error text. */
function verify(binding, runtime) {
  const code =
    `const D=require(${JSON.stringify(bsqDir)});` +
    `const db=new D(':memory:',{nativeBinding:${JSON.stringify(binding)}});` +
    `const v=db.prepare('select sqlite_version() v').get().v;db.close();console.log('sqlite '+v);`;
  let exe = process.execPath;
  const env = buildEnv();
  if (runtime === 'electron') {
    const e = findElectronBinary();
    if (!e.path) return { skipped: `cannot load-test it: ${e.reason}` };
    exe = e.path;
    env.ELECTRON_RUN_AS_NODE = '1';
  }
  const r = spawnSync(exe, ['-e', code], { encoding: 'utf8', env, timeout: 60_000 });
  if (r.status === 0) return { ok: r.stdout.trim() };
  return { error: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() || String(r.error ?? `exit ${r.status}`) };
}

/**
 * Make sure the Electron-ABI binding exists and matches the installed better-sqlite3; build it when
 * missing or stale. Returns its path; throws an Error whose message says what to do.
 */
export function ensureElectronBinding(o = {}) {
  const runtime = o.runtime ?? 'electron';
  const target = o.target ?? (runtime === 'electron' ? electronVersion() : process.versions.node);
  if (!target) throw new Error('The electron package is not installed (node_modules/electron); run npm install.');
  const platform = o.platform ?? process.platform;
  const arch = o.arch ?? process.arch;
  const say = o.quiet ? () => {} : (m) => console.error(`[native-electron] ${m}`);
  const outDir = o.out ?? bindingDir({ runtime, target, platform, arch });
  const outFile = join(outDir, BINDING);
  const version = bsqVersion();
  const stamp = readStamp(outDir);
  if (!o.force && existsSync(outFile) && stamp && stamp.betterSqlite3 === version && stamp.target === target && stamp.runtime === runtime) {
    say(`up to date: ${relative(root, outFile)} (better-sqlite3 ${version}, ${runtime} ${target}, ${platform}-${arch})`);
    return outFile;
  }
  if (!o.force && existsSync(outFile) && !stamp) {
    // Put there by hand (e.g. a binary built on another machine): used as it is.
    say(`using ${relative(root, outFile)} as provided (no stamp.json; --force rebuilds it)`);
    return outFile;
  }
  if (!existsSync(join(bsqDir, 'binding.gyp'))) throw new Error(`better-sqlite3 is not installed in ${bsqDir}; run npm install.`);

  say(`building better-sqlite3 ${version} for ${runtime} ${target} (${platform}-${arch}) into ${relative(root, outDir)}`);
  const before = snapshot(nodeBuild);
  const work = mkdtempSync(join(tmpdir(), 'pmw-native-'));
  const pkgCopy = join(work, 'better-sqlite3');
  const env = buildEnv();
  const failures = [];
  let method = null;
  try {
    // The copy leaves out build/ (the Node-ABI binary) and any nested node_modules.
    const skip = [join(bsqDir, 'build'), join(bsqDir, 'node_modules')];
    cpSync(bsqDir, pkgCopy, { recursive: true, filter: (src) => !skip.some((s) => src === s || src.startsWith(s + sep)) });
    const built = join(pkgCopy, 'build', 'Release', BINDING);

    // 1. A prebuilt binary for this Electron ABI (GitHub release of better-sqlite3).
    if (!o.noPrebuild && runtime === 'electron') {
      const bin = join(root, 'node_modules', 'prebuild-install', 'bin.js');
      if (existsSync(bin)) {
        say('trying prebuild-install (downloads a prebuilt binary from GitHub)…');
        const r = run(process.execPath, [bin, '--runtime', runtime, '--target', target, '--arch', arch, '--platform', platform, '--verbose'], {
          cwd: pkgCopy,
          env,
          quiet: true,
          timeout: 120_000,
        });
        if (r.ok && existsSync(built)) method = 'prebuild-install';
        else {
          const why = (r.out.match(/(prebuild-install (?:warn|WARN|err|ERR!).*)$/gm) ?? []).slice(-2).join(' / ') || r.error?.message || `exit ${r.status}`;
          failures.push(`prebuild-install: ${why}`);
          say(`prebuild-install did not deliver a binary (${why}); falling back to node-gyp`);
        }
      } else failures.push('prebuild-install: not installed');
    }

    // 2. Compile from source against Electron's headers (only for this machine's OS).
    if (!method && platform !== process.platform) {
      failures.push(`node-gyp: cannot compile for ${platform} on ${process.platform} — package on that OS, or put a binding at ${relative(root, outFile)}`);
    } else if (!method) {
      const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
      if (!existsSync(gyp)) throw new Error('node-gyp is not installed (node_modules/node-gyp); run npm install.');
      const nodedir = o.nodedir ?? process.env.PMW_ELECTRON_NODEDIR;
      const args = [gyp, 'rebuild', '--release', `--target=${target}`, `--arch=${arch}`, '--jobs=max'];
      if (runtime === 'electron') {
        args.push('--runtime=electron', '--dist-url=https://electronjs.org/headers', `--devdir=${join(homedir(), '.electron-gyp')}`);
      }
      if (nodedir) args.push(`--nodedir=${nodedir}`);
      say(`node-gyp ${args.slice(1).join(' ')}`);
      const r = run(process.execPath, args, { cwd: pkgCopy, env, quiet: !!o.quiet, timeout: 30 * 60_000 });
      if (r.ok && existsSync(built)) method = 'node-gyp';
      else failures.push(`node-gyp: exit ${r.status ?? r.error?.message}${o.quiet ? `\n${r.out.slice(-2000)}` : ''}`);
    }

    if (!method) {
      throw new Error(
        `Could not build better-sqlite3 for ${runtime} ${target} (${platform}-${arch}).\n  - ${failures.join('\n  - ')}\n` +
          (runtime === 'electron'
            ? 'The prebuilt binary comes from GitHub and the headers from electronjs.org; without network access, unpack\n' +
              `Electron ${target}'s headers (node-v${target}-headers.tar.gz) and pass --nodedir=DIR or PMW_ELECTRON_NODEDIR=DIR.\n` +
              'Building needs Python 3 and a C++ toolchain (build-essential / Xcode CLT / VS Build Tools).\n' +
              'Tests, the CLI and `npm run web` do not need this binding.'
            : ''),
      );
    }

    const check = verify(built, runtime);
    if (check.error) throw new Error(`The ${runtime} build of better-sqlite3 does not load:\n${check.error}`);
    say(check.ok ? `verified: ${check.ok} loads under ${runtime} ${target}` : `built; ${check.skipped}`);

    mkdirSync(outDir, { recursive: true });
    const tmp = join(outDir, `${BINDING}.${process.pid}.tmp`);
    copyFileSync(built, tmp);
    renameSync(tmp, outFile);
    writeFileSync(
      join(outDir, 'stamp.json'),
      JSON.stringify({ betterSqlite3: version, runtime, target, platform, arch, method, verified: !!check.ok, builtAt: new Date().toISOString() }, null, 2) + '\n',
    );
    say(`wrote ${relative(root, outFile)} (${method})`);
    return outFile;
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (snapshot(nodeBuild) !== before) {
      // Never expected; fail loudly rather than leave tests running against a foreign ABI.
      throw new Error(`BUG: ${nodeBuild} changed while building the ${runtime} binding — run \`npm rebuild better-sqlite3\`.`);
    }
  }
}

function parseArgs(argv) {
  const o = {};
  for (const a of argv) {
    const [k, v] = a.startsWith('--') ? a.slice(2).split(/=(.*)/s, 2) : [a, undefined];
    if (k === 'force') o.force = true;
    else if (k === 'quiet') o.quiet = true;
    else if (k === 'no-prebuild') o.noPrebuild = true;
    else if (['arch', 'platform', 'target', 'nodedir', 'out', 'runtime'].includes(k) && v) o[k] = v;
    else throw new Error(`unknown option ${a}`);
  }
  if (o.runtime && !['electron', 'node'].includes(o.runtime)) throw new Error('--runtime must be electron or node');
  return o;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const file = ensureElectronBinding(parseArgs(process.argv.slice(2)));
    console.log(file);
  } catch (e) {
    console.error(`\n${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
