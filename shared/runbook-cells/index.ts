// Runbook cells (issue 13): the `sh` code blocks of a Markdown runbook, numbered from 1 in document
// order, and their kept outputs. An output is a fenced block right under its cell (only blank lines
// between), info string `pmw-output exit=N at=ISO duration=S`; running the cell again replaces it.
// Pure TypeScript; the runner is main/services/runbookRun.ts.

export const CELL_LANGS = ['sh', 'bash', 'shell', 'zsh', 'console'] as const;
export const OUTPUT_INFO = 'pmw-output';

export interface RunbookCell {
  /** 1-based, in document order. */
  index: number;
  /** Runme's `{ name=… }` attribute, when given. */
  name: string | null;
  lang: string;
  /** The exact command text (the block's body). */
  command: string;
  /** The nearest heading above it ("Diagnosis"). */
  section: string | null;
  /** 0-based line range of the whole fence (opening to closing line). */
  startLine: number;
  endLine: number;
  /** The kept output block under it, when there is one. */
  output: { startLine: number; endLine: number; info: string; text: string; exitCode: number | null; at: string | null } | null;
}

interface Fence {
  start: number;
  end: number;
  info: string;
  body: string;
}

function fences(lines: string[]): Fence[] {
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!m || (m[1][0] === '`' && m[2].includes('`'))) continue;
    const ch = m[1][0];
    const len = m[1].length;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const c = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (c && c[1][0] === ch && c[1].length >= len) break;
    }
    out.push({ start: i, end: Math.min(j, lines.length - 1), info: m[2].trim(), body: lines.slice(i + 1, j).join('\n') });
    i = j;
  }
  return out;
}

function headingAt(lines: string[], line: number, fenceRanges: Fence[]): string | null {
  for (let i = line - 1; i >= 0; i--) {
    if (fenceRanges.some((f) => i >= f.start && i <= f.end)) continue;
    const h = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(lines[i]);
    if (h) return h[1];
  }
  return null;
}

const split = (md: string) => md.replace(/\r\n/g, '\n').split('\n');

export function parseCells(markdown: string): RunbookCell[] {
  const lines = split(markdown);
  const fs = fences(lines);
  const cells: RunbookCell[] = [];
  for (let k = 0; k < fs.length; k++) {
    const f = fs[k];
    const lang = f.info.split(/[\s{]/)[0].toLowerCase();
    if (!(CELL_LANGS as readonly string[]).includes(lang)) continue;
    const next = fs[k + 1];
    let output: RunbookCell['output'] = null;
    if (next && next.info.startsWith(OUTPUT_INFO) && lines.slice(f.end + 1, next.start).every((l) => !l.trim())) {
      const exit = /exit=(-?\d+)/.exec(next.info);
      output = { startLine: next.start, endLine: next.end, info: next.info, text: next.body, exitCode: exit ? Number(exit[1]) : null, at: /at=(\S+)/.exec(next.info)?.[1] ?? null };
    }
    cells.push({
      index: cells.length + 1,
      name: /\bname=([^\s}]+)/.exec(f.info)?.[1] ?? null,
      lang,
      command: f.body,
      section: headingAt(lines, f.start, fs),
      startLine: f.start,
      endLine: f.end,
      output,
    });
  }
  return cells;
}

export interface CellOutput {
  exitCode: number | null;
  /** "timeout" or a signal name when it did not exit by itself. */
  stoppedBy?: string | null;
  at: string;
  durationMs: number;
  text: string;
}

/** The fenced output block for a run (a fence longer than any backtick run in the output). */
export function outputBlock(o: CellOutput): string {
  const longest = Math.max(2, ...[...o.text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const exit = o.exitCode === null ? 'exit=none' : `exit=${o.exitCode}`;
  const stop = o.stoppedBy ? ` stopped=${o.stoppedBy}` : '';
  const body = o.text.replace(/\n$/, '');
  return `${fence}${OUTPUT_INFO} ${exit}${stop} at=${o.at} duration=${(o.durationMs / 1000).toFixed(1)}s\n${body}${body ? '\n' : ''}${fence}`;
}

/** The markdown with cell `index`'s output block written (replacing its previous one). */
export function writeCellOutput(markdown: string, index: number, o: CellOutput): string {
  const lines = split(markdown);
  const cell = parseCells(markdown).find((c) => c.index === index);
  if (!cell) throw new Error(`no cell ${index}`);
  const block = outputBlock(o).split('\n');
  if (cell.output) lines.splice(cell.output.startLine, cell.output.endLine - cell.output.startLine + 1, ...block);
  else lines.splice(cell.endLine + 1, 0, '', ...block);
  return lines.join('\n');
}
