// Issue 13: runbook cells run and keep their output; --all stops at the first failure; a timeout works;
// environment carries between cells; the web host refuses without --allow-exec.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../main/cli/index';
import { createApp } from '../../main/app';
import { newSession, runCell } from '../../main/services/runbookRun';
import { parseCells, writeCellOutput } from '../../shared/runbook-cells/index';
import { rejects, tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const RUNBOOK = `# Runbook: fraud model

## Diagnosis

\`\`\`sh { name=setup }
export MODEL_VERSION=v42
mkdir -p work && cd work
echo "set up $MODEL_VERSION"
\`\`\`

Check what the previous cell left:

\`\`\`bash
echo "version=$MODEL_VERSION in $(basename "$PWD")"
\`\`\`

\`\`\`sh
echo failing >&2; exit 3
\`\`\`

## Mitigation

\`\`\`sh
echo never
\`\`\`

\`\`\`python
print("not a shell cell")
\`\`\`
`;

function setup() {
  const t = tempDir('pmw-run-');
  cleanups.push(t.cleanup);
  const file = join(t.dir, 'runbook.md');
  writeFileSync(file, RUNBOOK);
  const db = join(t.dir, 'w.db');
  const pmw = async (answers: string[], ...argv: string[]) => {
    let out = '';
    let err = '';
    async function* lines() {
      for (const a of answers) yield a;
    }
    const code = await main([...argv, '--db', db], { out: (s) => (out += s), err: (s) => (err += s), lines: lines() });
    return { code, out, err };
  };
  return { dir: t.dir, file, db, pmw };
}

describe('runbook cells', () => {
  it('parses sh cells with their sections and writes an output block that a re-run replaces', () => {
    const cells = parseCells(RUNBOOK);
    expect(cells.map((c) => [c.index, c.lang, c.section, c.name])).toEqual([
      [1, 'sh', 'Diagnosis', 'setup'],
      [2, 'bash', 'Diagnosis', null],
      [3, 'sh', 'Diagnosis', null],
      [4, 'sh', 'Mitigation', null],
    ]);
    const once = writeCellOutput(RUNBOOK, 2, { exitCode: 0, at: '2026-12-02T03:00:00Z', durationMs: 120, text: 'has ``` inside\n' });
    expect(once).toContain('````pmw-output exit=0 at=2026-12-02T03:00:00Z duration=0.1s\nhas ``` inside\n````');
    const twice = writeCellOutput(once, 2, { exitCode: 1, at: '2026-12-02T03:05:00Z', durationMs: 50, text: 'second' });
    expect(twice.match(/pmw-output/g)).toHaveLength(1);
    expect(parseCells(twice)[1].output).toMatchObject({ exitCode: 1, text: 'second', at: '2026-12-02T03:05:00Z' });
    expect(parseCells(twice)).toHaveLength(4);
  });

  it('pmw run --all: shows each command, keeps each output, carries env and folder, stops at the failing cell', async () => {
    const { file, pmw } = setup();
    const r = await pmw([], 'run', file, '--all', '--yes');
    expect(r.code).toBe(1);
    expect(r.err).toContain('Cell 1 (Diagnosis) setup — runs in');
    expect(r.err).toContain('  export MODEL_VERSION=v42');
    expect(r.err).toMatch(/Stopped at cell 3: it failed \(exit 3\); the cells after it did not run/);
    expect(r.out).toContain('version=v42 in work');
    const md = readFileSync(file, 'utf8');
    const cells = parseCells(md);
    expect(cells.map((c) => c.output?.exitCode ?? null)).toEqual([0, 0, 3, null]);
    expect(cells[2].output!.text).toBe('failing');
    expect(md).not.toContain('never\n```pmw-output');
  });

  it('asks before running; no answer or "n" runs nothing', async () => {
    const { file, pmw } = setup();
    const no = await pmw(['n'], 'run', file, '--cell', '1');
    expect(no.code).toBe(1);
    expect(no.err).toMatch(/Run it\? \[y\/N\] Not run\./);
    const closed = await pmw([], 'run', file, '--cell', '1');
    expect(closed.err).toMatch(/no answer \(stdin closed\)\. Pass --yes/);
    expect(readFileSync(file, 'utf8')).toBe(RUNBOOK);
    const yes = await pmw(['y'], 'run', file, '--cell', '2');
    expect(yes.code).toBe(0);
    expect(parseCells(readFileSync(file, 'utf8'))[1].output!.text).toBe('version= in ' + file.split('/').slice(-2, -1)[0]);
  });

  it('a timeout stops the cell and everything it started; the output cap holds', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const session = newSession(t.dir);
    const slow = await runCell('echo started; sleep 30 & sleep 30; echo never', session, { timeoutMs: 500 });
    expect(slow).toMatchObject({ exitCode: null, stoppedBy: 'timeout' });
    expect(slow.output).toContain('started');
    expect(slow.output).toContain('[stopped after 0.5 s: timeout]');
    const big = await runCell('head -c 100000 /dev/zero | tr "\\0" a', session, { maxOutputBytes: 1000 });
    expect(big.output.startsWith('a'.repeat(1000))).toBe(true);
    expect(big.output).toContain('[output cut at 1000 bytes: 99000 more bytes not kept]');
    const secret = await runCell('echo "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz9EXAMPLE"', session);
    expect(secret.output).not.toContain('wJalrXUtnFEMI');
    // CLI: --timeout
    const { file, pmw } = setup();
    writeFileSync(file, '```sh\nsleep 20\n```\n');
    const r = await pmw([], 'run', file, '--cell', '1', '--yes', '--timeout', '1');
    expect(r.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toMatch(/```pmw-output exit=none stopped=timeout at=\S+ duration=1\.\ds/);
  });

  it('--incident: each run is a timeline evidence event with its output as an artifact', async () => {
    const { file, pmw } = setup();
    await pmw([], 'incident', 'new', '--title', 'Fraud', '--severity', 'SEV2', '--class', 'serving');
    const r = await pmw([], 'run', file, '--cell', '1', '--yes', '--incident', 'INC-0001');
    expect(r.code).toBe(0);
    const inc = JSON.parse((await pmw([], 'incident', 'show', 'INC-0001', '--json')).out);
    const ev = inc.timeline.find((e: { kind: string }) => e.kind === 'evidence');
    expect(ev.body).toMatch(/^Ran runbook cell 1 \(Diagnosis\) of runbook\.md: `export MODEL_VERSION=v42 … \(\+2 lines\)` → exit 0 in \d+\.\d s; output: artifact #1$/);
    const arts = JSON.parse((await pmw([], 'artifact', 'list', 'INC-0001', '--json')).out);
    expect(arts[0]).toMatchObject({ kind: 'log', role: 'other', label: 'runbook cell 1 setup' });
  });
});

describe('runbook:run', () => {
  it('runs a cell of the incident runbook only with the exact confirmed command; the web host refuses without --allow-exec', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const dbPath = join(t.dir, 'w.db');
    mkdirSync(join(t.dir, 'x'));
    const web = createApp({ dbPath, host: 'web' });
    cleanups.push(() => web.close());
    const inc = await web.call('incident:create', { title: 'Fraud', severity: 'SEV2', failureClass: 'serving' });
    await web.call('doc:save', { key: inc.key, kind: 'runbook', content: '## Diagnosis\n\n```sh\nexport A=1\necho one\n```\n\n```sh\necho "a=$A"\n```\n' });
    expect((await web.call('app:info', {})).exec).toBe(false);
    const refused = await rejects(web.call('runbook:run', { key: inc.key, cell: 1, command: 'export A=1\necho one' }), 'VALIDATION');
    expect(refused.message).toMatch(/started without --allow-exec/);
    web.close();

    const app = createApp({ dbPath, host: 'web', allowExec: true });
    cleanups.push(() => app.close());
    expect((await app.call('app:info', {})).exec).toBe(true);
    await rejects(app.call('runbook:run', { key: inc.key, cell: 1, command: 'rm -rf ~' }), 'CONFLICT');
    const one = await app.call('runbook:run', { key: inc.key, cell: 1, command: 'export A=1\necho one' });
    expect(one).toMatchObject({ exitCode: 0, output: 'one\n', kept: true });
    const two = await app.call('runbook:run', { key: inc.key, cell: 2, command: 'echo "a=$A"' });
    expect(two.output).toBe('a=1\n');
    const doc = await app.call('doc:get', { key: inc.key, kind: 'runbook' });
    expect(parseCells(doc.content).map((c) => c.output?.text)).toEqual(['one', 'a=1']);
    const tl = (await app.call('incident:get', { key: inc.key })).timeline.filter((e) => e.kind === 'evidence');
    expect(tl).toHaveLength(2);
    expect((await app.call('artifact:list', { key: inc.key })).map((a) => a.id)).toEqual([one.artifactId, two.artifactId]);
  });
});
