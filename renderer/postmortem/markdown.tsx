// A small, safe Markdown renderer for the live preview: the text is parsed into blocks and inline
// spans and rendered as React elements (React escapes every string), never as HTML. Covers what the
// generators write and what people type: YAML front matter, headings, paragraphs, nested lists and task
// lists, tables with alignment, fenced code, block quotes, rules, code spans, emphasis, strike-through.
// Links and images are shown as text (the URL in a tooltip): nothing in the preview navigates or loads.
import { Fragment, type ReactNode } from 'react';

type Align = 'left' | 'right' | 'center' | null;
interface ListItem {
  blocks: Block[];
  checked: boolean | null;
}
export type Block =
  | { t: 'front'; text: string }
  | { t: 'h'; level: number; text: string }
  | { t: 'p'; text: string }
  | { t: 'code'; lang: string; text: string }
  | { t: 'list'; ordered: boolean; start: number; items: ListItem[] }
  | { t: 'quote'; blocks: Block[] }
  | { t: 'table'; head: string[]; align: Align[]; rows: string[][] }
  | { t: 'hr' };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const HR = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const LIST = /^( *)([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$/;
const TABLE_SEP = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

const indentOf = (s: string) => s.length - s.trimStart().length;

function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  let inCode = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (c === '`') {
      inCode = !inCode;
      cur += c;
    } else if (c === '|' && !inCode) {
      cells.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  cells.push(cur.trim());
  return cells;
}

function startsBlock(line: string, next: string | undefined): boolean {
  return FENCE.test(line) || HEADING.test(line) || HR.test(line) || QUOTE.test(line) || LIST.test(line) || (line.includes('|') && next !== undefined && TABLE_SEP.test(next));
}

/** Parse Markdown text into blocks. */
export function parseMarkdown(src: string, allowFront = true): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  const out: Block[] = [];
  let i = 0;
  if (allowFront && lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, j) => j > 0 && (l.trim() === '---' || l.trim() === '...'));
    if (end > 0) {
      out.push({ t: 'front', text: lines.slice(1, end).join('\n') });
      i = end + 1;
    }
  }
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const mark = fence[1];
      const ind = indentOf(line);
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${mark[0] === '`' ? '`' : '~'}{${mark.length},}\\s*$`).test(lines[i])) {
        body.push(lines[i].slice(Math.min(ind, indentOf(lines[i]))));
        i++;
      }
      i++; // closing fence (or end of text)
      out.push({ t: 'code', lang: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      out.push({ t: 'h', level: h[1].length, text: h[2] ?? '' });
      i++;
      continue;
    }
    if (HR.test(line)) {
      out.push({ t: 'hr' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && lines[i].trim() && (QUOTE.test(lines[i]) || !startsBlock(lines[i], lines[i + 1]))) {
        body.push(lines[i].replace(QUOTE, ''));
        i++;
      }
      out.push({ t: 'quote', blocks: parseMarkdown(body.join('\n'), false) });
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1])) {
      const head = splitRow(line);
      const align = splitRow(lines[i + 1]).map<Align>((c) => (c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : null));
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && lines[i].trim() && lines[i].includes('|')) {
        rows.push(splitRow(lines[i]));
        i++;
      }
      out.push({ t: 'table', head, align, rows });
      continue;
    }
    const li = LIST.exec(line);
    if (li) {
      const ordered = /\d/.test(li[2]);
      const baseIndent = li[1].length;
      const items: ListItem[] = [];
      while (i < lines.length) {
        const m = LIST.exec(lines[i]);
        if (!m || m[1].length !== baseIndent || /\d/.test(m[2]) !== ordered) break;
        const contentIndent = baseIndent + m[2].length + Math.max(1, Math.min(m[3].length, 4));
        const body: string[] = [m[4]];
        i++;
        // Continuation: indented lines (nested lists, paragraphs) and lazy paragraph lines.
        while (i < lines.length) {
          const l = lines[i];
          if (!l.trim()) {
            // A blank line continues the item only when indented content follows.
            const nxt = lines[i + 1];
            if (nxt !== undefined && nxt.trim() && indentOf(nxt) >= contentIndent) {
              body.push('');
              i++;
              continue;
            }
            break;
          }
          if (indentOf(l) >= contentIndent) {
            body.push(l.slice(contentIndent));
            i++;
            continue;
          }
          const nested = LIST.exec(l);
          if (nested && nested[1].length > baseIndent) {
            body.push(l.slice(Math.min(indentOf(l), contentIndent)));
            i++;
            continue;
          }
          if (startsBlock(l, lines[i + 1])) break;
          body.push(l.trim()); // lazy continuation of the item's paragraph
          i++;
        }
        let checked: boolean | null = null;
        const task = /^\[([ xX])\][ \t]+/.exec(body[0]);
        if (task) {
          checked = task[1] !== ' ';
          body[0] = body[0].slice(task[0].length);
        }
        items.push({ blocks: parseMarkdown(body.join('\n'), false), checked });
        // Blank lines between items of the same list.
        let j = i;
        while (j < lines.length && !lines[j].trim()) j++;
        const again = j < lines.length ? LIST.exec(lines[j]) : null;
        if (j > i && again && again[1].length === baseIndent && /\d/.test(again[2]) === ordered) i = j;
      }
      out.push({ t: 'list', ordered, start: ordered ? parseInt(li[2], 10) : 1, items });
      continue;
    }
    // Paragraph.
    const body: string[] = [line.trim()];
    i++;
    while (i < lines.length && lines[i].trim() && !startsBlock(lines[i], lines[i + 1])) {
      body.push(lines[i].trim());
      i++;
    }
    out.push({ t: 'p', text: body.join('\n') });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Inline

const ESCAPABLE = '\\`*_{}[]()#+-.!|~<>"\'';

function findClose(s: string, from: number, delim: string): number {
  for (let j = from; j < s.length; j++) {
    if (s[j] === '\\') {
      j++;
      continue;
    }
    if (s[j] === '`') {
      const run = /^`+/.exec(s.slice(j))![0];
      const end = s.indexOf(run, j + run.length);
      if (end > 0) j = end + run.length - 1;
      continue;
    }
    if (s.startsWith(delim, j) && j > from && !/\s/.test(s[j - 1])) {
      // "_" closes only at a word boundary (snake_case stays as it is).
      if (delim[0] === '_' && /[\p{L}\p{N}]/u.test(s[j + delim.length] ?? '')) continue;
      // A single "*" must not be the first half of a "**".
      if (delim.length === 1 && s[j + 1] === delim && s[j - 1] !== delim) {
        j++;
        continue;
      }
      return j;
    }
  }
  return -1;
}

/** Matching "]" of a "[" at `open`, allowing nested brackets. */
function closeBracket(s: string, open: number): number {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '[') depth++;
    else if (s[j] === ']' && --depth === 0) return j;
  }
  return -1;
}

/** Parse inline Markdown into React nodes. */
export function renderInline(s: string, keyPrefix = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  let text = '';
  let k = 0;
  const key = () => `${keyPrefix}-${k++}`;
  const flush = () => {
    if (text) out.push(text);
    text = '';
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    const rest = s.slice(i);
    if (c === '\\' && i + 1 < s.length && ESCAPABLE.includes(s[i + 1])) {
      text += s[i + 1];
      i += 2;
      continue;
    }
    if (c === '\\' && s[i + 1] === '\n') {
      flush();
      out.push(<br key={key()} />);
      i += 2;
      continue;
    }
    if (c === '\n') {
      // Two trailing spaces make a hard break; otherwise a soft break reads as a space.
      if (text.endsWith('  ')) {
        text = text.trimEnd();
        flush();
        out.push(<br key={key()} />);
      } else text = `${text.trimEnd()} `;
      i++;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(rest)![0];
      const end = s.indexOf(run, i + run.length);
      if (end > 0) {
        flush();
        let code = s.slice(i + run.length, end).replace(/\n/g, ' ');
        if (code.startsWith(' ') && code.endsWith(' ') && code.trim()) code = code.slice(1, -1);
        out.push(<code key={key()}>{code}</code>);
        i = end + run.length;
        continue;
      }
      text += run;
      i += run.length;
      continue;
    }
    if (c === '!' && s[i + 1] === '[') {
      const close = closeBracket(s, i + 1);
      const m = close > 0 ? /^\(\s*<?([^)\s>]*)>?(?:\s+"([^"]*)")?\s*\)/.exec(s.slice(close + 1)) : null;
      if (m) {
        flush();
        const alt = s.slice(i + 2, close);
        out.push(
          <span key={key()} className="md-image" title={m[1]}>
            [image: {alt || m[1]}]
          </span>,
        );
        i = close + 1 + m[0].length;
        continue;
      }
    }
    if (c === '[') {
      const close = closeBracket(s, i);
      const m = close > 0 ? /^\(\s*<?([^)\s>]*)>?(?:\s+"([^"]*)")?\s*\)/.exec(s.slice(close + 1)) : null;
      if (m) {
        flush();
        out.push(
          <span key={key()} className="md-link" title={m[1]}>
            {renderInline(s.slice(i + 1, close), key())}
          </span>,
        );
        i = close + 1 + m[0].length;
        continue;
      }
    }
    if (c === '<') {
      const m = /^<((?:https?|mailto|file):[^\s<>]+)>/i.exec(rest);
      if (m) {
        flush();
        out.push(
          <span key={key()} className="md-link" title={m[1]}>
            {m[1]}
          </span>,
        );
        i += m[0].length;
        continue;
      }
    }
    if (c === '~' && s[i + 1] === '~' && s[i + 2] && !/\s/.test(s[i + 2])) {
      const end = findClose(s, i + 2, '~~');
      if (end > 0) {
        flush();
        out.push(<del key={key()}>{renderInline(s.slice(i + 2, end), key())}</del>);
        i = end + 2;
        continue;
      }
    }
    if (c === '*' || c === '_') {
      const prevWord = i > 0 && /[\p{L}\p{N}]/u.test(s[i - 1]);
      const dbl = s[i + 1] === c;
      const delim = dbl ? c + c : c;
      const after = s[i + delim.length];
      if (after && !/\s/.test(after) && !(c === '_' && prevWord)) {
        const end = findClose(s, i + delim.length, delim);
        if (end > 0) {
          flush();
          const inner = renderInline(s.slice(i + delim.length, end), key());
          out.push(dbl ? <strong key={key()}>{inner}</strong> : <em key={key()}>{inner}</em>);
          i = end + delim.length;
          continue;
        }
      }
      text += dbl ? delim : c;
      i += dbl ? 2 : 1;
      continue;
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Blocks → React

function renderBlocks(blocks: Block[], prefix: string, tight = false): ReactNode[] {
  return blocks.map((b, n) => {
    const k = `${prefix}.${n}`;
    switch (b.t) {
      case 'front':
        return (
          <div key={k} className="md-front" aria-label="Front matter">
            <div className="md-front-label">Front matter</div>
            <pre>
              <code>{b.text}</code>
            </pre>
          </div>
        );
      case 'h': {
        const H = `h${b.level}` as 'h1';
        return <H key={k}>{renderInline(b.text, k)}</H>;
      }
      case 'p':
        return tight ? <Fragment key={k}>{renderInline(b.text, k)}</Fragment> : <p key={k}>{renderInline(b.text, k)}</p>;
      case 'code':
        return (
          <pre key={k} className="md-code" data-lang={b.lang || undefined}>
            {b.lang && <span className="md-code-lang">{b.lang}</span>}
            <code>{b.text}</code>
          </pre>
        );
      case 'hr':
        return <hr key={k} />;
      case 'quote':
        return <blockquote key={k}>{renderBlocks(b.blocks, k)}</blockquote>;
      case 'table':
        return (
          <div key={k} className="md-table-wrap">
            <table>
              <thead>
                <tr>
                  {b.head.map((c, j) => (
                    <th key={j} style={b.align[j] ? { textAlign: b.align[j]! } : undefined}>
                      {renderInline(c, `${k}.h${j}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {b.rows.map((r, ri) => (
                  <tr key={ri}>
                    {b.head.map((_, j) => (
                      <td key={j} style={b.align[j] ? { textAlign: b.align[j]! } : undefined}>
                        {renderInline(r[j] ?? '', `${k}.${ri}.${j}`)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      case 'list': {
        const items = b.items.map((it, j) => {
          const isTight = it.blocks.length <= 1 || it.blocks.every((x) => x.t !== 'p' || x === it.blocks[0]);
          return (
            <li key={j} className={it.checked !== null ? 'md-task' : undefined}>
              {it.checked !== null && <input type="checkbox" checked={it.checked} readOnly disabled aria-label={it.checked ? 'done' : 'not done'} />}
              {renderBlocks(it.blocks, `${k}.${j}`, isTight)}
            </li>
          );
        });
        return b.ordered ? (
          <ol key={k} start={b.start !== 1 ? b.start : undefined}>
            {items}
          </ol>
        ) : (
          <ul key={k}>{items}</ul>
        );
      }
    }
  });
}

/** The rendered preview of a Markdown document. */
export function Markdown({ source, className, testid }: { source: string; className?: string; testid?: string }) {
  return (
    <div className={`md ${className ?? ''}`} data-testid={testid}>
      {renderBlocks(parseMarkdown(source), 'b')}
    </div>
  );
}
