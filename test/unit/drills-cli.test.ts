// `pmw drill …`: list --json, a scripted solo run over plain lines, report, history, export.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { main } from '../../main/cli/index';
import { tempDir } from './helpers';

const CANARY = 'canary-contamination-non-stratified';
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function db() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'cli.db');
}

async function* linesOf(script: string): AsyncIterable<string> {
  for (const l of script.split('\n')) yield l;
}

async function pmw(d: string, argv: string[], script?: string) {
  let out = '';
  let err = '';
  const code = await main([...argv, '--db', d], { out: (s) => (out += s), err: (s) => (err += s), ...(script !== undefined ? { lines: linesOf(script) } : {}) });
  return { code, out, err };
}

describe('pmw drill', () => {
  it('lists the scenarios as JSON with id, title, failureClass, difficulty and the number of evidence cards', async () => {
    const d = db();
    const r = await pmw(d, ['drill', 'list', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as Record<string, unknown>[];
    expect(list.length).toBeGreaterThanOrEqual(16);
    for (const s of list) {
      expect(typeof s.id).toBe('string');
      expect(typeof s.title).toBe('string');
      expect(typeof s.failureClass).toBe('string');
      expect(['string', 'number']).toContain(typeof s.difficulty);
      expect(s.evidenceCards).toBeGreaterThan(0);
    }
    expect(list.find((s) => s.id === CANARY)).toMatchObject({ failureClass: 'validation', difficulty: 'advanced', evidenceCards: 6 });
    const human = await pmw(d, ['drill', 'list']);
    expect(human.out).toContain(CANARY);
    expect(human.out).not.toContain('validation'); // no spoilers in the human list
  });

  it('runs a scripted solo drill in the terminal and prints the debrief and score', async () => {
    const d = db();
    const script = [
      'help',
      'cards',
      'show segment-dashboard',
      'show routing-pair',
      'raw routing-pair',
      'show cohort-sample',
      'show 5',
      '# a comment line is ignored',
      'classify validation config',
      'checks',
      'order val-deployed-is-validated,canary-routing-config,cohort-composition,val-per-segment',
      'actions',
      'action rollback-v6',
      'action stratified-canary',
      'action trust-canary',
      'bogus',
      'show nope',
      'advance',
      'impact Android and international CTR down since v7',
      'advance',
      'advance',
      'advance',
      'hypothesis canary template r12 was not stratified',
      'advance',
      'mitigate Rolled back to v6 by digest',
      'verify',
      'status',
      'advance',
      'timeline',
      'finish',
      'cards',
    ].join('\n');
    const r = await pmw(d, ['drill', 'run', CANARY, '--participant', 'alice'], script);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = r.out;
    expect(out).toContain('=== Drill: Canary contamination');
    expect(out).toContain('[acknowledge 0:00/2:00] drill> ');
    expect(out).toContain('Requesting "CTR by platform and region');
    // The artifact pair is diffed by the real diff engine.
    expect(out).toMatch(/Semantic diff canary-routing-r9\.yaml → canary-routing-r12\.yaml \(yaml\):\n\s+WARNING/);
    expect(out).toContain('--- canary-routing-r9.yaml (last known good)');
    expect(out).toContain('Classified: validation, origin config');
    expect(out).toContain('Order recorded: val-deployed-is-validated → canary-routing-config → cohort-composition → val-per-segment');
    expect(out).toContain('Unknown command "bogus"');
    expect(out).toContain('! no card "nope"');
    expect(out).toMatch(/! Acknowledge gate not met: impact confirmed/);
    expect(out).toContain('Phase: acknowledge → assess');
    expect(out).toContain('Phase: mitigate → resolve');
    // The debrief: ideal beside what was done, and the score.
    expect(out).toContain('# Drill report: Canary contamination');
    expect(out).toContain('TEMPTING, WRONG');
    expect(out).toContain('- [x] **Roll back to v6');
    expect(out).toContain('## Debrief points');
    const m = /Score: (\d+)\/100 — Classification 25\/25 · Order of checks 20\/20 · Actions \(tempting ones avoided\) 20\/25/.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(90);
    // Nothing after finish was read.
    expect(out.slice(out.indexOf('# Drill report')).includes('[x] promotion-log')).toBe(false);

    const rep = await pmw(d, ['drill', 'report', '2']);
    expect(rep.code).toBe(2);
    expect(rep.err).toContain('No drill #2');
    const rep1 = await pmw(d, ['drill', 'report', '1']);
    expect(rep1.code).toBe(0);
    expect(rep1.out.startsWith('# Drill report: Canary contamination')).toBe(true);
    expect((await pmw(d, ['drill', 'report', 'inc-0001'])).out).toBe(rep1.out);

    const hist = JSON.parse((await pmw(d, ['drill', 'history', 'alice', '--json'])).out);
    expect(hist.drills).toHaveLength(1);
    expect(hist.drills[0]).toMatchObject({ drillId: 1, participant: 'alice', scenarioId: CANARY });
    expect((await pmw(d, ['drill', 'history'])).out).toContain('Trend over 1 finished drill(s): insufficient');

    // The drill incident stays out of the real incident list.
    expect(JSON.parse((await pmw(d, ['incident', 'list', '--json'])).out)).toEqual([]);
  });

  it('finishes cleanly when stdin ends', async () => {
    const d = db();
    const r = await pmw(d, ['drill', 'run', CANARY, '--participant', 'bob'], 'cards\nclassify data');
    expect(r.code).toBe(0);
    expect(r.out).toContain('(end of input: finishing the drill)');
    expect(r.out).toMatch(/Score: \d+\/100/);
    expect(r.out).toContain('| Failure class | validation (also: deployment) | data | wrong |');
  });

  it('exports a scenario file and reports errors on stderr with exit 2', async () => {
    const d = db();
    const ex = await pmw(d, ['drill', 'export', CANARY]);
    expect(ex.code).toBe(0);
    expect(JSON.parse(ex.out).id).toBe(CANARY);
    const bad = await pmw(d, ['drill', 'run', 'no-such-scenario'], '');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('No drill scenario "no-such-scenario"');
    expect((await pmw(d, ['drill', 'frobnicate'])).code).toBe(2);
  });
});
