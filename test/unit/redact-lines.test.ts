// The byte-level text diff redacts only the lines it shows. That is sound only when no redaction rule
// needs other lines: needsContext() says when one might, and the diff then redacts whole texts first.
import { describe, expect, it } from 'vitest';
import { mayHoldSecrets, needsContext, needsContextNarrow, redactDetailed, redactText } from '../../shared/redact/index';
import { corpusArtifacts, makeCorpus, notSecrets } from './secrets-corpus';

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

describe('mayHoldSecrets: one hint scan for many texts', () => {
  const c = makeCorpus();
  const lines = [...Object.values(corpusArtifacts(c)), ...Object.values(notSecrets())].flatMap((t) => t.split('\n'));
  it('marks every text that redaction changes, in random mixes with plain texts (6,000 texts)', () => {
    let seed = 23;
    const r = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let changed = 0;
    let unmarked = 0;
    for (let k = 0; k < 300; k++) {
      const texts = Array.from({ length: 20 }, () => {
        const x = r();
        // plain, a corpus line, several lines joined, a cut corpus line (a secret's tail or head alone), empty
        if (x < 0.4) return `step ${k} loss=${r().toFixed(4)} ${r().toString(36).slice(2)}`;
        if (x < 0.7) return lines[Math.floor(r() * lines.length)];
        if (x < 0.85) return [lines[Math.floor(r() * lines.length)], lines[Math.floor(r() * lines.length)]].join('\n');
        if (x < 0.95) {
          const l = lines[Math.floor(r() * lines.length)];
          const cut = Math.floor(r() * l.length);
          return r() < 0.5 ? l.slice(0, cut) : l.slice(cut);
        }
        return '';
      });
      const hint = mayHoldSecrets(texts);
      expect(hint).toHaveLength(texts.length);
      texts.forEach((t, i) => {
        const masked = redactDetailed(t, { fingerprints: true });
        if (masked.text !== t || masked.secrets.length) {
          changed++;
          expect(hint[i], t).toBe(true);
        } else if (!hint[i]) unmarked++;
      });
    }
    expect(changed).toBeGreaterThan(500);
    expect(unmarked).toBeGreaterThan(1000); // it does tell plain texts apart (else it saves nothing)
  });
  it('a hint that runs from one text into the next hides no hint in the next', () => {
    // "api" + separator + "key" matches the name hint across the boundary; the next text has its own secret.
    const texts = ['the api', `key=${c.awsSecret} password=${c.dbPassword}`, 'plain', `token: ${c.githubToken}`];
    const hint = mayHoldSecrets(texts);
    expect(hint[1]).toBe(true);
    expect(hint[2]).toBe(false);
    expect(hint[3]).toBe(true);
    expect(mayHoldSecrets([])).toEqual([]);
    expect(mayHoldSecrets(['', '', c.awsKeyId])).toEqual([false, false, true]);
  });
  it('the text diff masks a secret in a changed line among thousands of clean ones', async () => {
    const { diffArtifacts } = await import('../../shared/diff/index');
    const a = Array.from({ length: 5000 }, (_, i) => `row ${i} value=${(i * 7) % 101}`);
    const b = a.slice();
    b[1234] = `row 1234 password=${c.dbPassword}`;
    b[4321] = `row 4321 ${c.awsKeyId}`;
    const enc = (l: string[]) => new TextEncoder().encode(l.join('\n') + '\n');
    const r = diffArtifacts({ name: 'a.txt', bytes: enc(a) }, { name: 'b.txt', bytes: enc(b) }, { kind: 'text' });
    expect(r.changes).toHaveLength(2);
    const out = JSON.stringify(r);
    expect(out).not.toContain(c.dbPassword);
    expect(out).not.toContain(c.awsKeyId.slice(4));
    expect(out).toContain('row 1234 password=');
  });
});
