import { afterEach, describe, expect, it } from 'vitest';
import { tempApp } from './helpers';
import { CHANNELS, schemas } from '../../shared/api/contract';

let env: ReturnType<typeof tempApp>;
afterEach(() => env?.cleanup());

async function snapshot(app: ReturnType<typeof tempApp>['app']) {
  const tables = ['incidents', 'phase_entries', 'timeline_events', 'incident_roles', 'checklist_items'];
  return Object.fromEntries(tables.map((t) => [t, app.db.prepare(`SELECT * FROM ${t}`).all()]));
}

describe('API validation', () => {
  it('every channel is named domain:verb and has a schema and a handler', () => {
    env = tempApp();
    for (const c of CHANNELS) {
      expect(c).toMatch(/^[a-z]+:[a-zA-Z]+$/);
      expect(schemas[c]).toBeDefined();
      expect(typeof env.app.handlers[c]).toBe('function');
    }
  });

  const bad: [string, unknown, string][] = [
    ['incident:create', { title: '', severity: 'SEV2', failureClass: 'data' }, 'title'],
    ['incident:create', { title: 'x', severity: 'SEV9', failureClass: 'data' }, 'severity'],
    ['incident:create', { title: 'x', severity: 'SEV2', failureClass: 'model' }, 'failureClass'],
    ['incident:create', { title: 'x', severity: 'SEV2', failureClass: 'data', detectedAt: 'yesterday' }, 'detectedAt'],
    ['incident:create', { title: 'x', severity: 'SEV2', failureClass: 'data', sneaky: 1 }, ''],
    ['incident:create', null, ''],
    ['incident:get', { key: 'INC-1; DROP TABLE incidents' }, 'key'],
    ['incident:update', { key: 'INC-0001', patch: {} }, 'patch'],
    ['incident:update', { key: 'INC-0001', patch: { severity: 'high' } }, 'patch.severity'],
    ['incident:setRole', { key: 'INC-0001', role: 'ceo', person: 'x' }, 'role'],
    ['timeline:add', { key: 'INC-0001', kind: 'phase_change', body: 'forged' }, 'kind'],
    ['timeline:add', { key: 'INC-0001', kind: 'note', body: '   ' }, 'body'],
    ['timeline:update', { key: 'INC-0001', id: -3 }, 'id'],
    ['incident:check', { key: 'INC-0001', phase: 'assess', itemId: '../../etc', checked: true }, 'itemId'],
  ];
  it.each(bad)('%s rejects bad input naming the field (%j → %s) and changes nothing', async (channel, input, field) => {
    env = tempApp();
    await env.app.call('incident:create', { title: 'existing', severity: 'SEV3', failureClass: 'data' });
    const before = await snapshot(env.app);
    const r = await env.app.dispatch(channel, input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION');
    expect(r.error.message).toContain(channel);
    if (field) expect(r.error.details?.issues?.map((i) => i.field)).toContain(field);
    expect(await snapshot(env.app)).toEqual(before);
  });

  it('unknown keys and unknown channels are not-found errors', async () => {
    env = tempApp();
    const r = await env.app.dispatch('incident:get', { key: 'INC-0042' });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'NOT_FOUND', message: 'No incident INC-0042' });
    const u = await env.app.dispatch('incident:explode', {});
    expect(u.ok ? null : u.error.code).toBe('NOT_FOUND');
    const proto = await env.app.dispatch('__proto__', {});
    expect(proto.ok ? null : proto.error.code).toBe('NOT_FOUND');
  });

  it('rejects a start of impact later than detection, naming the field', async () => {
    env = tempApp();
    await env.app.call('incident:create', { title: 'x', severity: 'SEV3', failureClass: 'data', detectedAt: '2026-11-22T03:00:00Z' });
    const r = await env.app.dispatch('incident:update', { key: 'INC-0001', patch: { startedAt: '2026-11-22T04:00:00Z' } });
    expect(r.ok ? null : r.error.details?.issues?.[0].field).toBe('patch.startedAt');
  });
});
