// CLI start-up, whole process, against a bare `node -e 0`: `pmw --version` and `pmw diff` of two tiny
// files, in a source checkout (bin/pmw.cjs runs the stale-build check first) and laid out as installed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchTempDir, compareCommands, pmwLayouts, row } from './util';

const tmp = benchTempDir('pmw-bench-startup-');
const pmw = pmwLayouts();
const fa = join(tmp.dir, 'a.txt');
const fb = join(tmp.dir, 'b.txt');
writeFileSync(fa, 'alpha\nbeta\n');
writeFileSync(fb, 'alpha\ngamma\n');
const node = process.execPath;
const t = compareCommands(
  [
    { name: 'node', cmd: node, args: ['-e', '0'] },
    { name: 'version-installed', cmd: node, args: [...pmw.installed, '--version'] },
    { name: 'version-checkout', cmd: node, args: [...pmw.checkout, '--version'] },
    { name: 'diff-installed', cmd: node, args: [...pmw.installed, 'diff', fa, fb] },
  ],
  { runs: 9 },
);
const base = { baseline: 'node -e 0', baselineValue: t.node.ms, load: t.node.load };
row({ figure: 'pmw --version (installed)', value: t['version-installed'].ms, ...base, target: { ratio: 2 } });
row({ figure: 'pmw --version (checkout: + build check)', value: t['version-checkout'].ms, ...base });
row({ figure: 'pmw diff of two tiny files (installed)', value: t['diff-installed'].ms, ...base, target: { ratio: 2 } });
tmp.cleanup();
