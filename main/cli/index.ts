// `pmw` — the same services as the app, for scripts and CI. This is the CLI entry (dist/main/cli.cjs):
// the help text, the command table and argument parsing, nothing else. Each command's implementation is
// loaded only when it runs — from its own bundle in the build (dist/main/cli-app.cjs, cli-diff.cjs; see
// lazyCommands in scripts/build.mjs) — so `pmw --help` loads no app code at all and `pmw diff` no
// database code. How to add a command: docs/ARCHITECTURE.md ("CLI: adding a command").
import { parseArgs as nodeParseArgs } from 'node:util';
import { ArgError, closest, GLOBAL_OPTIONS, parseCommandArgs, type OptionSpec, type ParsedArgs } from './args';
import { stdio, type CommandRunner, type Io } from './io';
import { APP_VERSION, HELP } from './help';
import { INCIDENT_KEY_PATTERN } from '../../shared/domain';

export { HELP };

/**
 * One `pmw` command: its name (the first word), its flags (besides GLOBAL_OPTIONS) — per subcommand
 * where it has subcommands (the second word; an unknown one gets `options` and the implementation
 * says what is valid) — and a loader of its implementation, called only when the command runs.
 */
export interface CommandDef {
  name: string;
  options?: OptionSpec;
  subcommands?: Record<string, OptionSpec>;
  load: () => Promise<CommandRunner>;
}

const s = { type: 'string' } as const;
const b = { type: 'boolean' } as const;

// `import('./app-commands')` / `import('./diff')` become requires of their bundles in the build.
const app = () => import('./app-commands');
const read = () => import('./read-commands');

/** A well-formed `pmw incident show KEY` (nothing the full command would treat otherwise): the small read-only bundle serves it. */
function fastShow(a: ParsedArgs): boolean {
  return a.positionals[1] === 'show' && a.positionals.length === 3 && INCIDENT_KEY_PATTERN.test(a.positionals[2]);
}

export const COMMANDS: CommandDef[] = [
  {
    name: 'incident',
    subcommands: {
      new: { title: s, severity: s, class: s, service: s, impact: s, summary: s, 'detected-at': s, 'started-at': s },
      list: { phase: s, severity: s, class: s, query: s, sort: s, drills: b, limit: s, cursor: s },
      show: {},
      similar: { limit: s },
      advance: { reason: s },
      note: { kind: s, at: s },
      role: {},
      set: {
        impact: s, service: s, hypothesis: s, mitigation: s, resolution: s, summary: s, lessons: s, severity: s,
        class: s, origin: s, title: s, 'detected-at': s, 'started-at': s, verified: b,
      },
      reopen: { reason: s },
    },
    load: async () => async (a, io) => (await (fastShow(a) ? read().then((m) => m.incidentShow) : app().then((m) => m.incident)))(a, io),
  },
  { name: 'artifact', subcommands: { add: { role: s, label: s, kind: s }, list: {} }, load: () => app().then((m) => m.artifact) },
  { name: 'diff', options: { kind: s }, load: () => import('./diff').then((m) => m.diff) },
  { name: 'finding', subcommands: { suggest: { accept: b }, list: {} }, load: () => app().then((m) => m.finding) },
  { name: 'stubs', options: { out: s }, load: () => app().then((m) => m.stubs) },
  { name: 'postmortem', load: () => app().then((m) => m.postmortem) },
  {
    name: 'export',
    options: { repo: s, branch: s, 'dry-run': b, 'allow-secret': s, reason: s, finish: b, discard: b },
    load: () => app().then((m) => m.exportRun),
  },
  { name: 'bundle', subcommands: { export: { 'include-secrets': b }, import: {} }, load: () => app().then((m) => m.bundle) },
  {
    name: 'drill',
    subcommands: { list: {}, run: { participant: s }, report: {}, history: { participant: s }, export: {} },
    load: () => app().then((m) => m.drill),
  },
  { name: 'serve', options: { port: s, 'no-build': b, 'allow-exec': b }, load: () => app().then((m) => m.serve) },
  // Store health (issue 10)
  { name: 'backup', options: { out: s, list: b }, load: () => app().then((m) => m.backup) },
  { name: 'restore', load: () => app().then((m) => m.restore) },
  { name: 'doctor', load: () => app().then((m) => m.doctor) },
  // Search, stats, backlog (issue 12)
  {
    name: 'search',
    options: { class: s, severity: s, service: s, phase: s, since: s, until: s, drills: b, limit: s },
    load: () => app().then((m) => m.search),
  },
  { name: 'stats', options: { since: s, until: s, csv: b, out: s }, load: () => app().then((m) => m.stats) },
  {
    name: 'action',
    subcommands: { list: { open: b, overdue: b, owner: s, type: s, status: s, limit: s } },
    load: () => app().then((m) => m.action),
  },
  // Bringing the real world in (issue 13): capture needs no database (its own bundle, cli-capture.cjs)
  {
    name: 'capture',
    options: { dir: s, out: s, python: s, k8s: s, include: { type: 'string', multiple: true }, 'max-file-bytes': s },
    load: () => import('./capture').then((m) => m.captureRunner),
  },
  { name: 'run', options: { cell: s, all: b, yes: b, incident: s, timeout: s }, load: () => app().then((m) => m.run) },
  { name: 'timeline', subcommands: { import: { format: s, 'dry-run': b, tz: s } }, load: () => app().then((m) => m.timeline) },
  // Team sync over git (issue 15)
  {
    name: 'team',
    subcommands: { join: { name: s }, sync: {}, status: {}, resolve: { take: s }, leave: { yes: b } },
    load: () => app().then((m) => m.team),
  },
];

/** Every flag of every command (to find the command's name when flags come first). */
function allOptions(): OptionSpec {
  const all: OptionSpec = { ...GLOBAL_OPTIONS };
  for (const c of COMMANDS) for (const o of [c.options ?? {}, ...Object.values(c.subcommands ?? {})]) Object.assign(all, o);
  return all;
}

/** The flags of `pmw <argv…>` and the command's name for messages ("incident new"). */
function specFor(def: CommandDef, argv: string[]): { options: OptionSpec; label: string } {
  if (!def.subcommands) return { options: { ...GLOBAL_OPTIONS, ...def.options }, label: def.name };
  // The subcommand: the first positional after the command (flags may come first).
  const all: OptionSpec = { ...GLOBAL_OPTIONS, ...def.options };
  for (const o of Object.values(def.subcommands)) Object.assign(all, o);
  const sub = loosePositionals(argv, all)[1];
  const own = sub !== undefined && Object.hasOwn(def.subcommands, sub) ? def.subcommands[sub] : undefined;
  if (!own) return { options: all, label: def.name };
  return { options: { ...GLOBAL_OPTIONS, ...def.options, ...own }, label: `${def.name} ${sub}` };
}

function loosePositionals(argv: string[], options: OptionSpec): string[] {
  return nodeParseArgs({ args: argv, options, strict: false, allowPositionals: true }).positionals;
}

export async function main(argv: string[], rawIo: Io = stdio): Promise<number> {
  const all = allOptions();
  const name = loosePositionals(argv, all)[0];
  const def = COMMANDS.find((c) => c.name === name);
  let a: ParsedArgs;
  try {
    if (def) {
      const { options, label } = specFor(def, argv);
      a = parseCommandArgs(argv, options, label);
    } else a = parseCommandArgs(argv, name === undefined || name === 'help' ? GLOBAL_OPTIONS : all, '');
  } catch (e) {
    if (!(e instanceof ArgError)) throw e;
    if (name !== undefined && name !== 'help' && !def) return unknownCommand(name, rawIo);
    rawIo.err(`pmw: ${e.message}\n`);
    return 2;
  }
  if (a.flags.version) {
    rawIo.out(`${APP_VERSION}\n`);
    return 0;
  }
  const cmd = a.positionals[0];
  if (!cmd || a.flags.help || cmd === 'help') {
    rawIo.out(HELP);
    return cmd || a.flags.help ? 0 : 2;
  }
  if (!def) return unknownCommand(cmd, rawIo);
  const run = await def.load();
  return run(a, rawIo);
}

function unknownCommand(cmd: string, io: Io): number {
  const near = closest(cmd, COMMANDS.map((c) => c.name));
  io.err(`pmw: unknown command "${cmd.slice(0, 60)}"${near ? ` (did you mean "pmw ${near}"?)` : ''}. Run "pmw --help".\n`);
  return 2;
}
