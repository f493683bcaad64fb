// The text-diff kernel's contextHint (wasm/textdiff.ts) finds exactly what the redaction's CONTEXT_HINT
// regex (needsContext, shared/redact/core.ts) finds in a one-character-per-byte view of the bytes: the
// byte path of a text diff uses it to decide whether the shown lines may be redacted one by one.
import { describe, expect, it } from 'vitest';
import { needsContext } from '../../shared/redact/index';
import { contextHintBytes, diffTextBytes } from '../../shared/diff/textbytes';
import { corpusArtifacts, makeCorpus, notSecrets } from './secrets-corpus';

const latin1 = new TextDecoder('latin1');
const enc = new TextEncoder();
/** What the diff did before: the regex on a latin1 view of the bytes. */
const byRegex = (b: Uint8Array) => needsContext(latin1.decode(b));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Pieces near the regex's alternatives (matches, near misses, prefixes cut short). */
const PIECES = [
  'PRIVATE KEY', 'PRIVATE KE', 'PRIVATEKEY', 'private key', 'A3TA', 'A3T9', 'A3Tz', 'A3T', 'A3', 'AKIA', 'AKI', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA',
  'ANVA', 'ASIA', 'ABIA', 'ACCA', 'ACC', 'AAKIA', 'name:', 'name =', 'name\t \t:', 'name', 'nam', 'Name:', 'name -', 'name \n:', 'Secret', 'Secre',
  'secret', 'SSecret', ':|', ': >', ':\t\t|', ': \n|', '::', ':', '>', '|', ' ', '\t', '\n', '\r\n', 'é', '\u00a0', '€', '\u0080', 'x', 'A', 'P', 'S', 'n',
];

function randomText(r: () => number): Uint8Array {
  const parts: string[] = [];
  const n = Math.floor(r() * 40);
  for (let i = 0; i < n; i++) {
    const x = r();
    if (x < 0.5) parts.push(PIECES[Math.floor(r() * PIECES.length)]);
    else if (x < 0.8) parts.push(Math.floor(r() * 1e9).toString(36));
    else parts.push(' '.repeat(Math.floor(r() * 20)));
  }
  return enc.encode(parts.join(''));
}

describe('contextHint (kernel) = CONTEXT_HINT (regex)', () => {
  it('agrees on the secrets corpus, its non-secrets and each of their lines', () => {
    for (let round = 0; round < 5; round++) {
      const texts = [...Object.values(corpusArtifacts(makeCorpus())), ...Object.values(notSecrets())];
      for (const t of texts) {
        for (const piece of [t, ...t.split('\n')]) {
          const b = enc.encode(piece);
          expect(contextHintBytes(b), JSON.stringify(piece.slice(0, 200))).toBe(byRegex(b));
        }
      }
    }
  });

  it('agrees on 20,000 random texts built from near misses, at every alignment', () => {
    const r = rng(14);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = randomText(r);
      const want = byRegex(b);
      if (want) hits++;
      expect(contextHintBytes(b), JSON.stringify(latin1.decode(b))).toBe(want);
    }
    expect(hits).toBeGreaterThan(2000); // both answers are well exercised
    expect(hits).toBeLessThan(19_000);
  });

  it('agrees on random bytes and at the 16-byte block edges', () => {
    const r = rng(7);
    for (let i = 0; i < 3000; i++) {
      const b = new Uint8Array(Math.floor(r() * 100));
      for (let j = 0; j < b.length; j++) b[j] = r() < 0.5 ? Math.floor(r() * 256) : 'PASn: \t|>AKI3TSecretname='.charCodeAt(Math.floor(r() * 26));
      expect(contextHintBytes(b)).toBe(byRegex(b));
    }
    for (const needle of ['PRIVATE KEY', 'A3TQ', 'ASIA', 'name\t=', 'Secret', ': |', ':>']) {
      for (let pad = 0; pad < 40; pad++) {
        const hit = enc.encode('x'.repeat(pad) + needle + 'y'.repeat(pad % 7));
        expect(contextHintBytes(hit)).toBe(true);
        // Cut short at the end of the buffer: no match past the last byte.
        const cut = enc.encode('x'.repeat(pad) + needle.slice(0, -1));
        expect(contextHintBytes(cut)).toBe(byRegex(cut));
      }
    }
    expect(contextHintBytes(new Uint8Array(0))).toBe(false);
  });

  it('diffTextBytes with unlessContext: null exactly when either side has a hint, else the same result', () => {
    const r = rng(99);
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const lines = (n: number) => Array.from({ length: n }, () => latin1.decode(randomText(r)).replace(/[^\x20-\x7e\n]/g, '').slice(0, 60));
      const a = lines(1 + Math.floor(r() * 3)).join('\n') + '\n';
      const b = a.split('\n').map((l) => (r() < 0.2 ? l + ' x' : l)).join('\n');
      const [ba, bb] = [enc.encode(a), enc.encode(b)];
      const hinted = byRegex(ba) || byRegex(bb);
      const got = diffTextBytes(ba, bb, { unlessContext: true });
      if (hinted) {
        refused++;
        expect(got).toBeNull();
      } else expect(got).toEqual(diffTextBytes(ba, bb));
    }
    expect(refused).toBeGreaterThan(100);
    expect(refused).toBeLessThan(2900);
  });

  it('is tied to the regex it mirrors: a change of CONTEXT_HINT must change the kernel too', async () => {
    const src = (await import('node:fs')).readFileSync(new URL('../../shared/redact/core.ts', import.meta.url), 'utf8');
    expect(src).toContain(String.raw`const CONTEXT_HINT = /PRIVATE KEY|A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|ABIA|ACCA|name[ \t]*[:=]|Secret|:[ \t]*[|>]/;`);
  });
});
