// Issue 14: a command loads only its own code. Structural, not timed (timings are in npm run bench):
// which bundles and packages a real process has loaded after `pmw --help`, `pmw diff`, `pmw incident list`.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const cli = join(__dirname, '..', '..', 'dist', 'main', 'cli.cjs');

/** The files in require.cache after running argv through the built CLI entry. */
function loaded(argv: string[]): string[] {
  const script = `require(${JSON.stringify(cli)}).main(${JSON.stringify(argv)}, { out() {}, err() {} }).then((code) => { console.log(JSON.stringify({ code, files: Object.keys(require.cache) })); });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { files: string[] }).files;
}
const has = (files: string[], name: string) => files.some((f) => f.replaceAll('\\', '/').includes(name));

describe('pmw loads per command', () => {
  it('--help loads no command bundle', () => {
    const f = loaded(['--help']);
    expect(has(f, 'dist/main/cli.cjs')).toBe(true);
    expect(has(f, 'cli-app.cjs')).toBe(false);
    expect(has(f, 'cli-diff.cjs')).toBe(false);
  });

  it('diff loads its own bundle, not the app or SQLite', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    writeFileSync(join(t.dir, 'a.txt'), 'a\n');
    writeFileSync(join(t.dir, 'b.txt'), 'b\n');
    const f = loaded(['diff', join(t.dir, 'a.txt'), join(t.dir, 'b.txt')]);
    expect(has(f, 'cli-diff.cjs')).toBe(true);
    expect(has(f, 'cli-app.cjs')).toBe(false);
    expect(has(f, 'better-sqlite3')).toBe(false);
    expect(has(f, 'cli-diff-engines.cjs')).toBe(false);
  });

  it('a package-lock.json diff runs in process and loads only the dependency engine', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const lock = (v: string) => JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'app' }, 'node_modules/react': { version: v } } }, null, 2);
    mkdirSync(join(t.dir, 'a'));
    mkdirSync(join(t.dir, 'b'));
    writeFileSync(join(t.dir, 'a', 'package-lock.json'), lock('18.2.0'));
    writeFileSync(join(t.dir, 'b', 'package-lock.json'), lock('19.0.0'));
    const f = loaded(['diff', join(t.dir, 'a', 'package-lock.json'), join(t.dir, 'b', 'package-lock.json')]);
    expect(has(f, 'cli-diff-deps.cjs')).toBe(true);
    expect(has(f, 'cli-diff-engines.cjs')).toBe(false);
    expect(has(f, 'better-sqlite3')).toBe(false);
  });

  it('a database command loads the app bundle (and not the diff one)', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const f = loaded(['incident', 'list', '--db', join(t.dir, 'x.db')]);
    expect(has(f, 'cli-app.cjs')).toBe(true);
    expect(has(f, 'better-sqlite3')).toBe(true);
    expect(has(f, 'cli-diff.cjs')).toBe(false);
  });

  it('incident show KEY loads the small read bundle only; a malformed key goes to the app bundle', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = join(t.dir, 'x.db');
    const fast = loaded(['incident', 'show', 'INC-0001', '--db', db]);
    expect(has(fast, 'cli-read.cjs')).toBe(true);
    expect(has(fast, 'cli-app.cjs')).toBe(false);
    // better-sqlite3's JavaScript is inside cli-read.cjs: nothing of it is loaded from node_modules.
    expect(fast.filter((f) => f.replaceAll('\\', '/').includes('node_modules/better-sqlite3/lib'))).toEqual([]);
    const full = loaded(['incident', 'show', 'inc-1', '--db', db]);
    expect(has(full, 'cli-app.cjs')).toBe(true);
    expect(has(full, 'cli-read.cjs')).toBe(false);
  });
});
