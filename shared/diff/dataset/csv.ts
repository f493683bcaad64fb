// CSV/TSV: a byte-level RFC 4180 tokenizer (quoted fields, "" escapes, embedded newlines, CRLF/LF/CR)
// that writes straight into typed columns — Float64Array for numeric columns, dictionary-encoded
// Int32Array (ByteDict) for the rest; delimiter sniffing, header, dtype inference.
import { ByteDict } from './bytedict';
import { sortFloat64InPlace } from '../stats';
import { BOOL_TOKENS, NULL_TOKENS, Problems, ROW_SAMPLE_SIZE, abortError, bytesKey, duplicateCount, looseDecoder, strictDecoder } from './common';
import { PN_FAIL, PN_NULL, PN_OK, POW10, latin1, parseIsoDate, parseNumBytes, parseNumString, pnFrac, pnStatus, releaseWindow, wideToDouble } from './numbers';
import type { ColumnDtype, DatasetOptions, NumericData, ParsedColumn, ParsedDataset } from './types';

interface Sink {
  field(col: number, s: number, e: number, q: number): void;
  /** End of a record; return false to stop. */
  row(nFields: number, line: number): boolean;
}

const Q = 34;
const LF = 10;
const CR = 13;

/**
 * Tokenises records from `pos`. Field flags q: 0 unquoted, 1 quoted, 2 quoted with "" escapes.
 * Blank lines are skipped (as pandas does). Returns the position and line after the last record.
 */
function tokenize(b: Uint8Array, pos: number, delim: number, sink: Sink, line: number, problems: Problems): { pos: number; line: number } {
  const n = b.length;
  const cls = new Uint8Array(256);
  cls[delim] = 1;
  cls[LF] = 1;
  cls[CR] = 1;
  let i = pos;
  outer: while (i < n) {
    let c = b[i];
    if (c === LF) {
      i++;
      line++;
      continue;
    }
    if (c === CR) {
      i++;
      if (i < n && b[i] === LF) i++;
      line++;
      continue;
    }
    const rowLine = line;
    let col = 0;
    for (;;) {
      if (i < n && b[i] === Q) {
        let j = i + 1;
        let esc = 0;
        let closed = false;
        while (j < n) {
          const x = b[j];
          if (x === Q) {
            if (j + 1 < n && b[j + 1] === Q) {
              esc = 1;
              j += 2;
              continue;
            }
            closed = true;
            break;
          }
          if (x === LF) line++;
          else if (x === CR && !(j + 1 < n && b[j + 1] === LF)) line++;
          j++;
        }
        if (!closed) problems.add('quoting', `line ${rowLine}: quoted field never closed`, rowLine, col + 1);
        sink.field(col, i + 1, j, esc ? 2 : 1);
        i = j + 1;
        if (i < n && cls[b[i]] === 0) {
          problems.add('quoting', `line ${line}: unexpected text after a closing quote`, line, col + 1);
          while (i < n && cls[b[i]] === 0) i++;
        }
      } else {
        let j = i;
        while (j < n && cls[b[j]] === 0) j++;
        sink.field(col, i, j, 0);
        i = j;
      }
      col++;
      if (i >= n) {
        sink.row(col, rowLine);
        break outer;
      }
      c = b[i];
      if (c === delim) {
        i++;
        if (i >= n) {
          sink.field(col, i, i, 0);
          sink.row(col + 1, rowLine);
          break outer;
        }
        continue;
      }
      i++;
      if (c === CR && i < n && b[i] === LF) i++;
      line++;
      if (!sink.row(col, rowLine)) return { pos: i, line };
      break;
    }
  }
  return { pos: i, line };
}

/**
 * The hot path: one pass over the bytes that tokenises AND converts. Numeric fields are parsed while
 * they are scanned (digits accumulate as they are found, no second look at the bytes); categorical
 * fields build their short key (≤ 8 bytes packed into two int32) while scanning. Anything unusual — a
 * quoted field, spaces, a number with more than 19 digits, text in a numeric column — goes through
 * the generic ColumnsSink.field(), so results are identical to tokenize() + ColumnsSink.
 */
function mainPass(b: Uint8Array, pos: number, delim: number, sink: ColumnsSink, line: number, problems: Problems): void {
  const n = b.length;
  const modes = sink.modes;
  const nc = modes.length;
  const cls = new Uint8Array(256);
  cls[delim] = 1;
  cls[LF] = 1;
  cls[CR] = 1;
  const nums = sink.num;
  const codesArr = sink.codes;
  const dicts = sink.dicts;
  const fracs = sink.frac;
  const compact = sink.compact;
  const numLen = sink.numLen;
  const nullCounts = sink.nullCounts;
  const catCounts = sink.catCounts;
  let i = pos;
  outer: while (i < n) {
    let c = b[i];
    if (c === LF) {
      i++;
      line++;
      continue;
    }
    if (c === CR) {
      i++;
      if (i < n && b[i] === LF) i++;
      line++;
      continue;
    }
    const rowLine = line;
    const row = sink.rowIndex;
    const rowStart = i;
    if (row === sink.nextSample) sink.markSample(i, rowLine);
    let col = 0;
    for (;;) {
      const mode = col < nc ? modes[col] : MODE_SKIP;
      if (i < n && b[i] === Q) {
        // quoted field: generic path
        let j = i + 1;
        let esc = 0;
        let closed = false;
        while (j < n) {
          const x = b[j];
          if (x === Q) {
            if (j + 1 < n && b[j + 1] === Q) {
              esc = 1;
              j += 2;
              continue;
            }
            closed = true;
            break;
          }
          if (x === LF) line++;
          else if (x === CR && !(j + 1 < n && b[j + 1] === LF)) line++;
          j++;
        }
        if (!closed) problems.add('quoting', `line ${rowLine}: quoted field never closed`, rowLine, col + 1);
        if (col < nc) sink.field(col, i + 1, j, esc ? 2 : 1);
        i = j + 1;
        if (i < n && cls[b[i]] === 0) {
          problems.add('quoting', `line ${line}: unexpected text after a closing quote`, line, col + 1);
          while (i < n && cls[b[i]] === 0) i++;
        }
      } else if (mode === MODE_NUM) {
        const s0 = i;
        let neg = false;
        if (i < n) {
          c = b[i];
          if (c === 45) {
            neg = true;
            i++;
          } else if (c === 43) i++;
        }
        let mant = 0;
        let lo = 0;
        let k = 0;
        let exp10 = 0;
        let frac = false;
        let ok = true;
        // integer part: leading zeros, then up to 15 significant digits into mant, 4 more into lo
        const d0 = i;
        while (i < n && b[i] === 48) i++;
        const s1 = i;
        let lim = i + 15 < n ? i + 15 : n;
        while (i < lim) {
          const d = (b[i] - 48) >>> 0;
          if (d > 9) break;
          mant = mant * 10 + d;
          i++;
        }
        let sig = i - s1;
        if (sig === 15) {
          while (i < n) {
            const d = (b[i] - 48) >>> 0;
            if (d > 9) break;
            if (k < 4) {
              lo = lo * 10 + d;
              k++;
            } else ok = false;
            i++;
          }
        }
        let digits = i - d0;
        if (i < n && b[i] === 46) {
          frac = true;
          i++;
          const f0 = i;
          if (sig === 0) while (i < n && b[i] === 48) i++;
          if (sig < 15) {
            lim = i + (15 - sig);
            if (lim > n) lim = n;
            const s2 = i;
            while (i < lim) {
              const d = (b[i] - 48) >>> 0;
              if (d > 9) break;
              mant = mant * 10 + d;
              i++;
            }
            sig += i - s2;
          }
          if (sig >= 15) {
            while (i < n) {
              const d = (b[i] - 48) >>> 0;
              if (d > 9) break;
              if (k < 4) {
                lo = lo * 10 + d;
                k++;
              } else ok = false;
              i++;
            }
          }
          digits += i - f0;
          exp10 = f0 - i; // every fractional digit is either a leading zero or part of M
        }
        if (i < n && (b[i] === 101 || b[i] === 69)) {
          // exponent: leave it to the generic parser
          ok = false;
        }
        if (ok && digits > 0 && (i >= n || cls[b[i]] !== 0) && exp10 >= -22) {
          let v: number;
          if (k === 0) v = exp10 === 0 ? mant : mant / POW10[-exp10];
          else {
            v = wideToDouble(mant, k, lo, exp10);
            if (v !== v) v = Math.abs(parseFloat(latin1(b, s0, i)));
          }
          if (compact) (nums[col] as Float64Array)[numLen[col]++] = neg ? -v : v;
          else (nums[col] as Float64Array)[row] = neg ? -v : v;
          if (frac) fracs[col] = true;
        } else if (i === s0 && (i >= n || cls[b[i]] !== 0)) {
          // empty field
          if (compact) nullCounts[col]++;
          else (nums[col] as Float64Array)[row] = NaN;
        } else {
          let j = i;
          while (j < n && cls[b[j]] === 0) j++;
          sink.field(col, s0, j, 0);
          i = j;
        }
      } else if (mode === MODE_CAT) {
        const s0 = i;
        let k1 = 0;
        let k2 = 0;
        let x = 0;
        // first 8 bytes straight into the key, then scan the rest
        if (i < n && cls[(x = b[i])] === 0) {
          k1 = x;
          if (++i < n && cls[(x = b[i])] === 0) {
            k1 |= x << 8;
            if (++i < n && cls[(x = b[i])] === 0) {
              k1 |= x << 16;
              if (++i < n && cls[(x = b[i])] === 0) {
                k1 |= x << 24;
                if (++i < n && cls[(x = b[i])] === 0) {
                  k2 = x;
                  if (++i < n && cls[(x = b[i])] === 0) {
                    k2 |= x << 8;
                    if (++i < n && cls[(x = b[i])] === 0) {
                      k2 |= x << 16;
                      if (++i < n && cls[(x = b[i])] === 0) {
                        k2 |= x << 24;
                        i++;
                        while (i < n && cls[b[i]] === 0) i++;
                      }
                    }
                  }
                }
              }
            }
          }
        }
        const len = i - s0;
        const dict = dicts[col] as ByteDict;
        const code = len <= 8 ? dict.lookupKey(k1, k2, len, b, s0) : dict.lookupLong(b, s0, i);
        if (compact) {
          const cnt = catCounts[col] as Int32Array;
          if (code + 1 < cnt.length) cnt[code + 1]++;
          else sink.countCat(col, code);
        } else (codesArr[col] as Int32Array)[row] = code;
      } else {
        while (i < n && cls[b[i]] === 0) i++;
      }
      col++;
      if (i >= n) {
        (sink.rowKeys as Float64Array)[row] = bytesKey(b, rowStart, n);
        sink.row(col, rowLine);
        break outer;
      }
      c = b[i];
      if (c === delim) {
        i++;
        if (i >= n) {
          if (col < nc) sink.field(col, i, i, 0);
          (sink.rowKeys as Float64Array)[row] = bytesKey(b, rowStart, n);
          sink.row(col + 1, rowLine);
          break outer;
        }
        continue;
      }
      (sink.rowKeys as Float64Array)[row] = bytesKey(b, rowStart, i);
      i++;
      if (c === CR && i < n && b[i] === LF) i++;
      line++;
      sink.row(col, rowLine);
      break;
    }
  }
}

function unescapeQuotes(b: Uint8Array, s: number, e: number, out: Uint8Array): number {
  let k = 0;
  for (let i = s; i < e; i++) {
    out[k++] = b[i];
    if (b[i] === Q && i + 1 < e && b[i + 1] === Q) i++;
  }
  return k;
}

function fieldString(b: Uint8Array, s: number, e: number, q: number, bad: { invalid: boolean }): string {
  let bytes = b.subarray(s, e);
  if (q === 2) {
    const tmp = new Uint8Array(e - s);
    bytes = tmp.subarray(0, unescapeQuotes(b, s, e, tmp));
  }
  try {
    return strictDecoder.decode(bytes);
  } catch {
    bad.invalid = true;
    return looseDecoder.decode(bytes);
  }
}

class StringRowsSink implements Sink {
  rows: { fields: string[]; line: number }[] = [];
  private cur: string[] = [];
  readonly bad = { invalid: false };
  constructor(
    private readonly b: Uint8Array,
    private readonly maxRows: number,
  ) {}
  field(_col: number, s: number, e: number, q: number): void {
    this.cur.push(fieldString(this.b, s, e, q, this.bad));
  }
  row(_n: number, line: number): boolean {
    this.rows.push({ fields: this.cur, line });
    this.cur = [];
    return this.rows.length < this.maxRows;
  }
}

const MODE_SKIP = 0;
const MODE_NUM = 1;
const MODE_CAT = 2;

class ColumnsSink implements Sink {
  rowIndex = 0;
  readonly num: (Float64Array | null)[];
  readonly frac: boolean[];
  readonly codes: (Int32Array | null)[];
  readonly dicts: (ByteDict | null)[];
  readonly demoted: boolean[];
  /** compact (summary) mode: numeric values packed without nulls, categories only counted */
  readonly numLen: Int32Array;
  readonly nullCounts: Int32Array;
  readonly sawInf: boolean[];
  readonly catCounts: (Int32Array | null)[];
  private scratch = new Uint8Array(256);
  private nextCheck = 65536;
  private capacity: number;
  /** Main pass only: a key of each record's bytes (duplicate rows), and where the sampled records start. */
  rowKeys: Float64Array | null = null;
  nextSample = -1;
  private sampleStride = 1;
  readonly sampleOffsets: number[] = [];
  readonly sampleLines: number[] = [];

  constructor(
    private readonly b: Uint8Array,
    readonly modes: number[],
    capacity: number,
    private readonly problems: Problems,
    private readonly opts: DatasetOptions,
    readonly compact = false,
  ) {
    const nc = modes.length;
    this.capacity = Math.max(1, capacity);
    capacity = this.capacity;
    this.num = modes.map((m) => (m === MODE_NUM ? new Float64Array(capacity) : null));
    this.codes = modes.map((m) => (m === MODE_CAT && !compact ? new Int32Array(capacity) : null));
    this.catCounts = modes.map((m) => (m === MODE_CAT && compact ? new Int32Array(64) : null));
    this.dicts = modes.map((m) => (m === MODE_CAT ? new ByteDict() : null));
    this.frac = new Array<boolean>(nc).fill(false);
    this.demoted = new Array<boolean>(nc).fill(false);
    this.numLen = new Int32Array(nc);
    this.nullCounts = new Int32Array(nc);
    this.sawInf = new Array<boolean>(nc).fill(false);
  }

  /** Keeps record keys and a row sample of about ROW_SAMPLE_SIZE evenly spaced records (main pass). */
  trackRows(): void {
    this.rowKeys = new Float64Array(this.capacity);
    this.sampleStride = Math.max(1, Math.ceil(this.capacity / ROW_SAMPLE_SIZE));
    this.nextSample = 0;
  }

  markSample(pos: number, line: number): void {
    this.sampleOffsets.push(pos);
    this.sampleLines.push(line);
    this.nextSample = this.sampleOffsets.length >= 2 * ROW_SAMPLE_SIZE ? -1 : this.nextSample + this.sampleStride;
  }

  /** Counts a category (compact mode), growing the counts array when the dictionary has grown. */
  countCat(col: number, code: number): void {
    let cnt = this.catCounts[col] as Int32Array;
    if (code + 1 >= cnt.length) {
      const n = new Int32Array(Math.max(cnt.length * 2, code + 2));
      n.set(cnt);
      this.catCounts[col] = cnt = n;
    }
    cnt[code + 1]++;
  }

  field(col: number, s: number, e: number, q: number): void {
    const mode = this.modes[col];
    if (mode === MODE_NUM) {
      const v = parseNumBytes(this.b, s, e);
      if (pnStatus === PN_OK) {
        if (this.compact) (this.num[col] as Float64Array)[this.numLen[col]++] = v;
        else (this.num[col] as Float64Array)[this.rowIndex] = v;
        if (pnFrac) this.frac[col] = true;
        if (v === Infinity || v === -Infinity) this.sawInf[col] = true;
      } else if (pnStatus === PN_NULL) {
        if (this.compact) this.nullCounts[col]++;
        else (this.num[col] as Float64Array)[this.rowIndex] = NaN;
      } else {
        // not a number after all: re-read this column as categorical in a second pass
        this.modes[col] = MODE_SKIP;
        this.demoted[col] = true;
        this.num[col] = null;
      }
    } else if (mode === MODE_CAT) {
      const dict = this.dicts[col] as ByteDict;
      let code: number;
      if (q === 2) {
        if (this.scratch.length < e - s) this.scratch = new Uint8Array((e - s) * 2);
        code = dict.lookup(this.scratch, 0, unescapeQuotes(this.b, s, e, this.scratch));
      } else code = dict.lookup(this.b, s, e);
      if (this.compact) this.countCat(col, code);
      else (this.codes[col] as Int32Array)[this.rowIndex] = code;
    }
    // MODE_SKIP and columns beyond the header: ignored
  }

  private grow(): void {
    const cap = Math.ceil(this.capacity * 1.5) + 1024;
    for (let c = 0; c < this.modes.length; c++) {
      const num = this.num[c];
      if (num) {
        const n = new Float64Array(cap);
        n.set(num);
        this.num[c] = n;
      }
      const codes = this.codes[c];
      if (codes) {
        const n = new Int32Array(cap);
        n.set(codes);
        this.codes[c] = n;
      }
    }
    if (this.rowKeys) {
      const n = new Float64Array(cap);
      n.set(this.rowKeys);
      this.rowKeys = n;
    }
    this.capacity = cap;
  }

  row(nFields: number, line: number): boolean {
    const nc = this.modes.length;
    if (nFields !== nc) {
      this.problems.add(
        'ragged row',
        `line ${line}: expected ${nc} field${nc === 1 ? '' : 's'}, found ${nFields}`,
        line,
      );
      for (let c = nFields; c < nc; c++) {
        const m = this.modes[c];
        if (this.compact) {
          if (m === MODE_NUM) this.nullCounts[c]++;
          else if (m === MODE_CAT) this.countCat(c, -1);
        } else if (m === MODE_NUM) (this.num[c] as Float64Array)[this.rowIndex] = NaN;
        else if (m === MODE_CAT) (this.codes[c] as Int32Array)[this.rowIndex] = -1;
      }
    }
    this.rowIndex++;
    if (this.rowIndex >= this.capacity) this.grow();
    if (this.rowIndex >= this.nextCheck) {
      this.nextCheck += 65536;
      if (this.opts.shouldCancel?.()) throw abortError();
      this.opts.onProgress?.(line, -1);
    }
    return true;
  }
}

function sniffDelimiter(b: Uint8Array, start: number, name: string): number {
  const candidates = [44, 9, 59, 124]; // , \t ; |
  const end = Math.min(b.length, start + 65536);
  // count per line outside quotes, for up to 30 lines
  const perLine: number[][] = candidates.map(() => []);
  const counts = candidates.map(() => 0);
  let inQ = false;
  let lines = 0;
  for (let i = start; i < end && lines < 30; i++) {
    const c = b[i];
    if (c === Q) inQ = !inQ;
    else if (!inQ && (c === LF || c === CR)) {
      if (c === CR && b[i + 1] === LF) i++;
      candidates.forEach((_, k) => perLine[k].push(counts[k]));
      counts.fill(0);
      lines++;
    } else if (!inQ) {
      const k = candidates.indexOf(c);
      if (k >= 0) counts[k]++;
    }
  }
  if (lines < 30) candidates.forEach((_, k) => perLine[k].push(counts[k]));
  let best = -1;
  let bestScore = 0;
  candidates.forEach((_, k) => {
    const xs = perLine[k].filter((_, i, a) => !(i === a.length - 1 && a.length > 1 && a[i] === 0));
    if (xs.length === 0 || xs[0] === 0) return;
    const first = xs[0];
    const consistent = xs.filter((x) => x === first).length / xs.length;
    const score = consistent * 1000 + Math.min(first, 999);
    if (score > bestScore) {
      bestScore = score;
      best = k;
    }
  });
  const lower = name.toLowerCase();
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) {
    if (perLine[1].length && perLine[1][0] > 0) return 9;
  }
  return best >= 0 ? candidates[best] : 44;
}

function dedupeNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    let name = raw === '' ? `Unnamed: ${i}` : raw;
    const c = seen.get(name);
    if (c !== undefined) {
      seen.set(name, c + 1);
      name = `${name}.${c + 1}`;
    }
    seen.set(name, seen.get(name) ?? 0);
    return name;
  });
}

/** Parses CSV/TSV bytes into typed columns (delimiter sniffed, header row, dtypes inferred). */
export function parseCsv(bytes: Uint8Array, name = '', opts: DatasetOptions = {}): ParsedDataset {
  return parseCsvImpl(bytes, name, opts, false);
}

/** compact: summary path (numeric values without nulls, category counts instead of row codes). */
export function parseCsvImpl(bytes: Uint8Array, name: string, opts: DatasetOptions, compact: boolean): ParsedDataset {
  const problems = new Problems();
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  let onlySpace = true;
  for (let i = start; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 32 && c !== 9 && c !== LF && c !== CR) {
      onlySpace = false;
      break;
    }
  }
  const delimCode = onlySpace ? 44 : sniffDelimiter(bytes, start, name);
  const format = delimCode === 9 ? 'tsv' : 'csv';
  const delimiter = String.fromCharCode(delimCode);
  if (onlySpace) {
    problems.add('empty', bytes.length === 0 ? 'empty file' : 'file contains only whitespace');
    return { format, delimiter, rowCount: 0, columns: [], problems: problems.finish() };
  }

  // header
  const headerSink = new StringRowsSink(bytes, 1);
  const afterHeader = tokenize(bytes, start, delimCode, headerSink, 1, problems);
  const header = headerSink.rows[0];
  const names = dedupeNames(header.fields.map((f) => f.trim()));

  // dtype sniffing on the first 1000 records
  const sampleSink = new StringRowsSink(bytes, 1000);
  const afterSample = tokenize(bytes, afterHeader.pos, delimCode, sampleSink, afterHeader.line, new Problems());
  const modes = names.map((_, c) => {
    let numeric = 0;
    for (const r of sampleSink.rows) {
      const v = r.fields[c];
      if (v === undefined) continue;
      parseNumString(v);
      if (pnStatus === PN_FAIL) return MODE_CAT;
      if (pnStatus === PN_OK) numeric++;
    }
    return numeric > 0 ? MODE_NUM : MODE_CAT;
  });

  // main pass
  // capacity from the sample's bytes per row (+10%); the sink grows if the estimate is short
  const sampled = sampleSink.rows.length;
  const capacity =
    afterSample.pos >= bytes.length || sampled === 0
      ? sampled + 1
      : Math.ceil(((bytes.length - afterHeader.pos) / (afterSample.pos - afterHeader.pos)) * sampled * 1.1) + 1024;
  const sink = new ColumnsSink(bytes, modes.slice(), capacity, problems, opts, compact);
  sink.trackRows();
  mainPass(bytes, afterHeader.pos, delimCode, sink, afterHeader.line, problems);
  const rowCount = sink.rowIndex;
  const duplicateRows = duplicateCount((sink.rowKeys as Float64Array).subarray(0, rowCount), sortFloat64InPlace);
  sink.rowKeys = null;

  // second pass for columns that turned out not to be numeric
  const demoted = sink.demoted.map((d, c) => (d ? c : -1)).filter((c) => c >= 0);
  let sink2: ColumnsSink | null = null;
  if (demoted.length) {
    const modes2 = modes.map((_, c) => (sink.demoted[c] ? MODE_CAT : MODE_SKIP));
    sink2 = new ColumnsSink(bytes, modes2, capacity, new Problems(), opts, compact);
    tokenize(bytes, afterHeader.pos, delimCode, sink2, afterHeader.line, new Problems());
  }

  let invalidUtf8 = headerSink.bad.invalid;
  const columns: ParsedColumn[] = names.map((colName, c) => {
    const s = sink.demoted[c] ? (sink2 as ColumnsSink) : sink;
    const num = s.num[c];
    if (num) {
      const len = compact ? s.numLen[c] : rowCount;
      const values = num.length === len ? num : num.subarray(0, len);
      const data: NumericData = { kind: 'numeric', values };
      if (compact) {
        data.nullCount = s.nullCounts[c];
        data.allFinite = !s.sawInf[c]; // the inline fast path never yields ±Infinity
      }
      return { name: colName, dtype: numericDtype(values, s.frac[c]), data };
    }
    const dict = s.dicts[c] as ByteDict;
    if (dict.invalidUtf8) invalidUtf8 = true;
    if (compact) {
      const cnt = s.catCounts[c] as Int32Array;
      const counts = new Int32Array(dict.strings.length + 1);
      counts.set(cnt.subarray(0, Math.min(cnt.length, counts.length)));
      return refineCounts(colName, counts, dict.strings);
    }
    const codesAll = s.codes[c] as Int32Array;
    const codes = codesAll.length === rowCount ? codesAll : codesAll.subarray(0, rowCount);
    return refineCategorical(colName, codes, dict.strings);
  });
  if (invalidUtf8) problems.add('encoding', 'invalid UTF-8: some values are shown with replacement characters (�)');
  const sampleSize = sampleColumns(bytes, delimCode, sink, columns);
  releaseWindow();
  opts.onProgress?.(bytes.length, bytes.length);
  return { format, delimiter, rowCount, columns, problems: problems.finish(), headerLine: header.line, duplicateRows, sampleSize };
}

/** Reads the sampled records again and stores each column's values in them (typed by the column's dtype). */
function sampleColumns(bytes: Uint8Array, delim: number, sink: ColumnsSink, columns: ParsedColumn[]): number {
  const rows: string[][] = [];
  for (let k = 0; k < sink.sampleOffsets.length; k++) {
    const one = new StringRowsSink(bytes, 1);
    tokenize(bytes, sink.sampleOffsets[k], delim, one, sink.sampleLines[k], new Problems());
    rows.push(one.rows[0]?.fields ?? []);
  }
  columns.forEach((c, j) => {
    if (c.dtype === 'int' || c.dtype === 'float' || c.dtype === 'datetime') {
      const out = new Float64Array(rows.length);
      for (let r = 0; r < rows.length; r++) {
        const f = rows[r][j];
        if (f === undefined) out[r] = NaN;
        else if (c.dtype === 'datetime') out[r] = parseIsoDate(f);
        else {
          const v = parseNumString(f);
          out[r] = pnStatus === PN_OK ? v : NaN;
        }
      }
      c.sample = out;
    } else {
      c.sample = rows.map((fields) => {
        const f = fields[j];
        if (f === undefined || NULL_TOKENS.has(f)) return null;
        return c.dtype === 'bool' ? (BOOL_TOKENS[f] ?? f) : f;
      });
    }
  });
  return rows.length;
}

function numericDtype(values: Float64Array, frac: boolean): ColumnDtype {
  if (frac) return 'float';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v && (!Number.isInteger(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER)) return 'float';
  }
  return 'int';
}

/** refineCategorical for counted categories (summary path): values come out unordered, without nulls. */
function refineCounts(name: string, counts: Int32Array, dict: string[]): ParsedColumn {
  if (dict.length === 0) return { name, dtype: 'string', data: { kind: 'counts', counts, dict } };
  if (dict.every((x) => x in BOOL_TOKENS)) {
    let f = 0;
    let t = 0;
    dict.forEach((x, k) => {
      if (BOOL_TOKENS[x] === 'true') t += counts[k + 1];
      else f += counts[k + 1];
    });
    const keys: string[] = [];
    const cs: number[] = [counts[0]];
    if (f > 0) {
      keys.push('false');
      cs.push(f);
    }
    if (t > 0) {
      keys.push('true');
      cs.push(t);
    }
    return { name, dtype: 'bool', data: { kind: 'counts', counts: Int32Array.from(cs), dict: keys } };
  }
  const nums = new Float64Array(dict.length);
  let kind: 'num' | 'date' | null = 'num';
  let frac = false;
  for (let k = 0; k < dict.length; k++) {
    const v = parseNumString(dict[k]);
    if (pnStatus !== PN_OK) {
      kind = null;
      break;
    }
    if (pnFrac) frac = true;
    nums[k] = v;
  }
  if (!kind) {
    kind = 'date';
    for (let k = 0; k < dict.length; k++) {
      const v = parseIsoDate(dict[k]);
      if (v !== v) {
        kind = null;
        break;
      }
      nums[k] = v;
    }
  }
  if (!kind) return { name, dtype: 'string', data: { kind: 'counts', counts, dict } };
  let total = 0;
  for (let k = 1; k < counts.length; k++) total += counts[k];
  const values = new Float64Array(total);
  let p = 0;
  for (let k = 0; k < dict.length; k++) values.fill(nums[k], p, (p += counts[k + 1]));
  const dtype = kind === 'date' ? 'datetime' : numericDtype(values, frac);
  return { name, dtype, data: { kind: 'numeric', values, nullCount: counts[0], allFinite: !nums.some((x) => x === Infinity || x === -Infinity) } };
}

/** A dictionary-encoded column whose values all turn out to be booleans, numbers or datetimes is converted. */
function refineCategorical(name: string, codes: Int32Array, dict: string[]): ParsedColumn {
  if (dict.length === 0) return { name, dtype: 'string', data: { kind: 'categorical', codes, dict } };
  if (dict.every((s) => s in BOOL_TOKENS)) {
    const canon = ['false', 'true'];
    const map = dict.map((s) => (BOOL_TOKENS[s] === 'true' ? 1 : 0));
    const used = [false, false];
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c >= 0) {
        codes[i] = map[c];
        used[map[c]] = true;
      }
    }
    // keep only the values that occur, in canonical order
    if (!used[0] || !used[1]) {
      const only = used[0] ? 0 : 1;
      for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = 0;
      return { name, dtype: 'bool', data: { kind: 'categorical', codes, dict: [canon[only]] } };
    }
    return { name, dtype: 'bool', data: { kind: 'categorical', codes, dict: canon } };
  }
  const nums = new Float64Array(dict.length);
  let allNum = true;
  let frac = false;
  for (let k = 0; k < dict.length; k++) {
    const v = parseNumString(dict[k]);
    if (pnStatus !== PN_OK) {
      allNum = false;
      break;
    }
    if (pnFrac) frac = true;
    nums[k] = v;
  }
  if (allNum) {
    const values = new Float64Array(codes.length);
    for (let i = 0; i < codes.length; i++) values[i] = codes[i] < 0 ? NaN : nums[codes[i]];
    return { name, dtype: numericDtype(values, frac), data: { kind: 'numeric', values } };
  }
  let allDate = true;
  for (let k = 0; k < dict.length; k++) {
    const t = parseIsoDate(dict[k]);
    if (t !== t) {
      allDate = false;
      break;
    }
    nums[k] = t;
  }
  if (allDate) {
    const values = new Float64Array(codes.length);
    for (let i = 0; i < codes.length; i++) values[i] = codes[i] < 0 ? NaN : nums[codes[i]];
    return { name, dtype: 'datetime', data: { kind: 'numeric', values } };
  }
  return { name, dtype: 'string', data: { kind: 'categorical', codes, dict } };
}
