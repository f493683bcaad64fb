// `pmw` — the same services as the app, for scripts and CI.
import { join } from 'node:path';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import { diffCommand, diffInterrupts } from './diff';
import { parseCommandLine, printError, redacting, stdio, type Io } from './common';
import { spawnSync } from 'node:child_process';
import { createApp, APP_VERSION, type App } from '../app';
import { resolveDbPath } from '../store/paths';
import { listBackups, restoreBackup } from '../store/backup';
import { startWebHost } from '../web/server';
import { str, type ParsedArgs } from './args';
import { ApiError } from '../../shared/api/errors';
import type { Incident, IncidentSummary, TimelineEvent } from '../../shared/domain';
import { FAILURE_CLASSES, ROLES, SEVERITIES } from '../../shared/domain';
import { formatDuration, PHASE_DEFS } from '../../shared/phases';
// Drills (issue 5)
import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import { runSoloDrill } from '../../shared/drills/session';
// Secrets (issue 8)
import { redactText, scanText } from '../../shared/redact/index';
// Search, similar, stats, backlog (issue 12)
import { actionCommand, INSIGHT_HELP, searchCommand, similarCommand, statsCommand } from './insights';
import type { IncidentPage } from '../../shared/incidentList';
// Bringing the real world in (issue 13)
import { timelineImportCommand } from './timeline';
import { captureCommand } from './capture';
import { runCommand } from './run';

export const HELP = `pmw — Postmortem Workbench CLI ${APP_VERSION}

Usage: pmw <command> [options]

Incidents
  pmw incident new --title T --severity SEV1..SEV4 --class CLASS [--service S] [--impact I]
                   [--detected-at ISO] [--started-at ISO]
  pmw incident list [--phase P|open|closed] [--severity S] [--class C] [--query Q]
                    [--sort updated|created|severity|key] [--drills] [--limit N] [--cursor C]
                                              100 rows a page; the footer gives the next --cursor
  pmw incident show KEY
  pmw incident advance KEY [--reason R]       pass the current phase's gate (a reason is
                                              required when exit criteria are unmet)
  pmw incident reopen KEY --reason R          a closed incident back to review (closed ones are read-only)
  pmw incident note KEY TEXT [--kind note|action|evidence|decision|comms] [--at ISO]
  pmw incident role KEY ROLE PERSON           ROLE: ${ROLES.join(', ')}
  pmw incident set KEY [--impact I] [--service S] [--hypothesis H] [--mitigation M] [--verified]
                   [--resolution R] [--summary S] [--lessons L] [--severity S] [--class C] [--origin O]

Artifacts and diffs
  pmw artifact add KEY --role last-known-good|failing|other [--label L] [--kind K] FILE
  pmw artifact list KEY
  pmw diff A B [--kind K]                    semantic diff of two files; needs no database.
                                             Exit 0: no change of severity warning or above,
                                             1: there are such changes, 2: error (also when A or B
                                             cannot be parsed as its kind: FILE:LINE on stderr)

Findings, tests, runbooks, postmortems
  pmw finding suggest KEY [--accept]         one finding per change of severity warning or above
                                             across the incident's artifact pairs (--accept stores them)
  pmw finding list KEY
  pmw stubs KEY --out DIR                    write the pytest module(s), runbook and postmortem to DIR
  pmw postmortem KEY                         the postmortem as Markdown on stdout
  pmw export KEY --repo PATH [--branch B] [--dry-run]
                                             commit the files on a new branch of a local git repo;
                                             refused when a file to write holds a secret
                    [--allow-secret FILE:LINE:RULE[,…] --reason R]
                                             override those scan hits (a known fixture; logged)
  pmw export KEY --repo PATH --branch B --finish|--discard
                                             an interrupted export (refused as HALF_FINISHED):
                                             record it, or remove its branch and worktree
  pmw bundle export KEY [--include-secrets] > inc.json
                                             the whole incident as one JSON document, secrets
                                             masked (--include-secrets keeps them in clear)
  pmw bundle import FILE                     restore it (refused unchanged if malformed or newer)

Drills
  pmw drill list [--json]                    the scenario library (--json adds the expected class)
  pmw drill run SCENARIO [--participant NAME]
                                             a solo drill in the terminal: plain prompts on
                                             stdin/stdout (works over SSH and from a script);
                                             prints the debrief and score at the end
  pmw drill report ID                        a finished drill's report as Markdown (ID: number or KEY)
  pmw drill history [NAME]                   past drills with scores and the trend
  pmw drill export SCENARIO                  the scenario as a content file (drills/<id>.json)

Timeline import, capture, runbook cells
  pmw timeline import KEY FILE --format slack|pagerduty|alertmanager|csv [--dry-run] [--tz ZONE]
                                             events at their own times (attributed; joins, bots and
                                             edit records dropped); importing again adds only what is
                                             new. FILE: the export (Slack: the zip, its folder or a day
                                             file). --tz: zone of CSV times written without one
  pmw capture [--dir D] [--out FILE] [--python P] [--k8s NAMESPACE/DEPLOYMENT] [--include GLOB]…
                                             one .pmwcap file (zip + versioned manifest): Python
                                             packages, lockfiles, OS/CPU/GPU/driver/CUDA, env (secrets
                                             masked at the source), git HEAD, image; needs no database.
                                             Add it with pmw artifact add: one artifact per part
  pmw run FILE.md [--cell N | --all] [--yes] [--incident KEY] [--timeout S]
                                             run sh cells after showing each command and asking (--yes:
                                             don't ask); the output is kept under the cell in FILE.md;
                                             --all stops at the first failing cell (exit 1); exported
                                             variables carry over; --incident: each run on its timeline
                                             as evidence, the output as an artifact. No flag: list cells
${INSIGHT_HELP.trimStart()}
Web host
  pmw serve [--port N] [--no-build] [--allow-exec]
                                             serve the UI and API on 127.0.0.1, print the URL;
                                             runbook cells run only with --allow-exec

Store health
  pmw backup [--out FILE]                    an online backup (into the backups folder beside the
                                             database, or to FILE; FILE-blobs holds the artifacts)
  pmw backup --list                          the backups, newest first
  pmw restore FILE                           check FILE (integrity, schema), keep the current database
                                             aside as a pre-restore backup, restore FILE; deletes nothing
  pmw doctor                                 integrity and foreign-key checks, WAL state, stored bytes,
                                             leftover temp files, half-finished exports, backups.
                                             Exit 0 healthy, 1 warnings, 2 problems

Options (every command)
  --db PATH     database file (default: $PMW_DB, else the platform data directory)
  --json        machine-readable output
  --help, -h    this help;  --version  print the version

Classes: ${FAILURE_CLASSES.join(', ')}.  Severities: ${SEVERITIES.join(', ')}.
Exit codes: 0 success, 2 error (message on stderr), 130 interrupted (Ctrl+C; nothing half-written).
Secrets are masked in every output (AKIA…[masked], postgres://svc:••••@db:5432/x); unmasked values are
shown only in the desktop app.
`;

/** What Ctrl+C stops besides the command itself (worker pools; their jobs reject and the command unwinds). */
const interruptHooks = new Set<() => void>();

function requireKey(a: ParsedArgs, i: number, what = 'KEY'): string {
  const v = a.positionals[i];
  if (!v) throw new ApiError('VALIDATION', `missing ${what}`, { issues: [{ field: what.toLowerCase(), message: 'required' }] });
  return v;
}

function fmtTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

function showIncident(inc: Incident): string {
  const lines = [
    `${inc.key}  ${inc.title}`,
    `  ${inc.severity} · ${inc.failureClass} · ${inc.service || '(no service)'} · phase: ${inc.phase}${inc.isDrill ? ' · DRILL' : ''}`,
    `  detected ${fmtTime(inc.detectedAt)}${inc.startedAt ? ` · impact started ${fmtTime(inc.startedAt)}` : ''}`,
    `  TTD ${formatDuration(inc.metrics.timeToDetectMs)}  TTA ${formatDuration(inc.metrics.timeToAcknowledgeMs)}  TTM ${formatDuration(inc.metrics.timeToMitigateMs)}  TTR ${formatDuration(inc.metrics.timeToResolveMs)}`,
  ];
  const roles = ROLES.filter((r) => inc.roles[r]).map((r) => `${r}=${inc.roles[r]}`);
  if (roles.length) lines.push(`  roles: ${roles.join(', ')}`);
  if (inc.impact) lines.push(`  impact: ${inc.impact}`);
  if (inc.hypothesis) lines.push(`  hypothesis: ${inc.hypothesis}`);
  lines.push('', '  Phases:');
  for (const p of inc.phases) {
    lines.push(`    ${PHASE_DEFS[p.phase].label.padEnd(12)} entered ${fmtTime(p.enteredAt)}${p.exitedAt ? `  left ${fmtTime(p.exitedAt)}` : ''}${p.earlyReason ? `  (early: ${p.earlyReason})` : ''}`);
  }
  lines.push('', '  Timeline:');
  for (const e of inc.timeline) lines.push(`    ${fmtTime(e.occurredAt)}  [${e.kind}] ${e.body}${e.editedAt ? ' (edited)' : ''}`);
  return lines.join('\n') + '\n';
}

function listIncidents(page: IncidentPage): string {
  const list: IncidentSummary[] = page.items;
  if (!list.length) return page.total ? 'No more incidents.\n' : 'No incidents. Create one: pmw incident new --title "…" --severity SEV2 --class data\n';
  const rows = page.items.map((i) => `${i.key}  ${i.severity}  ${i.phase.padEnd(11)}  ${i.failureClass.padEnd(14)}  ${i.title}${i.isDrill ? '  [drill]' : ''}${i.overdueActions ? `  [${i.overdueActions} overdue]` : ''}`);
  const more = page.nextCursor ? `\n${list.length} of ${page.total} shown. Next page: --cursor ${page.nextCursor}\n` : '';
  return rows.join('\n') + '\n' + more;
}

async function withApp<T>(a: ParsedArgs, host: 'cli' | 'web', fn: (app: App) => Promise<T>): Promise<T> {
  const app = createApp({ dbPath: resolveDbPath(str(a.flags, 'db')), host });
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
  const app = createApp({ dbPath, host: 'web', refuse: ['artifact:addPath'], allowExec });
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

export async function main(argv: string[], rawIo: Io = stdio): Promise<number> {
  const io = redacting(rawIo);
  const a = parseCommandLine(argv, io);
  if (!a) return 2;
  if (a.flags.version) {
    io.out(`${APP_VERSION}\n`);
    return 0;
  }
  const cmd = a.positionals[0];
  if (!cmd || a.flags.help || cmd === 'help') {
    io.out(HELP);
    return cmd || a.flags.help ? 0 : 2;
  }
  // Ctrl+C mid-command: the command unwinds (its transactions are atomic, its cleanup runs), then 130.
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    io.err('\npmw: interrupted — stopping without leaving anything half-written…\n');
    for (const h of [...interruptHooks, ...diffInterrupts]) h();
    if (cmd === 'drill') process.stdin.destroy();
  };
  const trap = cmd !== 'serve' && rawIo === stdio;
  if (trap) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    const code = await run(cmd, a, io, rawIo);
    return interrupted ? 130 : code;
  } catch (e) {
    if (interrupted) {
      io.err(`pmw: stopped: ${ApiError.from(e).message}\n`);
      return 130;
    }
    return printError(e, a.flags.json === true, io);
  } finally {
    if (trap) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }
}

async function run(cmd: string, a: ParsedArgs, io: Io, rawIo: Io): Promise<number> {
  {
    switch (cmd) {
      case 'incident':
        return await incidentCommand(a, io);
      case 'serve':
        // Not redacted: the URL carries this launch's access token, which the user needs to open the UI.
        return await serveCommand(a, rawIo);
      case 'artifact':
        return await artifactCommand(a, io);
      case 'diff':
        return await diffCommand(a, io);
      case 'finding':
        return await findingCommand(a, io);
      case 'stubs':
        return await stubsCommand(a, io);
      case 'postmortem':
        return await postmortemCommand(a, io);
      case 'export':
        return await exportCommand(a, io);
      case 'bundle':
        return await bundleCommand(a, io, rawIo);
      case 'drill':
        return await drillCommand(a, io);
      // Store health (issue 10)
      case 'backup':
        return await backupCommand(a, io);
      case 'restore':
        return await restoreCommand(a, io);
      case 'doctor':
        return await doctorCommand(a, io);
      case 'search':
        return await withApp(a, 'cli', (app) => searchCommand(app, a, io));
      case 'stats':
        return await withApp(a, 'cli', (app) => statsCommand(app, a, io));
      case 'action':
        return await withApp(a, 'cli', (app) => actionCommand(app, a, io));
      // Issue 13
      case 'capture':
        return await captureCommand(
          { dir: str(a.flags, 'dir') ?? '.', out: str(a.flags, 'out'), python: str(a.flags, 'python'), k8s: str(a.flags, 'k8s'), include: (str(a.flags, 'include') ?? '').split(',').filter(Boolean), json: a.flags.json === true },
          io,
        );
      case 'run': {
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
      case 'timeline':
        if (a.positionals[1] !== 'import') throw new ApiError('VALIDATION', `unknown timeline command "${a.positionals[1] ?? ''}" (import)`);
        return await withApp(a, 'cli', (app) =>
          timelineImportCommand(app, { key: requireKey(a, 2), file: requireKey(a, 3, 'FILE'), format: str(a.flags, 'format'), dryRun: a.flags['dry-run'] === true, timeZone: str(a.flags, 'tz'), json: a.flags.json === true }, io),
        );
      default:
        io.err(`pmw: unknown command "${cmd}". Run "pmw --help".\n`);
        return 2;
    }
  }
}
