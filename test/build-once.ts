// vitest global setup: the CLI bundles (dist/main) that tests spawning bin/pmw.cjs run, rebuilt when
// older than main/ or shared/ (bin/pmw.cjs itself never builds; see docs/ARCHITECTURE.md, "CLI").
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  const root = join(__dirname, '..');
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'main', '--if-needed'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node scripts/build.mjs main failed:\n${r.stdout}\n${r.stderr}`);
}
