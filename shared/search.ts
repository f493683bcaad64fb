// Full-text search across incidents (issue 12): what a hit looks like, and how the user's words become
// a safe FTS5 query. Pure TypeScript (main runs the query; the renderer shows the parts).
import type { FailureClass, IncidentStatus, Severity } from './domain';

/** What a searchable text is, as stored in search_docs.src (migrations/0008). */
export const SEARCH_SOURCES = [
  'title', 'summary', 'impact', 'hypothesis', 'mitigation', 'resolution', 'lessons',
  'timeline', 'finding', 'postmortem', 'runbook', 'change',
] as const;
export type SearchSource = (typeof SEARCH_SOURCES)[number];

export const SEARCH_SOURCE_LABELS: Record<SearchSource, string> = {
  title: 'title', summary: 'summary', impact: 'impact', hypothesis: 'hypothesis', mitigation: 'mitigation',
  resolution: 'resolution', lessons: 'lessons learned', timeline: 'timeline', finding: 'finding',
  postmortem: 'postmortem', runbook: 'runbook', change: 'artifact change',
};

/** A snippet in pieces: `hit` marks the words that matched (render them highlighted; never as HTML). */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface SearchHit {
  key: string;
  /** The incident's title. */
  title: string;
  /** Where the text was found, for a person: "title", "timeline note · investigate", "runbook", "artifact change · a.txt → b.txt". */
  where: string;
  source: SearchSource;
  /** The timeline event, finding or change-set id (null for incident fields and documents). */
  ref: number | null;
  /** The matching text around the hit, plain; `parts` is the same text with the matches marked. */
  snippet: string;
  parts: SnippetPart[];
  /** BM25 (higher is better). */
  score: number;
  severity: Severity;
  failureClass: FailureClass;
  service: string;
  phase: IncidentStatus;
  detectedAt: string;
  isDrill: boolean;
}

export interface SearchResult {
  query: string;
  hits: SearchHit[];
  /** More hits than returned exist. */
  more: boolean;
  /**
   * Set when a term is so common that only the most recent matching texts were ranked (ranking every
   * match would cost hundreds of milliseconds); add a word or a filter to narrow it.
   */
  window: { ranked: number } | null;
}

/**
 * The longest prefix the index answers from a prefix index of its own (migrations/0013: 2 to 6
 * characters). A longer prefix makes FTS5 merge every completion's whole posting list first, so the
 * word as typed is tried before it.
 */
export const INDEXED_PREFIX_CHARS = 6;

/** At most this many words count; the rest of a pasted paragraph is ignored. */
export const MAX_QUERY_TERMS = 12;

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;

const ASCII = /^[\x00-\x7f]*$/;
/** Characters NFKD may split into a letter and an accent (Latin, Greek, Cyrillic, Vietnamese, compatibility forms). */
const ACCENTED = /[\u00c0-\u036f\u0370-\u04ff\u1e00-\u1fff\ufb00-\ufb4f\uff00-\uffef]/;

/** Case and accents folded the way the index's unicode61 tokenizer (remove_diacritics 2) folds them. */
export function fold(s: string): string {
  if (ASCII.test(s) || !ACCENTED.test(s)) return s.toLowerCase();
  // Character by character (a text folds as its words do): NFKD splits a letter from its accent, and
  // the accent goes. Length changes only where a compatibility form becomes several letters (ﬁ → fi).
  return s.replace(ACCENTED_ALL, (ch) => ch.normalize('NFKD').replace(MARKS, '')).toLowerCase();
}
const ACCENTED_ALL = new RegExp(ACCENTED.source, 'g');
const MARKS = /\p{M}+/gu;

/** A quoted word or phrase of the query; the last one may match as a prefix. */
export interface QueryPhrase {
  tokens: string[];
  prefix: boolean;
}

export interface CompiledQuery {
  /** The FTS5 MATCH expression, or '' when the text holds no word. */
  match: string;
  /** The words as understood (for messages and tests). */
  terms: string[];
  phrases: QueryPhrase[];
}

/**
 * Turn what a person typed into an FTS5 expression that cannot be a syntax error: every word is quoted,
 * words are ANDed, the last word (of two or more characters) also matches as a prefix — answers as you
 * type — and "a quoted phrase" matches exactly. Punctuation inside a word splits it into a phrase the
 * way the index tokenizer (unicode61) does, so `INC-0042`, `2.0.2` and `scikit-learn` find what they say.
 */
export function compileQuery(text: string, opts: { prefix?: boolean } = {}): CompiledQuery {
  const phrases: QueryPhrase[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  let lastQuoted = false;
  while ((m = re.exec(text)) && phrases.length < MAX_QUERY_TERMS) {
    const toks = fold(m[1] ?? m[2]).match(TOKEN);
    if (!toks) continue;
    phrases.push({ tokens: toks, prefix: false });
    lastQuoted = m[1] !== undefined;
  }
  const last = phrases[phrases.length - 1];
  if (last && opts.prefix !== false && !lastQuoted && [...last.tokens[last.tokens.length - 1]].length >= 2) last.prefix = true;
  return {
    match: phrases.map((p) => `"${p.tokens.join(' ')}"${p.prefix ? '*' : ''}`).join(' AND '),
    terms: phrases.map((p) => p.tokens.join(' ')),
    phrases,
  };
}

// ── Ranking and snippets over texts already read (main/services/search.ts) ────────────────────────
interface Token {
  t: string;
  start: number;
  end: number;
}

export function tokenize(text: string, maxChars = Infinity): Token[] {
  const src = text.length > maxChars ? text.slice(0, maxChars) : text;
  const out: Token[] = [];
  const re = new RegExp(TOKEN.source, 'gu');
  let m: RegExpExecArray | null;
  // Fold per token: offsets stay those of the original text.
  while ((m = re.exec(src))) out.push({ t: fold(m[0]), start: m.index, end: m.index + m[0].length });
  return out;
}

/** Where each phrase occurs: [first token, last token] index pairs. */
export function phraseHits(tokens: Token[], phrases: QueryPhrase[]): [number, number][] {
  const hits: [number, number][] = [];
  for (const p of phrases) {
    const n = p.tokens.length;
    for (let i = 0; i + n <= tokens.length; i++) {
      let ok = true;
      for (let j = 0; j < n && ok; j++) {
        const want = p.tokens[j];
        const got = tokens[i + j].t;
        ok = j === n - 1 && p.prefix ? got.startsWith(want) : got === want;
      }
      if (ok) hits.push([i, i + n - 1]);
    }
  }
  return hits.sort((a, b) => a[0] - b[0]);
}

export interface RankText {
  title: string;
  body: string;
  meta: string;
}

/** Longest stretch of a text read for ranking; a longer document is ranked by its beginning. */
export const RANK_CHARS = 1_000;
const COLUMN_WEIGHTS = { title: 4, body: 1, meta: 2 } as const;
const escapeRe = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A phrase as a pattern over folded text: its tokens separated by non-word characters, whole words. */
function phrasePattern(p: QueryPhrase, flags = 'gu'): RegExp {
  const body = p.tokens.map(escapeRe).join('[^\\p{L}\\p{N}\\p{Co}]+');
  return new RegExp(`(?<![\\p{L}\\p{N}\\p{Co}])${body}${p.prefix ? '' : '(?![\\p{L}\\p{N}\\p{Co}])'}`, flags);
}

/**
 * A text ready for the phrase patterns without a folded copy: an ASCII text folds to its lower case,
 * so the case-insensitive patterns read it as it is (no copy per text); any other text is folded.
 */
function foldedFor(text: string, patterns: RegExp[], caseless: RegExp[]): { text: string; patterns: RegExp[] } {
  return ASCII.test(text) ? { text, patterns: caseless } : { text: fold(text), patterns };
}

/**
 * Okapi BM25 (k1 1.2, b 0.75, column weights title 4 · body 1 · key/service 2) over a set of texts that
 * all match every phrase: lengths (≈ characters / 6) are averaged over the set, and each phrase weighs
 * the same (within an AND result every text holds every phrase, so its document frequency is the set's
 * size). Term frequencies are counted with one pattern per phrase, not by tokenizing every text.
 */
export function rankTexts(texts: RankText[], phrases: QueryPhrase[]): number[] {
  const cols = ['title', 'body', 'meta'] as const;
  const patterns = phrases.map((p) => phrasePattern(p));
  const caseless = phrases.map((p) => phrasePattern(p, 'giu'));
  const folded = texts.map((x) => cols.map((c) => foldedFor(x[c].length > RANK_CHARS ? x[c].slice(0, RANK_CHARS) : x[c], patterns, caseless)));
  const avg = cols.map((_, k) => Math.max(1, folded.reduce((a, t) => a + t[k].text.length, 0) / Math.max(1, folded.length)));
  return folded.map((t) => {
    let score = 0;
    cols.forEach((c, k) => {
      const { text, patterns: res } = t[k];
      const len = text.length;
      if (!len) return;
      let tf = 0;
      for (const re of res) {
        re.lastIndex = 0;
        while (re.exec(text)) tf++;
      }
      if (tf) score += COLUMN_WEIGHTS[c] * ((tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * len) / avg[k])));
    });
    return score;
  });
}

const SNIPPET_CHARS = 20_000;
const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u;
/** Characters read before a text's first match for the words leading into a snippet. */
const LEAD_CHARS = 200;

/**
 * Tokens of text[start…] (offsets into text) up to `after` tokens past the first one that starts at or
 * after `at`; `more` when the text has another token after them.
 */
function tokensFrom(text: string, start: number, at: number, after: number): { tokens: Token[]; more: boolean } {
  const out: Token[] = [];
  const re = new RegExp(TOKEN.source, 'gu');
  re.lastIndex = start;
  let m: RegExpExecArray | null;
  let h = -1;
  while ((m = re.exec(text))) {
    if (h >= 0 && out.length - h === after) return { tokens: out, more: true };
    if (h < 0 && m.index >= at) h = out.length;
    out.push({ t: fold(m[0]), start: m.index, end: m.index + m[0].length });
  }
  return { tokens: out, more: false };
}

/**
 * Where a column's matches are, without tokenizing all of it: the number of matches and the offset of
 * the first, found with one pattern per phrase over the folded text. null when folding changed the
 * text's length (offsets would not line up): the caller tokenizes then.
 */
function matchesOf(text: string, patterns: RegExp[], maxChars: number, caseless = patterns.map((re) => new RegExp(re.source, 'giu'))): { count: number; first: number } | null {
  const src = text.length > maxChars ? text.slice(0, maxChars) : text;
  const { text: f, patterns: res } = foldedFor(src, patterns, caseless);
  if (f.length !== src.length) return null;
  let count = 0;
  let first = -1;
  for (const re of res) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(f))) {
      count++;
      if (first < 0 || m.index < first) first = m.index;
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return { count, first };
}

/**
 * The column a snippet shows — the one with the most matches (title, then meta, then body on ties) —
 * and the offset of its first match; null without a match, 'tokenize' when folding changed a
 * column's length (offsets would not line up; markSnippet tokenizes whole columns then).
 */
export function snippetColumn(x: RankText, phrases: QueryPhrase[]): { column: 'title' | 'meta' | 'body'; first: number } | null | 'tokenize' {
  const patterns = phrases.map((p) => phrasePattern(p));
  const caseless = phrases.map((p) => phrasePattern(p, 'giu'));
  let best: { column: 'title' | 'meta' | 'body'; count: number; first: number } | null = null;
  for (const c of ['title', 'meta', 'body'] as const) {
    let at = matchesOf(x[c], patterns, SNIPPET_CHARS, caseless);
    if (at && !at.count && c === 'body' && x.body.length > SNIPPET_CHARS) at = matchesOf(x.body, patterns, Infinity, caseless);
    if (!at) return 'tokenize';
    if (at.count && (!best || at.count > best.count)) best = { column: c, count: at.count, first: at.first };
  }
  return best && { column: best.column, first: best.first };
}

/** The first match of the phrases in a text: its offset, -1 without one, null when folding changed its length. */
export function firstMatch(text: string, phrases: QueryPhrase[]): number | null {
  const at = matchesOf(text, phrases.map((p) => phrasePattern(p)), Infinity);
  return at && (at.count ? at.first : -1);
}

/**
 * The marked window of `text` around its match at offset `first`, as markSnippet makes it. When `text`
 * is an excerpt of a longer text, `goesOn` says whether that text has words before and after it: the
 * window is then null if it would need words from outside the excerpt.
 */
export function snippetWindow(text: string, first: number, phrases: QueryPhrase[], words = 18, goesOn = { before: false, after: false }): string | null {
  // Start a little before the match, at a token's start (not inside one).
  let start = Math.max(0, first - LEAD_CHARS);
  while (start > 0 && TOKEN_CHAR.test(text[start - 1])) start--;
  let r = tokensFrom(text, start, first, words);
  let h = r.tokens.findIndex((t) => t.start >= first);
  // Fewer than three words read before the match although the text has more: read from its start.
  if (h >= 0 && h < 3 && start > 0 && TOKEN_CHAR.test(text.slice(0, start))) {
    start = 0;
    r = tokensFrom(text, 0, first, words);
    h = r.tokens.findIndex((t) => t.start >= first);
  }
  if (h < 0) return null;
  const { tokens, more } = r;
  if (h < 3 && goesOn.before) return null;
  const from = Math.max(0, h - 3);
  const to = Math.min(tokens.length - 1, from + words - 1);
  if (goesOn.after && !more && to < from + words - 1) return null;
  const before = from > 0 || goesOn.before || (start > 0 && TOKEN_CHAR.test(text.slice(0, tokens[from].start)));
  const after = to < tokens.length - 1 || more || goesOn.after;
  return cutSnippet(text, tokens, phraseHits(tokens.slice(0, to + 1), phrases), from, to, before, after);
}

/**
 * The stretch of text around the first matches of the column that matched best, the matches wrapped
 * in HIT_START/HIT_END (as FTS5 snippet() would mark them), '…' where text was cut. Only the words
 * around the first match are tokenized (a long document's first match costs what a note's does).
 */
export function markSnippet(x: RankText, phrases: QueryPhrase[], words = 18): string {
  const best = snippetColumn(x, phrases);
  if (best === 'tokenize') return markSnippetTokenized(x, phrases, words);
  if (!best) {
    const t = x.title || x.body || x.meta;
    return t.length > 160 ? t.slice(0, 160) + '…' : t;
  }
  return snippetWindow(x[best.column], best.first, phrases, words) ?? markSnippetTokenized(x, phrases, words);
}

/** markSnippet by tokenizing whole columns: texts whose folding changes their length. */
function markSnippetTokenized(x: RankText, phrases: QueryPhrase[], words: number): string {
  let best: { text: string; tokens: Token[]; hits: [number, number][] } | null = null;
  for (const c of ['title', 'meta', 'body'] as const) {
    let tokens = tokenize(x[c], SNIPPET_CHARS);
    let hits = phraseHits(tokens, phrases);
    if (!hits.length && c === 'body' && x.body.length > SNIPPET_CHARS) {
      tokens = tokenize(x.body);
      hits = phraseHits(tokens, phrases);
    }
    if (hits.length && (!best || hits.length > best.hits.length)) best = { text: x[c], tokens, hits };
  }
  if (!best) {
    const t = x.title || x.body || x.meta;
    return t.length > 160 ? t.slice(0, 160) + '…' : t;
  }
  const { text, tokens, hits } = best;
  const from = Math.max(0, hits[0][0] - 3);
  const to = Math.min(tokens.length - 1, from + words - 1);
  return cutSnippet(text, tokens, hits, from, to, from > 0, to < tokens.length - 1);
}

/** Tokens from…to of text with the hits among them marked; '…' before and after where text goes on. */
function cutSnippet(text: string, tokens: Token[], hits: [number, number][], from: number, to: number, before: boolean, after: boolean): string {
  let out = before ? '…' : '';
  let pos = tokens[from].start;
  for (const [a, b] of hits) {
    if (a < from || b > to) continue;
    if (tokens[a].start < pos) continue;
    out += text.slice(pos, tokens[a].start) + HIT_START + text.slice(tokens[a].start, tokens[b].end) + HIT_END;
    pos = tokens[b].end;
  }
  if (after) out += text.slice(pos, tokens[to].end) + '…';
  else out += text.slice(pos, tokens[to].end + 40).trimEnd(); // the closing punctuation of the text
  return out;
}

/** Markers around matches in a snippet (control characters that never occur in stored text). */
export const HIT_START = '\u0002';
export const HIT_END = '\u0003';

/** Split a snippet with HIT_START/HIT_END markers into plain text and marked parts. */
export function snippetParts(marked: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let hit = false;
  let buf = '';
  const flush = () => {
    if (!buf) return;
    const prev = parts[parts.length - 1];
    if (prev && prev.hit === hit) prev.text += buf;
    else parts.push({ text: buf, hit });
    buf = '';
  };
  for (const ch of marked) {
    if (ch === HIT_START || ch === HIT_END) {
      flush();
      hit = ch === HIT_START;
    } else buf += ch;
  }
  flush();
  // One line: runs of white space (newlines of a Markdown document) become one space.
  for (const p of parts) p.text = p.text.replace(/\s+/g, ' ');
  return parts;
}
