import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffArtifactsWith, resolvePairKind, sortChanges, type DatasetDiffFn } from '../../shared/diff/dispatch';
import { diffArtifacts } from '../../shared/diff/index';
import type { Change } from '../../shared/diff/types';

const enc = (s: string) => new TextEncoder().encode(s);
const REAL = join(__dirname, '..', 'fixtures', 'real');
const real = (p: string) => new Uint8Array(readFileSync(join(REAL, p)));
const fakeDataset: DatasetDiffFn = (_b, _a, kind) => ({
  kind,
  changes: [{ kind: 'column.removed', severity: 'critical', failureClass: 'data', subject: 'Survived', before: 'Survived', after: null, message: 'column Survived removed' }],
  problems: [],
  noSemanticChange: false,
});

describe('diffArtifacts dispatch', () => {
  it('poetry.lock pair from the real fixtures, critical first', () => {
    const r = diffArtifacts({ name: 'poetry.lock', bytes: real('deps/nannyml-poetry-e8623af8.lock') }, { name: 'poetry.lock', bytes: real('deps/nannyml-poetry-94c3e242.lock') });
    expect(r.kind).toBe('poetry-lock');
    expect(r.changes.slice(0, 3).map((c) => c.subject)).toEqual(['numpy', 'pandas', 'pyarrow']); // critical, by line
    expect(r.changes[0].message).toBe('numpy 1.24.4 → 2.0.2 — major upgrade of a numeric library');
    const ranks = r.changes.map((c) => ({ info: 0, warning: 1, critical: 2 })[c.severity]);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
  });

  it('kinds are detected per side (the real lockfile names are sniffed)', () => {
    const r = diffArtifacts(
      { name: 'nannyml-poetry-e8623af8.lock', bytes: real('deps/nannyml-poetry-e8623af8.lock') },
      { name: 'nannyml-poetry-94c3e242.lock', bytes: real('deps/nannyml-poetry-94c3e242.lock') },
    );
    expect(r.kind).toBe('poetry-lock');
    const k = diffArtifacts({ name: 'a.yaml', bytes: real('k8s/vllm-deployment-929f82b7.yaml') }, { name: 'b.yaml', bytes: real('k8s/vllm-deployment-a0ed769c.yaml') });
    expect(k.kind).toBe('kubernetes');
    expect(k.changes[0].kind).toBe('image.digest-to-tag'); // warnings, in file order
  });

  it('identical bytes → zero changes, noSemanticChange', () => {
    const b = real('k8s/guestbook-frontend-deployment-f4f8f146.yaml');
    expect(diffArtifacts({ name: 'x.yaml', bytes: b }, { name: 'y.yaml', bytes: b.slice() })).toEqual({ kind: 'kubernetes', changes: [], problems: [], noSemanticChange: true });
  });

  it('empty files are fine', () => {
    const r = diffArtifacts({ name: 'requirements.txt', bytes: new Uint8Array() }, { name: 'requirements.txt', bytes: enc('numpy==2.0.2\n') });
    expect(r.kind).toBe('requirements');
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'dependency.added', subject: 'numpy' });
    expect(diffArtifacts({ name: 'a', bytes: new Uint8Array() }, { name: 'b', bytes: new Uint8Array() }).changes).toEqual([]);
    expect(diffArtifacts({ name: 'a.yaml', bytes: new Uint8Array() }, { name: 'a.yaml', bytes: enc('a: 1\n') }).changes).toHaveLength(1);
  });

  it('different kinds: text diff plus a ParseProblem', () => {
    const r = diffArtifacts({ name: 'requirements.txt', bytes: enc('numpy==1\n') }, { name: 'app.log', bytes: enc('ERROR x\n') });
    expect(r.kind).toBe('text');
    expect(r.problems.some((p) => /different kinds \(before: requirements, after: log\)/.test(p.message))).toBe(true);
    expect(r.changes.length).toBeGreaterThan(0);
    expect(r.noSemanticChange).toBe(false);
  });

  it('JSON flavours and text/empty sides pair up', () => {
    expect(resolvePairKind('json', 'model-metadata')).toBe('model-metadata');
    expect(resolvePairKind('yaml', 'conda-env')).toBe('conda-env');
    expect(resolvePairKind('text', 'requirements')).toBe('requirements');
    expect(resolvePairKind('text', 'binary')).toBeNull();
    expect(resolvePairKind('log', 'requirements')).toBeNull();
  });

  it('forced kind overrides detection', () => {
    const r = diffArtifacts({ name: 'a', bytes: enc('A=1\n') }, { name: 'b', bytes: enc('A=2\n') }, { kind: 'text' });
    expect(r.kind).toBe('text');
    expect(r.changes[0].kind).toBe('text.changed');
    const e = diffArtifacts({ name: 'a', bytes: enc('A=1\n'), kind: 'env' }, { name: 'b', bytes: enc('A=2\n'), kind: 'env' });
    expect(e.changes[0].kind).toBe('env.changed');
  });

  it('invalid UTF-8 gives a warning naming the offset, and the diff still runs', () => {
    const bad = new Uint8Array([...enc('numpy==1.0\ntorch=='), 0xff, ...enc('2.0\n')]);
    const r = diffArtifacts({ name: 'requirements.txt', bytes: enc('numpy==1.0\n') }, { name: 'requirements.txt', bytes: bad });
    expect(r.problems[0]).toMatchObject({ side: 'after', line: 2, column: 8 });
    expect(r.problems[0].message).toMatch(/^invalid UTF-8 at byte offset 18/);
    expect(r.changes.length).toBeGreaterThan(0);
  });

  it('binary files are compared as bytes, never as text', () => {
    const r = diffArtifacts({ name: 'model.bin', bytes: new Uint8Array([0, 1, 2, 3]) }, { name: 'model.bin', bytes: new Uint8Array([0, 1, 9, 3, 4]) });
    expect(r.kind).toBe('binary');
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'binary.changed', params: { sizeBefore: 4, sizeAfter: 5, firstDifference: 2 } });
  });

  it('BOM-only difference in a text file', () => {
    const r = diffArtifacts({ name: 'a.txt', bytes: enc('hello\n') }, { name: 'a.txt', bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...enc('hello\n')]) });
    expect(r.changes.map((c) => c.kind)).toEqual(['text.bom']);
    expect(r.noSemanticChange).toBe(true);
  });

  it('CRLF conversion of a text file is one change', () => {
    const lf = 'alpha\nbeta\ngamma\n';
    const r = diffArtifacts({ name: 'notes.txt', bytes: enc(lf) }, { name: 'notes.txt', bytes: enc(lf.replace(/\n/g, '\r\n')) });
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0].message).toBe('line endings changed: LF → CRLF');
  });

  it('dataset kinds go to the injected dataset engine', () => {
    const r = diffArtifactsWith(fakeDataset, { name: 'ref.csv', bytes: enc('a,b\n1,2\n') }, { name: 'cur.csv', bytes: enc('a\n1\n') });
    expect(r.kind).toBe('csv');
    expect(r.changes[0].message).toBe('column Survived removed');
    const thrower: DatasetDiffFn = () => {
      throw new Error('boom');
    };
    const t = diffArtifactsWith(thrower, { name: 'ref.csv', bytes: enc('a\n1\n') }, { name: 'cur.csv', bytes: enc('a\n2\n') });
    expect(t.problems[0].message).toMatch(/dataset diff failed: boom/);
    expect(t.changes[0].kind).toBe('text.changed');
  });

  it('sortChanges: severity, then position, stable', () => {
    const c = (severity: Change['severity'], lineAfter?: number, subject = ''): Change => ({ kind: 'k', severity, failureClass: 'data', subject, before: null, after: null, message: '', ...(lineAfter ? { lineAfter } : {}) });
    const sorted = sortChanges([c('info', 1, 'a'), c('critical', 9, 'b'), c('warning'), c('critical', 2, 'c'), c('info', 1, 'd')]);
    expect(sorted.map((x) => `${x.severity}:${x.subject}`)).toEqual(['critical:c', 'critical:b', 'warning:', 'info:a', 'info:d']);
  });
});
