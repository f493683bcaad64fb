// The regression promise, as a harness (not a test file itself): a finding becomes a pytest module that
// fails on the failing data and passes on the last-known-good and on harmless rewrites of it.
//
//   findingsFor(changes)    warning-and-above changes → findings with their generator (as the app suggests them)
//   runPytestMatrix(cases)  writes each case's generated module once per input (failing, last-known-good,
//                           benign rewrites) with a conftest.py that sets the input variable, runs ONE real
//                           pytest process over all of them (JUnit XML), and reports per finding and input
//                           which of its tests failed and with what message
//
// Variants of real tables (CSV, from test/fixtures/real — copies of /work/shared/realdata) are built
// here at test time: readTable / writeTable with quoting, line-ending and float-format options.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Finding } from '../../shared/artifacts';
import type { Change } from '../../shared/diff/types';
import { SEVERITY_RANK } from '../../shared/diff/types';
import { generatorForChange } from '../../shared/generators/fromChange';
import { generatePytest } from '../../shared/generators/pytest';
import { makeFinding, makeIncident } from './generators-helpers';

export const REAL = join(__dirname, '..', 'fixtures', 'real');

// ---------------------------------------------------------------------------------------------
// Tables and their rewrites

export interface Table {
  header: string[];
  rows: string[][];
}

export function readTable(file: string): Table {
  const parsed = Papa.parse<string[]>(readFileSync(file, 'utf8'), { header: false, skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  return { header, rows };
}

export interface WriteOptions {
  quoteAll?: boolean;
  crlf?: boolean;
  /** Text after the last record (default "\n"). */
  ending?: string;
}

export function writeTable(t: Table, o: WriteOptions = {}): string {
  const nl = o.crlf ? '\r\n' : '\n';
  return Papa.unparse([t.header, ...t.rows], { newline: nl, quotes: !!o.quoteAll }) + (o.ending ?? nl);
}

export function col(t: Table, name: string): number {
  const i = t.header.indexOf(name);
  if (i < 0) throw new Error(`no column ${name} in ${t.header.join(',')}`);
  return i;
}

/** Deterministic [0, 1) numbers (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(xs: T[], seed: number): T[] {
  const r = rng(seed);
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A float written another way with the same value: with trailing zeros, or in exponent notation. */
export function reformatFloat(v: string, i: number): string {
  if (!/^-?\d+\.\d+$/.test(v)) return v;
  if (i % 2 === 0) return `${v}00`;
  const e = Number(v).toExponential(); // shortest digits that give the same double back
  return Number(e) === Number(v) ? e.toUpperCase() : `${v}00`;
}

/** The six harmless rewrites of a table the generated tests must pass on. */
export function benignVariants(t: Table, floatColumns: string[], seed = 7): Record<string, string> {
  const floats = new Set(floatColumns.map((c) => col(t, c)));
  return {
    shuffled: writeTable({ header: t.header, rows: shuffled(t.rows, seed) }),
    crlf: writeTable(t, { crlf: true }),
    quoted: writeTable(t, { quoteAll: true }),
    floats: writeTable({ header: t.header, rows: t.rows.map((r, i) => r.map((v, j) => (floats.has(j) ? reformatFloat(v, i + j) : v))) }),
    sample20: writeTable({ header: t.header, rows: shuffled(t.rows, seed + 1).slice(0, Math.round(t.rows.length * 0.2)) }),
    newline: writeTable(t, { ending: '\n\n' }),
  };
}

// ---------------------------------------------------------------------------------------------
// Findings from changes

/** One finding per change of severity warning or above, with the generator the app would give it. */
export function findingsFor(changes: Change[]): { findings: Finding[]; withoutGenerator: Change[] } {
  const findings: Finding[] = [];
  const withoutGenerator: Change[] = [];
  for (const c of changes) {
    if (SEVERITY_RANK[c.severity] < SEVERITY_RANK.warning) continue;
    const gen = generatorForChange(c);
    if (!gen) {
      withoutGenerator.push(c);
      continue;
    }
    findings.push(
      makeFinding({ id: findings.length + 1, title: c.message.slice(0, 300), genKind: gen.genKind, params: gen.params, evidence: { changes: [c] } }),
    );
  }
  return { findings, withoutGenerator };
}

// ---------------------------------------------------------------------------------------------
// One pytest process over many modules and inputs

export interface MatrixCase {
  id: string;
  findings: Finding[];
  /** Input variable → file, per input name ("failing", "lkg", "shuffled", …). */
  inputs: Record<string, Record<string, string>>;
  /** Extra environment per input (e.g. PYTHONPATH for a fake installed environment). */
  env?: Record<string, Record<string, string>>;
}

export interface TestOutcome {
  caseId: string;
  input: string;
  /** Finding id the test belongs to (from its name, test_f<id>_…). */
  finding: number;
  test: string;
  outcome: 'passed' | 'failed' | 'skipped' | 'error';
  message: string;
}

function xmlUnescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#10;/g, '\n').replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d))).replace(/&amp;/g, '&');
}

/**
 * Writes <dir>/<case>/<input>/test_<case>.py (the generated module, unchanged) and a conftest.py that
 * sets the case's input variables for the modules of that folder (an autouse module fixture, as a
 * shell would), then runs one pytest process over everything.
 */
export function runPytestMatrix(python: string, dir: string, cases: MatrixCase[]): { outcomes: TestOutcome[]; modules: Map<string, string>; stdout: string } {
  const modules = new Map<string, string>();
  for (const c of cases) {
    const files = generatePytest(makeIncident({ key: `INC-${c.id}` }), c.findings);
    if (!files.length) continue;
    modules.set(c.id, files[0].content);
    for (const [input, vars] of Object.entries(c.inputs)) {
      const d = join(dir, c.id, input);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, `test_${c.id}_${input}.py`), files[0].content);
      const env = { ...vars, ...(c.env?.[input] ?? {}) };
      const lines = ['import os, sys', 'import pytest', '', '', '@pytest.fixture(autouse=True, scope="module")', 'def _pmw_inputs():'];
      lines.push(`    saved = {k: os.environ.get(k) for k in ${JSON.stringify(Object.keys(env))}}`);
      for (const [k, v] of Object.entries(env)) {
        if (k === 'PYTHONPATH') lines.push(`    sys.path.insert(0, ${JSON.stringify(v)})`);
        lines.push(`    os.environ[${JSON.stringify(k)}] = ${JSON.stringify(v)}`);
      }
      lines.push('    yield');
      if (env.PYTHONPATH) lines.push(`    sys.path.remove(${JSON.stringify(env.PYTHONPATH)})`);
      lines.push('    for k, v in saved.items():', '        if v is None:', '            os.environ.pop(k, None)', '        else:', '            os.environ[k] = v', '');
      writeFileSync(join(d, 'conftest.py'), lines.join('\n'));
    }
  }
  const xml = join(dir, 'junit.xml');
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('PMW_') && k !== 'PYTHONPATH') clean[k] = v;
  clean.PYTHONDONTWRITEBYTECODE = '1';
  const r = spawnSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--import-mode=importlib', '-o', 'junit_family=xunit1', `--junitxml=${xml}`, dir], {
    cwd: dir,
    env: clean,
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const stdout = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  let text = '';
  try {
    text = readFileSync(xml, 'utf8');
  } catch {
    throw new Error(`pytest wrote no report (exit ${r.status}):\n${stdout.slice(-4000)}`);
  }
  const outcomes: TestOutcome[] = [];
  for (const m of text.matchAll(/<testcase ([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attrs = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], xmlUnescape(a[2])]));
    const body = m[3] ?? '';
    const where = /(?:^|[/.])([\w-]+)[/.]([\w-]+)[/.]test_\1_\2(?:\.py)?$/.exec(attrs.file ?? attrs.classname ?? '') ?? /([\w-]+)\.([\w-]+)\.test_\1_\2/.exec(attrs.classname ?? '');
    const name = attrs.name ?? '';
    const fid = /^test_f(\d+)_/.exec(name);
    let outcome: TestOutcome['outcome'] = 'passed';
    let message = '';
    const fail = /<(failure|error)\b([^>]*)>([\s\S]*?)<\/\1>|<(failure|error)\b([^>]*)\/>/.exec(body);
    const skip = /<skipped\b([^>]*)/.exec(body);
    if (fail) {
      outcome = (fail[1] ?? fail[4]) === 'error' ? 'error' : 'failed';
      const attrsText = fail[2] ?? fail[5] ?? '';
      message = xmlUnescape((/message="([^"]*)"/.exec(attrsText)?.[1] ?? '') + '\n' + (fail[3] ?? ''));
    } else if (skip) {
      outcome = 'skipped';
      message = xmlUnescape(/message="([^"]*)"/.exec(skip[1])?.[1] ?? '');
    }
    if (!where || !fid) continue;
    outcomes.push({ caseId: where[1], input: where[2], finding: Number(fid[1]), test: name, outcome, message });
  }
  return { outcomes, modules, stdout };
}

/** Per finding: caught on the failing input, and the inputs it wrongly failed on. */
export interface FindingVerdict {
  caseId: string;
  finding: Finding;
  caught: boolean;
  /** Failure messages on the failing input. */
  messages: string[];
  falseAlarms: { input: string; test: string; message: string }[];
  /** Tests that did not run (skipped or errored) anywhere. */
  problems: TestOutcome[];
}

export function verdicts(cases: MatrixCase[], outcomes: TestOutcome[]): FindingVerdict[] {
  const out: FindingVerdict[] = [];
  for (const c of cases) {
    // findings with the same check share the first one's tests (generatePytest writes it once)
    const firstWith = new Map<string, number>();
    for (const f of c.findings) {
      const key = `${f.genKind} ${JSON.stringify(f.params)}`;
      const owner = firstWith.get(key) ?? f.id;
      firstWith.set(key, owner);
      const mine = outcomes.filter((o) => o.caseId === c.id && o.finding === owner);
      const failing = mine.filter((o) => o.input === 'failing');
      out.push({
        caseId: c.id,
        finding: f,
        caught: failing.some((o) => o.outcome === 'failed'),
        messages: failing.filter((o) => o.outcome === 'failed').map((o) => o.message),
        falseAlarms: mine.filter((o) => o.input !== 'failing' && o.outcome === 'failed').map((o) => ({ input: o.input, test: o.test, message: o.message })),
        problems: mine.filter((o) => o.outcome === 'error' || (o.outcome === 'skipped' && !/not set/.test(o.message))),
      });
    }
  }
  return out;
}
