// Diff of two 5,000-package lockfiles (poetry.lock), target < 100 ms; baseline: TOML parse of both.
import { parse } from 'smol-toml';
import { diffArtifacts } from '../../shared/diff/index';
import { report, timeIt } from './util';

function lock(n: number, bump: (i: number) => boolean): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const minor = bump(i) ? 5 : 4;
    out.push(`[[package]]\nname = "pkg-${i}"\nversion = "1.${minor}.${i % 10}"\ndescription = "package ${i}"\noptional = false\npython-versions = ">=3.8"\n`);
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
console.log(`5000 packages each side, ${changes} changes reported`);
report('lockfile diff (poetry.lock)', ours, '< 100 ms', 'TOML parse of both files (smol-toml)', baseline);
