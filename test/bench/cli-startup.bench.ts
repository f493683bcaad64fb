// CLI start-up, whole process, against a bare `node -e 0` measured in the same run (alternating runs,
// medians): `pmw --help`, `pmw incident show KEY` (opens a database) and `pmw diff` of two tiny files,
// laid out as installed (issue 14: each within 2× of node -e 0). The V8 code cache (bin/compile-cache.cjs)
// lives in the bench's temp dir; the warm-up run fills it, as a user's first run does. One more row
// shows `incident show` with the cache off (PMW_COMPILE_CACHE=0): what a first run costs. Where
// NODE_EXTRA_CA_CERTS is set (WITHOUT_EXTRA_CA), the three also run, with node, without it: Node parses
// that file at every start, which inflates node -e 0 as much as pmw.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WITHOUT_EXTRA_CA, benchTempDir, compareCommands, pmwLayouts, row, spread } from './util';

const tmp = benchTempDir('pmw-bench-startup-');
process.env.PMW_COMPILE_CACHE = join(tmp.dir, 'v8-cache');
const pmw = pmwLayouts();
const fa = join(tmp.dir, 'a.txt');
const fb = join(tmp.dir, 'b.txt');
writeFileSync(fa, 'alpha\nbeta\n');
writeFileSync(fb, 'alpha\ngamma\n');
const db = join(tmp.dir, 'bench.db');
const node = process.execPath;
const key = (JSON.parse(execFileSync(node, [...pmw.installed, 'incident', 'new', '--db', db, '--json', '--title', 'Start-up bench', '--severity', 'SEV3', '--class', 'data'], { encoding: 'utf8' })) as { key: string }).key;
const t = compareCommands(
  [
    { name: 'node', cmd: node, args: ['-e', '0'] },
    { name: 'help', cmd: node, args: [...pmw.installed, '--help'] },
    { name: 'show', cmd: node, args: [...pmw.installed, 'incident', 'show', key, '--db', db] },
    { name: 'diff', cmd: node, args: [...pmw.installed, 'diff', fa, fb] },
    { name: 'show-nocache', cmd: '/usr/bin/env', args: ['PMW_COMPILE_CACHE=0', node, ...pmw.installed, 'incident', 'show', key, '--db', db] },
    ...(WITHOUT_EXTRA_CA
      ? [
          { name: 'node-noca', cmd: node, args: ['-e', '0'], env: WITHOUT_EXTRA_CA },
          { name: 'help-noca', cmd: node, args: [...pmw.installed, '--help'], env: WITHOUT_EXTRA_CA },
          { name: 'show-noca', cmd: node, args: [...pmw.installed, 'incident', 'show', key, '--db', db], env: WITHOUT_EXTRA_CA },
          { name: 'diff-noca', cmd: node, args: [...pmw.installed, 'diff', fa, fb], env: WITHOUT_EXTRA_CA },
        ]
      : []),
  ],
  { runs: 15 },
);
const base = { baseline: 'node -e 0', baselineValue: t.node.ms, load: t.node.load };
row({ figure: 'pmw --help', value: t.help.ms, ...base, target: { ratio: 2 }, note: spread(t.help) });
row({ figure: 'pmw incident show KEY', value: t.show.ms, ...base, target: { ratio: 2 }, note: spread(t.show) });
row({ figure: 'pmw diff of two tiny files', value: t.diff.ms, ...base, target: { ratio: 2 }, note: spread(t.diff) });
row({ figure: 'pmw incident show KEY, no code cache (first run)', value: t['show-nocache'].ms, ...base, note: spread(t['show-nocache']) });
if (WITHOUT_EXTRA_CA) {
  const bare = { baseline: 'node -e 0, NODE_EXTRA_CA_CERTS unset', baselineValue: t['node-noca'].ms, load: t.node.load };
  row({ figure: 'node -e 0 as this environment starts it (NODE_EXTRA_CA_CERTS set)', value: t.node.ms, ...bare });
  row({ figure: 'pmw --help, NODE_EXTRA_CA_CERTS unset', value: t['help-noca'].ms, ...bare, target: { ratio: 2 }, note: spread(t['help-noca']) });
  row({ figure: 'pmw incident show KEY, NODE_EXTRA_CA_CERTS unset', value: t['show-noca'].ms, ...bare, target: { ratio: 2 }, note: spread(t['show-noca']) });
  row({ figure: 'pmw diff of two tiny files, NODE_EXTRA_CA_CERTS unset', value: t['diff-noca'].ms, ...bare, target: { ratio: 2 }, note: spread(t['diff-noca']) });
}
tmp.cleanup();
