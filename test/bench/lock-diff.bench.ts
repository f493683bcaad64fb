// Lockfile diffs.
//  - poetry.lock, 5,000 packages each side, engine in process: target < 100 ms; baseline: TOML parse of both.
//  - package-lock.json, 3,000 packages each side, whole process: `pmw diff A B` against a `node -e`
//    that reads and JSON.parses both files (target ≤ 2×), alternating runs, medians.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { diffArtifacts } from '../../shared/diff/index';
import { benchTempDir, compareCommands, pmwLayouts, rng, row, spread, timeIt } from './util';

function lock(n: number, bump: (i: number) => boolean): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const minor = bump(i) ? 5 : 4;
    const v = `1.${minor}.${i % 10}`;
    // Shaped like a real poetry.lock entry (wheel + sdist hashes): real 5,000-package locks are ~4 MB.
    const h = (k: number) => ((i * 2654435761 + k * 40503) >>> 0).toString(16).padStart(8, '0').repeat(8);
    out.push(
      `[[package]]\nname = "pkg-${i}"\nversion = "${v}"\ndescription = "package ${i}"\noptional = false\npython-versions = ">=3.8"\n` +
        `files = [\n    {file = "pkg_${i}-${v}-py3-none-any.whl", hash = "sha256:${h(1)}"},\n    {file = "pkg_${i}-${v}.tar.gz", hash = "sha256:${h(2)}"},\n]\n\n` +
        `[package.dependencies]\nnumpy = ">=1.22"\n`,
    );
  }
  return out.join('\n') + '\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.9"\ncontent-hash = "abc"\n';
}
const enc = new TextEncoder();
{
  const a = enc.encode(lock(5000, () => false));
  const b = enc.encode(lock(5000, (i) => i % 50 === 0));
  let changes = 0;
  const ours = timeIt(() => {
    changes = diffArtifacts({ name: 'poetry.lock', bytes: a }, { name: 'poetry.lock', bytes: b }).changes.length;
  });
  const td = new TextDecoder();
  const baseline = timeIt(() => {
    parse(td.decode(a));
    parse(td.decode(b));
  });
  console.log(`poetry.lock: 5000 packages each side (${(a.length / 1048576).toFixed(1)} MB + ${(b.length / 1048576).toFixed(1)} MB), ${changes} changes reported`);
  row({ figure: 'poetry.lock diff, 5k packages, engine', value: ours, baseline: 'TOML parse of both (smol-toml)', baselineValue: baseline, target: { max: 100 } });
}

/**
 * package-lock.json v3 shaped like npm's: root entry, hoisted and nested (node_modules/x/node_modules/y)
 * and scoped packages with version, resolved, integrity, dev/optional/peer flags, license,
 * dependencies, engines, bin. `variant` 1 bumps ~2% of versions, drops a few and adds a few.
 */
function packageLock(n: number, variant: 0 | 1): string {
  const r = rng(3000 + n); // the same package set on both sides; the variant edits it
  const b64 = (len: number) => {
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let s = '';
    for (let i = 0; i < len; i++) s += abc[Math.floor(r() * 64)];
    return s;
  };
  const packages: Record<string, unknown> = {
    '': { name: 'app', version: '1.0.0', license: 'MIT', dependencies: { 'pkg-0': '^1.0.0', 'pkg-1': '^2.0.0' }, devDependencies: { '@types/pkg-2': '^3.0.0' } },
  };
  for (let i = 0; i < n; i++) {
    const scoped = i % 17 === 0;
    const name = scoped ? `@scope-${i % 5}/pkg-${i}` : `pkg-${i}`;
    const nested = i % 11 === 0 && i > 20 ? `node_modules/pkg-${i - 7}/` : '';
    let version = `${1 + (i % 4)}.${i % 13}.${i % 7}`;
    const integrity = `sha512-${b64(86)}==`;
    const deps: Record<string, string> = {};
    const nd = Math.floor(r() * 5);
    for (let d = 0; d < nd; d++) deps[`pkg-${Math.floor(r() * n)}`] = `^${1 + (d % 3)}.0.0`;
    if (variant === 1) {
      if (i % 500 === 250) continue; // removed
      if (i % 50 === 3) version = `${1 + (i % 4)}.${(i % 13) + 1}.0`; // bumped
    }
    const e: Record<string, unknown> = {
      version,
      resolved: `https://registry.npmjs.org/${name}/-/${name.replace(/^@[^/]+\//, '')}-${version}.tgz`,
      integrity,
    };
    if (i % 3 === 0) e.dev = true;
    if (i % 29 === 0) e.optional = true;
    if (i % 31 === 0) e.peer = true;
    e.license = ['MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause'][i % 4];
    if (nd) e.dependencies = deps;
    if (i % 7 === 0) e.engines = { node: '>=14' };
    if (i % 23 === 0) e.bin = { [`pkg-${i}`]: 'bin/cli.js' };
    if (i % 41 === 0) e.funding = { url: `https://github.com/sponsors/pkg-${i}` };
    packages[`${nested}node_modules/${name}`] = e;
  }
  if (variant === 1) for (let k = 0; k < 6; k++) packages[`node_modules/new-pkg-${k}`] = { version: '0.1.0', resolved: `https://registry.npmjs.org/new-pkg-${k}/-/new-pkg-${k}-0.1.0.tgz`, integrity: `sha512-${b64(86)}==`, license: 'MIT' };
  return JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2) + '\n';
}
{
  const tmp = benchTempDir('pmw-bench-lock-');
  const pmw = pmwLayouts();
  const da = join(tmp.dir, 'a');
  const db = join(tmp.dir, 'b');
  const fa = join(da, 'package-lock.json');
  const fb = join(db, 'package-lock.json');
  const ta = packageLock(3000, 0);
  const tb = packageLock(3000, 1);
  mkdirSync(da);
  mkdirSync(db);
  writeFileSync(fa, ta);
  writeFileSync(fb, tb);
  const res = diffArtifacts({ name: 'package-lock.json', bytes: enc.encode(ta) }, { name: 'package-lock.json', bytes: enc.encode(tb) });
  console.log(`package-lock.json: 3000 packages each side (${(ta.length / 1048576).toFixed(1)} MB + ${(tb.length / 1048576).toFixed(1)} MB), ${res.changes.length} changes reported (${res.kind})`);
  const parseBoth = `const f=require('fs');JSON.parse(f.readFileSync(${JSON.stringify(fa)},'utf8'));JSON.parse(f.readFileSync(${JSON.stringify(fb)},'utf8'))`;
  const t = compareCommands(
    [
      { name: 'node', cmd: process.execPath, args: ['-e', parseBoth] },
      { name: 'installed', cmd: process.execPath, args: [...pmw.installed, 'diff', fa, fb], ok: [0, 1] },
    ],
    { runs: 7 },
  );
  const base = { baseline: 'node -e: read + JSON.parse both', baselineValue: t.node.ms, load: t.node.load };
  row({ figure: 'package-lock diff, 3k packages, pmw diff (installed), whole process', value: t.installed.ms, ...base, target: { ratio: 2 }, note: `pmw ${spread(t.installed)}; node ${spread(t.node)}` });
  tmp.cleanup();
}
