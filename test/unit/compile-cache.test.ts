// bin/compile-cache.cjs: the V8 code cache of pmw's own bundles, as real processes use it. A run stores
// its data once; the next run uses it and writes nothing; a rebuilt bundle replaces its old data; and two
// installs side by side keep their own (each used to delete the other's as an "earlier build", so
// alternating between them compiled from scratch every time).
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers';

const root = join(__dirname, '..', '..');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A copy of bin/ and the CLI entry bundle laid out as an installed package (enough for --help). */
function install(dir: string): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'main'), { recursive: true });
  for (const f of ['pmw.cjs', 'compile-cache.cjs']) cpSync(join(root, 'bin', f), join(dir, 'bin', f));
  cpSync(join(root, 'dist', 'main', 'cli.cjs'), join(dir, 'dist', 'main', 'cli.cjs'));
  return join(dir, 'bin', 'pmw.cjs');
}

describe('the code cache', () => {
  it('is written once, used after, replaced on rebuild, and kept per install', () => {
    const t = tempDir('pmw-cc-');
    cleanups.push(t.cleanup);
    const cache = join(t.dir, 'cache');
    const a = install(join(t.dir, 'a'));
    const b = install(join(t.dir, 'b'));
    const run = (bin: string) => {
      const r = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', env: { ...process.env, PMW_COMPILE_CACHE: cache } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('pmw incident new');
    };
    const files = () => readdirSync(cache).filter((f) => f.startsWith('cli.cjs-') && f.endsWith('.v8')).sort();

    // Data named the older way (no install in the name) goes when this bundle's data is written.
    mkdirSync(cache, { recursive: true, mode: 0o700 });
    writeFileSync(join(cache, `cli.cjs-1234-1796000000000-${process.version}-${process.arch}.v8`), 'old');
    run(a);
    expect(files()).toHaveLength(1);
    const [fa] = files();
    expect(fa).toMatch(/^cli\.cjs-[0-9a-f]{8}-\d+-\d+-v/);
    const written = statSync(join(cache, fa)).mtimeMs;
    run(a); // a hit: nothing written
    expect(files()).toEqual([fa]);
    expect(statSync(join(cache, fa)).mtimeMs).toBe(written);

    run(b);
    expect(files()).toHaveLength(2); // b's data beside a's, not instead of it
    run(a);
    expect(files()).toContain(fa);
    expect(statSync(join(cache, fa)).mtimeMs).toBe(written); // still a hit after b ran

    appendFileSync(join(t.dir, 'a', 'dist', 'main', 'cli.cjs'), '\n// rebuilt\n');
    run(a);
    const after = files();
    expect(after).toHaveLength(2); // a's new data replaced its old; b's stayed
    expect(after).not.toContain(fa);
  });
});
