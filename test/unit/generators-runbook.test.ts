import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { FAILURE_CLASSES } from '../../shared/domain';
import { playbookFor, TROUBLESHOOTING_ORDER } from '../../shared/playbook';
import {
  acceptGenerated, generateRunbook, mergeRunbook, placeholderVar, RUNBOOK_SECTIONS, runbookFileName, shellBlock, shellWithVariables,
} from '../../shared/generators/runbook';
import { change, makeFinding, makeIncident } from './generators-helpers';

const incident = makeIncident();
const findings = [
  makeFinding({ id: 1, title: 'Column Fare removed', role: 'root_cause', genKind: 'dataset.columns', params: { columns: ['a'], checkOrder: true }, evidence: { changes: [change({})] } }),
  makeFinding({ id: 2, title: 'Age nulls doubled', role: 'trigger', genKind: 'dataset.null_rate', params: { ceilings: { Age: 0.25 } }, evidence: { changes: [change({ kind: 'null_rate.increased', subject: 'Age', message: 'null rate of Age 20% → 45%' })] } }),
  makeFinding({ id: 3, title: 'Rejected idea', status: 'rejected', genKind: null, params: {} }),
];
const opts = { today: '2026-11-23', relatedIncidents: [{ key: 'INC-0003', title: 'Age nulls in October' }] };

function frontMatterOf(md: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(md);
  expect(m).not.toBeNull();
  return parseYaml(m![1]) as Record<string, unknown>;
}

function headings(md: string, level = 2): string[] {
  const out: string[] = [];
  let fence = false;
  for (const line of md.split('\n')) {
    if (/^(```|~~~)/.test(line)) fence = !fence;
    const m = new RegExp(`^#{${level}} (.*)$`).exec(line);
    if (!fence && m) out.push(m[1]);
  }
  return out;
}

function shBlocks(md: string): { info: string; body: string }[] {
  const out: { info: string; body: string }[] = [];
  const re = /^(`{3,})sh([^\n]*)\n([\s\S]*?)\n\1$/gm;
  for (const m of md.matchAll(re)) out.push({ info: m[2], body: m[3] });
  return out;
}

function section(md: string, name: string): string {
  const start = md.indexOf(`\n## ${name}\n`);
  expect(start).toBeGreaterThan(0);
  const next = md.indexOf('\n## ', start + 4);
  return md.slice(start + 1, next < 0 ? undefined : next);
}

describe('generateRunbook', () => {
  const md = generateRunbook(incident, findings, opts);

  it('has YAML front matter with the DESIGN §7 keys', () => {
    const fm = frontMatterOf(md);
    expect(Object.keys(fm)).toEqual(['id', 'title', 'service', 'failure_class', 'severity', 'owners', 'last_reviewed', 'source_incidents']);
    expect(fm).toMatchObject({
      id: 'rb-inc-0007',
      title: 'Fraud model accuracy dropped',
      service: 'fraud-scoring',
      failure_class: 'data',
      severity: 'SEV2',
      owners: ['alice', 'carol'],
      source_incidents: ['INC-0007'],
    });
    expect(String((fm.last_reviewed as Date).toISOString?.() ?? fm.last_reviewed)).toContain('2026-11-23');
    expect(frontMatterOf(generateRunbook(incident, findings, { owners: ['team-fraud'] })).owners).toEqual(['team-fraud']);
  });

  it('has the eight sections in order with stable headings', () => {
    expect(headings(md)).toEqual([...RUNBOOK_SECTIONS]);
    expect(headings(md, 1)).toEqual(['Runbook: Fraud model accuracy dropped']);
    expect(runbookFileName(incident)).toBe('INC-0007-fraud-model-accuracy-dropped.md');
  });

  it('lists symptoms from the incident, its findings (not rejected ones) and the playbook', () => {
    const s = section(md, 'Symptoms');
    expect(s).toContain('Column Fare removed');
    expect(s).toContain('Age nulls doubled — null rate of Age 20% → 45%');
    expect(s).not.toContain('Rejected idea');
    expect(s).toContain(playbookFor('data').symptoms[0].slice(0, 40));
  });

  it('orders triage by pipeline stage: artifact → gates → endpoint → quality', () => {
    const t = section(md, 'Triage');
    const idx = TROUBLESHOOTING_ORDER.map((s, i) => t.indexOf(`### ${i + 1}. ${s.label}`));
    expect(idx.every((i) => i > 0)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    for (const c of playbookFor('data').firstChecks) expect(t).toContain(c.title);
  });

  it('puts every playbook command in runnable sh blocks, placeholders turned into checked variables', () => {
    const d = section(md, 'Diagnosis');
    const blocks = shBlocks(d);
    const cmds = playbookFor('data').firstChecks.flatMap((c) => c.commands ?? []);
    expect(blocks.length).toBeGreaterThanOrEqual(playbookFor('data').firstChecks.filter((c) => c.commands?.length).length);
    for (const cmd of cmds) {
      const expected = shellWithVariables(cmd).command;
      expect(blocks.some((b) => b.body.includes(expected))).toBe(true);
    }
    expect(d).toContain('az ml job show --name "${JOB_ID}"');
    expect(d).toContain(': "${JOB_ID:?set JOB_ID to the job id}"');
    expect(d).not.toMatch(/<job-id>/);
    for (const b of blocks) expect(b.info).toMatch(/^ \{ name=[a-z0-9-]+ \}$/);
    // Runme cell names are unique
    const names = blocks.map((b) => b.info);
    expect(new Set(names).size).toBe(names.length);
  });

  it('includes the regression-test run command for the generated module', () => {
    const d = section(md, 'Diagnosis');
    expect(d).toContain('PMW_DATASET=path/to/dataset.csv python3 -m pytest -q -ra tests/regression/test_inc_0007_regressions.py');
    const run = shBlocks(d).find((b) => b.body.includes('pytest'))!;
    expect(run.body).toBe(
      'export PMW_DATASET="${PMW_DATASET:?set PMW_DATASET to the dataset to check (CSV, TSV or Parquet)}"\n' +
        'python3 -m pytest -q -ra tests/regression/test_inc_0007_regressions.py',
    );
    const custom = generateRunbook(incident, findings, { ...opts, testsDir: 'ml/tests/regression/' });
    expect(custom).toContain('python3 -m pytest -q -ra ml/tests/regression/test_inc_0007_regressions.py');
    // No testable findings → no test block.
    expect(generateRunbook(incident, [], opts)).not.toContain('pytest');
  });

  it('every sh block of every failure class is valid POSIX sh and stops on an unset variable', () => {
    for (const cls of FAILURE_CLASSES) {
      const doc = generateRunbook(makeIncident({ failureClass: cls }), findings, opts);
      for (const b of shBlocks(doc)) {
        const r = spawnSync('sh', ['-n'], { input: b.body, encoding: 'utf8' });
        expect(r.stderr, `${cls} ${b.info}\n${b.body}`).toBe('');
        expect(r.status).toBe(0);
      }
    }
    const jobBlock = shBlocks(md).find((b) => b.body.includes('JOB_ID'))!;
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const r = spawnSync('sh', ['-c', jobBlock.body], { encoding: 'utf8', env });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('set JOB_ID to the job id');
  });

  it('has mitigation, rollback criteria + verification, communication templates, escalation and related incidents', () => {
    const pb = playbookFor('data');
    const mit = section(md, 'Mitigation');
    expect(mit).toContain('Rolled the feature view back to the 2026-11-21 snapshot');
    expect(mit).toContain('**Tempting wrong action:**');
    const rb = section(md, 'Rollback');
    for (const c of pb.rollbackCriteria) expect(rb).toContain(c);
    for (const v of pb.rollbackVerification) expect(rb).toContain(`- [ ] ${v}`);
    const comm = section(md, 'Communication');
    expect(comm).toContain('🚨 INCIDENT: fraud-scoring');
    expect(comm).toContain('✅ RESOLVED: fraud-scoring');
    expect(comm).toContain('NEXT UPDATE:');
    expect(section(md, 'Escalation')).toContain(pb.escalation.slice(0, 50));
    expect(section(md, 'Escalation')).toContain('Incident commander: alice');
    const rel = section(md, 'Related incidents');
    expect(rel).toContain('- INC-0007 — Fraud model accuracy dropped (source of this runbook)');
    expect(rel).toContain('- INC-0003 — Age nulls in October');
  });

  it('keeps hostile incident text from breaking the structure', () => {
    const evil = makeIncident({
      title: 'Evil: "quoted" \'x\' #tag\n## Injected\n---',
      service: 'svc: with colon',
      summary: '## Not a section\n```\nfence\n```',
    });
    const doc = generateRunbook(evil, [makeFinding({ id: 5, title: '## also not a heading', genKind: null, params: {} })], { ...opts, owners: ['a: b', '- c'] });
    expect(headings(doc)).toEqual([...RUNBOOK_SECTIONS]);
    const fm = frontMatterOf(doc);
    expect(fm.title).toBe('Evil: "quoted" \'x\' #tag ## Injected ---');
    expect(fm.service).toBe('svc: with colon');
    expect(fm.owners).toEqual(['a: b', '- c']);
  });
});

describe('shell helpers', () => {
  it('turns placeholders into variables, quote-aware', () => {
    expect(placeholderVar('job-id')).toBe('JOB_ID');
    expect(placeholderVar('1st')).toBe('V_1ST');
    expect(shellWithVariables('docker inspect --format=\'{{index .RepoDigests 0}}\' <image>:<tag>').command).toBe(
      'docker inspect --format=\'{{index .RepoDigests 0}}\' "${IMAGE}":"${TAG}"',
    );
    expect(shellWithVariables("echo '<a>' \"<b>\" <c>").command).toBe('echo \'\'"${A}"\'\' "${B}" "${C}"');
    expect(shellWithVariables('sort < file.txt').command).toBe('sort < file.txt');
    expect(shellBlock(['curl http://<model-service>:8000/predict'])).toBe(
      ': "${MODEL_SERVICE:?set MODEL_SERVICE to the model service}"\ncurl http://"${MODEL_SERVICE}":8000/predict',
    );
    const r = spawnSync('sh', ['-c', shellWithVariables("echo '<a>' \"<b>\" <c>").command], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', A: '1', B: '2', C: '3' },
    });
    expect(r.stdout.trim()).toBe('1 2 3');
  });
});

describe('mergeRunbook', () => {
  const v1 = generateRunbook(incident, findings, opts);
  const newer = makeIncident({ mitigation: 'Rolled back AND pinned the feature view', summary: 'New summary text.' });
  const v2 = generateRunbook(newer, findings, { ...opts, today: '2026-12-01' });

  const editSection = (md: string, name: string, fn: (s: string) => string) => {
    const s = section(md, name);
    return md.replace(s, fn(s));
  };

  it('takes the new generated text everywhere when the user edited nothing', () => {
    const r = mergeRunbook(v1, v1, v2);
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toBe(v2);
  });

  it('is a no-op when nothing was regenerated differently', () => {
    const r = mergeRunbook(v1, v1, v1);
    expect(r).toEqual({ merged: v1, conflicts: [] });
  });

  it('keeps an edited section the generator did not change, and updates the others', () => {
    const user = editSection(v1, 'Escalation', (s) => s + '\nCall Dana on +1 555 0100 after 22:00.\n');
    const r = mergeRunbook(v1, user, v2);
    expect(r.conflicts).toEqual([]);
    expect(section(r.merged, 'Escalation')).toContain('Call Dana on +1 555 0100');
    expect(section(r.merged, 'Mitigation')).toContain('Rolled back AND pinned the feature view');
    expect(section(r.merged, 'Symptoms')).toContain('New summary text.');
    expect(frontMatterOf(r.merged).last_reviewed).toEqual(frontMatterOf(v2).last_reviewed);
  });

  it('keeps a section both changed and reports the conflict; accepting applies the generated text', () => {
    const user = editSection(v1, 'Mitigation', (s) => s.replace('Steps:', 'Steps (our team):'));
    const r = mergeRunbook(v1, user, v2);
    expect(r.conflicts).toHaveLength(1);
    const c = r.conflicts[0];
    expect(c.section).toBe('Mitigation');
    expect(c.user).toContain('Steps (our team):');
    expect(c.generated).toContain('Rolled back AND pinned the feature view');
    expect(section(r.merged, 'Mitigation')).toContain('Steps (our team):');
    expect(section(r.merged, 'Mitigation')).not.toContain('AND pinned');
    const accepted = acceptGenerated(r.merged, c);
    expect(section(accepted, 'Mitigation')).toContain('AND pinned');
    expect(section(accepted, 'Mitigation')).not.toContain('Steps (our team):');
    expect(headings(accepted)).toEqual([...RUNBOOK_SECTIONS]);
  });

  it('keeps sections the user added where they were, and sections the user deleted stay deleted', () => {
    let user = v1.replace('\n## Escalation\n', '\n## Our notes\n\nCheck the Grafana board "fraud/recall" first.\n\n## Escalation\n');
    user = user.replace(section(user, 'Communication'), '');
    const r = mergeRunbook(v1, user, v2);
    expect(headings(r.merged)).toEqual(['Symptoms', 'Triage', 'Diagnosis', 'Mitigation', 'Rollback', 'Our notes', 'Escalation', 'Related incidents']);
    expect(r.conflicts).toEqual([]); // Communication did not change in v2
    // …but a deleted section that the generator changed is reported.
    const user2 = v1.replace(section(v1, 'Mitigation'), '');
    const r2 = mergeRunbook(v1, user2, v2);
    expect(headings(r2.merged)).not.toContain('Mitigation');
    expect(r2.conflicts).toEqual([{ section: 'Mitigation', user: '', generated: expect.stringContaining('AND pinned') }]);
  });

  it('adds sections that are new in the generator after their predecessor', () => {
    const base = v1.replace(section(v1, 'Rollback'), '');
    const r = mergeRunbook(base, base, v2);
    expect(headings(r.merged)).toEqual([...RUNBOOK_SECTIONS]);
  });

  it('merges front matter per key', () => {
    const user = v1.replace('owners:\n  - alice\n  - carol', 'owners:\n  - team-fraud');
    const r = mergeRunbook(v1, user, v2);
    expect(r.conflicts).toEqual([]);
    const fm = frontMatterOf(r.merged);
    expect(fm.owners).toEqual(['team-fraud']);
    expect(String(fm.last_reviewed instanceof Date ? fm.last_reviewed.toISOString() : fm.last_reviewed)).toContain('2026-12-01');
    // both changed the same key → kept + conflict
    const v3 = generateRunbook(newer, findings, { ...opts, owners: ['zed'] });
    const r2 = mergeRunbook(v1, user, v3);
    expect(r2.conflicts).toEqual([{ section: 'front matter: owners', user: 'owners:\n  - team-fraud', generated: 'owners:\n  - zed' }]);
    expect(frontMatterOf(r2.merged).owners).toEqual(['team-fraud']);
    expect(frontMatterOf(acceptGenerated(r2.merged, r2.conflicts[0])).owners).toEqual(['zed']);
  });

  it('does not mistake line endings or trailing whitespace for edits, nor split on headings inside code fences', () => {
    const crlf = v1.replace(/\n/g, '  \r\n');
    expect(mergeRunbook(v1, crlf, v2)).toEqual({ merged: v2, conflicts: [] });
    const withFence = editSection(v1, 'Diagnosis', (s) => s + '\n```sh\n## not a heading\necho hi\n```\n');
    const r = mergeRunbook(v1, withFence, v2);
    expect(headings(r.merged)).toEqual([...RUNBOOK_SECTIONS]);
    const at = r.merged.indexOf('```sh\n## not a heading\necho hi\n```');
    expect(at).toBeGreaterThan(r.merged.indexOf('\n## Diagnosis\n'));
    expect(at).toBeLessThan(r.merged.indexOf('\n## Mitigation\n'));
    expect(r.conflicts).toEqual([]);
  });

  it('treats a blank user document as "not saved yet", and a first generation as add/add', () => {
    expect(mergeRunbook(v1, '', v2).merged).toBe(v2);
    const user = editSection(v1, 'Symptoms', (s) => s + '\n- pager noise\n');
    const r = mergeRunbook('', user, v2);
    expect(section(r.merged, 'Symptoms')).toContain('pager noise');
    expect(r.conflicts.map((c) => c.section)).toContain('Symptoms');
  });
});
