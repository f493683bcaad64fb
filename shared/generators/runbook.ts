// Findings + playbook → a Markdown runbook with YAML front matter (issue 4 §3, DESIGN §7), and a
// per-section three-way merge so regenerating never silently discards the user's edits. Pure TypeScript.
//
// Document shape (headings are stable — mergeRunbook keys on them):
//
//   ---                                   front matter: id, title, service, failure_class, severity,
//   id: rb-inc-0007                       owners, last_reviewed, source_incidents
//   ...
//   ---
//   # Runbook: <title>                    preamble (title + when to use)
//   ## Symptoms
//   ## Triage                             pipeline order: artifact → gates → endpoint → quality
//   ## Diagnosis                          ```sh { name=… } blocks, each runnable on its own (Runme cells)
//   ## Mitigation
//   ## Rollback                           criteria + verification
//   ## Communication                      seed 001 templates
//   ## Escalation
//   ## Related incidents
//
// Shell blocks: playbook commands use <placeholders>; in a block they become shell variables
// (`<job-id>` → "${JOB_ID}") checked at the top of the block with `: "${JOB_ID:?…}"`, so each block
// is a runnable sequence that stops with a clear message until its variables are set.
import type { Finding } from '../artifacts';
import type { FailureClass, Incident, Role } from '../domain';
import { FAILURE_CLASS_LABELS, ROLE_LABELS, SEVERITY_LABELS } from '../domain';
import { firstChecksByStage, playbookFor, PLAYBOOK_VERSION } from '../playbook/index';
import { SEVERITY_WORDS, UPDATE_CADENCE_MINUTES } from '../reports';
import { block, mdCode, mdFence, mdInline, mdText, oneLine, utcDate, utcSeconds, yamlEntry } from './md';
import { pytestCommand, pytestInputsFor, PYTEST_INPUTS, regressionTestFileName, REGRESSION_TESTS_DIR, testableFindings } from './pytest';
import { incidentFileStem, slugify } from './slug';

export const RUNBOOKS_DIR = 'runbooks';

/** The section headings, in document order. */
export const RUNBOOK_SECTIONS = [
  'Symptoms',
  'Triage',
  'Diagnosis',
  'Mitigation',
  'Rollback',
  'Communication',
  'Escalation',
  'Related incidents',
] as const;
export type RunbookSection = (typeof RUNBOOK_SECTIONS)[number];

export interface RunbookOptions {
  relatedIncidents?: { key: string; title: string }[];
  /** Owners for the front matter; default: the incident's commander and ops lead. */
  owners?: string[];
  /** last_reviewed date (YYYY-MM-DD); default: today (UTC). */
  today?: string;
  /** Folder of the regression tests in the repo (default tests/regression). */
  testsDir?: string;
}

/** "INC-0007-fraud-model-accuracy-dropped.md" */
export function runbookFileName(incident: Pick<Incident, 'key' | 'title'>): string {
  return `${incidentFileStem(incident.key, incident.title)}.md`;
}

// ---------------------------------------------------------------------------------------------
// Shell blocks

/** `<job-id>` → JOB_ID */
export function placeholderVar(name: string): string {
  const v = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Z_]/.test(v) ? v || 'VALUE' : `V_${v}`;
}

/**
 * Replace `<placeholder>`s in a shell command with variable references, quote-aware:
 * outside quotes → "${VAR}", inside "…" → ${VAR}, inside '…' → '"${VAR}"'.
 * Returns the command and the placeholders found (name → variable).
 */
export function shellWithVariables(cmd: string): { command: string; vars: Map<string, string> } {
  const vars = new Map<string, string>();
  let out = '';
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (c === '\\' && quote !== "'" && i + 1 < cmd.length) {
      out += c + cmd[i + 1];
      i++;
      continue;
    }
    if (quote === null && (c === '"' || c === "'")) quote = c;
    else if (quote === c) quote = null;
    if (c === '<') {
      const m = /^<([A-Za-z][A-Za-z0-9_.-]*)>/.exec(cmd.slice(i));
      if (m) {
        const v = placeholderVar(m[1]);
        vars.set(m[1], v);
        out += quote === '"' ? `\${${v}}` : quote === "'" ? `'"\${${v}}"'` : `"\${${v}}"`;
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return { command: out, vars };
}

/** Body of a runnable `sh` block: variable checks first, then the commands. */
export function shellBlock(commands: string[], comment?: string): string {
  const vars = new Map<string, string>();
  const lines = commands.map((c) => {
    const r = shellWithVariables(c);
    for (const [k, v] of r.vars) if (!vars.has(k)) vars.set(k, v);
    return r.command;
  });
  const checks = [...vars].map(([name, v]) => `: "\${${v}:?set ${v} to the ${name.replace(/[-_.]+/g, ' ')}}"`);
  return [...(comment ? [`# ${oneLine(comment)}`] : []), ...checks, ...lines].join('\n');
}

function shFence(name: string, body: string): string {
  return mdFence(`sh { name=${name} }`, body);
}

// ---------------------------------------------------------------------------------------------
// Generation

const activeFindings = (findings: Finding[]) => findings.filter((f) => f.status !== 'rejected');

function ownersOf(incident: Incident, opts: RunbookOptions): string[] {
  if (opts.owners) return opts.owners.map(oneLine).filter(Boolean);
  const out: string[] = [];
  for (const role of ['incident_commander', 'ops_lead'] as Role[]) {
    for (const raw of (incident.roles?.[role] ?? '').split(/[,;]+/)) {
      const n = oneLine(raw);
      if (n && !out.includes(n)) out.push(n);
    }
  }
  return out;
}

function frontMatter(incident: Incident, opts: RunbookOptions): string {
  const today = opts.today && /^\d{4}-\d{2}-\d{2}$/.test(opts.today) ? opts.today : new Date().toISOString().slice(0, 10);
  const lines = [
    '---',
    yamlEntry('id', `rb-${slugify(incident.key, 40, 'incident')}`),
    yamlEntry('title', oneLine(incident.title) || '(untitled incident)'),
    yamlEntry('service', oneLine(incident.service) || 'unspecified'),
    yamlEntry('failure_class', incident.failureClass),
    yamlEntry('severity', incident.severity),
    yamlEntry('owners', ownersOf(incident, opts)),
    `last_reviewed: ${today}`,
    yamlEntry('source_incidents', [incident.key]),
    '---',
  ];
  return lines.join('\n');
}

function findingLine(f: Finding): string {
  const title = oneLine(f.title).toLowerCase();
  const changes = (f.evidence?.changes ?? []).map((c) => oneLine(c.message)).filter((m) => m && m.toLowerCase() !== title);
  const why = changes.length ? ` — ${changes.slice(0, 3).map(mdInline).join('; ')}` : f.description ? ` — ${mdInline(f.description)}` : '';
  return `- ${mdInline(f.title)}${why}`;
}

function symptoms(incident: Incident, findings: Finding[], cls: FailureClass): string {
  const pb = playbookFor(cls);
  const out: string[] = ['## Symptoms', ''];
  const seen: string[] = [];
  if (oneLine(incident.summary)) seen.push(`- ${mdInline(incident.summary)}`);
  if (oneLine(incident.impact)) seen.push(`- Impact: ${mdInline(incident.impact)}`);
  for (const f of findings) seen.push(findingLine(f));
  if (seen.length) {
    const when = utcDate(incident.detectedAt);
    out.push(`Seen in ${incident.key}${when ? ` (detected ${when})` : ''}:`, '', ...seen, '');
  }
  out.push(`Typical signs of a ${pb.label.toLowerCase()} failure:`, '', ...pb.symptoms.map((s) => `- ${mdInline(s)}`));
  return out.join('\n');
}

function checkAnchor(id: string): string {
  return slugify(id, 60, 'check');
}

function triage(cls: FailureClass): string {
  const out: string[] = [
    '## Triage',
    '',
    'Work in pipeline order and stop at the first stage that explains the symptom. Classify before changing anything;',
    'change one thing at a time and write each change on the timeline.',
  ];
  firstChecksByStage(cls).forEach(({ stage, checks }, i) => {
    out.push('', `### ${i + 1}. ${stage.label}`, '', `_${mdInline(stage.question)}_`, '');
    if (checks.length === 0) out.push('- [ ] No class-specific check at this stage; answer the question above before moving on.');
    for (const c of checks) {
      const cmd = c.commands?.length ? ' (commands under Diagnosis)' : '';
      out.push(`- [ ] **${mdInline(c.title)}**${cmd} — ${mdInline(c.detail)}`);
    }
  });
  return out.join('\n');
}

function diagnosis(incident: Incident, findings: Finding[], cls: FailureClass, opts: RunbookOptions): string {
  const out: string[] = [
    '## Diagnosis',
    '',
    'Each `sh` block runs on its own (Runme cell or copy-paste). A block stops with a message until the variables it',
    'checks at the top are set, e.g. `export ENDPOINT=fraud-scoring`.',
  ];
  for (const { stage, checks } of firstChecksByStage(cls)) {
    for (const c of checks) {
      if (!c.commands?.length) continue;
      out.push('', `### ${mdInline(c.title)}`, '', `Stage: ${mdInline(stage.label)}.`, '');
      out.push(shFence(checkAnchor(c.id), shellBlock(c.commands)));
    }
  }
  const testable = testableFindings(findings);
  if (testable.length) {
    const dir = (opts.testsDir ?? REGRESSION_TESTS_DIR).replace(/\/+$/, '');
    const file = `${dir ? `${dir}/` : ''}${regressionTestFileName(incident)}`;
    const inputs = pytestInputsFor(findings);
    out.push('', `### Run the regression tests from ${incident.key}`, '');
    out.push(
      `They pass on the last-known-good inputs and fail with "expected …, found …" on a regression of what ${incident.key} found`,
      `(${[...new Set(testable.map((t) => t.gen.kind))].join(', ')}). One line: ${mdCode(pytestCommand(incident, findings, dir))}`,
      '',
    );
    const body = [
      ...inputs.map((v) => `export ${v}="\${${v}:?set ${v} to ${PYTEST_INPUTS[v].short}}"`),
      `python3 -m pytest -q -ra ${file}`,
    ];
    out.push(shFence(`${slugify(incident.key, 20, 'incident')}-regression-tests`, body.join('\n')));
  }
  const artifactFindings = findings.filter((f) => (f.evidence?.changes ?? []).length > 0);
  if (artifactFindings.length) {
    out.push('', '### Diff the last-known-good and the failing artifact', '');
    out.push('Captures of both sides, compared with meaning (columns, dtypes, null rates, versions, config paths):', '');
    out.push(shFence('diff-artifacts', shellBlock(['pmw diff <last-known-good-file> <failing-file>'])));
  }
  return out.join('\n');
}

function mitigation(incident: Incident, cls: FailureClass): string {
  const pb = playbookFor(cls);
  const out: string[] = ['## Mitigation', ''];
  const m = block(incident.mitigation);
  if (m) {
    const verified = utcSeconds(incident.mitigationVerifiedAt);
    out.push(`What worked in ${incident.key}${verified ? ` (verified ${verified} UTC)` : ''}:`, '', mdText(m), '');
  }
  const r = block(incident.resolution);
  if (r) out.push(`Permanent fix in ${incident.key}:`, '', mdText(r), '');
  out.push('Steps:', '');
  pb.checklists.mitigate.forEach((it, i) => out.push(`${i + 1}. ${mdInline(it.text)}`));
  out.push(
    '',
    `> **Tempting wrong action:** ${mdInline(pb.temptingWrongAction.action)} ${mdInline(pb.temptingWrongAction.whyWrong)}`,
    '>',
    `> **Instead:** ${mdInline(pb.temptingWrongAction.instead)}`,
  );
  return out.join('\n');
}

function rollback(cls: FailureClass): string {
  const pb = playbookFor(cls);
  return [
    '## Rollback',
    '',
    'Roll back rather than fix forward when:',
    '',
    ...pb.rollbackCriteria.map((c) => `- ${mdInline(c)}`),
    '',
    'Verify the rollback — it is not done until every line holds:',
    '',
    ...pb.rollbackVerification.map((c) => `- [ ] ${mdInline(c)}`),
  ].join('\n');
}

function communication(incident: Incident): string {
  const svc = oneLine(incident.service) || '<service>';
  const cadence = `SEV1/SEV2 every ${UPDATE_CADENCE_MINUTES.SEV1} min, SEV3 every ${UPDATE_CADENCE_MINUTES.SEV3} min, SEV4 every ${UPDATE_CADENCE_MINUTES.SEV4} min`;
  const initial = [
    `🚨 INCIDENT: ${svc} — <what users see>`,
    `SEVERITY: <${Object.values(SEVERITY_WORDS).join('|')}>`,
    'START TIME: <YYYY-MM-DD HH:MM UTC>',
    'IMPACT: <who and what is affected, since when>',
    'INVESTIGATING: <@commander @ops-lead>',
    'STATUS: <Root cause analysis in progress | Mitigation applied, verifying | …>',
    'NEXT UPDATE: <15|30|60 minutes>',
  ].join('\n');
  const resolved = [
    `✅ RESOLVED: ${svc} — <what users saw>`,
    'ROOT CAUSE: <one line, with the evidence>',
    'SOLUTION: <permanent fix, or the mitigation while the fix is pending>',
    'PREVENTION: <tests, checks and alerts added>',
    'POST-MORTEM: <when and where>',
  ].join('\n');
  return [
    '## Communication',
    '',
    `Post the initial report before leaving the acknowledge phase; update on a fixed cadence (${cadence})`,
    `even when there is nothing new. ${incident.key} was ${incident.severity} (${mdInline(SEVERITY_LABELS[incident.severity])}).`,
    '',
    'Initial incident report:',
    '',
    mdFence('text', initial),
    '',
    'Resolution update:',
    '',
    mdFence('text', resolved),
  ].join('\n');
}

function escalation(incident: Incident, cls: FailureClass): string {
  const pb = playbookFor(cls);
  const out = ['## Escalation', '', mdInline(pb.escalation)];
  const people = (Object.keys(ROLE_LABELS) as Role[])
    .map((r) => [r, oneLine(incident.roles?.[r])] as const)
    .filter(([, n]) => n);
  if (people.length) {
    out.push('', `Who handled ${incident.key}:`, '', ...people.map(([r, n]) => `- ${ROLE_LABELS[r]}: ${mdInline(n)}`));
  }
  return out.join('\n');
}

function related(incident: Incident, cls: FailureClass, opts: RunbookOptions): string {
  const pb = playbookFor(cls);
  const out = ['## Related incidents', '', `- ${incident.key} — ${mdInline(incident.title)} (source of this runbook)`];
  for (const r of opts.relatedIncidents ?? []) {
    if (r.key === incident.key) continue;
    out.push(`- ${mdInline(r.key)} — ${mdInline(r.title)}`);
  }
  out.push('', `Similar cases (${pb.label.toLowerCase()} playbook v${PLAYBOOK_VERSION}):`, '', ...pb.examples.map((e) => `- ${mdInline(e)}`));
  return out.join('\n');
}

/** The runbook for an incident (document shape in the header of this file). */
export function generateRunbook(incident: Incident, findings: Finding[], opts: RunbookOptions = {}): string {
  const cls = incident.failureClass;
  const pb = playbookFor(cls);
  const active = activeFindings(findings).sort((a, b) => a.id - b.id);
  const preamble = [
    `# Runbook: ${mdInline(incident.title) || '(untitled incident)'}`,
    '',
    `For ${mdInline(incident.service) || 'this service'} when it shows a ${FAILURE_CLASS_LABELS[cls].toLowerCase()} failure like ${incident.key}. ${mdInline(pb.description)}`,
  ].join('\n');
  const parts = [
    frontMatter(incident, opts),
    '',
    preamble,
    '',
    symptoms(incident, active, cls),
    '',
    triage(cls),
    '',
    diagnosis(incident, active, cls, opts),
    '',
    mitigation(incident, cls),
    '',
    rollback(cls),
    '',
    communication(incident),
    '',
    escalation(incident, cls),
    '',
    related(incident, cls, opts),
    '',
  ];
  return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Three-way merge

export interface RunbookConflict {
  /** Section heading ("Diagnosis"), "(preamble)" for the title block, or "front matter: <key>". */
  section: string;
  /** The user's text (kept in `merged`); '' when the user deleted it. */
  user: string;
  /** The newly generated text the user may accept instead; '' when the generator dropped it. */
  generated: string;
}

interface Part {
  key: string;
  label: string;
  text: string;
}

interface ParsedDoc {
  /** Front-matter entries by key, in order; null when the document has no front matter. */
  front: Part[] | null;
  /** Preamble first (key ''), then the ## sections. */
  parts: Part[];
}

const PREAMBLE = '(preamble)';

function normalize(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

function parseFront(lines: string[]): Part[] {
  const out: Part[] = [];
  let cur: string[] = [];
  let key: string | null = null;
  const seen = new Map<string, number>();
  const flush = () => {
    if (key === null && cur.every((l) => !l.trim())) return;
    const k = key ?? '(comments)';
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    out.push({ key: n > 1 ? `${k}#${n}` : k, label: `front matter: ${k}`, text: cur.join('\n') });
  };
  for (const line of lines) {
    const m = /^([A-Za-z_][\w.-]*|"[^"]*"|'[^']*')\s*:(\s|$)/.exec(line);
    if (m) {
      flush();
      key = m[1].replace(/^["']|["']$/g, '');
      cur = [line];
    } else cur.push(line);
  }
  flush();
  return out;
}

function parseDoc(text: string): ParsedDoc {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  let front: Part[] | null = null;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, j) => j > 0 && (l.trim() === '---' || l.trim() === '...'));
    if (end > 0) {
      front = parseFront(lines.slice(1, end));
      i = end + 1;
    }
  }
  const parts: Part[] = [];
  let cur: string[] = [];
  let key = '';
  let label = PREAMBLE;
  const seen = new Map<string, number>();
  const flush = () => {
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    parts.push({ key: n > 1 ? `${key}#${n}` : key, label: n > 1 ? `${label} (${n})` : label, text: cur.join('\n') });
  };
  let fence: { ch: string; len: number } | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const f = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (f) {
      if (!fence) {
        if (!(f[1][0] === '`' && f[2].includes('`'))) fence = { ch: f[1][0], len: f[1].length };
      } else if (f[1][0] === fence.ch && f[1].length >= fence.len && !f[2].trim()) fence = null;
    }
    const h = !fence && !f ? /^ {0,3}##[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line) : null;
    if (h) {
      flush();
      label = h[1].trim();
      key = label.toLowerCase().replace(/\s+/g, ' ');
      cur = [line];
    } else cur.push(line);
  }
  flush();
  // Drop an empty preamble so "no preamble" and "blank preamble" compare equal.
  if (parts[0] && parts[0].key === '' && !normalize(parts[0].text)) parts[0].text = '';
  return { front, parts };
}

interface MergeResult {
  parts: Part[];
  conflicts: RunbookConflict[];
}

/** Three-way merge of keyed parts (sections or front-matter entries). */
function mergeParts(base: Part[], user: Part[], gen: Part[]): MergeResult {
  const b = new Map(base.map((p) => [p.key, p]));
  const u = new Map(user.map((p) => [p.key, p]));
  const g = new Map(gen.map((p) => [p.key, p]));
  const conflicts: RunbookConflict[] = [];
  const result: Part[] = [];
  const eq = (x?: Part, y?: Part) => normalize(x?.text ?? '') === normalize(y?.text ?? '');

  for (const up of user) {
    const bp = b.get(up.key);
    const gp = g.get(up.key);
    if (!bp) {
      // Added by the user (or by both: keep the user's, report when different).
      if (gp && !eq(up, gp)) conflicts.push({ section: up.label, user: up.text, generated: gp.text });
      result.push(up);
    } else if (eq(up, bp)) {
      if (gp) result.push(gp); // untouched by the user: take the new generated text (or drop it with the generator)
    } else {
      result.push(up); // edited by the user: kept
      if (!eq(gp, bp) && !eq(gp, up)) conflicts.push({ section: up.label, user: up.text, generated: gp?.text ?? '' });
    }
  }
  // Deleted by the user: stays deleted; report when the generator changed it meanwhile.
  for (const bp of base) {
    if (u.has(bp.key)) continue;
    const gp = g.get(bp.key);
    if (gp && !eq(gp, bp)) conflicts.push({ section: gp.label, user: '', generated: gp.text });
  }
  // New in the generator: insert after the nearest preceding generated part present in the result.
  gen.forEach((gp, gi) => {
    if (b.has(gp.key) || u.has(gp.key)) return;
    let at = -1;
    for (let k = gi - 1; k >= 0 && at < 0; k--) at = result.findIndex((p) => p.key === gen[k].key);
    if (at < 0 && gp.key !== '') at = result.findIndex((p) => p.key === '');
    result.splice(at + 1, 0, gp);
  });
  return { parts: result, conflicts };
}

function joinParts(parts: Part[]): string {
  return parts
    .map((p) => normalize(p.text))
    .filter((t) => t.length > 0)
    .join('\n\n');
}

/**
 * Per-section three-way merge of a regenerated runbook. `previousGenerated` is what the generator wrote
 * last time (the base), `userEdited` the current document, `newlyGenerated` the fresh output.
 * A section (or front-matter key) the user did not touch takes the new generated text; one the user
 * edited is kept, and when the generator also changed it a conflict is reported so the user can accept
 * the generated text instead. Sections the user added stay; sections the user deleted stay deleted.
 */
export function mergeRunbook(
  previousGenerated: string,
  userEdited: string,
  newlyGenerated: string,
): { merged: string; conflicts: RunbookConflict[] } {
  const base = parseDoc(previousGenerated ?? '');
  // A blank user document means "nothing saved yet", not "everything deleted".
  const user = normalize(userEdited ?? '') ? parseDoc(userEdited) : base;
  const gen = parseDoc(newlyGenerated ?? '');

  const conflicts: RunbookConflict[] = [];
  let front = '';
  if (base.front || user.front || gen.front) {
    // A user document without front matter has deleted every key.
    const fm = mergeParts(base.front ?? [], user.front ?? [], gen.front ?? []);
    conflicts.push(...fm.conflicts);
    const body = fm.parts.map((p) => p.text.replace(/\n+$/, '')).filter((t) => t.length > 0).join('\n');
    if (body || user.front) front = `---\n${body}\n---`;
  }
  const body = mergeParts(base.parts, user.parts, gen.parts);
  conflicts.push(...body.conflicts);
  const merged = [front, joinParts(body.parts)].filter(Boolean).join('\n\n') + '\n';
  return { merged, conflicts };
}

/**
 * Apply the user's choice for one conflict: replace the section (or front-matter key) in `merged`
 * with the generated text. Returns the new document (unchanged when the section is not found).
 */
export function acceptGenerated(merged: string, conflict: RunbookConflict): string {
  const doc = parseDoc(merged);
  const fmKey = conflict.section.startsWith('front matter: ') ? conflict.section.slice('front matter: '.length) : null;
  if (fmKey !== null) {
    const front = [...(doc.front ?? [])];
    const i = front.findIndex((p) => p.label === conflict.section);
    if (i >= 0) front[i] = { ...front[i], text: conflict.generated };
    else if (conflict.generated) front.push({ key: fmKey, label: conflict.section, text: conflict.generated });
    const fm = front.map((p) => p.text.replace(/\n+$/, '')).filter(Boolean).join('\n');
    return [`---\n${fm}\n---`, joinParts(doc.parts)].join('\n\n') + '\n';
  }
  const parts = [...doc.parts];
  const i = parts.findIndex((p) => p.label === conflict.section);
  if (i >= 0) parts[i] = { ...parts[i], text: conflict.generated };
  else if (conflict.generated) parts.push({ key: conflict.section.toLowerCase(), label: conflict.section, text: conflict.generated });
  const front = doc.front ? `---\n${doc.front.map((p) => p.text.replace(/\n+$/, '')).filter(Boolean).join('\n')}\n---` : '';
  return [front, joinParts(parts)].filter(Boolean).join('\n\n') + '\n';
}
