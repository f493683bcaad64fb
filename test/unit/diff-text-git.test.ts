// The text diff against real `git diff --no-index -U0` on generated files: the same hunks (positions
// and line contents), for LF and CRLF files, files without a final newline, and Unicode content —
// through the same entry point `pmw diff --kind text` uses (diffArtifacts on bytes).
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffArtifacts } from '../../shared/diff/index';
import type { Change } from '../../shared/diff/types';
import { lineDiff, type Hunk } from '../../shared/diff/text';
import { tempDir } from './helpers';

const gitOk = spawnSync('git', ['--version']).status === 0;
if (!gitOk) console.warn('diff-text-git: git is not on PATH; these tests are skipped');

interface GitHunk {
  beforeStart: number;
  beforeCount: number;
  afterStart: number;
  afterCount: number;
  removed: string[];
  added: string[];
}

const dec = new TextDecoder();

/** Hunks of `git diff --no-index -U0` (plain Myers, no user/system config), in our Hunk convention. */
function gitHunks(dir: string, a: Uint8Array, b: Uint8Array): GitHunk[] {
  const fa = join(dir, 'a.txt');
  const fb = join(dir, 'b.txt');
  writeFileSync(fa, a);
  writeFileSync(fb, b);
  let out: Buffer;
  try {
    out = execFileSync('git', ['-c', 'diff.algorithm=myers', 'diff', '--no-index', '--no-color', '--no-ext-diff', '-U0', fa, fb], {
      maxBuffer: 1 << 28,
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
  } catch (e) {
    const r = e as { status?: number; stdout?: Buffer };
    if (r.status !== 1 || !r.stdout) throw e; // 1 = files differ
    out = r.stdout;
  }
  const hunks: GitHunk[] = [];
  let cur: GitHunk | null = null;
  let start = 0;
  for (let i = 0; i <= out.length; i++) {
    if (i < out.length && out[i] !== 10) continue;
    let line = dec.decode(out.subarray(start, i));
    start = i + 1;
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (m) {
      const bc = m[2] === undefined ? 1 : Number(m[2]);
      const ac = m[4] === undefined ? 1 : Number(m[4]);
      // git names the line *before* an insertion/removal point; we name the line it precedes.
      cur = { beforeStart: Number(m[1]) + (bc === 0 ? 1 : 0), beforeCount: bc, afterStart: Number(m[3]) + (ac === 0 ? 1 : 0), afterCount: ac, removed: [], added: [] };
      hunks.push(cur);
      continue;
    }
    if (!cur || line.startsWith('\\')) continue; // headers; "\ No newline at end of file"
    if (line.endsWith('\r')) line = line.slice(0, -1); // CRLF files: we report line endings apart
    if (line[0] === '-') cur.removed.push(line.slice(1));
    else if (line[0] === '+') cur.added.push(line.slice(1));
  }
  return hunks;
}

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 4294967296;
  };
}

const ASCII_WORDS = ['loss', 'lr', 'batch', 'token'];
const WORDS = ['loss', 'épochs', 'données', '数据集', 'модель', 'lr', 'batch', 'κ', '🚀 deploy', 'naïve', 'token', 'e\u0301'];

/** Generated lines, unique per file (like logs, configs, CSV rows), some with non-ASCII text. */
function makeLines(r: () => number, n: number, unicode: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const w = unicode ? WORDS[Math.floor(r() * WORDS.length)] : ASCII_WORDS[Math.floor(r() * ASCII_WORDS.length)];
    out.push(`${i.toString(36)} ${w}=${(r() * 1000).toFixed(3)}${r() < 0.1 ? '\t# note' : ''}`);
  }
  return out;
}

/** ~rate of lines changed, removed, or new lines inserted; runs of several lines too. */
function edit(r: () => number, a: string[], rate: number): string[] {
  const b: string[] = [];
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    const x = r();
    if (x < rate / 2) b.push(`${a[i]} changed`);
    else if (x < (rate * 3) / 4) continue;
    else if (x < rate) b.push(`inserted ${k++} ✓`, a[i]);
    else if (x < rate * 1.05) {
      // a block: three lines replaced by two
      b.push(`block ${k++} a`, `block ${k++} b`);
      i += 2;
    } else b.push(a[i]);
  }
  return b;
}

const enc = new TextEncoder();
function file(lines: string[], eol: '\n' | '\r\n', finalNewline: boolean): Uint8Array {
  return enc.encode(lines.join(eol) + (finalNewline && lines.length ? eol : ''));
}

const hunkOf = (h: Hunk): GitHunk => ({ beforeStart: h.beforeStart, beforeCount: h.beforeCount, afterStart: h.afterStart, afterCount: h.afterCount, removed: h.removed, added: h.added });

/** What `pmw diff` prints for a hunk: its position (the changes sort by position, after the EOL notes). */
function positions(changes: Change[]): string[] {
  return changes.filter((c) => c.kind.startsWith('text.') && c.kind !== 'text.line-endings' && c.kind !== 'text.final-newline' && c.kind !== 'text.truncated').map((c) => `${c.lineBefore}/${c.lineAfter}`);
}
const gitPositions = (hs: GitHunk[]) => hs.map((h) => `${Math.max(1, h.beforeStart)}/${Math.max(1, h.afterStart)}`);

describe.skipIf(!gitOk)('text diff hunks equal git diff --no-index', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(() => {
    t = tempDir('pmw-gitdiff-');
  });
  afterAll(() => t.cleanup());

  const cases: { name: string; eol: '\n' | '\r\n'; finalA: boolean; finalB: boolean; unicode: boolean; n: number; rate: number }[] = [
    { name: 'LF, ASCII', eol: '\n', finalA: true, finalB: true, unicode: false, n: 3000, rate: 0.01 },
    { name: 'LF, Unicode', eol: '\n', finalA: true, finalB: true, unicode: true, n: 3000, rate: 0.03 },
    { name: 'CRLF, Unicode', eol: '\r\n', finalA: true, finalB: true, unicode: true, n: 3000, rate: 0.02 },
    { name: 'no final newline on either side', eol: '\n', finalA: false, finalB: false, unicode: true, n: 2000, rate: 0.02 },
    { name: 'CRLF, no final newline', eol: '\r\n', finalA: false, finalB: false, unicode: false, n: 2000, rate: 0.05 },
    { name: 'short files, heavy edits', eol: '\n', finalA: true, finalB: true, unicode: true, n: 40, rate: 0.3 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      for (let seed = 1; seed <= 3; seed++) {
        const r = rng(seed * 7919 + c.n);
        const a = makeLines(r, c.n, c.unicode);
        const b = edit(r, a, c.rate);
        if (seed === 1) b[0] = `${b[0]} first`; // edits at both ends
        if (seed === 2) b[b.length - 1] = `${b[b.length - 1]} last`;
        const A = file(a, c.eol, c.finalA);
        const B = file(b, c.eol, c.finalB);
        const git = gitHunks(t.dir, A, B);
        expect(git.length).toBeGreaterThan(0);
        expect(lineDiff(dec.decode(A), dec.decode(B)).map(hunkOf)).toEqual(git);
        const r2 = diffArtifacts({ name: 'a.txt', bytes: A }, { name: 'b.txt', bytes: B }, { kind: 'text' });
        expect(positions(r2.changes)).toEqual(gitPositions(git));
        expect(r2.changes.some((x) => x.kind === 'text.line-endings' || x.kind === 'text.final-newline')).toBe(false);
      }
    });
  }

  it('a final newline added: one final-newline change, other hunks as git shows them with both ends terminated', () => {
    const r = rng(99);
    const a = makeLines(r, 1500, true);
    const b = edit(r, a, 0.02);
    const A = file(a, '\n', false);
    const B = file(b, '\n', true);
    const res = diffArtifacts({ name: 'a.txt', bytes: A }, { name: 'b.txt', bytes: B }, { kind: 'text' });
    expect(res.changes.filter((x) => x.kind === 'text.final-newline').map((x) => x.message)).toEqual(['newline added at end of file']);
    expect(positions(res.changes)).toEqual(gitPositions(gitHunks(t.dir, file(a, '\n', true), B)));
  });

  it('more changed blocks than the cap: the first ones as git lists them, then the truncation marker', () => {
    const r = rng(5);
    const a = makeLines(r, 24_000, false);
    const b = edit(r, a, 0.5);
    const A = file(a, '\n', true);
    const B = file(b, '\n', true);
    const git = gitHunks(t.dir, A, B);
    expect(git.length).toBeGreaterThan(5000);
    const res = diffArtifacts({ name: 'a.txt', bytes: A }, { name: 'b.txt', bytes: B }, { kind: 'text' });
    expect(res.changes).toHaveLength(5001);
    expect(positions(res.changes)).toEqual(gitPositions(git.slice(0, 5000)));
    const last = res.changes[res.changes.length - 1];
    expect(last).toMatchObject({ kind: 'text.truncated', message: `${git.length - 5000} more changed blocks not listed`, params: { totalHunks: git.length } });
  });
});
