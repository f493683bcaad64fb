import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../main/cli/index';
import { tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function pmw(db: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main([...argv, '--db', db], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}
function db() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'cli.db');
}

describe('pmw CLI', () => {
  it('creates, lists, notes, advances and shows an incident as JSON', async () => {
    const d = db();
    const created = await pmw(d, 'incident', 'new', '--title', 'Fraud model accuracy dropped from 95% to 78%', '--severity', 'SEV2', '--class', 'data', '--service', 'fraud', '--json');
    expect(created.code).toBe(0);
    const inc = JSON.parse(created.out);
    expect(inc).toMatchObject({ key: 'INC-0001', severity: 'SEV2', failureClass: 'data', phase: 'acknowledge', service: 'fraud' });
    expect(Array.isArray(inc.timeline)).toBe(true);
    expect(inc.metrics).toHaveProperty('timeToAcknowledgeMs');

    expect((await pmw(d, 'incident', 'note', 'INC-0001', 'Deployed', 'artifact', 'is', 'v42')).code).toBe(0);
    const refused = await pmw(d, 'incident', 'advance', 'INC-0001');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/gate not met/);
    const adv = await pmw(d, 'incident', 'advance', 'INC-0001', '--reason', 'owner paged', '--json');
    expect(JSON.parse(adv.out).phase).toBe('assess');
    const show = JSON.parse((await pmw(d, 'incident', 'show', 'INC-0001', '--json')).out);
    expect(show.timeline.map((e: { body: string }) => e.body)).toContain('Deployed artifact is v42');
    const list = JSON.parse((await pmw(d, 'incident', 'list', '--json')).out);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ key: 'INC-0001', phase: 'assess' });
  });

  it('prints validation errors on stderr with a non-zero exit and writes nothing', async () => {
    const d = db();
    const r = await pmw(d, 'incident', 'new', '--title', 'x', '--severity', 'SEV7', '--class', 'data');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('severity: must be one of SEV1, SEV2, SEV3, SEV4');
    expect(JSON.parse((await pmw(d, 'incident', 'list', '--json')).out)).toEqual([]);
    const nf = await pmw(d, 'incident', 'show', 'INC-0009');
    expect(nf.code).toBe(2);
    expect(nf.err).toContain('No incident INC-0009');
    expect((await pmw(d, 'bogus')).code).toBe(2);
    expect((await pmw(d, 'incident', 'show', '--db')).code).toBe(2);
  });

  it('runs as a real process through bin/pmw.cjs, honouring PMW_DB', () => {
    const d = db();
    const bin = join(__dirname, '..', '..', 'bin', 'pmw.cjs');
    const env = { ...process.env, PMW_DB: d };
    const a = spawnSync(process.execPath, [bin, 'incident', 'new', '--title', 'ETL failed at 3 AM', '--severity', 'SEV3', '--class', 'data', '--json'], { env, encoding: 'utf8' });
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    expect(JSON.parse(a.stdout).key).toBe('INC-0001');
    const b = spawnSync(process.execPath, [bin, 'incident', 'list'], { env, encoding: 'utf8' });
    expect(b.stdout).toContain('ETL failed at 3 AM');
    const c = spawnSync(process.execPath, [bin, 'incident', 'advance', 'INC-0001'], { env, encoding: 'utf8' });
    expect(c.status).not.toBe(0);
    expect(c.stderr).toMatch(/^pmw: Acknowledge gate not met/);
  });

  it('waits for work in the worker pool: `pmw finding suggest` as a real process prints its findings', () => {
    const d = db();
    const bin = join(__dirname, '..', '..', 'bin', 'pmw.cjs');
    const fx = (p: string) => join(__dirname, '..', 'fixtures', 'real', p);
    const env = { ...process.env, PMW_DB: d };
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
    expect(run('incident', 'new', '--title', 'Deps drift', '--severity', 'SEV3', '--class', 'packaging').status).toBe(0);
    expect(run('artifact', 'add', 'INC-0001', '--role', 'last-known-good', fx('deps/whisper-requirements-b9f17e1f.txt')).status).toBe(0);
    expect(run('artifact', 'add', 'INC-0001', '--role', 'failing', fx('deps/whisper-requirements-746aaaea.txt')).status).toBe(0);
    const r = run('finding', 'suggest', 'INC-0001', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const found = JSON.parse(r.stdout) as { title: string }[];
    expect(found.some((f) => /tiktoken/.test(f.title))).toBe(true);
  });
});
