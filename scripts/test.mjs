#!/usr/bin/env node
// `npm test`: layer rule, lint, type-check, build, unit tests (vitest, real SQLite in temp dirs),
// e2e against the web host in Chromium (Playwright), Electron e2e where a binary exists.
// Ends with one summary line: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.tmp', 'test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const bin = (n) => join(root, 'node_modules', '.bin', n);
const only = process.argv.slice(2); // e.g. `npm test -- unit`
const want = (s) => !only.length || only.includes(s);

const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

function step(name, cmd, args, env = {}) {
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`✗ ${name} failed (exit ${r.status ?? r.signal})`);
    broken = true;
  }
  return r.status === 0;
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += j.numPassedTests ?? 0;
  totals.failed += j.numFailedTests ?? 0;
  totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
}

function countPlaywright(file) {
  if (!existsSync(file)) return;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const s = j.stats ?? {};
  totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
  totals.failed += s.unexpected ?? 0;
  totals.skipped += s.skipped ?? 0;
}

if (want('static')) {
  step('layer rule', process.execPath, [join(root, 'scripts', 'check-layers.mjs')]);
  step('lint (eslint: React hooks rules, no import cycles)', bin('eslint'), ['--cache', '--cache-location', join(root, '.tmp', 'eslintcache'), '.']);
  for (const layer of ['shared', 'renderer', 'main', 'test']) step(`type-check ${layer}/`, bin('tsc'), ['-p', layer]);
}
if (want('unit') || want('e2e')) step('build', process.execPath, [join(root, 'scripts', 'build.mjs'), 'all']);
if (want('unit')) {
  const f = join(out, 'vitest.json');
  step('unit tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${f}`]);
  countVitest(f);
  const g = join(out, 'vitest-serial.json');
  step('timing-sensitive unit tests, one file at a time', bin('vitest'), ['run', 'serial', '--no-file-parallelism', '--reporter=default', '--reporter=json', `--outputFile.json=${g}`], { PMW_SERIAL: '1' });
  countVitest(g);
}
if (want('e2e')) {
  const f = join(out, 'playwright-web.json');
  step('e2e: web host in Chromium (playwright)', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: f });
  countPlaywright(f);
  if (existsSync(join(root, 'playwright.electron.config.ts'))) {
    const g = join(out, 'playwright-electron.json');
    step('e2e: Electron (playwright _electron)', bin('playwright'), ['test', '-c', 'playwright.electron.config.ts', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: g });
    countPlaywright(g);
  }
}

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(broken || totals.failed ? 1 : 0);
