import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tempApp } from './helpers';

const root = join(__dirname, '..', '..');
const real = (p: string) => join(root, 'test', 'fixtures', 'real', p);
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'main', '--if-needed']);
});

const envs: ReturnType<typeof tempApp>[] = [];
afterEach(() => envs.splice(0).forEach((e) => e.cleanup()));
function app() {
  const e = tempApp();
  envs.push(e);
  return e.app;
}

async function richIncident() {
  const a = app();
  await a.call('incident:create', { title: 'vLLM pods restart after image bump', severity: 'SEV1', failureClass: 'deployment', service: 'llm-gateway', startedAt: '2026-11-22T02:00:00Z', detectedAt: '2026-11-22T02:10:00Z' });
  await a.call('incident:setRole', { key: 'INC-0001', role: 'incident_commander', person: 'alice' });
  await a.call('incident:update', { key: 'INC-0001', patch: { impact: 'p99 800 ms', hypothesis: 'image tag moved' } });
  await a.call('incident:check', { key: 'INC-0001', phase: 'acknowledge', itemId: (await firstItem(a)), checked: true });
  await a.call('timeline:add', { key: 'INC-0001', kind: 'evidence', body: 'digest replaced by tag', occurredAt: '2026-11-22T02:15:00Z' });
  await a.call('incident:advance', { key: 'INC-0001' });
  await a.call('artifact:addPath', { key: 'INC-0001', role: 'last-known-good', path: real('k8s/vllm-deployment-929f82b7.yaml') });
  await a.call('artifact:addPath', { key: 'INC-0001', role: 'failing', path: real('k8s/vllm-deployment-a0ed769c.yaml') });
  await a.call('finding:suggest', { key: 'INC-0001', accept: true });
  await a.call('action:create', { key: 'INC-0001', title: 'Pin images by digest in CI', owner: 'bob', type: 'preventative', dueDate: '2026-12-15' });
  const pm = await a.call('doc:get', { key: 'INC-0001', kind: 'postmortem' });
  await a.call('doc:save', { key: 'INC-0001', kind: 'postmortem', content: pm.content + '\nEdited by hand.\n' });
  return a;
}
async function firstItem(a: ReturnType<typeof app>) {
  const { checklistFor } = await import('../../shared/playbook');
  return checklistFor('deployment', 'acknowledge')[0].id;
}

const strip = (b: Record<string, unknown>) => ({ ...b, exportedAt: undefined });

describe('incident bundles', () => {
  it('round-trips an incident with timeline, artifacts, findings, postmortem and action items exactly', async () => {
    const a = await richIncident();
    const bundle = await a.call('bundle:export', { key: 'INC-0001' });
    expect(bundle.findings.length).toBeGreaterThan(0);
    expect(bundle.artifacts).toHaveLength(2);
    const b = app();
    const imported = await b.call('bundle:import', { bundle: JSON.parse(JSON.stringify(bundle)) });
    expect(imported.key).toBe('INC-0001');
    const again = await b.call('bundle:export', { key: 'INC-0001' });
    expect(strip(again as never)).toEqual(strip(bundle as never));
    const content = await b.call('artifact:content', { key: 'INC-0001', id: again.artifacts[0].id });
    expect(content.text).toContain('vllm');
  });

  it('gives an imported incident the next key when its key is taken', async () => {
    const a = await richIncident();
    const bundle = await a.call('bundle:export', { key: 'INC-0001' });
    const imported = await a.call('bundle:import', { bundle });
    expect(imported.key).toBe('INC-0002');
    expect(imported.title).toBe('vLLM pods restart after image bump');
    // The copy's artifacts got new ids; what its findings were saved from follows them (issue 11's source keys).
    const [before, after] = (await a.call('artifact:list', { key: 'INC-0002' })).map((x) => x.id);
    const keys = (await a.call('finding:list', { key: 'INC-0002' })).map((f) => f.sourceKey);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k).toMatch(new RegExp(`^diff:${before}-${after}:`));
    expect(await a.call('finding:suggest', { key: 'INC-0002' })).toEqual([]);
  });

  it('refuses a malformed, damaged or newer bundle and changes nothing', async () => {
    const a = await richIncident();
    const bundle = await a.call('bundle:export', { key: 'INC-0001' });
    const b = app();
    const count = () => b.db.prepare('SELECT (SELECT count(*) FROM incidents) + (SELECT count(*) FROM artifacts) + (SELECT count(*) FROM blobs) AS n').get();
    const before = count();
    const cases: [unknown, RegExp, string][] = [
      [{ hello: 'world' }, /Not a valid incident bundle/, 'bundle.format'],
      [{ ...bundle, incident: { ...bundle.incident, severity: 'SEV9' } }, /incident\.severity/, 'bundle.incident.severity'],
      [{ ...bundle, version: 99 }, /newer version/, 'bundle.version'],
      [{ ...bundle, artifacts: [{ ...bundle.artifacts[0], contentBase64: Buffer.from('tampered').toString('base64') }, bundle.artifacts[1]] }, /damaged/, 'bundle.artifacts.0.contentBase64'],
    ];
    for (const [input, msg, field] of cases) {
      const r = await b.dispatch('bundle:import', { bundle: input });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.message).toMatch(msg);
        expect(r.error.details?.issues?.map((i) => i.field)).toContain(field);
      }
    }
    expect(count()).toEqual(before);
  });
});
