// Strict flags (issue 10, item 9): an unknown or misspelt flag is an error naming the flag and the
// command, with the closest known flag; a missing or misplaced value names its flag; exit 2, nothing
// written. Through main() and, once, as a real process.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { main, COMMANDS } from '../../main/cli/index';
import { ArgError, closest, GLOBAL_OPTIONS, parseCommandArgs } from '../../main/cli/args';
import { tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function db() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'args.db');
}

async function pmw(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('pmw flags are strict', () => {
  it('refuses a misspelt flag on incident new, names it and the command, suggests the right one, and creates nothing', async () => {
    const d = db();
    const r = await pmw('incident', 'new', '--title', 'T', '--severity', 'SEV2', '--class', 'data', '--servce', 'fraud', '--db', d);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('unknown flag --servce');
    expect(r.err).toContain('"pmw incident new"');
    expect(r.err).toContain('did you mean --service?');
    // Refused before the command ran: not even the database was created.
    expect(existsSync(d)).toBe(false);
  });

  it.each([
    [['search', 'latency', '--sevrity', 'SEV1'], 'unknown flag --sevrity', '"pmw search"', '--severity'],
    [['diff', 'a.txt', 'b.txt', '--knd', 'text'], 'unknown flag --knd', '"pmw diff"', '--kind'],
    [['export', 'INC-0001', '--rpo', '/tmp/x'], 'unknown flag --rpo', '"pmw export"', '--repo'],
    [['stats', '--sinse', '2026-01-01'], 'unknown flag --sinse', '"pmw stats"', '--since'],
    [['action', 'list', '--overdeu'], 'unknown flag --overdeu', '"pmw action list"', '--overdue'],
    [['drill', 'run', 'x', '--participnt', 'ana'], 'unknown flag --participnt', '"pmw drill run"', '--participant'],
    [['backup', '--lst'], 'unknown flag --lst', '"pmw backup"', '--list'],
    [['incident', 'list', '--jsno'], 'unknown flag --jsno', '"pmw incident list"', '--json'],
  ])('pmw %j', async (argv, what, where, near) => {
    const r = await pmw(...argv, '--db', db());
    expect(r.code).toBe(2);
    expect(r.err).toContain(what);
    expect(r.err).toContain(where);
    expect(r.err).toContain(`did you mean ${near}?`);
  });

  it('refuses a flag that belongs to another subcommand', async () => {
    const r = await pmw('incident', 'show', 'INC-0001', '--title', 'x', '--db', db());
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown flag --title for "pmw incident show"');
  });

  it('suggests nothing for a flag far from every known one, and never echoes a value', async () => {
    const r = await pmw('incident', 'new', '--password=hunter2-secret', '--db', db());
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown flag --password');
    expect(r.err).not.toContain('did you mean');
    expect(r.err).not.toContain('hunter2');
  });

  it('names the flag that lacks its value, or has one it does not take', async () => {
    const d = db();
    let r = await pmw('incident', 'list', '--limit', '--db', d);
    expect(r.code).toBe(2);
    expect(r.err).toContain('flag --limit for "pmw incident list" needs a value');
    r = await pmw('incident', 'new', '--title', 'T', '--severity', '--db', d);
    expect(r.code).toBe(2);
    expect(r.err).toContain('flag --severity for "pmw incident new" needs a value');
    r = await pmw('search', 'x', '--drills=yes', '--db', d);
    expect(r.code).toBe(2);
    expect(r.err).toContain('flag --drills for "pmw search" takes no value');
    r = await pmw('incident', 'note', 'INC-0001', 'text', '--at', '-1h', '--db', d);
    expect(r.code).toBe(2);
    expect(r.err).toContain('flag --at for "pmw incident note" needs a value (one that starts with "-" is given as --at=VALUE)');
  });

  it('still says which value is wrong in the command itself (bad values keep their field)', async () => {
    const r = await pmw('search', 'x', '--limit', 'many', '--db', db());
    expect(r.code).toBe(2);
    expect(r.err).toContain('--limit must be a whole number');
  });

  it('suggests the nearest command for an unknown one', async () => {
    const r = await pmw('incidnet', 'list');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "incidnet" (did you mean "pmw incident"?)');
  });

  it('accepts flags before the command, --x=v, -h, and -- before positionals', async () => {
    const d = db();
    expect((await pmw('--db', d, 'incident', 'new', '--title=Flags first', '--severity', 'SEV3', '--class', 'data')).code).toBe(0);
    const shown = await pmw('incident', 'show', '--json', 'INC-0001', `--db=${d}`);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out).title).toBe('Flags first');
    const h = await pmw('incident', '-h');
    expect(h.code).toBe(0);
    expect(h.out).toContain('Usage: pmw <command>');
    expect((await pmw('incident', 'note', '--db', d, '--', 'INC-0001', '--not-a-flag')).code).toBe(0);
    const ev = JSON.parse((await pmw('incident', 'show', 'INC-0001', '--json', '--db', d)).out).timeline.map((e: { body: string }) => e.body);
    expect(ev).toContain('--not-a-flag');
  });

  it('exits 2 as a real process with the message on stderr', () => {
    const bin = join(__dirname, '..', '..', 'bin', 'pmw.cjs');
    const r = spawnSync(process.execPath, [bin, 'incident', 'new', '--servce', 'x'], { encoding: 'utf8', env: { ...process.env, PMW_DB: db() } });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown flag --servce for "pmw incident new" (did you mean --service?)');
  });
});

describe('the command table', () => {
  it('gives every command a loader, and no subcommand flag shadows a global one with another type', () => {
    for (const c of COMMANDS) {
      expect(typeof c.load).toBe('function');
      for (const spec of [c.options ?? {}, ...Object.values(c.subcommands ?? {})]) {
        for (const [name, o] of Object.entries(spec)) {
          const g = (GLOBAL_OPTIONS as Record<string, { type: string }>)[name];
          if (g) expect(o.type, `${c.name} --${name}`).toBe(g.type);
        }
      }
    }
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });

  it('parses with parseCommandArgs: strings, booleans, positionals; ArgError names the flag', () => {
    const spec = { ...GLOBAL_OPTIONS, out: { type: 'string' }, list: { type: 'boolean' } } as const;
    expect(parseCommandArgs(['backup', '--out', 'f.db', '--json'], spec, 'backup')).toEqual({ positionals: ['backup'], flags: { out: 'f.db', json: true } });
    expect(() => parseCommandArgs(['backup', '--outt', 'x'], spec, 'backup')).toThrow(ArgError);
    try {
      parseCommandArgs(['backup', '--lisst'], spec, 'backup');
    } catch (e) {
      expect((e as ArgError).flag).toBe('lisst');
    }
    expect(closest('servce', ['service', 'severity'])).toBe('service');
    expect(closest('sevrity', ['service', 'severity'])).toBe('severity');
    expect(closest('zzzzzz', ['service', 'severity'])).toBeUndefined();
  });
});
