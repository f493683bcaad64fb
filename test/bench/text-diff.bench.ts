// Text diff of two 100k-line files with 1% of lines changed, against `git diff --no-index`.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffText } from '../../shared/diff/text';
import { report, timeCommand, timeIt } from './util';

const N = 100_000;
const a: string[] = [];
const b: string[] = [];
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
for (let i = 0; i < N; i++) {
  const line = `${i.toString(36)} feature_${i % 200}=${(rnd() * 1000).toFixed(3)} ${rnd().toString(36).slice(2, 10)}`;
  a.push(line);
  b.push(rnd() < 0.01 ? `${line} changed` : line);
}
const ta = a.join('\n') + '\n';
const tb = b.join('\n') + '\n';
const dir = mkdtempSync(join(tmpdir(), 'pmw-bench-'));
const fa = join(dir, 'a.txt');
const fb = join(dir, 'b.txt');
writeFileSync(fa, ta);
writeFileSync(fb, tb);
try {
  let changes = 0;
  const ours = timeIt(() => {
    changes = diffText(ta, tb).changes.length;
  });
  const git = timeCommand('git', ['diff', '--no-index', '--no-color', fa, fb]);
  console.log(`${N} lines, ${changes} changes reported`);
  report('text diff (diffText)', ours, '≤ 3× git', 'git diff --no-index', git);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
