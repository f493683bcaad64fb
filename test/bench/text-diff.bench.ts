// Text diff, whole process: `pmw diff --kind text A B` against `git diff --no-index A B` at 100k, 400k
// and 1M lines with 1% of lines changed (target ≤ 1.5× git), alternating runs, medians. Also the
// engine alone in this process (diffArtifacts on the bytes), for where the time goes. Where
// NODE_EXTRA_CA_CERTS is set (see WITHOUT_EXTRA_CA), pmw and node also run without it: git does not
// read it, and Node parses it before pmw's first line runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffArtifacts } from '../../shared/diff/index';
import { WITHOUT_EXTRA_CA, benchTempDir, compareCommands, pmwLayouts, rng, row, spread, timeIt } from './util';

const SIZES = [100_000, 400_000, 1_000_000];
/** Alternating runs per size (more where a run is short and noise weighs more). */
const RUNS: Record<number, number> = { 100_000: 11, 400_000: 7, 1_000_000: 5 };

/** Lines shaped like a log or CSV export: an id, a feature, a value, a token; 1% get " changed". */
function generate(n: number, seed: number): [string, string] {
  const r = rng(seed);
  const a: string[] = new Array(n);
  const b: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const line = `${i.toString(36)} feature_${i % 200}=${(r() * 1000).toFixed(3)} ${r().toString(36).slice(2, 10)}`;
    a[i] = line;
    b[i] = r() < 0.01 ? `${line} changed` : line;
  }
  return [a.join('\n') + '\n', b.join('\n') + '\n'];
}

const tmp = benchTempDir('pmw-bench-text-');
const pmw = pmwLayouts();
const tinyA = join(tmp.dir, 'tiny-a.txt');
const tinyB = join(tmp.dir, 'tiny-b.txt');
writeFileSync(tinyA, 'alpha\n');
writeFileSync(tinyB, 'beta\n');
for (const n of SIZES) {
  const [ta, tb] = generate(n, n);
  const fa = join(tmp.dir, `a-${n}.txt`);
  const fb = join(tmp.dir, `b-${n}.txt`);
  writeFileSync(fa, ta);
  writeFileSync(fb, tb);
  const ba = new Uint8Array(readFileSync(fa));
  const bb = new Uint8Array(readFileSync(fb));
  let changes = 0;
  const engine = timeIt(() => {
    changes = diffArtifacts({ name: 'a.txt', bytes: ba }, { name: 'b.txt', bytes: bb }, { kind: 'text' }).changes.length;
  }, 3);
  // The smallest size also times the fixed cost: node alone, and pmw diff of two 1-line files.
  const startup = n === SIZES[0];
  const t = compareCommands(
    [
      { name: 'git', cmd: 'git', args: ['diff', '--no-index', '--no-color', fa, fb], ok: [1] },
      { name: 'installed', cmd: process.execPath, args: [...pmw.installed, 'diff', '--kind', 'text', fa, fb], ok: [0] },
      ...(WITHOUT_EXTRA_CA ? [{ name: 'installed-noca', cmd: process.execPath, args: [...pmw.installed, 'diff', '--kind', 'text', fa, fb], ok: [0], env: WITHOUT_EXTRA_CA }] : []),
      ...(startup && WITHOUT_EXTRA_CA
        ? [
            { name: 'node-noca', cmd: process.execPath, args: ['-e', '0'], env: WITHOUT_EXTRA_CA },
            { name: 'tiny-noca', cmd: process.execPath, args: [...pmw.installed, 'diff', '--kind', 'text', tinyA, tinyB], env: WITHOUT_EXTRA_CA },
          ]
        : []),
      ...(startup
        ? [
            { name: 'node', cmd: process.execPath, args: ['-e', '0'] },
            { name: 'tiny', cmd: process.execPath, args: [...pmw.installed, 'diff', '--kind', 'text', tinyA, tinyB] },
          ]
        : []),
    ],
    { runs: RUNS[n] ?? 5 },
  );
  const label = n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`;
  console.log(`${label} lines (${(ba.length / 1048576).toFixed(1)} MB + ${(bb.length / 1048576).toFixed(1)} MB), ${changes} changes listed`);
  const git = { baseline: 'git diff --no-index', baselineValue: t.git.ms, load: t.git.load };
  row({ figure: `text diff ${label} lines, pmw diff (installed), whole process`, value: t.installed.ms, ...git, target: { ratio: 1.5 }, note: `pmw ${spread(t.installed)}; git ${spread(t.git)}` });
  if (WITHOUT_EXTRA_CA)
    row({ figure: `text diff ${label} lines, pmw diff (installed), whole process, NODE_EXTRA_CA_CERTS unset`, value: t['installed-noca'].ms, ...git, target: { ratio: 1.5 }, note: `pmw ${spread(t['installed-noca'])}` });
  row({ figure: `text diff ${label} lines, engine only (in process)`, value: engine, ...git });
  if (startup) {
    row({ figure: 'pmw diff of two 1-line files (installed): the fixed cost', value: t.tiny.ms, baseline: 'node -e 0', baselineValue: t.node.ms, load: t.node.load });
    row({ figure: `text diff ${label}: fixed cost's share of pmw diff (installed)`, value: t.tiny.ms, baseline: `pmw diff ${label} (installed)`, baselineValue: t.installed.ms, load: t.node.load });
    if (WITHOUT_EXTRA_CA) {
      row({ figure: 'node -e 0 as this environment starts it (NODE_EXTRA_CA_CERTS set)', value: t.node.ms, baseline: 'node -e 0, NODE_EXTRA_CA_CERTS unset', baselineValue: t['node-noca'].ms, load: t.node.load });
      row({ figure: 'pmw diff of two 1-line files, NODE_EXTRA_CA_CERTS unset', value: t['tiny-noca'].ms, baseline: 'node -e 0, NODE_EXTRA_CA_CERTS unset', baselineValue: t['node-noca'].ms, load: t.node.load });
    }
  }
}
tmp.cleanup();
