// The implementations of the `pmw` commands that open the database (and `pmw serve`): one bundle,
// dist/main/cli-app.cjs, that the CLI entry (./index.ts) loads only when such a command runs. Each
// command is `(args, io, rawIo) => Promise<exit code>`; cliRunner (./common.ts) adds the redacted
// output, Ctrl+C handling and error printing. See docs/ARCHITECTURE.md ("CLI: adding a command").
import { join } from 'node:path';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import { cliRunner, migrationNotice, interruptHooks, type Io } from './common';
import { spawnSync } from 'node:child_process';
import { createApp, type App } from '../app';
import { resolveDbPath } from '../store/paths';
import { listBackups, restoreBackup } from '../store/backup';
import { startWebHost } from '../web/server';
import { str, type ParsedArgs } from './args';
import { ApiError } from '../../shared/api/errors';
import type { IncidentSummary, TimelineEvent } from '../../shared/domain';
import { ROLES } from '../../shared/domain';
import { fmtTime, showIncident } from './show';
// Drills (issue 5)
import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import { runSoloDrill } from '../../shared/drills/session';
// Secrets (issue 8)
import { scanText } from '../../shared/redact/index';
// Search, similar, stats, backlog (issue 12)
import { actionCommand, searchCommand, similarCommand, statsCommand } from './insights';
import type { IncidentPage } from '../../shared/incidentList';
// Bringing the real world in (issue 13)
import { timelineImportCommand } from './timeline';
import { runCommand } from './run';
// Team sync (issue 15)
import { TEAM_HELP, teamJoin, teamLeave, teamResolve, teamStatus, teamSync } from './team';

function requireKey(a: ParsedArgs, i: number, what = 'KEY'): string {
  const v = a.positionals[i];
  if (!v) throw new ApiError('VALIDATION', `missing ${what}`, { issues: [{ field: what.toLowerCase(), message: 'required' }] });
  return v;
}

function listIncidents(page: IncidentPage): string {
  const list: IncidentSummary[] = page.items;
  if (!list.length) return page.total ? 'No more incidents.\n' : 'No incidents. Create one: pmw incident new --title "…" --severity SEV2 --class data\n';
  const rows = page.items.map((i) => `${i.key}  ${i.severity}  ${i.phase.padEnd(11)}  ${i.failureClass.padEnd(14)}  ${i.title}${i.isDrill ? '  [drill]' : ''}${i.overdueActions ? `  [${i.overdueActions} overdue]` : ''}`);
  const more = page.nextCursor ? `\n${list.length} of ${page.total} shown. Next page: --cursor ${page.nextCursor}\n` : '';
  return rows.join('\n') + '\n' + more;
}

export async function withApp<T>(a: ParsedArgs, host: 'cli' | 'web', fn: (app: App) => Promise<T>): Promise<T> {
  const dbPath = resolveDbPath(str(a.flags, 'db'));
  const app = createApp({ dbPath, host, onMigrate: migrationNotice(dbPath) });
  const stop = () => app.stopJobs();
  interruptHooks.add(stop);
  try {
    return await fn(app);
  } finally {
    interruptHooks.delete(stop);
    app.close();
  }
}

const mbText = (n: number) => `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MB`;

async function backupCommand(a: ParsedArgs, io: Io): Promise<number> {
  const json = a.flags.json === true;
  const dbPath = resolveDbPath(str(a.flags, 'db'));
  if (a.flags.list === true) {
    const list = listBackups(dbPath);
    if (json) io.out(JSON.stringify(list, null, 2) + '\n');
    else if (!list.length) io.out(`No backups of ${dbPath} yet. Take one: pmw backup\n`);
    else for (const b of list) io.out(`${fmtTime(b.createdAt)}  ${b.kind.padEnd(13)}  ${mbText(b.size + b.blobSize).padStart(8)}  ${b.file}\n`);
    return 0;
  }
  return withApp(a, 'cli', async (app) => {
    const b = app.backup(str(a.flags, 'out'));
    io.out(json ? JSON.stringify(b, null, 2) + '\n' : `Backed up ${dbPath} to ${b.file}${b.hasBlobs ? ` (+ ${b.name}-blobs, the artifact store)` : ''} — ${mbText(b.size + b.blobSize)}\n`);
    return 0;
  });
}

async function restoreCommand(a: ParsedArgs, io: Io): Promise<number> {
  const file = requireKey(a, 1, 'FILE');
  const dbPath = resolveDbPath(str(a.flags, 'db'));
  // No connection of ours is open: this works when the current database is damaged too.
  const r = restoreBackup(dbPath, resolve(file));
  return withApp(a, 'cli', async (app) => {
    const incidents = (app.db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n;
    const out = { restored: resolve(file), keptAside: r.keptAside, schemaVersion: schemaVersionOf(app), incidents };
    io.out(
      a.flags.json === true
        ? JSON.stringify(out, null, 2) + '\n'
        : `Restored ${file} to ${dbPath} (${incidents} incident${incidents === 1 ? '' : 's'}).\n${r.keptAside ? `The database that was there is kept as ${r.keptAside}.\n` : ''}`,
    );
    return 0;
  });
}

function schemaVersionOf(app: App): number {
  return app.db.pragma('user_version', { simple: true }) as number;
}

async function doctorCommand(a: ParsedArgs, io: Io): Promise<number> {
  const json = a.flags.json === true;
  let report;
  try {
    report = await withApp(a, 'cli', (app) => app.doctor());
  } catch (e) {
    const err = ApiError.from(e);
    if (err.code !== 'CORRUPT') throw e;
    report = { dbPath: resolveDbPath(str(a.flags, 'db')), status: 'fail' as const, checks: [{ id: 'open', label: 'Open the database', status: 'fail' as const, detail: err.message }] };
  }
  if (json) io.out(JSON.stringify(report, null, 2) + '\n');
  else {
    io.out(`Health of ${report.dbPath}\n`);
    for (const c of report.checks) {
      io.out(`  ${c.status === 'ok' ? 'ok  ' : c.status === 'warn' ? 'WARN' : 'FAIL'}  ${c.label}: ${c.detail}\n`);
      if (c.fix && c.status !== 'ok') io.out(`        → ${c.fix}\n`);
    }
  }
  return report.status === 'ok' ? 0 : report.status === 'warn' ? 1 : 2;
}

async function incidentCommand(a: ParsedArgs, io: Io): Promise<number> {
  const sub = a.positionals[1];
  const json = a.flags.json === true;
  const f = a.flags;
  const print = (obj: unknown, human: string) => io.out(json ? JSON.stringify(obj, null, 2) + '\n' : human);
  return withApp(a, 'cli', async (app) => {
    switch (sub) {
      case 'new': {
        const inc = await app.call('incident:create', {
          title: str(f, 'title') ?? '',
          severity: str(f, 'severity') as never,
          failureClass: str(f, 'class') as never,
          service: str(f, 'service'),
          impact: str(f, 'impact'),
          summary: str(f, 'summary'),
          detectedAt: str(f, 'detected-at'),
          startedAt: str(f, 'started-at'),
        });
        print(inc, `Created ${inc.key}: ${inc.title}\n`);
        return 0;
      }
      case 'list': {
        const list = await app.call('incident:list', {
          phase: str(f, 'phase') as never,
          severity: str(f, 'severity') as never,
          failureClass: str(f, 'class') as never,
          query: str(f, 'query'),
          sort: str(f, 'sort') as never,
          includeDrills: f.drills === true ? true : undefined,
          cursor: str(f, 'cursor'),
          limit: str(f, 'limit') === undefined ? undefined : Number(str(f, 'limit')),
        });
        // --json stays an array of incidents (as before paging); the next page's cursor goes to stderr.
        if (json && list.nextCursor) io.err(`pmw: ${list.items.length} of ${list.total} shown; next page: --cursor ${list.nextCursor}\n`);
        print(list.items, listIncidents(list));
        return 0;
      }
      case 'similar':
        return await similarCommand(app, requireKey(a, 2), a, io);
      case 'show': {
        const inc = await app.call('incident:get', { key: requireKey(a, 2) });
        print(inc, showIncident(inc));
        return 0;
      }
      case 'advance': {
        const inc = await app.call('incident:advance', { key: requireKey(a, 2), reason: str(f, 'reason') });
        print(inc, `${inc.key} is now in phase: ${inc.phase}\n`);
        return 0;
      }
      case 'note': {
        const key = requireKey(a, 2);
        const text = a.positionals.slice(3).join(' ');
        const ev: TimelineEvent = await app.call('timeline:add', { key, kind: (str(f, 'kind') ?? 'note') as never, body: text, occurredAt: str(f, 'at') });
        print(ev, `Added ${ev.kind} #${ev.id} to ${key}\n`);
        return 0;
      }
      case 'role': {
        const inc = await app.call('incident:setRole', { key: requireKey(a, 2), role: requireKey(a, 3, 'ROLE') as never, person: a.positionals.slice(4).join(' ') });
        print(inc, `Roles of ${inc.key}: ${ROLES.map((r) => `${r}=${inc.roles[r] || '—'}`).join(', ')}\n`);
        return 0;
      }
      case 'set': {
        const patch: Record<string, unknown> = {};
        const map: Record<string, string> = {
          impact: 'impact', service: 'service', hypothesis: 'hypothesis', mitigation: 'mitigation', resolution: 'resolution',
          summary: 'summary', lessons: 'lessons', severity: 'severity', class: 'failureClass', origin: 'rootCauseOrigin', title: 'title',
          'detected-at': 'detectedAt', 'started-at': 'startedAt',
        };
        for (const [flag, field] of Object.entries(map)) if (str(f, flag) !== undefined) patch[field] = str(f, flag);
        if (f.verified === true) patch.mitigationVerified = true;
        const inc = await app.call('incident:update', { key: requireKey(a, 2), patch: patch as never });
        print(inc, `Updated ${inc.key}\n`);
        return 0;
      }
      case 'reopen': {
        const inc = await app.call('incident:reopen', { key: requireKey(a, 2), reason: str(f, 'reason') ?? '' });
        print(inc, `${inc.key} reopened; phase: ${inc.phase}\n`);
        return 0;
      }
      default:
        throw new ApiError('VALIDATION', `unknown incident command "${sub ?? ''}" (new, list, show, advance, note, role, set, reopen, similar)`);
    }
  });
}

async function artifactCommand(a: ParsedArgs, io: Io): Promise<number> {
  const sub = a.positionals[1];
  const json = a.flags.json === true;
  const f = a.flags;
  return withApp(a, 'cli', async (app) => {
    if (sub === 'add') {
      const key = requireKey(a, 2);
      const file = requireKey(a, 3, 'FILE');
      const art = await app.call('artifact:addPath', { key, path: file, role: (str(f, 'role') ?? '') as never, label: str(f, 'label'), kind: str(f, 'kind') as never });
      if (art.expanded && !json) {
        // A capture file (issue 13): one artifact per part.
        io.out(`Expanded the capture ${basename(file)} into ${art.expanded.length} artifacts (${art.role}) on ${key}:\n${art.expanded.map((x) => `  #${x.id}  ${x.kind.padEnd(15)}  ${x.label}`).join('\n')}\n`);
        for (const m of art.captureMissing ?? []) io.out(`  not captured: ${m.id} (${m.reason})\n`);
        return 0;
      }
      io.out(json ? JSON.stringify(art, null, 2) + '\n' : `Added artifact #${art.id} ${art.name} (${art.kind}, ${art.role}, ${art.size} bytes, sha256 ${art.sha256.slice(0, 12)}…) to ${key}\n`);
      return 0;
    }
    if (sub === 'list') {
      const key = requireKey(a, 2);
      const list = await app.call('artifact:list', { key });
      if (json) io.out(JSON.stringify(list, null, 2) + '\n');
      else if (!list.length) io.out(`No artifacts on ${key}. Add one: pmw artifact add ${key} --role failing FILE\n`);
      else io.out(list.map((x) => `#${x.id}  ${x.role.padEnd(15)}  ${x.kind.padEnd(14)}  ${String(x.size).padStart(10)}  ${x.name}${x.label ? `  [${x.label}]` : ''}`).join('\n') + '\n');
      return 0;
    }
    throw new ApiError('VALIDATION', `unknown artifact command "${sub ?? ''}" (add, list)`);
  });
}

async function findingCommand(a: ParsedArgs, io: Io): Promise<number> {
  const sub = a.positionals[1];
  const json = a.flags.json === true;
  return withApp(a, 'cli', async (app) => {
    const key = requireKey(a, 2);
    const list =
      sub === 'suggest' ? await app.call('finding:suggest', { key, accept: a.flags.accept === true }) :
      sub === 'list' ? await app.call('finding:list', { key }) :
      null;
    if (!list) throw new ApiError('VALIDATION', `unknown finding command "${sub ?? ''}" (suggest, list)`);
    if (json) io.out(JSON.stringify(list, null, 2) + '\n');
    else if (!list.length) io.out(sub === 'suggest' ? `No change of severity warning or above in ${key}'s artifact pairs.\n` : `No findings on ${key}.\n`);
    else {
      for (const f of list) io.out(`${f.id ? `#${f.id}` : '(new)'}  ${f.failureClass.padEnd(14)}  ${(f.genKind ?? '—').padEnd(20)}  ${f.title}\n`);
      if (sub === 'suggest' && a.flags.accept !== true) io.out(`\n${list.length} suggestion(s). Store them with --accept.\n`);
    }
    return 0;
  });
}

/** A folder the user named; files are written only inside it. */
function writeStubs(outDir: string, files: { path: string; content: string }[]): string[] {
  const root = resolve(outDir);
  const written: string[] = [];
  for (const f of files) {
    const target = resolve(root, f.path);
    if (!target.startsWith(root + sep)) throw new ApiError('VALIDATION', `refusing to write ${f.path}: outside ${outDir}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content);
    written.push(target);
  }
  return written;
}

async function stubsCommand(a: ParsedArgs, io: Io): Promise<number> {
  const out = str(a.flags, 'out');
  if (!out) throw new ApiError('VALIDATION', 'pmw stubs KEY --out DIR: --out is required', { issues: [{ field: 'out', message: 'required' }] });
  return withApp(a, 'cli', async (app) => {
    const files = await app.call('stubs:generate', { key: requireKey(a, 1) });
    const hits = files.flatMap((f) => scanText(f.content, f.path).map((h) => ({ file: f.path, ...h })));
    if (hits.length) {
      throw new ApiError('SECRET_DETECTED', `refusing to write: ${hits.length} secret${hits.length === 1 ? '' : 's'} in the files (${hits.slice(0, 5).map((h) => `${h.file}:${h.line} ${h.rule}`).join(', ')}${hits.length > 5 ? ', …' : ''}); nothing was written`, { secrets: hits });
    }
    const written = writeStubs(out, files);
    io.out(a.flags.json === true ? JSON.stringify(files.map((f, i) => ({ path: written[i], kind: f.kind })), null, 2) + '\n' : written.map((w) => `wrote ${w}`).join('\n') + '\n');
    return 0;
  });
}

async function postmortemCommand(a: ParsedArgs, io: Io): Promise<number> {
  return withApp(a, 'cli', async (app) => {
    const doc = await app.call('doc:get', { key: requireKey(a, 1), kind: 'postmortem' });
    io.out(a.flags.json === true ? JSON.stringify(doc, null, 2) + '\n' : doc.content);
    return 0;
  });
}

async function exportCommand(a: ParsedArgs, io: Io): Promise<number> {
  const repo = str(a.flags, 'repo');
  if (!repo) throw new ApiError('VALIDATION', 'pmw export KEY --repo PATH: --repo is required', { issues: [{ field: 'repo', message: 'required' }] });
  return withApp(a, 'cli', async (app) => {
    const input = { key: requireKey(a, 1), repo: resolve(repo), branch: str(a.flags, 'branch'), allowSecrets: allowSecretsFlag(a) };
    if (a.flags.finish === true || a.flags.discard === true) {
      if (a.flags.finish === true && a.flags.discard === true) throw new ApiError('VALIDATION', 'give --finish or --discard, not both');
      const preview = input.branch ? null : await app.call('export:preview', input);
      const branch = input.branch ?? preview!.branch;
      const r = await app.call('export:recover', { key: input.key, repo: input.repo, branch, action: a.flags.finish === true ? 'finish' : 'discard' });
      if (a.flags.json === true) io.out(JSON.stringify(r, null, 2) + '\n');
      else if (r.action === 'finished') io.out(`Finished: ${r.record.commit.slice(0, 12)} on ${r.record.branch} (${r.record.files.length} files) is recorded as exported.\n`);
      else io.out(`Discarded the interrupted export on ${r.branch}${r.removed.length ? `: removed ${r.removed.join(', ')}` : ''}.\n`);
      return 0;
    }
    const preview = await app.call('export:preview', input);
    if (a.flags['dry-run'] === true || preview.refusals.length) {
      if (a.flags.json === true) io.out(JSON.stringify(preview, null, 2) + '\n');
      else {
        io.out(`Branch ${preview.branch} from ${preview.head.slice(0, 12)} in ${preview.repo}\n`);
        for (const f of preview.files) io.out(`  ${f.status.padEnd(9)} ${f.path}\n`);
        for (const r of preview.refusals) io.err(`pmw: refused (${r.code}): ${r.message}\n`);
        for (const h of preview.secrets) io.err(`  ${h.file}:${h.line}: ${h.rule}${h.allowed ? ' (allowed)' : ''}\n`);
        if (preview.secrets.some((h) => !h.allowed)) io.err(`  to export a known fixture anyway: --allow-secret FILE:LINE:RULE[,…] --reason "why"\n`);
        if (preview.refusals.some((r) => r.code === 'HALF_FINISHED')) io.err(`  then: pmw export ${input.key} --repo ${JSON.stringify(preview.repo)} --branch ${preview.branch} --finish   (or --discard)\n`);
        else if (preview.suggestedBranch) io.err(`  try: --branch ${preview.suggestedBranch}\n`);
      }
      return preview.refusals.length ? 2 : 0;
    }
    const rec = await app.call('export:run', input);
    io.out(a.flags.json === true ? JSON.stringify(rec, null, 2) + '\n' : `Committed ${rec.commit.slice(0, 12)} on ${rec.branch} (${rec.files.length} files) in ${rec.repo}\n`);
    return 0;
  });
}

/** --allow-secret FILE:LINE:RULE[,FILE:LINE:RULE…] with --reason R (one reason for the listed hits). */
function allowSecretsFlag(a: ParsedArgs): { file: string; line: number; rule: string; reason: string }[] | undefined {
  const v = str(a.flags, 'allow-secret');
  if (v === undefined) return undefined;
  const reason = str(a.flags, 'reason')?.trim();
  if (!reason) throw new ApiError('VALIDATION', '--allow-secret needs --reason "why this secret may be exported" (it goes on the timeline)', { issues: [{ field: 'reason', message: 'required with --allow-secret' }] });
  return v.split(',').map((item) => {
    const m = /^(.+):(\d+):([^:]+)$/.exec(item.trim());
    if (!m) throw new ApiError('VALIDATION', `--allow-secret: "${item}" is not FILE:LINE:RULE (as the refusal lists it)`, { issues: [{ field: 'allow-secret', message: 'expected FILE:LINE:RULE' }] });
    return { file: m[1], line: Number(m[2]), rule: m[3], reason };
  });
}

async function bundleCommand(a: ParsedArgs, io: Io, rawIo: Io): Promise<number> {
  const sub = a.positionals[1];
  return withApp(a, 'cli', async (app) => {
    if (sub === 'export') {
      const includeSecrets = a.flags['include-secrets'] === true;
      const b = await app.call('bundle:export', { key: requireKey(a, 2), includeSecrets });
      if (includeSecrets) {
        // The one output that is not redacted: the user asked for the secrets in clear.
        io.err('pmw: warning: --include-secrets — this bundle holds every secret of the incident in clear. Keep it off shared drives and out of git.\n');
        rawIo.out(JSON.stringify(b, null, 2) + '\n');
      } else {
        io.out(JSON.stringify(b, null, 2) + '\n');
        const n = (b.redaction?.artifacts ?? []).reduce((s, x) => s + x.count, 0) + (b.redaction?.elsewhere ?? 0);
        if (n) io.err(`pmw: ${n} secret value${n === 1 ? '' : 's'} masked in the bundle (--include-secrets keeps them)\n`);
      }
      return 0;
    }
    if (sub === 'import') {
      const file = requireKey(a, 2, 'FILE');
      let bundle: unknown;
      try {
        bundle = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new ApiError('VALIDATION', `${file} is not a JSON bundle: ${(e as Error).message}. Nothing was imported.`, { issues: [{ field: 'FILE', message: 'not JSON' }] });
      }
      const inc = await app.call('bundle:import', { bundle });
      const m = inc.bundleMasked;
      const note = m ? `  The bundle had secrets masked: ${m.artifacts.map((x) => `${x.name} (${x.count}, line${x.lines.length === 1 ? '' : 's'} ${x.lines.slice(0, 12).join(', ')}${x.lines.length > 12 ? ', …' : ''})`).join('; ') || 'none in the artifacts'}${m.elsewhere ? `; ${m.elsewhere} elsewhere` : ''}. See the timeline note.\n` : '';
      io.out(a.flags.json === true ? JSON.stringify(inc, null, 2) + '\n' : `Imported ${inc.key}: ${inc.title}\n${note}`);
      return 0;
    }
    throw new ApiError('VALIDATION', `unknown bundle command "${sub ?? ''}" (export, import)`);
  });
}

async function drillCommand(a: ParsedArgs, io: Io): Promise<number> {
  const sub = a.positionals[1];
  const json = a.flags.json === true;
  const drillRef = (v: string) => (/^\d+$/.test(v) ? Number(v) : v.toUpperCase());
  return withApp(a, 'cli', async (app) => {
    switch (sub) {
      case 'list': {
        const list = await app.call('drill:scenarios', {});
        if (json) io.out(JSON.stringify(list, null, 2) + '\n');
        else
          io.out(
            list
              .map((s) => `${s.id.padEnd(44)} ${String(s.difficulty).padEnd(12)} ${String(s.expectedDurationMinutes).padStart(3)} min  ${String(s.evidenceCards).padStart(2)} cards  ${s.title}${s.custom ? '  [custom]' : ''}`)
              .join('\n') + `\n\n${list.length} scenarios. Run one: pmw drill run ${list[0]?.id ?? 'SCENARIO'}\n`,
          );
        return 0;
      }
      case 'run': {
        const scenarioId = requireKey(a, 2, 'SCENARIO');
        let participant = str(a.flags, 'participant') ?? process.env.PMW_PARTICIPANT;
        if (!participant) {
          try {
            participant = userInfo().username;
          } catch {
            participant = 'responder';
          }
        }
        const lines = io.lines ?? createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
        // The worker pool unrefs its threads: keep the process alive while a diff is awaited after stdin ended.
        const keepAlive = setInterval(() => {}, 1 << 30);
        const r = await runSoloDrill({ call: app.call, lines, out: io.out, scenarioId, participant }).finally(() => clearInterval(keepAlive));
        if (json) io.out(JSON.stringify({ drillId: r.drillId, key: r.key, score: r.score }) + '\n');
        return 0;
      }
      case 'report': {
        const rep = await app.call('drill:report', { drillId: drillRef(requireKey(a, 2, 'ID')) });
        io.out(json ? JSON.stringify(rep, null, 2) + '\n' : rep.content);
        return 0;
      }
      case 'history': {
        const h = await app.call('drill:history', { participant: a.positionals[2] ?? str(a.flags, 'participant') });
        if (json) io.out(JSON.stringify(h, null, 2) + '\n');
        else {
          if (!h.drills.length) io.out('No drills yet. Start one: pmw drill list\n');
          for (const d of h.drills) {
            io.out(`#${String(d.drillId).padEnd(4)} ${d.key}  ${fmtTime(d.startedAt)}  ${d.participant.padEnd(12)} ${(d.score === null ? 'unfinished' : `${d.score}/100`).padEnd(10)} ${d.scenarioTitle}\n`);
          }
          const t = h.trend;
          if (h.drills.length) io.out(`\nTrend over ${t.drills} finished drill(s): ${t.direction}${t.slope !== null ? ` (${t.slope >= 0 ? '+' : ''}${t.slope} points per drill)` : ''}${t.lastAverage !== null ? `; last 3 average ${t.lastAverage}` : ''}${t.previousAverage !== null ? `, previous 3 ${t.previousAverage}` : ''}\n`);
        }
        return 0;
      }
      case 'export': {
        const f = await app.call('scenario:export', { scenarioId: requireKey(a, 2, 'SCENARIO') });
        io.out(json ? JSON.stringify(f, null, 2) + '\n' : f.content);
        return 0;
      }
      default:
        throw new ApiError('VALIDATION', `unknown drill command "${sub ?? ''}" (list, run, report, history, export)`);
    }
  });
}

function rendererDir(): string {
  return join(__dirname, '..', 'renderer');
}

async function serveCommand(a: ParsedArgs, io: Io): Promise<number> {
  const portFlag = str(a.flags, 'port');
  const port = portFlag === undefined ? 0 : Number(portFlag);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ApiError('VALIDATION', `--port must be a port number (0–65535), got "${portFlag}"`, { issues: [{ field: 'port', message: 'not a port number' }] });
  }
  const buildScript = join(__dirname, '..', '..', 'scripts', 'build.mjs');
  if (a.flags['no-build'] !== true && existsSync(buildScript)) {
    io.err('Building the UI if needed…\n');
    const r = spawnSync(process.execPath, [buildScript, 'renderer', '--if-needed'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new ApiError('INTERNAL', 'building the UI failed (see above)');
  }
  if (!existsSync(join(rendererDir(), 'index.html'))) {
    throw new ApiError('INTERNAL', `the UI is not built (${rendererDir()}/index.html missing); run "npm run build"`);
  }
  const dbPath = resolveDbPath(str(a.flags, 'db'));
  const allowExec = a.flags['allow-exec'] === true;
  const app = createApp({ dbPath, host: 'web', refuse: ['artifact:addPath'], allowExec, onMigrate: migrationNotice(dbPath) });
  const host = await startWebHost({ app, staticDir: rendererDir(), port });
  io.out(`Postmortem Workbench is serving on 127.0.0.1 only.\nOpen: ${host.url}\nDatabase: ${dbPath}\n${allowExec ? 'Runbook cells: RUN on this machine when you confirm them in the UI (--allow-exec).' : 'Runbook cells: not run by this host (start it with --allow-exec to run them).'}\nPress Ctrl+C to stop.\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // Stop accepting, let calls in flight finish, close idle keep-alive sockets; within 2 s in all.
  // A second Ctrl+C leaves at once (the database is consistent at every commit).
  const again = () => process.exit(130);
  process.once('SIGINT', again);
  process.once('SIGTERM', again);
  const deadline = setTimeout(() => process.exit(0), 2000);
  deadline.unref();
  io.err(`${signal}: stopping — finishing the calls in progress…\n`);
  await host.close();
  app.close();
  io.err('Stopped.\n');
  // Whatever still holds the event loop (a worker winding down) does not keep the process.
  setTimeout(() => process.exit(0), 50).unref();
  return 0;
}


// What ./index.ts loads: one runner per command.
export const incident = cliRunner(incidentCommand);
export const artifact = cliRunner(artifactCommand);
export const finding = cliRunner(findingCommand);
export const stubs = cliRunner(stubsCommand);
export const postmortem = cliRunner(postmortemCommand);
export const exportRun = cliRunner(exportCommand);
export const bundle = cliRunner(bundleCommand);
export const drill = cliRunner(drillCommand, { onInterrupt: () => process.stdin.destroy() });
// Not redacted: the URL carries this launch's access token, which the user needs to open the UI. Its own
// signal handling (a graceful stop).
export const serve = cliRunner(serveCommand, { raw: true, trap: false });
// Store health (issue 10)
export const backup = cliRunner(backupCommand);
export const restore = cliRunner(restoreCommand);
export const doctor = cliRunner(doctorCommand);
// Search, stats, backlog (issue 12)
export const search = cliRunner((a, io) => withApp(a, 'cli', (app) => searchCommand(app, a, io)));
export const stats = cliRunner((a, io) => withApp(a, 'cli', (app) => statsCommand(app, a, io)));
export const action = cliRunner((a, io) => withApp(a, 'cli', (app) => actionCommand(app, a, io)));
// Bringing the real world in (issue 13)
export const run = cliRunner(runbookCommand);
export const timeline = cliRunner(timelineCommand);
// Team sync (issue 15)
export const team = cliRunner(teamCommand);

// Team sync (issue 15): the flags are parsed by the entry's table; the commands are in ./team.ts.
async function teamCommand(a: ParsedArgs, io: Io): Promise<number> {
  const [, sub, x, y] = a.positionals;
  const common = { db: str(a.flags, 'db'), json: a.flags.json === true, io };
  switch (sub) {
    case 'join':
      if (!x) throw new ApiError('VALIDATION', 'usage: pmw team join REMOTE [--name N]', { issues: [{ field: 'remote', message: 'required' }] });
      return teamJoin({ ...common, remote: x, name: str(a.flags, 'name') });
    case 'sync':
      return teamSync(common);
    case 'status':
      return teamStatus(common);
    case 'resolve': {
      const take = str(a.flags, 'take');
      if (!x || !y || (take !== 'mine' && take !== 'theirs')) {
        throw new ApiError('VALIDATION', 'usage: pmw team resolve KEY FIELD --take mine|theirs', { issues: [{ field: 'take', message: 'mine or theirs' }] });
      }
      return teamResolve({ ...common, key: x, field: y, take });
    }
    case 'leave':
      return teamLeave({ ...common, yes: a.flags.yes === true });
    default:
      io.err(`pmw: unknown team command "${sub ?? ''}"\n${TEAM_HELP}\n`);
      return 2;
  }
}

// Runbook cells (issue 13): `pmw run FILE.md [--cell N | --all] [--yes] [--incident KEY] [--timeout S]`.
async function runbookCommand(a: ParsedArgs, io: Io): Promise<number> {
  const cellFlag = str(a.flags, 'cell');
  const cell = cellFlag === undefined ? undefined : Number(cellFlag);
  if (cell !== undefined && !(Number.isInteger(cell) && cell >= 1)) throw new ApiError('VALIDATION', `--cell must be a cell number (1, 2, …), got "${cellFlag}"`, { issues: [{ field: 'cell', message: 'not a cell number' }] });
  const timeoutFlag = str(a.flags, 'timeout');
  const timeoutSeconds = timeoutFlag === undefined ? undefined : Number(timeoutFlag);
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0 && timeoutSeconds <= 86_400)) throw new ApiError('VALIDATION', `--timeout must be seconds (1–86400), got "${timeoutFlag}"`, { issues: [{ field: 'timeout', message: 'not a number of seconds' }] });
  const opts = { file: requireKey(a, 1, 'FILE'), cell, all: a.flags.all === true, yes: a.flags.yes === true, timeoutSeconds, json: a.flags.json === true };
  const key = str(a.flags, 'incident');
  if (!key) return await runCommand(opts, io);
  return await withApp(a, 'cli', async (app) => {
    await app.call('incident:get', { key });
    return runCommand(
      {
        ...opts,
        record: async (c, r, summary) => {
          const art = await app.call('artifact:addText', { key, role: 'other', kind: 'log', name: `runbook-cell-${c.index}-${r.startedAt.replace(/[:.]/g, '-')}.log`, label: `runbook cell ${c.index}${c.name ? ` ${c.name}` : ''}`, text: `$ ${c.command}\n${r.output}` });
          await app.call('timeline:add', { key, kind: 'evidence', body: `${summary}; output: artifact #${art.id}`, occurredAt: r.startedAt, sourceKey: `runbook-run:${c.index}:${r.startedAt}` });
        },
      },
      io,
    );
  });
}

// Timeline import (issue 13): `pmw timeline import KEY FILE --format F [--dry-run] [--tz ZONE]`.
async function timelineCommand(a: ParsedArgs, io: Io): Promise<number> {
  if (a.positionals[1] !== 'import') throw new ApiError('VALIDATION', `unknown timeline command "${a.positionals[1] ?? ''}" (import)`);
  return await withApp(a, 'cli', (app) =>
    timelineImportCommand(app, { key: requireKey(a, 2), file: requireKey(a, 3, 'FILE'), format: str(a.flags, 'format'), dryRun: a.flags['dry-run'] === true, timeZone: str(a.flags, 'tz'), json: a.flags.json === true }, io),
  );
}
