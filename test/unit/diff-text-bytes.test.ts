// The byte-level text diff (what `pmw diff --kind text` and the app use for plain text) gives exactly
// the result of the string engine on the decoded texts, on inputs built to find differences: repeated
// lines, mixed and CR-only line endings, byte-order marks, multi-byte and invalid UTF-8, empty files.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../shared/diff/detect';
import { sortChanges } from '../../shared/diff/dispatch';
import { diffArtifacts, diffPlacedTextArtifacts, placeTextPair } from '../../shared/diff/index';
import { diffText } from '../../shared/diff/text';
import { bomChange, diffTextBytes, indexByteLines, internByteLines, sameBytes } from '../../shared/diff/textbytes';
import type { DiffResult } from '../../shared/diff/types';
import { indexLines } from '../../shared/diff/text';
import { makeCorpus } from './secrets-corpus';

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 4294967296;
  };
}

const enc = new TextEncoder();
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** What the text diff gave before the byte path: decode both sides, diffText, BOM note, sorted. */
function reference(a: Uint8Array, b: Uint8Array): DiffResult {
  const da = decodeText(a);
  const db = decodeText(b);
  const r = diffText(da.text, db.text, { kind: 'text' });
  const bom = bomChange(da.bom, db.bom);
  const changes = bom ? [bom, ...r.changes] : r.changes;
  return { kind: 'text', changes: sortChanges(changes), problems: [...da.problems.map((p) => ({ ...p, side: 'before' })), ...db.problems.map((p) => ({ ...p, side: 'after' }))], noSemanticChange: r.noSemanticChange } as DiffResult;
}

const POOL = ['', ' ', '{', '}', 'x', 'x ', ' x', 'é', 'e\u0301', '数据', '🚀', 'abc', 'abcd', 'abcde', 'abcdefgh', '\t', 'a\rb', 'tail\r'];
const EOLS = ['\n', '\r\n'];

function randomText(r: () => number, base?: string[]): string[] {
  const lines = base ? base.slice() : Array.from({ length: Math.floor(r() * 40) }, () => POOL[Math.floor(r() * POOL.length)]);
  if (base) {
    const edits = Math.floor(r() * 8);
    for (let k = 0; k < edits; k++) {
      const i = Math.floor(r() * (lines.length + 1));
      const op = r();
      if (op < 0.35) lines.splice(i, 0, POOL[Math.floor(r() * POOL.length)]);
      else if (op < 0.6) lines.splice(i, 1);
      else if (i < lines.length) lines[i] = POOL[Math.floor(r() * POOL.length)];
    }
  }
  return lines;
}

function render(r: () => number, lines: string[], mixed: boolean): string {
  const eol = EOLS[Math.floor(r() * 2)];
  let s = '';
  for (let i = 0; i < lines.length; i++) s += lines[i] + (i < lines.length - 1 || r() < 0.7 ? (mixed && r() < 0.3 ? EOLS[Math.floor(r() * 2)] : eol) : '');
  return s;
}

describe('byte-level text diff equals the string engine', () => {
  it('on random texts with repeated lines, mixed endings, BOMs and Unicode', () => {
    const r = rng(11);
    let fast = 0;
    for (let t = 0; t < 1500; t++) {
      const la = randomText(r);
      const lb = randomText(r, la);
      const mixed = r() < 0.3;
      let a = enc.encode(render(r, la, mixed));
      let b = enc.encode(render(r, lb, mixed));
      const bom = enc.encode('\uFEFF');
      if (r() < 0.15) a = cat(bom, a);
      if (r() < 0.15) b = cat(bom, b);
      // Misaligned views: the word-at-a-time paths must not assume offset 0.
      const off = Math.floor(r() * 4);
      const va = cat(new Uint8Array(off), a).subarray(off);
      const got = diffArtifacts({ name: 'a.txt', bytes: va }, { name: 'b.txt', bytes: b }, { kind: 'text' });
      expect(got).toEqual(reference(a, b));
      if (diffTextBytes(va, b)) fast++;
    }
    expect(fast).toBeGreaterThan(1000); // the byte path ran, not only the fallback
  });

  it('indexes lines like indexLines, and interns equal lines to equal ids', () => {
    const r = rng(3);
    for (let t = 0; t < 400; t++) {
      const text = render(r, randomText(r), true);
      const bytes = enc.encode(text);
      const ix = indexByteLines(bytes);
      const sx = indexLines(text);
      if (sx.eol === 'CR') {
        expect(ix).toBeNull(); // CR-only: left to the string engine
        continue;
      }
      if (!ix) throw new Error(`not indexed: ${JSON.stringify(text)}`);
      expect({ count: ix.count, eol: ix.eol, finalNewline: ix.finalNewline }).toEqual({ count: sx.count, eol: sx.eol, finalNewline: sx.finalNewline });
      const dec = new TextDecoder();
      for (let k = 0; k < ix.count; k++) expect(dec.decode(bytes.subarray(ix.starts[k], ix.ends[k]))).toBe(text.slice(sx.starts[k], sx.ends[k]));
      const other = enc.encode(render(r, randomText(r, randomText(r)), true));
      const io = indexByteLines(other);
      if (!io) continue;
      const [A, B] = internByteLines(bytes, other)!;
      const lineStr = (ixx: NonNullable<typeof ix>, k: number) => dec.decode(ixx.bytes.subarray(ixx.starts[k], ixx.ends[k]));
      const idOf = new Map<string, number>();
      const textOf = new Map<number, string>();
      const check = (id: number, line: string) => {
        expect(idOf.get(line) ?? id).toBe(id);
        expect(textOf.get(id) ?? line).toBe(line);
        idOf.set(line, id);
        textOf.set(id, line);
      };
      for (let k = 0; k < ix.count; k++) check(A[k], lineStr(ix, k));
      for (let k = 0; k < io.count; k++) check(B[k], lineStr(io, k));
    }
  });

  it('leaves UTF-16, invalid UTF-8 and CR-only text to the decoding path, with the same result', () => {
    const cases: [Uint8Array, Uint8Array][] = [
      [new Uint8Array([0xff, 0xfe, 0x61, 0, 0x0a, 0]), new Uint8Array([0xff, 0xfe, 0x62, 0, 0x0a, 0])],
      [enc.encode('ok\nbad \xff\n'.replace('\xff', '')), cat(enc.encode('ok\nbad '), new Uint8Array([0xfe]), enc.encode('\n'))],
      // two different invalid bytes decode to the same U+FFFD: equal lines for the string engine
      [cat(enc.encode('a\n'), new Uint8Array([0xff]), enc.encode('\nc\n')), cat(enc.encode('a\n'), new Uint8Array([0xfe]), enc.encode('\nC\n'))],
      [enc.encode('one\rtwo\r'), enc.encode('one\rTWO\r')],
    ];
    for (const [a, b] of cases) {
      expect(diffTextBytes(a, b)).toBeNull();
      const got = diffArtifacts({ name: 'a.txt', bytes: a }, { name: 'b.txt', bytes: b }, { kind: 'text' });
      expect(got).toEqual(reference(a, b));
    }
  });

  it('edge cases: empty files, only newlines, a lone "\\r" at the end, identical bodies behind a BOM', () => {
    const texts = ['', '\n', '\n\n', '\r\n', 'a', 'a\r', 'a\r\n', '\r', 'x\n\r', '\uFEFFa\n', 'a\n'];
    for (const x of texts)
      for (const y of texts) {
        const a = enc.encode(x);
        const b = enc.encode(y);
        if (sameBytes(a, b)) continue;
        expect(diffArtifacts({ name: 'a', bytes: a }, { name: 'b', bytes: b }, { kind: 'text' })).toEqual(reference(a, b));
      }
  });
});

describe('a pair read straight into the kernel (placeTextPair, what `pmw diff` does for plain text)', () => {
  const pem = makeCorpus().pem; // a PEM block built at run time (secrets-corpus)
  const placed = (a: Uint8Array, b: Uint8Array) => placeTextPair(a.length, b.length, (side, into) => into.set(side === 0 ? a : b))!;
  it('gives diffArtifacts’ result, or null where the byte path does not apply (then its bytes are intact)', () => {
    const r = rng(29);
    let fast = 0;
    const cases: [Uint8Array, Uint8Array][] = [
      [new Uint8Array([0xff, 0xfe, 0x61, 0, 0x0a, 0]), new Uint8Array([0xff, 0xfe, 0x62, 0, 0x0a, 0])],
      [cat(enc.encode('a\n'), new Uint8Array([0xff]), enc.encode('\nc\n')), cat(enc.encode('a\n'), new Uint8Array([0xfe]), enc.encode('\nC\n'))],
      [enc.encode('one\rtwo\r'), enc.encode('one\rTWO\r')],
      [enc.encode(pem + '\nabc\n'), enc.encode(pem + '\nabd\n')],
      [enc.encode('same\n'), enc.encode('same\n')],
      [enc.encode(''), enc.encode('x')],
    ];
    for (let t = 0; t < 400; t++) {
      const la = randomText(r);
      let a = enc.encode(render(r, la, r() < 0.3));
      if (r() < 0.2) a = cat(enc.encode('\uFEFF'), a);
      cases.push([a, enc.encode(render(r, randomText(r, la), r() < 0.3))]);
    }
    for (const [a, b] of cases) {
      const want = diffArtifacts({ name: 'a.txt', bytes: a }, { name: 'b.txt', bytes: b }, { kind: 'text' });
      const pair = placed(a, b);
      const got = diffPlacedTextArtifacts(pair);
      if (got) {
        fast++;
        expect(got).toEqual(want);
      }
      const [pa, pb] = pair.bytes(); // still the files' bytes, after the kernel's work
      expect(sameBytes(pa, a) && sameBytes(pb, b)).toBe(true);
      if (!got) expect(diffArtifacts({ name: 'a.txt', bytes: pa.slice() }, { name: 'b.txt', bytes: pb.slice() }, { kind: 'text' })).toEqual(want);
    }
    expect(fast).toBeGreaterThan(300);
    expect(diffPlacedTextArtifacts(placed(cases[0][0], cases[0][1]))).toBeNull(); // UTF-16
    expect(diffPlacedTextArtifacts(placed(cases[3][0], cases[3][1]))).toBeNull(); // a PEM block: masked whole first
  });
  it('passes on what the reader throws, and refuses pairs past the kernel’s limit', () => {
    expect(() => placeTextPair(3, 3, () => { throw new Error('EACCES'); })).toThrow('EACCES');
    expect(placeTextPair(1 << 29, (1 << 29) + 1, () => { throw new Error('not read'); })).toBeNull();
  });
});

describe('the WebAssembly kernel', () => {
  it('gives the string engine’s result on a pathological pair (repeated lines, many paths)', () => {
    const a = enc.encode(Array.from({ length: 12000 }, (_, i) => `a${i % 50}`).join('\n'));
    const b = enc.encode(Array.from({ length: 12000 }, (_, i) => `a${(i * 7) % 50}`).join('\n'));
    expect(diffTextBytes(a, b)).not.toBeNull();
    expect(diffArtifacts({ name: 'a', bytes: a }, { name: 'b', bytes: b }, { kind: 'text' })).toEqual(reference(a, b));
  }, 60_000);

  it('is the compiled wasm/textdiff.ts (shared/diff/textwasm.generated.ts is up to date)', () => {
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-wasm.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);
});
