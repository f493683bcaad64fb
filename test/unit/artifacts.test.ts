import { afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createApp } from '../../main/app';
import { tempApp, tempDir } from './helpers';
import { proposePairs, stemOf, type Artifact } from '../../shared/artifacts';

const root = join(__dirname, '..', '..');
const real = (p: string) => join(root, 'test', 'fixtures', 'real', p);

beforeAll(() => {
  // The worker pool runs the bundled worker (dist/main/worker.cjs).
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'main', '--if-needed']);
});

let env: ReturnType<typeof tempApp>;
afterEach(() => env?.cleanup());

async function withIncident() {
  env = tempApp();
  await env.app.call('incident:create', { title: 'Fraud model accuracy dropped', severity: 'SEV2', failureClass: 'data' });
  return env.app;
}

describe('artifact capture', () => {
  it('stores a file with role, label, detected kind, size, sha256 and source path; same content is stored once', async () => {
    const app = await withIncident();
    const path = real('deps/nannyml-poetry-e8623af8.lock');
    const bytes = readFileSync(path);
    const a = await app.call('artifact:addPath', { key: 'INC-0001', role: 'last-known-good', path, label: 'lock' });
    expect(a).toMatchObject({ role: 'last-known-good', label: 'lock', kind: 'poetry-lock', detectedKind: 'poetry-lock', size: bytes.length, sourcePath: path });
    expect(a.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const b = await app.call('artifact:addPath', { key: 'INC-0001', role: 'other', path });
    expect(b.sha256).toBe(a.sha256);
    expect(app.db.prepare('SELECT count(*) AS n FROM blobs').get()).toEqual({ n: 1 });
    // The bytes live in the artifact store beside the database, written once.
    const chunks = app.blobs.file.db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number };
    expect(chunks.n).toBe(Math.ceil(bytes.length / (4 * 1024 * 1024)));
    const content = await app.call('artifact:content', { key: 'INC-0001', id: a.id });
    expect(content.text).toBe(bytes.toString('utf8'));
  });

  it('lets the user override the kind and keeps the detected one', async () => {
    const app = await withIncident();
    const a = await app.call('artifact:addText', { key: 'INC-0001', role: 'failing', name: 'notes.txt', text: 'numpy==2.0.2\n' });
    const b = await app.call('artifact:update', { key: 'INC-0001', id: a.id, kind: 'requirements', label: 'deps' });
    expect(b).toMatchObject({ kind: 'requirements', detectedKind: a.detectedKind, label: 'deps' });
  });

  it('refuses a file over the size limit with a clear message and stores nothing', async () => {
    const t = tempDir();
    try {
      const app = createApp({ dbPath: join(t.dir, 'wb.db'), host: 'cli', maxArtifactBytes: 1000 });
      await app.call('incident:create', { title: 'x', severity: 'SEV3', failureClass: 'data' });
      const big = join(t.dir, 'big.csv');
      writeFileSync(big, 'a,b\n' + '1,2\n'.repeat(500));
      const r = await app.dispatch('artifact:addPath', { key: 'INC-0001', role: 'failing', path: big });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('TOO_LARGE');
        expect(r.error.message).toMatch(/big\.csv is .* over the .* limit per artifact/);
      }
      expect(app.db.prepare('SELECT (SELECT count(*) FROM artifacts) + (SELECT count(*) FROM blobs) + (SELECT count(*) FROM blob_chunks) AS n').get()).toEqual({ n: 0 });
      expect(app.blobs.file.db.prepare('SELECT (SELECT count(*) FROM sets) + (SELECT count(*) FROM chunks) AS n').get()).toEqual({ n: 0 });
      app.close();
    } finally {
      t.cleanup();
    }
  });

  it('stores malformed and binary content as it is: shown as text with the error, or as binary with size and hash', async () => {
    const app = await withIncident();
    const bad = await app.call('artifact:addText', { key: 'INC-0001', role: 'failing', name: 'deploy.yaml', text: 'spec:\n  replicas: 3\n   bad: [\n' });
    expect(bad.kind).toBe('yaml');
    const c = await app.call('artifact:content', { key: 'INC-0001', id: bad.id });
    expect(c.text).toContain('replicas: 3');
    const t = tempDir();
    try {
      const bin = join(t.dir, 'model.bin');
      writeFileSync(bin, Buffer.from([0, 1, 2, 0, 255, 254, 0, 0, 10, 13]));
      const b = await app.call('artifact:addPath', { key: 'INC-0001', role: 'failing', path: bin });
      expect(b.kind).toBe('binary');
      const bc = await app.call('artifact:content', { key: 'INC-0001', id: b.id });
      expect(bc).toMatchObject({ binary: true, text: null, size: 10 });
      const empty = join(t.dir, 'empty.txt');
      writeFileSync(empty, '');
      const e = await app.call('artifact:addPath', { key: 'INC-0001', role: 'other', path: empty });
      expect(e.size).toBe(0);
    } finally {
      t.cleanup();
    }
  });

  it('reports a missing file and an unknown incident by field, and removes with undo', async () => {
    const app = await withIncident();
    const r = await app.dispatch('artifact:addPath', { key: 'INC-0001', role: 'failing', path: '/nonexistent/file.csv' });
    expect(r.ok ? null : r.error.details?.issues?.[0]).toEqual({ field: 'path', message: 'file not found' });
    const nf = await app.dispatch('artifact:list', { key: 'INC-0099' });
    expect(nf.ok ? null : nf.error.code).toBe('NOT_FOUND');
    const a = await app.call('artifact:addText', { key: 'INC-0001', role: 'failing', name: 'a.env', text: 'A=1\n' });
    await app.call('artifact:remove', { key: 'INC-0001', id: a.id });
    expect(await app.call('artifact:list', { key: 'INC-0001' })).toEqual([]);
    await app.call('artifact:restore', { key: 'INC-0001', id: a.id });
    expect((await app.call('artifact:list', { key: 'INC-0001' })).map((x) => x.id)).toEqual([a.id]);
  });
});

describe('pairing', () => {
  const art = (id: number, role: Artifact['role'], name: string, kind: Artifact['kind'], label = ''): Artifact => ({
    id, role, name, kind, label, detectedKind: kind, size: 1, sha256: 'x'.repeat(64), sourcePath: null, capturedAt: '2026-01-01T00:00:00Z',
  });
  it('pairs by label, then by kind and name stem, then by kind', () => {
    expect(stemOf('nannyml-poetry-e8623af8.lock')).toBe(stemOf('nannyml-poetry-94c3e242.lock'));
    expect(stemOf('vllm-deployment-929f82b7.yaml')).toBe('vllm-deployment');
    const pairs = proposePairs([
      art(1, 'last-known-good', 'titanic_reference.csv', 'csv', 'train sample'),
      art(2, 'last-known-good', 'vllm-deployment-929f82b7.yaml', 'yaml'),
      art(3, 'last-known-good', 'guestbook-f4f8f146.yaml', 'yaml'),
      art(4, 'failing', 'guestbook-042b6510.yaml', 'yaml'),
      art(5, 'failing', 'vllm-deployment-a0ed769c.yaml', 'yaml'),
      art(6, 'failing', 'titanic_analysis.csv', 'csv', 'Train sample'),
      art(7, 'other', 'notes.txt', 'text'),
    ]);
    expect(pairs.map((p) => [p.before.id, p.after.id, p.reason])).toEqual([
      [1, 6, 'label'],
      [2, 5, 'name'],
      [3, 4, 'name'],
    ]);
  });
});

describe('large dataset diffs', () => {
  function csv(rows: number, shift: number): string {
    const out = ['id,amount,tenure,country,channel,score'];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const countries = ['US', 'DE', 'FR', 'BR', 'IN'];
    for (let i = 0; i < rows; i++) {
      out.push(`${i},${(rnd() * 100 + shift).toFixed(2)},${Math.floor(rnd() * 60)},${countries[Math.floor(rnd() * 5)]},${rnd() < 0.5 ? 'web' : 'app'},${rnd().toFixed(6)}`);
    }
    return out.join('\n') + '\n';
  }

  it('profiles the two sides in two workers and finds the same changes as a single pass', async () => {
    const app = await withIncident();
    const { WorkerPool } = await import('../../main/workers/pool');
    const ops: string[] = [];
    const run = WorkerPool.prototype.run;
    WorkerPool.prototype.run = function (this: InstanceType<typeof WorkerPool>, ...args: Parameters<typeof run>) {
      ops.push(args[0].op);
      return run.apply(this, args);
    } as typeof run;
    onTestFinished(() => {
      WorkerPool.prototype.run = run;
    });
    const a = csv(160_000, 0);
    const b = csv(160_000, 25);
    expect(a.length + b.length).toBeGreaterThan(8 * 1024 * 1024);
    writeFileSync(join(env.dir, 'lkg.csv'), a);
    writeFileSync(join(env.dir, 'failing.csv'), b);
    const before = await app.call('artifact:addPath', { key: 'INC-0001', role: 'last-known-good', path: join(env.dir, 'lkg.csv') });
    const after = await app.call('artifact:addPath', { key: 'INC-0001', role: 'failing', path: join(env.dir, 'failing.csv') });
    const view = await app.call('artifact:diff', { key: 'INC-0001', beforeId: before.id, afterId: after.id, jobId: 'parallel-0001' });
    const { diffDataset } = await import('../../shared/diff/dataset');
    const direct = diffDataset({ name: 'lkg.csv', bytes: new TextEncoder().encode(a) }, { name: 'failing.csv', bytes: new TextEncoder().encode(b) }, 'csv');
    expect(view.changes.map((c) => c.message)).toEqual(direct.changes.map((c) => c.message));
    expect(view.changes.some((c) => c.kind === 'drift.numeric' && c.subject === 'amount')).toBe(true);
    expect((await app.call('job:progress', { jobId: 'parallel-0001' })).state).toBe('done');
    expect(ops).toEqual(['summarize', 'summarize', 'diffSummaries']);
  });

  it('cancels a split dataset diff', async () => {
    const app = await withIncident();
    writeFileSync(join(env.dir, 'lkg.csv'), csv(400_000, 0));
    writeFileSync(join(env.dir, 'failing.csv'), csv(400_000, 3));
    const before = await app.call('artifact:addPath', { key: 'INC-0001', role: 'last-known-good', path: join(env.dir, 'lkg.csv') });
    const after = await app.call('artifact:addPath', { key: 'INC-0001', role: 'failing', path: join(env.dir, 'failing.csv') });
    const running = app.call('artifact:diff', { key: 'INC-0001', beforeId: before.id, afterId: after.id, jobId: 'parallel-cancel' });
    await new Promise((r) => setTimeout(r, 150));
    expect((await app.call('job:progress', { jobId: 'parallel-cancel' })).state).toBe('running');
    expect((await app.call('job:cancel', { jobId: 'parallel-cancel' })).cancelled).toBe(true);
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await app.call('job:progress', { jobId: 'parallel-cancel' })).state).toBe('cancelled');
  });
});
