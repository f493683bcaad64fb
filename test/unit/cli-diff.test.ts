// `pmw diff` as a real process: bin/pmw.cjs runs it from its own bundle (dist/main/cli-diff.cjs); what
// it prints, and its exit codes, are those of the full CLI (main() in process) for the same files.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/index';
import { diffArtifacts } from '../../shared/diff/index';
import { makeCorpus } from './secrets-corpus';
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

  it('plain text read straight into the diff kernel gives the engine’s result; other content still goes to its engine', () => {
    const c = makeCorpus();
    const rows = Array.from({ length: 2000 }, (_, i) => `step ${i} loss=${(1 / (i + 1)).toFixed(5)} ü`);
    const pairs: [string, Uint8Array, string, Uint8Array][] = [];
    const add = (na: string, a: string | Uint8Array, nb: string, b: string | Uint8Array) =>
      pairs.push([na, typeof a === 'string' ? Buffer.from(a) : a, nb, typeof b === 'string' ? Buffer.from(b) : b]);
    add('run-a.out', rows.join('\n') + '\n', 'run-b.out', rows.map((l, i) => (i % 211 === 5 ? `${l} password=${c.dbPassword}` : l)).join('\n'));
    add('before', '\uFEFF' + rows.slice(0, 50).join('\r\n'), 'after', rows.slice(1, 50).join('\r\n'));
    add('conf-a', '{"lr": 0.1, "epochs": 3}\n', 'conf-b', '{"lr": 0.2, "epochs": 3}\n'); // JSON by its content
    add('u16-a.txt', Buffer.from('\uFEFFa\nb\n', 'utf16le'), 'u16-b.txt', Buffer.from('\uFEFFa\nc\n', 'utf16le'));
    add('bad-a.txt', Buffer.from([0x61, 0x0a, 0xff, 0x0a]), 'bad-b.txt', Buffer.from([0x61, 0x0a, 0xfe, 0x0a, 0x62]));
    add('key-a.txt', c.pem + '\nx\n', 'key-b.txt', c.pem + '\ny\n'); // PEM: redacted whole before the diff
    add('same-a.txt', 'x\n', 'same-b.txt', 'x\n');
    const noFp = (s: string) => s.replace(/\[fp:[0-9a-f]{8}\]/g, '[fp]');
    for (const [na, a, nb, b] of pairs) {
      const fa = join(t.dir, na);
      const fb = join(t.dir, nb);
      writeFileSync(fa, a);
      writeFileSync(fb, b);
      const r = diffArtifacts({ name: na, bytes: new Uint8Array(a) }, { name: nb, bytes: new Uint8Array(b) });
      const want = { kind: r.kind, changes: r.changes, problems: r.problems, noSemanticChange: r.noSemanticChange, ...(r.parseError ? { parseError: r.parseError } : {}) };
      const got = real('diff', '--json', fa, fb);
      expect(noFp(got.out), na).toBe(noFp(JSON.stringify(want, null, 2) + '\n'));
      for (const v of c.values) expect(got.out).not.toContain(v);
    }
    expect(JSON.parse(real('diff', '--json', join(t.dir, 'conf-a'), join(t.dir, 'conf-b')).out).kind).toBe('json');
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
