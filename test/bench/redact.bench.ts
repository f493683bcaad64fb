// Redaction (issue 8): what masking costs where values leave the store. Printed figures, not a test.
//   text view   — redactText of a 4 MB log whose every line has key=value pairs (a few hold secrets);
//                 target < 200 ms (the editor's largest text is 8 MB); baseline: one regex test per line
//   diff        — the 5,000-package lockfile diff with its chokepoint (every change redacted) against the
//                 engine alone (diffDependencyTexts); target: the lockfile diff stays < 100 ms
//   secretlint  — secretlint's rules run synchronously over the same log, for comparison with ours
//   hashes      — keyed fingerprints (HMAC-SHA256) and the tests' PBKDF2 (100k iterations, pure JS vs node)
import { pbkdf2Sync } from 'node:crypto';
import { diffDependencyTexts } from '../../shared/diff/deps';
import { diffArtifacts } from '../../shared/diff/index';
import { redactDiffResult } from '../../shared/diff/redactResult';
import { fingerprint, redactText, saltedHash } from '../../shared/redact/index';
import { secretlintHits } from '../../shared/redact/secretlint';
import { report, timeIt } from './util';

const part = (...p: string[]) => p.join('');
const lines: string[] = [];
for (let i = 0; i < 32_000; i++) {
  const secret = i % 997 === 0 ? ` token=${part('gh', 'p_')}${String(i).padStart(36, 'x')}` : '';
  lines.push(`2026-03-02T10:00:${String(i % 60).padStart(2, '0')}Z INFO request id=${i} user=svc-${i % 40} path=/v1/predict latency_ms=${i % 97} status=200 key=feature_${i}${secret}`);
}
const log = lines.join('\n');
let masked = '';
const ours = timeIt(() => (masked = redactText(log)));
const baseline = timeIt(() => {
  let n = 0;
  for (const l of log.split('\n')) if (/password|token|secret/i.test(l)) n++;
  return n;
});
console.log(`log: ${(log.length / 1048576).toFixed(1)} MB, ${lines.length} lines, ${(masked.match(/token=••••/g) ?? []).length} tokens masked`);
report('text view: redactText of the log', ours, '< 200 ms', 'one regex test per line', baseline);
report('secretlint rules (sync) over the log', timeIt(() => secretlintHits(log)), 'for comparison', 'ours (redactText)', ours);

function lock(n: number, bump: (i: number) => boolean): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = `1.${bump(i) ? 5 : 4}.${i % 10}`;
    const h = (k: number) => ((i * 2654435761 + k * 40503) >>> 0).toString(16).padStart(8, '0').repeat(8);
    out.push(
      `[[package]]\nname = "pkg-${i}"\nversion = "${v}"\ndescription = "package ${i}"\noptional = false\npython-versions = ">=3.8"\n` +
        `files = [\n    {file = "pkg_${i}-${v}-py3-none-any.whl", hash = "sha256:${h(1)}"},\n    {file = "pkg_${i}-${v}.tar.gz", hash = "sha256:${h(2)}"},\n]\n\n` +
        `[package.dependencies]\nnumpy = ">=1.22"\n`,
    );
  }
  return out.join('\n') + '\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.9"\ncontent-hash = "abc"\n';
}
const la = lock(5000, () => false);
const lb = lock(5000, (i) => i % 5 === 0);
const enc = new TextEncoder();
const ba = enc.encode(la);
const bb = enc.encode(lb);
let changes = 0;
const withChokepoint = timeIt(() => (changes = diffArtifacts({ name: 'poetry.lock', bytes: ba }, { name: 'poetry.lock', bytes: bb }).changes.length));
const engine = timeIt(() => diffDependencyTexts('poetry-lock', new TextDecoder().decode(ba), new TextDecoder().decode(bb)));
console.log(`lockfile diff: ${changes} changes`);
const raw = diffDependencyTexts('poetry-lock', la, lb);
const chokepoint = timeIt(() => redactDiffResult({ kind: raw.kind, changes: raw.changes, problems: raw.problems, noSemanticChange: raw.noSemanticChange }));
report('the chokepoint alone (redactDiffResult of those changes)', chokepoint, 'a small part of the diff', 'the engine alone', engine);
report('diff with the redaction chokepoint', withChokepoint, '< 100 ms', 'the engine alone (decoding, no redaction)', engine);

const values = Array.from({ length: 10_000 }, (_, i) => `value-${i}-${'x'.repeat(i % 40)}`);
const fp = timeIt(() => values.forEach((v) => fingerprint(v)));
console.log(`fingerprints: ${(fp / values.length * 1000).toFixed(1)} µs each (10,000 in ${fp.toFixed(1)} ms)`);
const js = timeIt(() => saltedHash('hunter2'), 3);
const native = timeIt(() => pbkdf2Sync('hunter2', 'salt-salt-salt-1', 100_000, 32, 'sha256'), 3);
report('salted hash for a test (PBKDF2 100k, @noble/hashes)', js, 'once per secret finding', "node's native pbkdf2Sync (what main uses)", native);
