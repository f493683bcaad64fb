// The byte-level text diff redacts only the lines it shows. That is sound only when no redaction rule
// needs other lines: needsContext() says when one might, and the diff then redacts whole texts first.
import { describe, expect, it } from 'vitest';
import { needsContext, needsContextNarrow, redactText } from '../../shared/redact/index';
import { corpusArtifacts, makeCorpus } from './secrets-corpus';

const byLine = (t: string) => t.split('\n').map((l) => redactText(l, { fingerprints: true })).join('\n');

describe('line-by-line redaction equals whole-text redaction where no rule needs context', () => {
  const c = makeCorpus();
  const kinds = corpusArtifacts(c);
  it('for every corpus line mixed into plain lines, in random orders', () => {
    const lines = Object.values(kinds).flatMap((t) => t.split('\n'));
    let seed = 11;
    const r = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let compared = 0;
    for (let k = 0; k < 200; k++) {
      const pick = Array.from({ length: 12 }, () => (r() < 0.5 ? lines[Math.floor(r() * lines.length)] : `step ${k} loss=${r().toFixed(4)} ok`));
      const t = pick.join('\n');
      if (needsContext(t)) continue;
      compared++;
      expect(byLine(t)).toBe(redactText(t, { fingerprints: true }));
    }
    expect(compared).toBeGreaterThan(20);
  });
  it('also where only the narrowed block-scalar hint rules context out (version ranges, ": >" inside a line)', () => {
    const lines = Object.values(kinds).flatMap((t) => t.split('\n'));
    const scalarish = ['supported Python versions changed: >=3.8,<3.12 → >=3.9,<3.13', 'token: >=2', 'password: |x', 'api_key: > not a block', 'secret_key:| inline'];
    let seed = 5;
    const r = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let compared = 0;
    let narrowed = 0;
    for (let k = 0; k < 400; k++) {
      const pick = Array.from({ length: 12 }, () => (r() < 0.4 ? lines[Math.floor(r() * lines.length)] : r() < 0.5 ? scalarish[Math.floor(r() * scalarish.length)] : `  indented ${k} value${r().toFixed(3)}`));
      const t = pick.join('\n');
      if (needsContextNarrow(t)) continue;
      compared++;
      if (needsContext(t)) narrowed++;
      expect(byLine(t), t).toBe(redactText(t, { fingerprints: true }));
    }
    expect(compared).toBeGreaterThan(20);
    expect(narrowed).toBeGreaterThan(20);
    for (const t of ['password: |\n  hunter2hunter2\n', 'token: >-\n  abc\n', 'secret:= |2 # block\r\n  x', 'api_key: |']) expect(needsContextNarrow(t), t).toBe(true);
    expect(needsContextNarrow('supported Python versions changed: >=3.8,<3.12 → >=3.9,<3.13\n')).toBe(false);
  });
  it('says a text needs context for each rule that reads across lines', () => {
    expect(needsContext(kinds['k8s-secret'])).toBe(true); // kind: Secret data
    expect(needsContext(kinds['k8s-manifest'])).toBe(true); // - name: / value:
    expect(needsContext('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n')).toBe(true);
    expect(needsContext('password: |\n  hunter2hunter2\n')).toBe(true);
    expect(needsContext('step 1 loss=0.25\nstep 2 loss=0.21\n')).toBe(false);
  });
  it('a PEM body shown without its BEGIN line is masked by the diff (whole-text path)', async () => {
    const { diffArtifacts } = await import('../../shared/diff/index');
    const pem = kinds.text.split('\n').filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l));
    expect(pem.length).toBeGreaterThan(0);
    const before = new TextEncoder().encode(kinds.text);
    const after = new TextEncoder().encode(kinds.text.replace(pem[0], pem[0].split('').reverse().join('')));
    const out = JSON.stringify(diffArtifacts({ name: 'a.txt', bytes: before }, { name: 'b.txt', bytes: after }));
    for (const l of pem) expect(out).not.toContain(l.slice(0, 24));
  });
});
