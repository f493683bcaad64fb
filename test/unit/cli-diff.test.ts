// `pmw diff` as a real process: bin/pmw.cjs runs it from its own bundle (dist/main/cli-diff.cjs); what
// it prints, and its exit codes, are those of the full CLI (main() in process) for the same files.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/index';
import { tempDir } from './helpers';

const bin = join(__dirname, '..', '..', 'bin', 'pmw.cjs');
let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = tempDir('pmw-cli-diff-');
});
afterAll(() => t.cleanup());

function file(name: string, text: string): string {
  const p = join(t.dir, name);
  writeFileSync(p, text);
  return p;
}
async function inProcess(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}
function real(...argv: string[]) {
  const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('pmw diff (own bundle)', () => {
  it('prints the same listing, JSON and exit code as the full CLI', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `row ${i} value=${(i * 7919) % 1000} é`);
    const a = file('a.txt', lines.join('\n') + '\n');
    const b = file('b.txt', lines.map((l, i) => (i % 97 === 3 ? `${l} changed` : l)).filter((_, i) => i % 501 !== 9).join('\r\n'));
    const reqA = file('requirements.txt', 'numpy==1.26.4\npandas==2.2.2\n');
    const reqB = file('requirements-new.txt', 'numpy==2.0.0\npandas==2.2.2\n');
    for (const argv of [
      ['diff', a, b],
      ['diff', a, b, '--kind', 'text'],
      ['diff', '--json', a, b],
      ['diff', reqA, reqB, '--kind', 'requirements'],
      ['diff', a, a],
    ]) {
      const got = real(...argv);
      const want = await inProcess(...argv);
      expect(got).toEqual(want);
    }
    const listing = real('diff', a, b).out;
    expect(listing).toContain('INFO     deployment     line endings changed: LF → CRLF\n');
    expect(listing).toContain('no newline at end of file any more');
    expect(listing.split('\n').filter((l) => / changed: row 3 value=/.test(l))).toHaveLength(1);
    expect(real('diff', reqA, reqB, '--kind', 'requirements').code).toBe(1); // a major version bump is serious
  });

  it('refuses bad input with the full CLI’s messages, and --help still shows the full help', async () => {
    const a = file('x.txt', 'x\n');
    for (const argv of [['diff', a], ['diff', a, join(t.dir, 'missing.txt')], ['diff', a, a, '--kind', 'nope'], ['diff', a, a, '--kind'], ['diff', '--json', a, t.dir]]) {
      const got = real(...argv);
      expect(got.code).toBe(2);
      expect(got).toEqual(await inProcess(...argv));
    }
    const help = real('diff', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('pmw incident new');
  });

  it('stops writing quietly when the reader goes away (pmw diff … | head), keeping its exit code', () => {
    const lines = (tag: string) => Array.from({ length: 40_000 }, (_, i) => `line ${i} ${i % 3 ? 'same' : tag}`).join('\n') + '\n';
    const a = file('big-a.txt', lines('before'));
    const b = file('big-b.txt', lines('after'));
    // `head -c 100` reads the start of the listing and closes the pipe.
    const direct = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${bin}" diff "${a}" "${b}" | head -c 100 >/dev/null; echo "exit=$?"`], { encoding: 'utf8' });
    expect(direct.stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(direct.stdout.trim()).toBe(`exit=${real('diff', a, b).code}`);
  });
});
