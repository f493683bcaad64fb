// markSnippet finds a text's first matches without tokenizing the whole text; its snippets must be the
// ones the whole-text tokenizing version made (kept here as the oracle), for any text and query.
import { describe, expect, it } from 'vitest';
import { compileQuery, firstMatch, fold, HIT_END, HIT_START, markSnippet, snippetWindow, phraseHits, tokenize, type QueryPhrase, type RankText } from '../../shared/search';

function oracle(x: RankText, phrases: QueryPhrase[], words = 18): string {
  let best: { text: string; tokens: ReturnType<typeof tokenize>; hits: [number, number][] } | null = null;
  for (const c of ['title', 'meta', 'body'] as const) {
    let tokens = tokenize(x[c], 20_000);
    let hits = phraseHits(tokens, phrases);
    if (!hits.length && c === 'body' && x.body.length > 20_000) {
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
  let out = from > 0 ? '…' : '';
  let pos = tokens[from].start;
  for (const [a, b] of hits) {
    if (a < from || b > to) continue;
    if (tokens[a].start < pos) continue;
    out += text.slice(pos, tokens[a].start) + HIT_START + text.slice(tokens[a].start, tokens[b].end) + HIT_END;
    pos = tokens[b].end;
  }
  if (to < tokens.length - 1) out += text.slice(pos, tokens[to].end) + '…';
  else out += text.slice(pos, tokens[to].end + 40).trimEnd();
  return out;
}

let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
const WORDS = ['numpy', 'pandas', 'upgrade', 'scoring', 'score', 'NumPy', 'rollback', 'pods', 'OOMKilled', 'drift', 'v2.0.2', 'scikit-learn', 'Ärger', 'café', 'naïve', 'İstanbul', 'データ', 'ﬁnal', 'x', 'a'];
const SEPS = [' ', ' ', ' ', ', ', '\n', ' → ', ': ', '  ', '-', '.', '\n\n'];
function text(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += pick(WORDS) + pick(SEPS);
  return s;
}

describe('markSnippet', () => {
  it('makes the snippets whole-text tokenizing made, for texts short and long, ASCII and not', () => {
    const queries = ['numpy', 'numpy pa', 'pandas upgrade', 'scor', 'sco', '"pandas upgrade"', 'drift pods', 'café', 'naive', 'istanbul', 'データ', 'v2.0.2', 'scikit-learn', 'x', 'nothing'];
    let compared = 0;
    let nonAscii = 0;
    for (let round = 0; round < 400; round++) {
      const asciiOnly = round % 2 === 0;
      const mk = (n: number) => {
        const t = text(n);
        return asciiOnly ? t.replace(/[^\x00-\x7f]+/g, 'z') : t;
      };
      const x: RankText = { title: mk(1 + Math.floor(rnd() * 12)), body: mk(Math.floor(rnd() * (round % 10 === 0 ? 6000 : 400))), meta: rnd() < 0.5 ? '' : `INC-${round} ${pick(['scoring-api', 'ranking'])}` };
      for (const q of queries) {
        const { phrases } = compileQuery(q);
        expect(markSnippet(x, phrases), `${q} in round ${round}`).toBe(oracle(x, phrases));
        compared++;
        if (!asciiOnly) nonAscii++;
      }
    }
    expect(compared).toBe(400 * 15);
    expect(nonAscii).toBeGreaterThan(0);
  });

  it('makes the same window from an excerpt of whole lines as from the whole text, or says it cannot', () => {
    let same = 0;
    let cannot = 0;
    for (let round = 0; round < 300; round++) {
      const body = text(20 + Math.floor(rnd() * 300)).replace(/[^\x00-\x7f]+/g, 'z');
      for (const q of ['numpy', 'pandas upgrade', 'scor', 'drift pods', 'x']) {
        const { phrases } = compileQuery(q);
        const first = firstMatch(body, phrases)!;
        if (first < 0) continue;
        // Whole lines around the match, a random reach either side.
        const a = body.lastIndexOf('\n', Math.max(0, first - Math.floor(rnd() * 400)) - 1) + 1;
        let b = body.indexOf('\n', first + Math.floor(rnd() * 400));
        if (b < 0) b = body.length;
        const words = (t: string) => /[\p{L}\p{N}\p{Co}]/u.test(t);
        const w = snippetWindow(body.slice(a, b), first - a, phrases, 18, { before: words(body.slice(0, a)), after: words(body.slice(b)) });
        if (w === null) cannot++;
        else {
          expect(w, `${q} in round ${round}`).toBe(markSnippet({ title: '', meta: '', body }, phrases));
          same++;
        }
      }
    }
    expect(same).toBeGreaterThan(500);
    expect(cannot).toBeGreaterThan(0);
  });

  it('folds a text as it folds its words (the index and the query agree whatever surrounds a word)', () => {
    for (const a of WORDS) for (const b of WORDS) expect(fold(`${a} ${b}`)).toBe(`${fold(a)} ${fold(b)}`);
    expect(fold('Ärger café naïve')).toBe('arger cafe naive');
    expect(fold('データ café')).toBe('データ cafe');
  });

  it('finds a match far into a long body and one past the first 20,000 characters', () => {
    const { phrases } = compileQuery('needle');
    const body = 'hay '.repeat(3000) + 'the needle here ' + 'hay '.repeat(4000) + 'needle again';
    const x = { title: 'Long', body, meta: '' };
    expect(markSnippet(x, phrases)).toBe(oracle(x, phrases));
    expect(markSnippet(x, phrases)).toContain(`${HIT_START}needle${HIT_END}`);
    const late = { title: 'Long', body: 'hay '.repeat(6000) + 'needle at the end', meta: '' };
    expect(markSnippet(late, phrases)).toBe(oracle(late, phrases));
    expect(markSnippet(late, phrases).startsWith('…hay hay hay ')).toBe(true);
  });
});
