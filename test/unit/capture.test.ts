// Issue 13: `pmw capture` in a temp project with the system Python, twice with a changed requirements
// file and environment; then both captures are ingested and diffed. A secret in the environment is never
// in the capture file's bytes (raw or decompressed).
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { capture, globToRegExp } from '../../main/cli/capture';
import { readCapture, looksLikeCapture } from '../../shared/capture/manifest';
import { clockedApp, tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const PY = process.env.PMW_PYTHON ?? '/usr/bin/python3';
const hasPython = spawnSync(PY, ['-c', 'import importlib.metadata'], { encoding: 'utf8' }).status === 0;
if (!hasPython) console.log(`capture tests: ${PY} with importlib.metadata not found; the Python part is checked as missing`);
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz9EXAMPLE';
const DB_PASSWORD = 'hunter2-correct-horse-battery';

function project(): string {
  const t = tempDir('pmw-capture-');
  cleanups.push(t.cleanup);
  const dir = join(t.dir, 'proj');
  mkdirSync(join(dir, 'model'), { recursive: true });
  writeFileSync(join(dir, 'requirements.txt'), 'numpy==1.24.4\npandas==2.0.3\n');
  writeFileSync(join(dir, 'model', 'metadata.json'), JSON.stringify({ feature_order: ['amount', 'merchant_category'], threshold: 0.5 }));
  writeFileSync(join(dir, 'model', 'config.yaml'), `batch_size: 32\ndb_password: ${DB_PASSWORD}\n`);
  spawnSync('git', ['init', '-q'], { cwd: dir });
  spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'init'], { cwd: dir });
  return dir;
}

const baseEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra });

function bytesContain(hay: Uint8Array, needle: string): boolean {
  return Buffer.from(hay).includes(Buffer.from(needle));
}

describe('pmw capture', () => {
  it('writes a zip with a versioned manifest; each part collected or missing with a reason; no secret in the bytes', () => {
    const dir = project();
    const out = join(dir, '..', 'good.pmwcap');
    const r = capture({ dir, out, python: PY, include: ['model/**'], env: baseEnv({ BATCH_SIZE: '32', AWS_SECRET_ACCESS_KEY: SECRET, DATABASE_URL: `postgres://svc:${DB_PASSWORD}@db:5432/x` }) });
    const bytes = readFileSync(out);
    expect(looksLikeCapture(bytes)).toBe(true);
    const { manifest, files } = readCapture(bytes);
    expect(manifest).toMatchObject({ format: 'pmw-capture', version: 1, dir });
    const ids = manifest.parts.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['env', 'environment', 'file:requirements.txt', 'include:model/metadata.json', 'include:model/config.yaml', 'git']));
    for (const p of manifest.parts) {
      if (p.status === 'missing') expect(p.reason, p.id).toBeTruthy();
      else expect(files[p.path!], p.id).toBeDefined();
    }
    expect(manifest.parts.find((p) => p.id === 'git')!.status).toBe('ok');
    if (hasPython) {
      const pkgs = strFromU8(files['python/packages.txt']);
      expect(pkgs).toMatch(/^pytest==\S+$/m);
      const fp = JSON.parse(strFromU8(files['environment.json']));
      expect(fp).toMatchObject({ format: 'pmw-env-fingerprint', python: { implementation: 'CPython' }, platform: { arch: process.arch } });
    }
    // nvidia-smi absent here: recorded, not fatal.
    if (spawnSync('nvidia-smi', ['-L']).error) expect(manifest.parts.find((p) => p.id === 'gpu')).toMatchObject({ status: 'missing', reason: 'nvidia-smi not on PATH' });
    expect(strFromU8(files['env.txt'])).toMatch(/^BATCH_SIZE=32$/m);
    // The secrets: not in the raw zip bytes, nor in any decompressed entry.
    for (const s of [SECRET, DB_PASSWORD]) {
      expect(bytesContain(bytes, s)).toBe(false);
      for (const [name, b] of Object.entries(unzipSync(bytes))) expect(bytesContain(b, s), `${s} in ${name}`).toBe(false);
    }
    expect(manifest.parts.find((p) => p.id === 'env')!.masked).toBe(2);
    expect(manifest.parts.find((p) => p.id === 'include:model/config.yaml')!.masked).toBe(1);
    expect(r.bytes).toBe(bytes.length);
  });

  it('runs from its own bundle without a database or the app', () => {
    const dir = project();
    const t = tempDir('pmw-capture-home-');
    cleanups.push(t.cleanup);
    const out = join(t.dir, 'x.pmwcap');
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'pmw.cjs'), 'capture', '--dir', dir, '--out', out, '--python', '/nonexistent/python3', '--k8s', 'prod/fraud-model'], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', HOME: t.dir, XDG_DATA_HOME: join(t.dir, 'data'), PMW_DB: join(t.dir, 'never.db') },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/missing {2}python-packages: no Python found: \/nonexistent\/python3 not found/);
    expect(r.stdout).toMatch(/missing {2}k8s-deployment: kubectl/);
    expect(existsSync(join(t.dir, 'never.db'))).toBe(false);
    expect(existsSync(join(t.dir, 'data'))).toBe(false);
    expect(readdirSync(t.dir).sort()).toEqual(['x.pmwcap']);
  });

  it('globs', () => {
    expect(globToRegExp('model/**').test('model/a/b.json')).toBe(true);
    expect(globToRegExp('**/*.json').test('a.json')).toBe(true);
    expect(globToRegExp('*.json').test('a/b.json')).toBe(false);
    expect(globToRegExp('data/{train,test}.csv').test('data/test.csv')).toBe(true);
  });
});

describe('ingest of two captures', () => {
  it('expands each into labelled artifacts that pair part by part, and the diffs say what changed', async () => {
    const dir = project();
    const good = join(dir, '..', 'good.pmwcap');
    const bad = join(dir, '..', 'failing.pmwcap');
    const digest = (c: string) => `registry.example.com/fraud@sha256:${c.repeat(64)}`;
    capture({ dir, out: good, python: PY, include: ['model/*.json'], env: baseEnv({ BATCH_SIZE: '32', OMP_NUM_THREADS: '4', AWS_SECRET_ACCESS_KEY: SECRET, PMW_CAPTURE_IMAGE: digest('a') }) });
    writeFileSync(join(dir, 'requirements.txt'), 'numpy==2.0.2\npandas==2.0.3\n');
    capture({ dir, out: bad, python: PY, include: ['model/*.json'], env: baseEnv({ BATCH_SIZE: '64', OMP_NUM_THREADS: '8', AWS_SECRET_ACCESS_KEY: SECRET + 'x', PMW_CAPTURE_IMAGE: digest('b') }) });

    const { app } = clockedApp(cleanups);
    const inc = await app.call('incident:create', { title: 'Accuracy dropped after deploy', severity: 'SEV2', failureClass: 'serving' });
    const a = await app.call('artifact:addPath', { key: inc.key, role: 'last-known-good', path: good });
    const b = await app.call('artifact:addPath', { key: inc.key, role: 'failing', path: bad });
    expect(a.expanded!.map((x) => x.label)).toEqual(b.expanded!.map((x) => x.label));
    expect(a.expanded!.map((x) => x.label)).toEqual(expect.arrayContaining(['capture: environment', 'capture: env', 'capture: file requirements.txt', 'capture: include model/metadata.json', 'capture: image']));
    expect(a.captureMissing!.map((m) => m.id)).toContain('gpu');
    const list = await app.call('artifact:list', { key: inc.key });
    expect(list).toHaveLength(a.expanded!.length + b.expanded!.length);
    expect(list.find((x) => x.label === 'capture: environment')!.kind).toBe('env-fingerprint');
    const pairs = await app.call('artifact:pairs', { key: inc.key });
    expect(pairs.every((p) => p.reason === 'label' && p.before.label === p.after.label)).toBe(true);
    expect(pairs).toHaveLength(a.expanded!.length);
    const messages: string[] = [];
    for (const p of pairs) {
      const d = await app.call('artifact:diff', { key: inc.key, beforeId: p.before.id, afterId: p.after.id });
      messages.push(...d.changes.map((c) => `${c.severity} ${c.message}`));
    }
    const all = messages.join('\n');
    expect(all).toMatch(/numpy 1\.24\.4 → 2\.0\.2/);
    expect(all).toMatch(/BATCH_SIZE 32 → 64/);
    expect(all).toMatch(/warning OMP_NUM_THREADS 4 → 8/);
    expect(all).toMatch(/warning image digest changed/);
    expect(all).not.toContain(SECRET);
    const findings = await app.call('finding:suggest', { key: inc.key });
    expect(findings.map((f) => f.title).join('\n')).toMatch(/numpy 1\.24\.4 → 2\.0\.2/);
  });

  it('refuses a damaged capture by name and adds nothing', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { app } = clockedApp(cleanups);
    const inc = await app.call('incident:create', { title: 'x', severity: 'SEV3', failureClass: 'serving' });
    const dir = project();
    const out = join(t.dir, 'c.pmwcap');
    capture({ dir, out, python: PY, include: [], env: baseEnv({}) });
    const bytes = readFileSync(out);
    const cut = join(t.dir, 'cut.pmwcap');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(app.call('artifact:addPath', { key: inc.key, role: 'failing', path: cut })).rejects.toThrow(/cut\.pmwcap: not a readable capture/);
    expect(await app.call('artifact:list', { key: inc.key })).toEqual([]);
  });
});
