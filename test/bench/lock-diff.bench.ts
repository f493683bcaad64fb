// Diff of two 5,000-package lockfiles (poetry.lock), target < 100 ms; baseline: TOML parse of both.
import { parse } from 'smol-toml';
import { diffArtifacts } from '../../shared/diff/index';
import { report, timeIt } from './util';

function lock(n: number, bump: (i: number) => boolean): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const minor = bump(i) ? 5 : 4;
    const v = `1.${minor}.${i % 10}`;
    // Shaped like a real poetry.lock entry (wheel + sdist hashes): real 5,000-package locks are ~4 MB.
    const h = (k: number) => ((i * 2654435761 + k * 40503) >>> 0).toString(16).padStart(8, '0').repeat(8);
    out.push(
      `[[package]]\nname = "pkg-${i}"\nversion = "${v}"\ndescription = "package ${i}"\noptional = false\npython-versions = ">=3.8"\n` +
        `files = [\n    {file = "pkg_${i}-${v}-py3-none-any.whl", hash = "sha256:${h(1)}"},\n    {file = "pkg_${i}-${v}.tar.gz", hash = "sha256:${h(2)}"},\n]\n\n` +
        `[package.dependencies]\nnumpy = ">=1.22"\n`,
    );
  }
  return out.join('\n') + '\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.9"\ncontent-hash = "abc"\n';
}
const enc = new TextEncoder();
const a = enc.encode(lock(5000, () => false));
const b = enc.encode(lock(5000, (i) => i % 50 === 0));
let changes = 0;
const ours = timeIt(() => {
  changes = diffArtifacts({ name: 'poetry.lock', bytes: a }, { name: 'poetry.lock', bytes: b }).changes.length;
});
const td = new TextDecoder();
const baseline = timeIt(() => {
  parse(td.decode(a));
  parse(td.decode(b));
});
console.log(`5000 packages each side (${(a.length / 1048576).toFixed(1)} MB + ${(b.length / 1048576).toFixed(1)} MB), ${changes} changes reported`);
report('lockfile diff (poetry.lock)', ours, '< 100 ms', 'TOML parse of both files (smol-toml)', baseline);
