// `pmw search`, `pmw incident similar`, `pmw stats`, `pmw action list` (issue 12).
import { writeFileSync } from 'node:fs';
import type { App } from '../app';
import { ApiError } from '../../shared/api/errors';
import { str, type ParsedArgs } from './args';
import { formatDuration } from '../../shared/phases';
import { STAT_METRICS, STAT_METRIC_LABELS, type StatsGroup, type StatsSummary } from '../../shared/analytics';
import type { SnippetPart } from '../../shared/search';

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
}

const int = (a: ParsedArgs, name: string): number | undefined => {
  const v = str(a.flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new ApiError('VALIDATION', `--${name} must be a whole number, got "${v}"`, { issues: [{ field: name, message: 'not a whole number' }] });
  return n;
};

/** Highlighted snippet: bold on a terminal (unless NO_COLOR), **word** otherwise. */
export function highlight(parts: SnippetPart[], tty = !!process.stdout.isTTY && !process.env.NO_COLOR): string {
  return parts.map((p) => (p.hit ? (tty ? `\x1b[1;33m${p.text}\x1b[22;39m` : `**${p.text}**`) : p.text)).join('');
}

export async function searchCommand(app: App, a: ParsedArgs, io: CliIo): Promise<number> {
  const query = a.positionals.slice(1).join(' ');
  if (!query.trim()) throw new ApiError('VALIDATION', 'usage: pmw search QUERY [--json]', { issues: [{ field: 'query', message: 'required' }] });
  const f = a.flags;
  const r = await app.call('search:query', {
    query,
    failureClass: str(f, 'class') as never,
    severity: str(f, 'severity') as never,
    service: str(f, 'service'),
    phase: str(f, 'phase') as never,
    since: str(f, 'since'),
    until: str(f, 'until'),
    includeDrills: f.drills === true ? true : undefined,
    limit: int(a, 'limit'),
  });
  if (f.json === true) {
    io.out(JSON.stringify(r.hits, null, 2) + '\n');
    return 0;
  }
  if (!r.hits.length) {
    io.out(`Nothing found for "${query}".\n`);
    return 0;
  }
  for (const h of r.hits) io.out(`${h.key}  ${h.title}\n  ${h.where}: ${highlight(h.parts)}\n`);
  if (r.more) io.out(`\nMore results: add a word or a filter (--class, --service, --since), or --limit.\n`);
  if (r.window) io.out(`(A very common term: the ${r.window.ranked} most recent matches were ranked.)\n`);
  return 0;
}

export async function similarCommand(app: App, key: string, a: ParsedArgs, io: CliIo): Promise<number> {
  const list = await app.call('incident:similar', { key, limit: int(a, 'limit') });
  if (a.flags.json === true) {
    io.out(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  if (!list.length) {
    io.out(`No earlier incident shares a recorded change with ${key}. Diff its artifact pairs or add findings with evidence first.\n`);
    return 0;
  }
  for (const s of list) io.out(`${s.key}  ${s.title}  (score ${s.score})\n${s.reasons.map((r) => `  · ${r}\n`).join('')}`);
  return 0;
}

function groupLine(g: StatsGroup): string {
  const cell = (m: (typeof STAT_METRICS)[number]) => `${STAT_METRIC_LABELS[m].short} ${formatDuration(g[m].medianMs)}/${formatDuration(g[m].p90Ms)}`;
  const unv = g.unverified.n ? `  (+${g.unverified.n} unverified)` : '';
  return `${g.group.padEnd(16)} ${String(g.incidents).padStart(6)}  ${STAT_METRICS.map(cell).join('  ')}  ${g.tier.overall ?? '—'}${unv}`;
}

export function formatStats(s: StatsSummary): string {
  const out: string[] = [
    `${s.incidents} real incidents${s.since ? ` since ${s.since.slice(0, 10)}` : ''}${s.until ? ` until ${s.until.slice(0, 10)}` : ''}; ${s.drillsExcluded} drills excluded.`,
    'Figures: median/p90 (h:mm:ss); MTTM and MTTR count verified mitigations only; tier = seed 002 tier the medians reach.',
    '',
    groupLine(s.overall),
  ];
  const section = (title: string, list: StatsGroup[]) => {
    if (!list.length) return;
    out.push('', title);
    for (const g of list) out.push(groupLine(g));
  };
  section('By month', s.byMonth);
  section('By severity', s.bySeverity);
  section('By class', s.byClass);
  section('By service', s.byService);
  out.push('', `Class mix: ${s.classMix.map((m) => `${m.group} ${m.n}`).join(', ') || '—'}`);
  out.push(`Origin mix: ${s.originMix.map((m) => `${m.group} ${m.n}`).join(', ') || '—'}`);
  if (s.drills.byMonth.length) {
    out.push('', 'Drills (not in the figures above)');
    for (const d of s.drills.byMonth) out.push(`${d.month}  ${d.drills} drills, ${d.finished} finished, average score ${d.averageScore ?? '—'}`);
  }
  return out.join('\n') + '\n';
}

export async function statsCommand(app: App, a: ParsedArgs, io: CliIo): Promise<number> {
  const range = { since: str(a.flags, 'since'), until: str(a.flags, 'until') };
  if (a.flags.csv === true) {
    const csv = await app.call('stats:csv', range);
    const out = str(a.flags, 'out');
    if (out) {
      writeFileSync(out, csv.content);
      io.err(`wrote ${out}\n`);
    } else io.out(csv.content);
    return 0;
  }
  const s = await app.call('stats:summary', range);
  io.out(a.flags.json === true ? JSON.stringify(s, null, 2) + '\n' : formatStats(s));
  return 0;
}

export async function actionCommand(app: App, a: ParsedArgs, io: CliIo): Promise<number> {
  const sub = a.positionals[1];
  if (sub !== 'list') throw new ApiError('VALIDATION', `unknown action command "${sub ?? ''}" (list)`);
  const f = a.flags;
  const b = await app.call('action:backlog', {
    key: a.positionals[2],
    open: f.open === true ? true : undefined,
    overdue: f.overdue === true ? true : undefined,
    owner: str(f, 'owner'),
    type: str(f, 'type') as never,
    status: str(f, 'status') as never,
    limit: int(a, 'limit'),
  });
  if (f.json === true) {
    io.out(JSON.stringify(b.items, null, 2) + '\n');
    return 0;
  }
  if (!b.items.length) io.out('No action items match.\n');
  for (const i of b.items) {
    const due = i.dueDate ? `${i.dueDate}${i.overdue ? ` OVERDUE ${i.daysOverdue}d` : ''}` : 'no due date';
    io.out(`${i.key} #${String(i.id).padEnd(5)} ${i.status.padEnd(11)} ${i.type.padEnd(12)} ${(i.owner || '(unowned)').padEnd(16)} ${due.padEnd(24)} ${i.title}\n`);
  }
  if (b.total > b.items.length) io.out(`… ${b.total - b.items.length} more (--limit)\n`);
  io.out(`\n${b.counts.open} open across incidents, ${b.counts.overdue} overdue, ${b.counts.unowned} unowned (today: ${b.today}).\n`);
  return 0;
}
