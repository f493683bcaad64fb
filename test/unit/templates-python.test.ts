// The Python templates of the generated tests (shared/generators/templates/*.py) under pytest itself:
// test/python/test_pmw_templates.py imports them directly and checks the statistics against scipy and
// the text dtype inference against the TypeScript CSV parser's own dtypes for the same values.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPython } from '../../main/python';
import { parseCsv } from '../../shared/diff/dataset';

const python = findPython();
const itPy = python ? it : it.skip;

/** Columns of values as written, and the dtype the diff's CSV parser gives each. */
function dtypeCases(): [string[], string][] {
  const columns: string[][] = [
    ['1', '2', '-3', '+4'],
    ['1', '2.0'],
    ['3.0', '4.0'],
    ['1e3', '2'],
    ['0.5', 'inf', '-Infinity'],
    ['9007199254740993', '1'],
    ['True', 'false', 'FALSE'],
    ['true', 'yes'],
    ['2024-01-02', '2024-02-30'],
    ['2024-01-02T10:00:00Z', '2024-01-03 11:30'],
    ['2024-13-01'],
    ['007', '010'],
    ['A/5 21171', '330911'],
    [' 12', '13 '],
    ['1.5', 'x'],
  ];
  return columns.map((vals) => {
    const csv = `c\n${vals.map((v) => (/[",\n]/.test(v) ? `"${v}"` : v)).join('\n')}\n`;
    return [vals, parseCsv(new TextEncoder().encode(csv), 'x.csv').columns[0].dtype];
  });
}

describe('Python templates under pytest' + (python ? '' : ' [skipped: no Python with pytest + pandas]'), () => {
  itPy('agree with scipy and with the TypeScript dtype rules', () => {
    const cases = dtypeCases();
    expect(cases.find(([v]) => v[0] === '3.0')?.[1]).toBe('float');
    const r = spawnSync(python!, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', join(__dirname, '..', 'python', 'test_pmw_templates.py')], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PMW_DTYPE_CASES: JSON.stringify(cases) },
      timeout: 120_000,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(out).toMatch(/\d+ passed/);
    expect(out).not.toMatch(/failed|error|skipped/i);
    expect(r.status).toBe(0);
  });
});
