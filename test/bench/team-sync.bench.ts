// Team sync (issue 15), against a local bare repository, data made through the store's own services:
//  - 10k incidents + 200k timeline events pushed from empty (join + first sync)        target < 60 s
//  - a new member joins that history (clone + merge + 10k incidents written here)       target < 60 s
//  - an incremental sync of one change (one timeline note), and its pull elsewhere     target < 2 s
// Baselines, same run: plain git doing the same repository work (add + commit + push of the tree the
// sync wrote; clone of it; one changed file committed and pushed).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../main/app';
import { gitEnv } from '../../main/git';
import { benchTempDir, row } from './util';

const INCIDENTS = Number(process.env.PMW_BENCH_TEAM_INCIDENTS ?? 10_000);
const EVENTS_PER = Number(process.env.PMW_BENCH_TEAM_EVENTS_PER ?? 20);

const t = benchTempDir('pmw-bench-team-');
const cfg = join(t.dir, 'gitconfig');
writeFileSync(cfg, '[user]\n\tname = Bench\n\temail = bench@example.com\n[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n');
process.env.GIT_CONFIG_GLOBAL = cfg;
process.env.GIT_CONFIG_NOSYSTEM = '1';
const g = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 }).toString();
const time = async (fn: () => unknown) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

async function main() {
  const remote = join(t.dir, 'team.git');
  g(t.dir, 'init', '-q', '--bare', '-b', 'main', remote);
  const a = createApp({ dbPath: join(t.dir, 'a', 'workbench.db'), host: 'cli' });
  const t0 = performance.now();
  // Incidents through IncidentService.create; their timeline rows through the very INSERT the service's
  // addEvent runs (same columns, same triggers: uid, search index, sync queue), prepared once — the service
  // prepares it per call, which alone took over 10 minutes for 200k rows on a loaded 2-CPU machine.
  const inc = a.services.incidents;
  const ins = a.db.prepare('INSERT INTO timeline_events (incident_id, kind, body, phase, occurred_at, captured_at, source_key) VALUES (?, ?, ?, ?, ?, ?, NULL)');
  const idOf = a.db.prepare('SELECT id FROM incidents WHERE key = ?');
  const batch = a.db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const x = inc.create({ title: `Feature pipeline incident ${i}`, severity: (['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const)[i % 4], failureClass: 'data', service: `svc-${i % 37}` } as never);
      const id = (idOf.get(x.key) as { id: number }).id;
      for (let e = 1; e < EVENTS_PER; e++) {
        const at = new Date(Date.parse(x.createdAt) + e * 60_000).toISOString();
        ins.run(id, 'note', `note ${e} of incident ${i}: lag ${e * 3} min on partition ${i % 11}`, 'acknowledge', at, at);
      }
    }
  });
  for (let i = 0; i < INCIDENTS; i += 500) batch(i, Math.min(INCIDENTS, i + 500));
  const events = (a.db.prepare('SELECT COUNT(*) AS n FROM timeline_events').get() as { n: number }).n;
  console.log(`generated ${INCIDENTS} incidents and ${events} timeline events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const pushMs = await time(() => a.services.team.join(remote));
  const st = await a.services.team.status();
  if (st.queued !== 0) throw new Error(`still queued after the first sync: ${st.queued}`);

  // Baseline: git alone committing and pushing the same tree from scratch.
  const tree = join(t.dir, 'plain');
  cpSync(join(t.dir, 'a', 'workbench.db-team'), tree, { recursive: true, filter: (src) => !/[\\/]\.git([\\/]|$)/.test(src) });
  const plainRemote = join(t.dir, 'plain.git');
  g(t.dir, 'init', '-q', '--bare', '-b', 'main', plainRemote);
  const plainPush = await time(() => {
    g(tree, 'init', '-q', '-b', 'main');
    g(tree, 'add', '-A');
    g(tree, 'commit', '-qm', 'all');
    g(tree, 'push', '-q', plainRemote, 'HEAD:main');
  });
  row({ figure: `team sync from empty: push ${INCIDENTS} incidents + ${events} events (join + first sync)`, value: pushMs, unit: 'ms', baseline: 'git add + commit + push of the same tree', baselineValue: plainPush, target: { max: 60_000 } });

  const b = createApp({ dbPath: join(t.dir, 'b', 'workbench.db'), host: 'cli' });
  const pullMs = await time(() => b.services.team.join(remote));
  const nb = (b.db.prepare('SELECT COUNT(*) AS n FROM timeline_events').get() as { n: number }).n;
  if (nb !== events) throw new Error(`joined with ${nb} events, expected ${events}`);
  const plainClone = await time(() => g(t.dir, 'clone', '-q', remote, join(t.dir, 'plain-clone')));
  row({ figure: `team join of that history into an empty database (${nb} events)`, value: pullMs, unit: 'ms', baseline: 'git clone of the repository', baselineValue: plainClone, target: { max: 60_000 } });

  // Incremental: one note on one incident.
  const key = (a.db.prepare('SELECT key FROM incidents ORDER BY seq DESC LIMIT 1').get() as { key: string }).key;
  const incs: number[] = [];
  const pulls: number[] = [];
  for (let r = 0; r < 5; r++) {
    await a.call('timeline:add', { key, kind: 'note', body: `incremental change ${r}` });
    incs.push(await time(() => a.services.team.sync()));
    pulls.push(await time(() => b.services.team.sync()));
  }
  // Baseline: the same one-file round in a clone of the plain repository (its own remote, nobody else pushing).
  const pc = join(t.dir, 'plain-work');
  g(t.dir, 'clone', '-q', plainRemote, pc);
  const plainInc: number[] = [];
  for (let r = 0; r < 5; r++) {
    mkdirSync(join(pc, 'x'), { recursive: true });
    plainInc.push(await time(() => {
      writeFileSync(join(pc, 'x', 'one.txt'), `change ${r}\n`);
      g(pc, 'fetch', '-q', 'origin');
      g(pc, 'add', '-A');
      g(pc, 'commit', '-qm', `one ${r}`);
      g(pc, 'push', '-q', 'origin', 'HEAD:main');
    }));
  }
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  row({ figure: 'incremental team sync of one change (push side, median of 5)', value: med(incs), unit: 'ms', baseline: 'git fetch + add + commit + push of one file in the same clone size', baselineValue: med(plainInc), target: { max: 2_000 } });
  row({ figure: 'incremental team sync of one change (pull side, median of 5)', value: med(pulls), unit: 'ms', baseline: 'git fetch + add + commit + push of one file', baselineValue: med(plainInc), target: { max: 2_000 } });
  if (JSON.stringify(a.services.team.dump()[key]) !== JSON.stringify(b.services.team.dump()[key])) throw new Error('the two databases differ after the incremental syncs');
  a.close();
  b.close();
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => t.cleanup());
