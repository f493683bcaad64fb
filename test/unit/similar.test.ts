import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempApp } from './helpers';
import type { App } from '../../main/app';
import { diffArtifacts } from '../../shared/diff/index';
import { SEVERITY_RANK, type Change } from '../../shared/diff/types';
import { fingerprintsOf, normaliseSignature } from '../../shared/fingerprints';
import { main } from '../../main/cli/index';

const root = join(__dirname, '..', '..');
const file = (p: string) => readFileSync(join(root, 'test', 'fixtures', 'real', p));
beforeAll(() => execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'main', '--if-needed']));

let env: ReturnType<typeof tempApp>;
afterEach(() => env?.cleanup());

const LOCK_BEFORE = 'deps/nannyml-poetry-e8623af8.lock'; // numpy 1.24.4 → 2.0.2, pandas 1.5.3 → 2.2.3, and many routine bumps
const LOCK_AFTER = 'deps/nannyml-poetry-94c3e242.lock';
const realChanges = (a: string, b: string) =>
  diffArtifacts({ name: a.split('/').pop()!, bytes: file(a) }, { name: b.split('/').pop()!, bytes: file(b) }).changes as Change[];

async function incidentWithPair(app: App, title: string, a: string, b: string, failureClass: 'packaging' | 'data' = 'packaging') {
  const inc = await app.call('incident:create', { title, severity: 'SEV2', failureClass });
  const name = (p: string) => p.split('/').pop()!.replace(/-[0-9a-f]{8}(\.\w+)$/, '$1');
  const x = await app.call('artifact:addText', { key: inc.key, role: 'last-known-good', name: name(a), text: file(a).toString('utf8') });
  const y = await app.call('artifact:addText', { key: inc.key, role: 'failing', name: name(b), text: file(b).toString('utf8') });
  await app.call('artifact:diff', { key: inc.key, beforeId: x.id, afterId: y.id });
  return inc.key;
}

async function incidentWithFinding(app: App, title: string, changes: Change[], failureClass: 'packaging' | 'data' = 'packaging') {
  const inc = await app.call('incident:create', { title, severity: 'SEV3', failureClass });
  const f = await app.call('finding:create', {
    key: inc.key, title: changes[0].message.slice(0, 300), failureClass, role: 'root_cause',
    evidence: { changes: changes as unknown as Record<string, unknown>[] },
  });
  return { key: inc.key, findingId: f.id };
}

describe('similar incidents', () => {
  it('ranks the incident with the same rare numpy/pandas majors above ones sharing many routine bumps', async () => {
    env = tempApp();
    const app = env.app;
    const changes = realChanges(LOCK_BEFORE, LOCK_AFTER);
    const numeric = changes.filter((c) => c.subject === 'numpy' || c.subject === 'pandas');
    expect(numeric.map((c) => c.kind)).toEqual(['dependency.major', 'dependency.major']);
    const routine = changes.filter((c) => SEVERITY_RANK[c.severity] >= SEVERITY_RANK.warning && !numeric.includes(c));
    expect(routine.length).toBeGreaterThan(8);

    // The one that matters: numpy 2 broke scoring before; its responders kept the two root-cause changes.
    const past = await incidentWithFinding(app, 'numpy 2 broke batch scoring', numeric);
    await app.call('incident:update', { key: past.key, patch: { rootCauseOrigin: 'dependency' } });
    await app.call('doc:save', { key: past.key, kind: 'runbook', content: '---\ntitle: Pin numpy for scoring\n---\n# Runbook\n' });
    // Routine lock refreshes share more changes with the new incident, but they happen all the time.
    const routineKeys: string[] = [];
    for (let i = 0; i < 12; i++) routineKeys.push((await incidentWithFinding(app, `Routine lock refresh ${i}`, routine)).key);
    const titanic = await incidentWithPair(app, 'Label column dropped', 'data/titanic_reference.csv', 'data/titanic_analysis.csv', 'data');

    const now = await incidentWithPair(app, 'Scoring job fails after dependency refresh', LOCK_BEFORE, LOCK_AFTER);
    const list = await app.call('incident:similar', { key: now });
    expect(list[0].key).toBe(past.key);
    expect(list[0].reasons).toEqual(expect.arrayContaining(['same numpy 1.x→2.x and pandas 1.x→2.x changes', 'root cause dependency', 'runbook ‘Pin numpy for scoring’']));
    expect(list[0].links.runbook).toEqual({ title: 'Pin numpy for scoring' });
    expect(list[0].shared).toEqual(expect.arrayContaining(['dep:numpy:major-up', 'dep:pandas:major-up']));
    expect(list.slice(1).map((s) => s.key).every((k) => routineKeys.includes(k))).toBe(true);
    expect(list.map((s) => s.key)).not.toContain(titanic);
    let out = '';
    expect(await main(['incident', 'similar', now, '--json', '--db', env.dbPath], { out: (x) => void (out += x), err: () => {} })).toBe(0);
    expect(JSON.parse(out)[0]).toMatchObject({ key: past.key, title: 'numpy 2 broke batch scoring', score: list[0].score, reasons: list[0].reasons });

    // Incremental: rejecting the finding takes its fingerprints away.
    await app.call('finding:update', { key: past.key, id: past.findingId, patch: { status: 'rejected' } });
    expect((await app.call('incident:similar', { key: now })).map((s) => s.key)).not.toContain(past.key);
  });

  it('finds the earlier incident with the same dropped label column on real dataset pairs', async () => {
    env = tempApp();
    const app = env.app;
    const titanic = realChanges('data/titanic_reference.csv', 'data/titanic_analysis.csv');
    const removed = titanic.filter((c) => c.kind === 'column.removed');
    const past = await incidentWithFinding(app, 'Survived column missing from the analysis extract', removed, 'data');
    await app.call('incident:update', { key: past.key, patch: { rootCauseOrigin: 'data' } });
    const housing = await incidentWithPair(app, 'Housing drift', 'data/california_housing_reference.csv', 'data/california_housing_analysis.csv', 'data');
    await incidentWithPair(app, 'Lock refresh', LOCK_BEFORE, LOCK_AFTER);

    const now = await incidentWithPair(app, 'Titanic scoring lost its label', 'data/titanic_reference.csv', 'data/titanic_analysis.csv', 'data');
    const list = await app.call('incident:similar', { key: now });
    expect(list[0].key).toBe(past.key);
    expect(list[0].reasons[0]).toBe('same schema change: column Survived removed');
    expect(list.map((s) => s.key)).not.toContain(housing);
    expect(await app.call('incident:similar', { key: housing })).toEqual([]);
  });

  it('normalises changes into fingerprints of kind, subject and direction', () => {
    const fp = (c: Partial<Change>) => fingerprintsOf(c).map((f) => f.fp);
    expect(fp({ kind: 'dependency.major', subject: 'NumPy', before: '1.26.4', after: '2.1.0', params: { direction: 'upgrade' } })).toEqual(['dep:numpy:major-up', 'dep:numpy:1.x→2.x']);
    expect(fp({ kind: 'dependency.minor', subject: 'scikit-learn (python >=3.8)', before: '1.2.2', after: '1.3.2', params: { direction: 'upgrade' } })).toEqual(['dep:scikit-learn:minor-up']);
    expect(fp({ kind: 'column.removed', subject: 'Survived', params: { column: 'Survived' } })).toEqual(['column-removed:survived']);
    expect(fp({ kind: 'image.digest-to-tag', subject: 'x', before: 'vllm/vllm-openai@sha256:05a3', after: 'vllm/vllm-openai:v0.11.0', params: { image: 'vllm/vllm-openai' } })).toEqual([
      'image:digest→tag',
      'image:vllm/vllm-openai:digest→tag',
    ]);
    expect(fp({ kind: 'text.added', subject: 'line 3' })).toEqual([]);
    expect(normaliseSignature('CUDA out of memory at step 1200 on pod scorer-7f9c8d6b5-x2k9z (0x7ffe12)')).toBe(
      normaliseSignature('CUDA out of memory at step 88 on pod scorer-5c4b3a291-q8w7e (0x1a2b)'),
    );
  });
});
