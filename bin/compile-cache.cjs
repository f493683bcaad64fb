// A V8 code cache for pmw's own bundles (dist/main/*.cjs). Node 20 has no module.enableCompileCache
// (Node 22.1+), so this does what v8-compile-cache does: compile each bundle with vm.Script and the
// cached data of an earlier run, and after the command has run store the data V8 produced then (it
// covers the functions that run, not only the top level). V8 checks the data against the source and
// its own version and flags and ignores data that does not fit, so a stale cache only costs a compile.
// Cache files: $PMW_COMPILE_CACHE, else <os tmpdir>/pmw-compile-cache-<uid>; PMW_COMPILE_CACHE=0 turns
// it off. Nothing but pmw's own bundles goes through it, and only a folder owned by the user and
// writable by no one else is used.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

function cacheDir() {
  const env = process.env.PMW_COMPILE_CACHE;
  if (env === '0') return null;
  if (env) return env;
  let uid = 'u';
  try {
    uid = String(process.getuid?.() ?? require('node:os').userInfo().username);
  } catch {
    /* keep 'u' */
  }
  return path.join(require('node:os').tmpdir(), `pmw-compile-cache-${uid}`);
}

/**
 * Code cache data is code: use only a folder that is ours and that no one else can write to (a
 * predictable folder in a shared tmpdir could be planted by another user).
 */
function privateDir(dir) {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return false;
    if (typeof process.getuid === 'function' && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return false;
    return true;
  } catch {
    return false;
  }
}

/** 8 hex digits naming a path (FNV-1a): a file name part, not a secret (node:crypto costs start-up time). */
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Compile pmw's bundles in bundleDir through the cache from now on. opts.writeAfterLoad: store a
 * bundle's data as soon as its top level has run (a worker thread, which is terminated rather than
 * exiting, so an 'exit' hook would never run).
 */
exports.install = function install(bundleDir, opts = {}) {
  const dir = cacheDir();
  if (!dir || typeof Module.prototype._compile !== 'function' || !privateDir(dir)) return;
  const vm = require('node:vm');
  const scripts = [];
  const original = Module.prototype._compile;
  const prefix = bundleDir + path.sep;
  Module.prototype._compile = function (content, filename) {
    if (!filename.startsWith(prefix) || !filename.endsWith('.cjs')) return original.call(this, content, filename);
    let st;
    try {
      st = fs.statSync(filename);
    } catch {
      return original.call(this, content, filename);
    }
    // The install's folder is part of the name: installs side by side keep their own data, and the
    // clean-up below removes only this install's earlier builds of the bundle.
    const where = fnv1a(filename);
    const key = `${path.basename(filename)}-${where}-${st.size}-${Math.floor(st.mtimeMs)}-${process.version}-${process.arch}.v8`;
    const file = path.join(dir, key);
    let cachedData;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      /* first run */
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically: undefined });
    scripts.push({ script, file, hit: cachedData !== undefined && !script.cachedDataRejected });
    const fn = script.runInThisContext({ displayErrors: true });
    const dirname = path.dirname(filename);
    const require = (id) => this.require(id);
    require.resolve = (req, o) => Module._resolveFilename(req, this, false, o);
    require.main = process.mainModule;
    require.cache = Module._cache;
    const result = fn.call(this.exports, this.exports, require, this, filename, dirname);
    if (opts.writeAfterLoad) write();
    return result;
  };
  const write = () => {
    for (const s of scripts) {
      if (s.hit || s.written) continue;
      s.written = true;
      try {
        const tmp = `${s.file}.${process.pid}-${require('node:worker_threads').threadId}.tmp`;
        fs.writeFileSync(tmp, s.script.createCachedData());
        fs.renameSync(tmp, s.file);
        // The data of this install's earlier builds of the same bundle is of no more use, nor that of
        // the bundle under the older naming without the install ("<bundle>.cjs-<size>-<mtime>-v…").
        const base = path.basename(s.file);
        const bundle = base.slice(0, base.indexOf('.cjs-') + 5); // "<bundle>.cjs-"
        const name = base.slice(0, bundle.length + 9); // "<bundle>.cjs-<where>-"
        const stale = (f) => f !== base && f.endsWith('.v8') && (f.startsWith(name) || (f.startsWith(bundle) && /^\d+-\d+-v\d/.test(f.slice(bundle.length))));
        for (const f of fs.readdirSync(dir)) if (stale(f)) fs.rmSync(path.join(dir, f), { force: true });
      } catch {
        /* a read-only or full disk: run without a cache */
      }
    }
  };
  // Written once, after the command: then the data also holds the functions that ran.
  process.once('exit', write);
};
