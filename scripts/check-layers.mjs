#!/usr/bin/env node
// Layer rule (DESIGN §2): shared/ imports nothing outside shared/ (no electron, no node built-ins);
// renderer/ imports only shared/ (and browser-safe packages); main/ never imports renderer/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]|require\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function files(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(files(p));
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export function importsOf(source) {
  const noComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const specs = [];
  for (const m of noComments.matchAll(IMPORT_RE)) specs.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return specs.filter(Boolean);
}

const isInside = (file, dir) => file === dir || file.startsWith(dir + sep);

/** Returns a list of violations: { file, line, spec, rule }. */
export function checkLayers(root) {
  const layers = {
    shared: { dir: resolve(root, 'shared'), allowed: [resolve(root, 'shared')], what: 'shared/ may import only shared/ and pure packages' },
    renderer: {
      dir: resolve(root, 'renderer'),
      allowed: [resolve(root, 'renderer'), resolve(root, 'shared')],
      what: 'renderer/ may import only renderer/, shared/ and browser packages',
    },
    main: { dir: resolve(root, 'main'), allowed: null, forbidden: [resolve(root, 'renderer')], what: 'main/ must not import renderer/' },
  };
  const violations = [];
  for (const [name, layer] of Object.entries(layers)) {
    for (const file of files(layer.dir)) {
      const src = readFileSync(file, 'utf8');
      const lines = src.split('\n');
      for (const spec of importsOf(src)) {
        const line = lines.findIndex((l) => l.includes(`'${spec}'`) || l.includes(`"${spec}"`)) + 1;
        const rel = relative(root, file);
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          if (layer.allowed && !layer.allowed.some((d) => isInside(target, d))) violations.push({ file: rel, line, spec, rule: layer.what });
          if (layer.forbidden && layer.forbidden.some((d) => isInside(target, d))) violations.push({ file: rel, line, spec, rule: layer.what });
          continue;
        }
        if (name === 'main') continue;
        if (BUILTINS.has(spec) || spec.startsWith('node:')) violations.push({ file: rel, line, spec, rule: `${name}/ must not import node built-ins` });
        else if (spec === 'electron' || spec.startsWith('electron/')) violations.push({ file: rel, line, spec, rule: `${name}/ must not import electron` });
        else if (spec === 'better-sqlite3') violations.push({ file: rel, line, spec, rule: `${name}/ must not import the store driver` });
      }
    }
  }
  return violations;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const v = checkLayers(root);
  for (const x of v) console.error(`${x.file}:${x.line}: "${x.spec}" — ${x.rule}`);
  if (v.length) {
    console.error(`layer check: ${v.length} violation(s)`);
    process.exit(1);
  }
  console.log('layer check: ok');
}
