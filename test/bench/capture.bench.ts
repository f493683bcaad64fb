// `pmw capture --dir <this project>` (issue 13), whole process from its own bundle, against the part it
// cannot avoid: the system Python listing its distributions through importlib.metadata. Target: a
// capture takes seconds, not minutes, on a project with node_modules (those are skipped).
import { join } from 'node:path';
import { benchTempDir, compareCommands, pmwLayouts, row } from './util';

const ROOT = join(__dirname, '..', '..');
const tmp = benchTempDir('pmw-bench-capture-');
const pmw = pmwLayouts();
const py = process.env.PMW_PYTHON ?? '/usr/bin/python3';
const t = compareCommands(
  [
    { name: 'python', cmd: py, args: ['-I', '-c', 'import importlib.metadata as m; [d.metadata["Name"] for d in m.distributions()]'] },
    { name: 'capture', cmd: process.execPath, args: [...pmw.installed, 'capture', '--dir', ROOT, '--out', join(tmp.dir, 'c.pmwcap'), '--python', py] },
  ],
  { runs: 5 },
);
row({ figure: 'pmw capture --dir <this project> (whole process)', value: t.capture.ms, baseline: 'python importlib.metadata listing', baselineValue: t.python.ms, load: t.python.load, target: { max: 5000 } });
tmp.cleanup();
