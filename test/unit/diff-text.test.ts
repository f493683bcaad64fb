import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffText, indexLines, lineDiff } from '../../shared/diff/text';

/** Apply hunks to `a`'s lines and check we get `b`'s lines. */
function applyHunks(a: string[], hunks: ReturnType<typeof lineDiff>): string[] {
  const out: string[] = [];
  let i = 0;
  for (const h of hunks) {
    while (i < h.beforeStart - 1) out.push(a[i++]);
    i += h.beforeCount;
    out.push(...h.added);
  }
  while (i < a.length) out.push(a[i++]);
  return out;
}

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 4294967296;
  };
}

describe('lineDiff', () => {
  it('returns hunks with 1-based line numbers', () => {
    const h = lineDiff('a\nb\nc\nd\n', 'a\nB\nc\nd\ne\n');
    expect(h).toEqual([
      { beforeStart: 2, beforeCount: 1, afterStart: 2, afterCount: 1, removed: ['b'], added: ['B'] },
      { beforeStart: 5, beforeCount: 0, afterStart: 5, afterCount: 1, removed: [], added: ['e'] },
    ]);
    expect(lineDiff('', 'x')).toEqual([{ beforeStart: 1, beforeCount: 0, afterStart: 1, afterCount: 1, removed: [], added: ['x'] }]);
    expect(lineDiff('x\ny', '')).toEqual([{ beforeStart: 1, beforeCount: 2, afterStart: 1, afterCount: 0, removed: ['x', 'y'], added: [] }]);
    expect(lineDiff('same\n', 'same\n')).toEqual([]);
  });

  it('is a correct edit script on random edits (with repeated lines)', () => {
    const r = rng(7);
    for (let t = 0; t < 200; t++) {
      const a = Array.from({ length: Math.floor(r() * 60) }, () => ['{', '}', 'x', 'y', `v${Math.floor(r() * 20)}`][Math.floor(r() * 5)]);
      const b = a.slice();
      const edits = Math.floor(r() * 10);
      for (let k = 0; k < edits; k++) {
        const i = Math.floor(r() * (b.length + 1));
        const op = r();
        if (op < 0.4) b.splice(i, 0, `new${k}`);
        else if (op < 0.7) b.splice(i, 1);
        else if (i < b.length) b[i] = ['{', '}', 'x'][k % 3];
      }
      const hunks = lineDiff(a.join('\n'), b.join('\n'));
      expect(applyHunks(a, hunks)).toEqual(b);
    }
  });

  it('indexes CRLF, LF and CR-only texts', () => {
    expect(indexLines('a\r\nb\r\n')).toMatchObject({ count: 2, eol: 'CRLF', finalNewline: true });
    expect(indexLines('a\nb')).toMatchObject({ count: 2, eol: 'LF', finalNewline: false });
    expect(indexLines('a\rb\r')).toMatchObject({ count: 2, eol: 'CR', finalNewline: true });
    expect(indexLines('a\r\nb\n')).toMatchObject({ eol: 'mixed' });
  });
});

describe('diffText', () => {
  it('CRLF → LF of a whole file is ONE change', () => {
    const lf = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const r = diffText(crlf, lf);
    expect(r.changes).toEqual([
      { kind: 'text.line-endings', severity: 'info', failureClass: 'deployment', subject: 'line endings', before: 'CRLF', after: 'LF', message: 'line endings changed: CRLF → LF' },
    ]);
    expect(r.noSemanticChange).toBe(true);
  });

  it('line endings plus a real edit: the EOL change once, then the edit', () => {
    const a = 'a\r\nb\r\nc\r\n';
    const r = diffText(a, 'a\nB\nc\n');
    expect(r.changes.map((c) => c.kind)).toEqual(['text.line-endings', 'text.changed']);
    expect(r.changes[1]).toMatchObject({ lineBefore: 2, lineAfter: 2, before: 'b', after: 'B', message: 'line 2 changed: b → B' });
    expect(r.noSemanticChange).toBe(false);
  });

  it('trailing newline only', () => {
    const r = diffText('a\nb\n', 'a\nb');
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'text.final-newline', message: 'no newline at end of file any more', before: true, after: false });
    expect(diffText('a\nb', 'a\nb\n').changes[0].message).toBe('newline added at end of file');
  });

  it('identical and empty inputs', () => {
    expect(diffText('', '')).toEqual({ kind: 'text', changes: [], problems: [], noSemanticChange: true });
    const r = diffText('', 'one\ntwo\n');
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'text.added', message: '2 lines added at lines 1–2', lineAfter: 1 });
    expect(diffText('one\n', '').changes[0]).toMatchObject({ kind: 'text.removed', message: 'line 1 removed: one' });
  });

  it('100k-line files with 1% changed lines: fast, and the same hunks as git diff', () => {
    const r = rng(42);
    const a: string[] = [];
    for (let i = 0; i < 100_000; i++) a.push(`line ${i} value=${Math.floor(r() * 1e6)} ${i % 7 === 0 ? '}' : 'text ' + (i % 100)}`);
    const b = a.slice();
    for (let k = 0; k < 1000; k++) {
      const i = Math.floor(r() * b.length);
      const op = r();
      if (op < 0.5) b[i] = b[i] + ' changed';
      else if (op < 0.75) b.splice(i, 1);
      else b.splice(i, 0, 'inserted ' + k);
    }
    // Flat strings, as TextDecoder produces them.
    const A = new TextDecoder().decode(new TextEncoder().encode(a.join('\n') + '\n'));
    const B = new TextDecoder().decode(new TextEncoder().encode(b.join('\n') + '\n'));
    diffText(A, B); // warm-up
    let best = Infinity;
    let res = diffText(A, B);
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      res = diffText(A, B);
      best = Math.min(best, performance.now() - t0);
    }
    const hunks = lineDiff(A, B);
    expect(applyHunks(a, hunks)).toEqual(b);
    expect(res.changes.length).toBe(hunks.length);

    let gitMs: number | null = null;
    let gitHunks: number | null = null;
    const dir = mkdtempSync(join(tmpdir(), 'pmw-textdiff-'));
    try {
      writeFileSync(join(dir, 'a.txt'), A);
      writeFileSync(join(dir, 'b.txt'), B);
      const run = () => {
        try {
          return execFileSync('git', ['diff', '--no-index', '-U0', join(dir, 'a.txt'), join(dir, 'b.txt')], { maxBuffer: 1 << 28 }).toString();
        } catch (e) {
          return String((e as { stdout?: Buffer }).stdout ?? '');
        }
      };
      run();
      let g = Infinity;
      let out = '';
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        out = run();
        g = Math.min(g, performance.now() - t0);
      }
      gitMs = g;
      gitHunks = out.split('\n').filter((l) => l.startsWith('@@')).length;
    } catch {
      // git unavailable: figures only
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`100k-line text diff: ${best.toFixed(1)} ms, ${hunks.length} hunks; git diff --no-index: ${gitMs?.toFixed(1) ?? 'n/a'} ms, ${gitHunks ?? 'n/a'} hunks`);
    if (gitHunks !== null) expect(hunks.length).toBe(gitHunks);
    expect(best).toBeLessThan(5000); // generous: shared 2-core machine; the printed figure is the benchmark
  }, 60_000);

  it('a completely different file does not blow up', () => {
    const a = Array.from({ length: 20000 }, (_, i) => `a${i % 50}`).join('\n');
    const b = Array.from({ length: 20000 }, (_, i) => `a${(i * 7) % 50}`).join('\n');
    const t0 = performance.now();
    const hunks = lineDiff(a, b);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(applyHunks(a.split('\n'), hunks)).toEqual(b.split('\n'));
  }, 30_000);
});
