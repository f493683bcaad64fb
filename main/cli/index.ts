// `pmw` — the same services as the app, for scripts and CI.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createApp, APP_VERSION, type App } from '../app';
import { resolveDbPath } from '../store/paths';
import { startWebHost } from '../web/server';
import { parseArgs, str, type ParsedArgs } from './args';
import { ApiError } from '../../shared/api/errors';
import type { Incident, IncidentSummary, TimelineEvent } from '../../shared/domain';
import { FAILURE_CLASSES, ROLES, SEVERITIES } from '../../shared/domain';
import { formatDuration, PHASE_DEFS } from '../../shared/phases';

const BOOLEAN_FLAGS = new Set(['json', 'help', 'version', 'no-build', 'drills', 'verified', 'open']);

export const HELP = `pmw — Postmortem Workbench CLI ${APP_VERSION}

Usage: pmw <command> [options]

Incidents
  pmw incident new --title T --severity SEV1..SEV4 --class CLASS [--service S] [--impact I]
                   [--detected-at ISO] [--started-at ISO]
  pmw incident list [--phase P|open|closed] [--severity S] [--class C] [--query Q]
                    [--sort updated|created|severity|key] [--drills]
  pmw incident show KEY
  pmw incident advance KEY [--reason R]       pass the current phase's gate (a reason is
                                              required when exit criteria are unmet)
  pmw incident note KEY TEXT [--kind note|action|evidence|decision|comms] [--at ISO]
  pmw incident role KEY ROLE PERSON           ROLE: ${ROLES.join(', ')}
  pmw incident set KEY [--impact I] [--service S] [--hypothesis H] [--mitigation M] [--verified]
                   [--resolution R] [--summary S] [--lessons L] [--severity S] [--class C] [--origin O]

Web host
  pmw serve [--port N] [--no-build]          serve the UI and API on 127.0.0.1, print the URL

Options (every command)
  --db PATH     database file (default: $PMW_DB, else the platform data directory)
  --json        machine-readable output
  --help, -h    this help;  --version  print the version

Classes: ${FAILURE_CLASSES.join(', ')}.  Severities: ${SEVERITIES.join(', ')}.
Exit codes: 0 success, 2 error (message on stderr).
`;

interface Io {
  out(s: string): void;
  err(s: string): void;
}
const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

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

function listIncidents(list: IncidentSummary[]): string {
  if (!list.length) return 'No incidents. Create one: pmw incident new --title "…" --severity SEV2 --class data\n';
  return list.map((i) => `${i.key}  ${i.severity}  ${i.phase.padEnd(11)}  ${i.failureClass.padEnd(14)}  ${i.title}${i.isDrill ? '  [drill]' : ''}`).join('\n') + '\n';
}

async function withApp<T>(a: ParsedArgs, host: 'cli' | 'web', fn: (app: App) => Promise<T>): Promise<T> {
  const app = createApp({ dbPath: resolveDbPath(str(a.flags, 'db')), host });
  try {
    return await fn(app);
  } finally {
    app.close();
  }
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
        });
        print(list, listIncidents(list));
        return 0;
      }
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
      default:
        throw new ApiError('VALIDATION', `unknown incident command "${sub ?? ''}" (new, list, show, advance, note, role, set)`);
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
  const app = createApp({ dbPath, host: 'web' });
  const host = await startWebHost({ app, staticDir: rendererDir(), port });
  io.out(`Postmortem Workbench is serving on 127.0.0.1 only.\nOpen: ${host.url}\nDatabase: ${dbPath}\nPress Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  app.close();
  return 0;
}

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  let a: ParsedArgs;
  try {
    a = parseArgs(argv, BOOLEAN_FLAGS);
  } catch (e) {
    io.err(`pmw: ${(e as Error).message}\n`);
    return 2;
  }
  if (a.flags.version) {
    io.out(`${APP_VERSION}\n`);
    return 0;
  }
  const cmd = a.positionals[0];
  if (!cmd || a.flags.help || cmd === 'help') {
    io.out(HELP);
    return cmd || a.flags.help ? 0 : 2;
  }
  try {
    switch (cmd) {
      case 'incident':
        return await incidentCommand(a, io);
      case 'serve':
        return await serveCommand(a, io);
      default:
        io.err(`pmw: unknown command "${cmd}". Run "pmw --help".\n`);
        return 2;
    }
  } catch (e) {
    const err = ApiError.from(e);
    if (a.flags.json === true) io.err(JSON.stringify(err.toJSON()) + '\n');
    else {
      io.err(`pmw: ${err.message}\n`);
      for (const i of err.details?.issues ?? []) if (!err.message.includes(i.message)) io.err(`  ${i.field}: ${i.message}\n`);
    }
    return 2;
  }
}
