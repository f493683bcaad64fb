// Full-text search over incidents, timelines, findings, documents and artifact changes. The FTS5 index
// is kept by triggers (migrations/0008); this file only reads it.
//
// How a query runs: the index yields matching texts newest first (rowids grow with every write); with
// filters, only the SCAN_CAP most recent matches are read. The first `window` texts that pass are
// ranked by BM25 and the best get snippets. Both are computed here from the texts themselves:
// FTS5's bm25() first counts every match of each term in the whole index, ~10 ms for a word found in a
// third of a million notes, before ranking a single row.
import type { Db } from '../store/db';
import type { ParsedInput } from '../../shared/api/contract';
import { MASK, MASKED_SUFFIX, needsContextNarrow, redactText } from '../../shared/redact/index';
import {
  compileQuery, firstMatch, HIT_START, INDEXED_PREFIX_CHARS, markSnippet, snippetColumn, snippetWindow, RANK_CHARS, rankTexts, SEARCH_SOURCES, SEARCH_SOURCE_LABELS, snippetParts,
  type RankText, type SearchHit, type SearchResult, type SearchSource, type SnippetPart,
} from '../../shared/search';
import { StatementCache, type IncidentRow as IncidentTableRow, type RowStatement } from '../store/rows';

/** A matching text: its FTS rowid and what it belongs to (search_docs), with its score once ranked. */
interface Row {
  rid: number;
  src: number;
  ref: number;
  incident_id: number;
  score: number;
}

/**
 * Rank at most this many of the most recent matching texts. A more specific query (another word, a
 * filter) is ranked completely. PMW_SEARCH_WINDOW overrides (0: rank every match).
 */
export function searchWindow(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PMW_SEARCH_WINDOW;
  const v = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(v) && v >= 0 ? v : 250;
}

/** Characters of a text around its first match masked for its snippet (whole lines; see snippetOf). */
const EXCERPT_BEFORE = 300;
const EXCERPT_AFTER = 600;
const WORD = /[\p{L}\p{N}\p{Co}]/u;
/** Whether a query matches the text masks put in place of a secret (then a snippet is made from the whole masked text). */
const maskMatches = (phrases: ReturnType<typeof compileQuery>['phrases']) => firstMatch(`${MASK} ${MASKED_SUFFIX}`, phrases) !== -1;

/** With filters: the most recent matches read at most while looking for texts that pass them. */
const SCAN_CAP = 10_000;
/** With filters that at most this many incidents pass, matches are checked against those incidents' texts. */
const FEW_INCIDENTS = 2_000;

/**
 * The one place a snippet is made from marked text (redaction hooks in here).
 * Returns the plain text and the same text in parts with the matching words marked.
 */
export function makeSnippet(marked: string): { snippet: string; parts: SnippetPart[] } {
  const parts = snippetParts(marked);
  return { snippet: parts.map((p) => p.text).join(''), parts };
}

type IncidentRow = Pick<IncidentTableRow, 'id' | 'key' | 'title' | 'severity' | 'failure_class' | 'service' | 'phase' | 'detected_at' | 'is_drill'>;

export class SearchService {
  private stmts: StatementCache;

  constructor(
    private db: Db,
    /** Brings derived rows (artifact changes) up to date before a query. */
    private beforeQuery: () => void = () => {},
    private window = searchWindow(),
  ) {
    this.stmts = new StatementCache(db);
  }

  private stmt<R = unknown>(sql: string): RowStatement<R> {
    return this.stmts.get<R>(sql);
  }

  /** The filters as SQL over the incident `i` of each text. */
  private filters(input: ParsedInput<'search:query'>): { where: string[]; args: Record<string, unknown> } {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    if (!input.includeDrills) where.push('i.is_drill = 0');
    if (input.failureClass) (where.push('i.failure_class = @cls'), (args.cls = input.failureClass));
    if (input.severity) (where.push('i.severity = @sev'), (args.sev = input.severity));
    if (input.service !== undefined) (where.push('i.service = @svc'), (args.svc = input.service.trim()));
    // "Not closed" as two ranges, so the phase index can answer it (see FEW_INCIDENTS).
    if (input.phase === 'open') where.push("(i.phase < 'closed' OR i.phase > 'closed')");
    else if (input.phase) (where.push('i.phase = @phase'), (args.phase = input.phase));
    if (input.since) (where.push('i.detected_at >= @since'), (args.since = new Date(input.since).toISOString()));
    if (input.until) (where.push('i.detected_at < @until'), (args.until = new Date(input.until).toISOString()));
    return { where, args };
  }

  query(input: ParsedInput<'search:query'>): SearchResult {
    const q = compileQuery(input.query);
    const empty: SearchResult = { query: input.query, hits: [], more: false, window: null };
    if (!q.match) return empty;
    this.beforeQuery();
    const limit = input.limit ?? 20;
    const perIncident = input.perIncident ?? 3;
    const window = this.window || Infinity;

    // A last word longer than the prefix indexes that is itself a very common term is taken as typed:
    // expanding its prefix would read the whole posting list of every completion, for a window that
    // holds the word anyway. (The word as typed is tried first, and the prefix only when that read came
    // short of the window.)
    const last = q.phrases[q.phrases.length - 1];
    const tryExact = last.prefix && [...last.tokens[last.tokens.length - 1]].length > INDEXED_PREFIX_CHARS && Number.isFinite(window);
    const exactMatch = tryExact ? compileQuery(input.query, { prefix: false }).match : '';

    const sources = input.sources?.length ? ` AND d.src IN (${[...new Set(input.sources)].map((x) => SEARCH_SOURCES.indexOf(x)).join(', ')})` : '';
    const { where, args } = this.filters(input);
    const limitW = Number.isFinite(window) ? ` LIMIT ${window}` : '';
    // Matches are read as ids first (the index alone, newest first); the texts of the ones kept are
    // read after (see below), so a match dropped by a filter or as a drill costs no content read.
    const ids = `SELECT search_fts.rowid AS rid, d.src, d.ref, d.incident_id FROM search_fts CROSS JOIN search_docs d ON d.id = search_fts.rowid`;
    let kept: Row[];
    let exhausted: boolean;
    let match = q.match;
    if (where.length === 1 && !input.includeDrills) {
      // No filter but "not a drill": no incident lookup per match; drills' texts are left out by the
      // drills' incident ids (a partial index, migrations/0013), before the newest matches are taken:
      // a drill run after an incident would otherwise fill the window with its own notes.
      const read1 = (m: string) =>
        this.stmt<Row>(
          `${ids} WHERE search_fts MATCH @match AND d.incident_id NOT IN (SELECT id FROM incidents WHERE is_drill = 1)${sources} ORDER BY search_fts.rowid DESC${limitW}`,
        ).all({ match: m });
      kept = [];
      if (tryExact) {
        kept = read1(exactMatch);
        if (kept.length >= window) (match = exactMatch), (last.prefix = false);
      }
      if (match !== exactMatch) kept = read1(match);
      exhausted = kept.length < window;
    } else {
      // Filters: read at most the SCAN_CAP most recent matches, keep what passes.
      if (tryExact && this.stmt('SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?').get(exactMatch, window - 1)) {
        match = exactMatch;
        last.prefix = false;
      }
      let low = 0;
      if (Number.isFinite(window)) low = this.stmt<{ rowid: number }>('SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?').get(match, SCAN_CAP - 1)?.rowid ?? 0;
      // When the word has more than SCAN_CAP matches and at most FEW_INCIDENTS incidents pass the filters
      // (counted on their indexes, stopping at one more), the texts of those incidents are listed first and each match is checked against that
      // list: a common word otherwise joined its SCAN_CAP newest matches to their incidents one by one
      // (~20 ms for `OOMKilled` in open incidents). Same texts, same order.
      const few = low > 0 && where.length > 0 &&
        this.stmt<number>(`SELECT count(*) FROM (SELECT 1 FROM incidents i WHERE ${where.join(' AND ')} LIMIT ${FEW_INCIDENTS + 1})`).pluck().get(args)! <= FEW_INCIDENTS;
      const inFew = few ? ` AND +search_fts.rowid IN (SELECT d2.id FROM incidents i CROSS JOIN search_docs d2 ON d2.incident_id = i.id WHERE ${where.join(' AND ')} AND d2.id >= @low)` : '';
      kept = this.stmt<Row>(
        `${ids} CROSS JOIN incidents i ON i.id = d.incident_id WHERE search_fts MATCH @match AND search_fts.rowid >= @low${inFew}${where.length ? ' AND ' + where.join(' AND ') : ''}${sources}
         ORDER BY search_fts.rowid DESC${limitW}`,
      ).all({ ...args, match, low });
      exhausted = kept.length < window && low === 0;
    }
    if (!kept.length) return { ...empty, window: exhausted ? null : { ranked: 0 } };

    // The texts of the kept matches, ranked by their first RANK_CHARS characters (a hit's full text is
    // read only if its snippet needs it). Whether a text was cut is whether it has a character after the
    // ranked ones: length() of the whole body walked every character of long texts such as artifact
    // changes, ~1.5 ms for 250 of them.
    const texts = new Map(
      this.stmt<RankText & { rid: number; cut: number }>(
        `SELECT rowid AS rid, title, substr(body, 1, ${RANK_CHARS}) AS body, meta, substr(body, ${RANK_CHARS + 1}, 1) <> '' AS cut FROM search_fts WHERE rowid IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(kept.map((r) => r.rid))).map((t) => [t.rid, t]),
    );
    const ranked: Row[] = kept;
    const scores = rankTexts(ranked.map((r) => texts.get(r.rid)!), q.phrases);
    ranked.forEach((r, i) => (r.score = scores[i]));
    ranked.sort((a, b) => b.score - a.score || b.rid - a.rid);

    // At most perIncident hits of one incident, so one busy incident does not fill the list.
    const per = new Map<number, number>();
    const top: Row[] = [];
    for (const r of ranked) {
      const n = per.get(r.incident_id) ?? 0;
      if (n >= perIncident) continue;
      per.set(r.incident_id, n + 1);
      top.push(r);
      if (top.length === limit) break;
    }
    const incidents = new Map(
      this.stmt<IncidentRow>('SELECT id, key, title, severity, failure_class, service, phase, detected_at, is_drill FROM incidents WHERE id IN (SELECT value FROM json_each(?))').all(
        JSON.stringify([...new Set(top.map((r) => r.incident_id))]),
      ).map((i) => [i.id, i]),
    );
    return {
      query: input.query,
      hits: this.describe(top, (id) => incidents.get(id)!, (rid) => texts.get(rid)!, q.phrases),
      more: ranked.length > top.length || !exhausted,
      window: exhausted ? null : { ranked: kept.length },
    };
  }

  /**
   * The marked snippet of a text, made from the text with its secrets masked (shared/redact): timeline
   * notes and incident fields are stored as typed, so the index holds them in clear, but a snippet
   * never shows a secret. null when the query matched only inside masked values — the hit is dropped,
   * so searching for a secret does not even say which incident holds it. `text` is whole: a text cut
   * for ranking could end inside a secret that its cut part no longer shows to be one.
   */
  private snippetOf(text: RankText, phrases: ReturnType<typeof compileQuery>['phrases'], matchesMask: boolean): string | null {
    const whole = () => {
      const marked = markSnippet({ title: redactText(text.title), body: redactText(text.body), meta: redactText(text.meta) }, phrases);
      return marked.includes(HIT_START) ? marked : null;
    };
    // Masking the whole of every hit's texts was a third of a search over long artifact-change texts.
    // A text that needs no context redacts line by line exactly as a whole (shared/redact needsContextNarrow),
    // so the lines around its first match are masked alone and the window made from them; whenever the
    // window would need more (a match only inside a secret, words beyond the excerpt, a query that
    // matches the mask's own text) the whole text is masked as before.
    const col = snippetColumn(text, phrases);
    if (!col || col === 'tokenize' || matchesMask) return whole();
    const t = text[col.column];
    if (needsContextNarrow(t)) return whole();
    const a = t.lastIndexOf('\n', Math.max(0, col.first - EXCERPT_BEFORE) - 1) + 1;
    let b = t.indexOf('\n', col.first + EXCERPT_AFTER);
    if (b < 0) b = t.length;
    const excerpt = redactText(t.slice(a, b));
    const first = firstMatch(excerpt, phrases);
    if (first === null || first < 0) return whole();
    const goesOn = { before: a > 0 && WORD.test(t.slice(0, a)), after: b < t.length && WORD.test(t.slice(b)) };
    const w = snippetWindow(excerpt, first, phrases, undefined, goesOn);
    return w !== null && w.includes(HIT_START) ? w : whole();
  }

  private describe(rows: Row[], incidentOf: (id: number) => IncidentRow, textOf: (rid: number) => RankText & { cut: number }, phrases: ReturnType<typeof compileQuery>['phrases']): SearchHit[] {
    // One cached statement per table: the ids go in as a JSON array.
    const byId = <R extends { id: number }>(sql: string, src: number): Map<number, R> => {
      const list = [...new Set(rows.filter((r) => r.src === src).map((r) => r.ref))];
      if (!list.length) return new Map();
      return new Map(this.stmt<R>(`${sql} WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(list)).map((x) => [x.id, x]));
    };
    const events = byId<{ id: number; kind: string; phase: string }>('SELECT id, kind, phase FROM timeline_events', 7);
    const findings = byId<{ id: number; status: string }>('SELECT id, status FROM findings', 8);
    const changes = byId<{ id: number; label: string }>('SELECT id, label FROM incident_changes', 11);
    // Snippets come from whole texts: those cut for ranking are read again, in full, in one query.
    const cut = rows.filter((r) => textOf(r.rid).cut).map((r) => r.rid);
    const whole = new Map(
      cut.length ? this.stmt<RankText & { rid: number }>('SELECT rowid AS rid, title, body, meta FROM search_fts WHERE rowid IN (SELECT value FROM json_each(?))').all(JSON.stringify(cut)).map((t) => [t.rid, t]) : [],
    );
    const matchesMask = maskMatches(phrases);
    return rows.flatMap((r): SearchHit[] => {
      const marked = this.snippetOf(whole.get(r.rid) ?? textOf(r.rid), phrases, matchesMask);
      if (marked === null) return [];
      const inc = incidentOf(r.incident_id);
      const source: SearchSource = SEARCH_SOURCES[r.src] ?? 'title';
      let where: string = SEARCH_SOURCE_LABELS[source];
      let ref: number | null = null;
      if (source === 'timeline') {
        const e = events.get(r.ref);
        where = e ? `timeline ${e.kind} · ${e.phase}` : 'timeline';
        ref = r.ref;
      } else if (source === 'finding') {
        where = findings.get(r.ref)?.status === 'rejected' ? 'finding (rejected)' : 'finding';
        ref = r.ref;
      } else if (source === 'change') {
        where = `artifact change · ${changes.get(r.ref)?.label ?? ''}`.trim();
        ref = r.ref;
      }
      return [{
        key: inc.key,
        title: redactText(inc.title),
        where,
        source,
        ref,
        ...makeSnippet(marked),
        score: Math.round(r.score * 1000) / 1000,
        severity: inc.severity,
        failureClass: inc.failure_class,
        service: inc.service,
        phase: inc.phase,
        detectedAt: inc.detected_at,
        isDrill: !!inc.is_drill,
      }];
    });
  }
}
