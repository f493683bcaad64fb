// The incident list, paged: keyset cursors over the list indexes (migrations/0008), counts per filter
// from the incident_facets table (kept by triggers), a text filter through the full-text index.
import type { Db } from '../store/db';
import { ApiError } from '../../shared/api/errors';
import type { ParsedInput } from '../../shared/api/contract';
import { FAILURE_CLASSES, PHASES, SEVERITIES, type IncidentStatus, type Phase } from '../../shared/domain';
import { compileQuery, INDEXED_PREFIX_CHARS, phraseHits, tokenize } from '../../shared/search';
import type { IncidentCounts, IncidentListItem, IncidentPage } from '../../shared/incidentList';
import { IncidentService } from './incidents';
import { StatementCache, type CountRow, type IncidentFacetRow, type IncidentSummaryRow, type RowStatement } from '../store/rows';

/** A list row as read (`light`: without the per-row parts, which `complete` adds). */
interface Row extends IncidentSummaryRow {
  id: number;
  seq: number;
  closed_at: string | null;
  phase_entered_at?: string | null;
  early_phases?: string | null;
  open_actions?: number;
  overdue_actions?: number;
}
type Extra = Required<Pick<Row, 'id' | 'phase_entered_at' | 'early_phases' | 'open_actions' | 'overdue_actions'>>;
/** A row with its per-row parts (a full read, or a light one `complete`d). */
type FullRow = Row & Extra;
type SortColumn = 'updated_at' | 'created_at' | 'seq';
type Input = ParsedInput<'incident:list'>;
type Sort = NonNullable<Input['sort']>;

export const DEFAULT_PAGE = 100;
/** A text filter matching more incidents than this is checked per incident; totals count this many. */
const TEXT_SET = 8000;

interface TextFilter {
  /** Clause for reading the page, and for counting. */
  page: string;
  count: string;
  args: Record<string, unknown>;
  /** More incidents match than were counted: totals are lower bounds. */
  capped: boolean;
  /** Checks each row read in order (the common-word case). */
  accept?: (r: Row) => boolean;
  /** The incidents `count` selects (distinct ids), when known without a query. */
  ids?: number[];
}
/** A text filter matching more incidents than this pages by walking the sort's index. */
const WALK_SET = 1000;
const OPEN_PHASES = PHASES.map((p) => `'${p}'`).join(', ');

/** Columns each sort pages by (all descending, seq last as the tie-break). */
const SORT_COLUMNS: Record<Sort, SortColumn[]> = {
  updated: ['updated_at', 'seq'],
  created: ['created_at', 'seq'],
  key: ['seq'],
  severity: ['updated_at', 'seq'], // within each severity, SEV1 first
};

function encodeCursor(sort: Sort, values: unknown[]): string {
  return Buffer.from(JSON.stringify([sort, ...values])).toString('base64url');
}

function decodeCursor(sort: Sort, cursor: string): unknown[] {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = null;
  }
  const n = SORT_COLUMNS[sort].length + (sort === 'severity' ? 1 : 0);
  if (!Array.isArray(v) || v[0] !== sort || v.length !== n + 1 || v.slice(1).some((x) => typeof x !== 'string' && typeof x !== 'number')) {
    throw new ApiError('VALIDATION', 'This page cursor does not belong to this list (it was made for another sort, or is damaged); start again from the first page.', {
      issues: [{ field: 'cursor', message: 'not a cursor of this list' }],
    });
  }
  return v.slice(1);
}

export class IncidentListService {
  private stmts: StatementCache;

  constructor(
    private db: Db,
    private today: () => string,
    private textSet = TEXT_SET,
    private walkSet = WALK_SET,
  ) {
    this.stmts = new StatementCache(db);
  }

  private stmt<R = unknown>(sql: string): RowStatement<R> {
    return this.stmts.get<R>(sql);
  }

  /**
   * The text filter, once per call: the incidents whose title, key or service match. Up to TEXT_SET of
   * them are looked up in the index and listed by id; a term matching more (a common word) is checked
   * per incident while the page is read in order instead, and totals are counted over the first TEXT_SET.
   */
  private text(q: string | undefined): TextFilter | null {
    q = q?.trim();
    if (!q) return null;
    const { match } = compileQuery(q);
    const seq = /^(?:inc-?)?0*(\d{1,9})$/i.exec(q);
    const orSeq = (c: string) => (seq ? `(i.seq = @seq OR ${c})` : c);
    const args: Record<string, unknown> = seq ? { seq: Number(seq[1]) } : {};
    if (!match) {
      // Only punctuation ("%", "#"): nothing the index holds, so a substring scan.
      const like = "(i.title LIKE @like ESCAPE '\\' OR i.key LIKE @like ESCAPE '\\' OR i.service LIKE @like ESCAPE '\\')";
      return { page: like, count: like, args: { like: `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%` }, capped: false };
    }
    const idsOf = (m: string) =>
      this.stmt<number>(
        `SELECT d.incident_id FROM search_fts CROSS JOIN search_docs d ON d.id = search_fts.rowid WHERE search_fts MATCH ? AND d.src = 0 LIMIT ${this.textSet + 1}`,
      ).pluck().all(`{title meta} : (${m})`);
    // A last word longer than the prefix indexes is first looked up as typed: FTS5 expands such a prefix by merging the whole posting
    // list of every completion before yielding a row (linear in the store for a word like "scoring"),
    // while the word itself streams. When the word alone already matches more than TEXT_SET incidents,
    // the list is checked per row below anyway (with the prefix rule) and the total is a lower bound,
    // which the incidents matching the word exactly are.
    const compiled = compileQuery(q);
    const last = compiled.phrases[compiled.phrases.length - 1];
    let ids: number[] | null = null;
    if (last?.prefix && [...last.tokens[last.tokens.length - 1]].length > INDEXED_PREFIX_CHARS) {
      const exact = idsOf(compileQuery(q, { prefix: false }).match);
      if (exact.length > this.textSet) ids = exact;
    }
    ids ??= idsOf(match);
    args.match = `{title meta} : (${match})`;
    const inSet = orSeq('i.id IN (SELECT value FROM json_each(@ids))');
    args.ids = JSON.stringify(ids.slice(0, this.textSet));
    const counted = seq ? undefined : ids.slice(0, this.textSet);
    if (ids.length <= this.textSet) {
      // Many matches: walk the sort's index and test each row against the set (`+` keeps SQLite from
      // looking each id up and sorting them all); few: look them up and sort.
      const page = ids.length > this.walkSet ? orSeq('+i.id IN (SELECT value FROM json_each(@ids))') : inSet;
      return { page, count: inSet, args, capped: false, ids: counted };
    }
    // A common word: read the list in order and match each title, key and service here (the index's
    // tokens, the same prefix rule), instead of collecting every matching incident first.
    const { phrases } = compiled;
    const n = seq ? Number(seq[1]) : null;
    const accept = (r: Row) => {
      if (r.seq === n) return true;
      const title = tokenize(r.title);
      const meta = tokenize(`${r.key} ${r.service}`);
      return phrases.every((p) => phraseHits(title, [p]).length > 0 || phraseHits(meta, [p]).length > 0);
    };
    return { page: '1 = 1', count: inSet, args, capped: true, accept, ids: counted };
  }

  /** The filters other than the cursor, as SQL over incidents `i`. */
  private filters(input: Input, text: TextFilter | null, use: 'page' | 'count', skip?: 'phase' | 'severity' | 'failureClass'): { where: string[]; args: Record<string, unknown> } {
    const where: string[] = [];
    const args: Record<string, unknown> = { ...(text?.args ?? {}) };
    if (!input.includeDrills) where.push('i.is_drill = 0');
    if (skip !== 'phase') {
      if (input.phase === 'open') where.push(`i.phase IN (${OPEN_PHASES})`);
      else if (input.phase) (where.push('i.phase = @phase'), (args.phase = input.phase));
    }
    if (input.severity && skip !== 'severity') (where.push('i.severity = @severity'), (args.severity = input.severity));
    if (input.failureClass && skip !== 'failureClass') (where.push('i.failure_class = @cls'), (args.cls = input.failureClass));
    if (input.service !== undefined) (where.push('i.service = @service'), (args.service = input.service.trim()));
    if (text) where.push(text[use]);
    return { where, args };
  }

  list(input: Input): IncidentPage {
    const sort: Sort = input.sort ?? 'updated';
    const limit = input.limit ?? DEFAULT_PAGE;
    const text = this.text(input.query);
    const { where, args } = this.filters(input, text, 'page');
    const after = input.cursor ? decodeCursor(sort, input.cursor) : null;
    // With a text filter the rows are light too: the matching set is sorted in a temporary B-tree, and
    // SQLite computes every selected column (the per-row subqueries) of every row it sorts.
    const rows = this.walk(sort, input, where, args, after, limit + 1, text?.accept, !!text);
    const more = rows.length > limit;
    const items = this.complete(rows.slice(0, limit)).map((r) => this.item(r));
    const last = rows[limit - 1];
    const nextCursor = more && last ? encodeCursor(sort, sort === 'severity' ? [last.severity, last.updated_at, last.seq] : SORT_COLUMNS[sort].map((c) => last[c])) : null;
    const page: IncidentPage = { items, nextCursor, total: this.total(input, text) };
    if (text?.capped) page.totalAtLeast = true;
    if (input.counts) page.counts = this.counts(input, text);
    return page;
  }

  /**
   * Read rows in the sort's order after the cursor, `need` of them, keeping those `accept` takes (all
   * when absent; then one query). Severity pages are one indexed range per severity, SEV1 first.
   */
  private walk(sort: Sort, input: Input, where: string[], args: Record<string, unknown>, after: unknown[] | null, need: number, accept?: (r: Row) => boolean, light = !!accept): Row[] {
    const out: Row[] = [];
    const chunk = accept ? Math.max(need, 400) : need;
    const cols = SORT_COLUMNS[sort];
    const order = cols.map((c) => `i.${c} DESC`).join(', ');
    const severities = sort === 'severity' ? SEVERITIES.slice(after ? Math.max(0, SEVERITIES.indexOf(after[0] as never)) : 0) : [null];
    for (const sev of severities) {
      if (sev && input.severity && input.severity !== sev) continue;
      let cur = sort === 'severity' ? (after && sev === after[0] ? after.slice(1) : null) : after;
      for (;;) {
        const w = [...where];
        const a: Record<string, unknown> = { ...args };
        if (sev) (w.push('i.severity = @sevPage'), (a.sevPage = sev));
        if (cur) {
          w.push(`(${cols.map((c) => `i.${c}`).join(', ')}) < (${cols.map((_, j) => `@c${j}`).join(', ')})`);
          cur.forEach((v, j) => (a[`c${j}`] = v));
        }
        const got = this.page(w, a, order, chunk, light);
        for (const r of got) {
          if (accept && !accept(r)) continue;
          out.push(r);
          if (out.length >= need) return out;
        }
        if (got.length < chunk) break;
        const l = got[got.length - 1];
        cur = cols.map((c) => l[c]);
      }
    }
    return out;
  }

  /** Rows of the list in order; `light` leaves out the per-row counts (rows still to be checked). */
  private page(where: string[], args: Record<string, unknown>, order: string, limit: number, light = false): Row[] {
    const sql = `SELECT i.id, i.key, i.title, i.service, i.severity, i.failure_class, i.phase, i.is_drill, i.created_at, i.updated_at,
        i.detected_at, i.closed_at, i.seq, i.mitigation_verified_at${light ? '' : `, pe.entered_at AS phase_entered_at,
        (SELECT group_concat(x.phase) FROM phase_entries x WHERE x.incident_id = i.id AND x.exited_at IS NOT NULL AND x.early_reason IS NOT NULL) AS early_phases,
        (SELECT COUNT(*) FROM action_items a WHERE a.incident_id = i.id AND a.status <> 'done') AS open_actions,
        (SELECT COUNT(*) FROM action_items a WHERE a.incident_id = i.id AND a.status <> 'done' AND a.due_date < @today) AS overdue_actions`}
      FROM incidents i${light ? '' : ' LEFT JOIN phase_entries pe ON pe.incident_id = i.id AND pe.phase = i.phase'}
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} LIMIT ${limit}`;
    return this.stmt<Row>(sql).all(light ? args : { ...args, today: this.today() });
  }

  /** The per-row parts a light read left out. */
  private complete(rows: Row[]): FullRow[] {
    // The rows of one read are all full or all light.
    if (!rows.length || rows[0].open_actions !== undefined) return rows as FullRow[];
    const extra = this.stmt<Extra>(
      `SELECT i.id, pe.entered_at AS phase_entered_at,
        (SELECT group_concat(x.phase) FROM phase_entries x WHERE x.incident_id = i.id AND x.exited_at IS NOT NULL AND x.early_reason IS NOT NULL) AS early_phases,
        (SELECT COUNT(*) FROM action_items a WHERE a.incident_id = i.id AND a.status <> 'done') AS open_actions,
        (SELECT COUNT(*) FROM action_items a WHERE a.incident_id = i.id AND a.status <> 'done' AND a.due_date < @today) AS overdue_actions
       FROM incidents i LEFT JOIN phase_entries pe ON pe.incident_id = i.id AND pe.phase = i.phase WHERE i.id IN (SELECT value FROM json_each(@ids))`,
    ).all({ ids: JSON.stringify(rows.map((r) => r.id)), today: this.today() });
    const byId = new Map(extra.map((x) => [x.id, x]));
    return rows.map((r) => ({ ...r, ...byId.get(r.id) }) as FullRow);
  }

  private item(r: FullRow): IncidentListItem {
    return { ...IncidentService.summaryOf(r, r.phase_entered_at ?? r.closed_at ?? r.updated_at, r.early_phases ? (String(r.early_phases).split(',') as Phase[]) : []), openActions: r.open_actions, overdueActions: r.overdue_actions };
  }

  /** Overdue action items of real incidents: all overdue (partial index) less the drills' (few). */
  overdue(): number {
    const today = this.today();
    const all = this.stmt<CountRow>("SELECT COUNT(*) AS n FROM action_items WHERE status <> 'done' AND due_date < ?").get(today)!.n;
    const drills = this.stmt<CountRow>(
      "SELECT COUNT(*) AS n FROM incident_timing t CROSS JOIN action_items a ON a.incident_id = t.incident_id WHERE t.is_drill = 1 AND a.status <> 'done' AND a.due_date < ?",
    ).get(today)!.n;
    return all - drills;
  }

  /** Facet rows matching the drill / phase / severity / class filters (no text or service filter). */
  private facetRows(input: Input): IncidentFacetRow[] {
    return this.stmt<IncidentFacetRow>('SELECT is_drill, phase, severity, failure_class, n FROM incident_facets WHERE n > 0 AND (is_drill = 0 OR @drills = 1)').all({ drills: input.includeDrills ? 1 : 0 });
  }

  private matches(r: Pick<IncidentFacetRow, 'phase' | 'severity' | 'failure_class'>, input: Input, skip?: string): boolean {
    if (skip !== 'phase' && input.phase && (input.phase === 'open' ? r.phase === 'closed' : r.phase !== input.phase)) return false;
    if (skip !== 'severity' && input.severity && r.severity !== input.severity) return false;
    if (skip !== 'failureClass' && input.failureClass && r.failure_class !== input.failureClass) return false;
    return true;
  }

  private simple(input: Input): boolean {
    return !input.query?.trim() && input.service === undefined;
  }

  private total(input: Input, text: TextFilter | null): number {
    if (this.simple(input)) return this.facetRows(input).filter((r) => this.matches(r, input)).reduce((a, r) => a + r.n, 0);
    if (text?.ids && !input.phase && !input.severity && !input.failureClass && input.service === undefined) {
      // Text alone: the matching incidents less the drills among them (drills are few; incident_timing
      // has them indexed), without looking up thousands of ids.
      if (input.includeDrills) return text.ids.length;
      const drills = new Set(this.stmt<number>('SELECT incident_id FROM incident_timing WHERE is_drill = 1').pluck().all());
      return drills.size ? text.ids.reduce((a, id) => a + (drills.has(id) ? 0 : 1), 0) : text.ids.length;
    }
    const { where, args } = this.filters(input, text, 'count');
    return this.stmt<CountRow>(`SELECT COUNT(*) AS n FROM incidents i ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`).get(args)!.n;
  }

  /** Counts per value of each filter, with the other filters applied (what each choice would show). */
  counts(input: Input, text: TextFilter | null = this.text(input.query)): IncidentCounts {
    const zero = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
    const c: IncidentCounts = {
      phase: zero<IncidentStatus>([...PHASES, 'closed']),
      severity: zero(SEVERITIES),
      failureClass: zero(FAILURE_CLASSES),
      open: 0,
      drills: 0,
      overdueActions: this.overdue(),
    };
    const facets: [keyof typeof c & ('phase' | 'severity' | 'failureClass'), 'phase' | 'severity' | 'failure_class'][] = [
      ['phase', 'phase'],
      ['severity', 'severity'],
      ['failureClass', 'failure_class'],
    ];
    if (this.simple(input)) {
      const rows = this.facetRows({ ...input, includeDrills: true });
      for (const r of rows) {
        if (r.is_drill) {
          if (this.matches(r, input)) c.drills += r.n;
          if (!input.includeDrills) continue;
        }
        for (const [k, col] of facets) if (this.matches(r, input, k)) (c[k] as Record<string, number>)[r[col]] += r.n;
        if (r.phase !== 'closed' && this.matches(r, input, 'phase')) c.open += r.n;
      }
      return c;
    }
    for (const [k, col] of facets) {
      const { where, args } = this.filters(input, text, 'count', k);
      for (const r of this.stmt<{ v: string; n: number }>(`SELECT i.${col} AS v, COUNT(*) AS n FROM incidents i ${where.length ? 'WHERE ' + where.join(' AND ') : ''} GROUP BY i.${col}`).all(args)) {
        (c[k] as Record<string, number>)[r.v] = r.n;
      }
    }
    c.open = PHASES.reduce((a, p) => a + c.phase[p], 0);
    const { where, args } = this.filters({ ...input, includeDrills: true }, text, 'count');
    c.drills = this.stmt<CountRow>(`SELECT COUNT(*) AS n FROM incidents i WHERE i.is_drill = 1${where.length ? ' AND ' + where.join(' AND ') : ''}`).get(args)!.n;
    return c;
  }
}
