// Small helpers shared by the dataset parsers: null and boolean tokens (pandas' defaults), UTF-8
// decoders, a capped problem list, cancellation.
import type { ParseProblem } from '../types';

export const NULL_TOKENS = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]); // pandas' default na_values

export const BOOL_TOKENS: Record<string, string> = {
  true: 'true',
  True: 'true',
  TRUE: 'true',
  false: 'false',
  False: 'false',
  FALSE: 'false',
};

type Decoder = { decode(input?: Uint8Array): string };
type DecoderCtor = new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) => Decoder;
export const TD = (globalThis as unknown as { TextDecoder: DecoderCtor }).TextDecoder;
export const strictDecoder = new TD('utf-8', { fatal: true, ignoreBOM: true });
export const looseDecoder = new TD('utf-8', { ignoreBOM: true });

export class Problems {
  list: ParseProblem[] = [];
  private counts = new Map<string, number>();
  private extra = new Map<string, number>();
  constructor(private readonly cap = 20) {}
  add(group: string, message: string, line?: number, column?: number): void {
    const c = this.counts.get(group) ?? 0;
    this.counts.set(group, c + 1);
    if (c < this.cap) {
      const p: ParseProblem = { message };
      if (line !== undefined) p.line = line;
      if (column !== undefined) p.column = column;
      this.list.push(p);
    } else this.extra.set(group, (this.extra.get(group) ?? 0) + 1);
  }
  has(group: string): boolean {
    return this.counts.has(group);
  }
  finish(): ParseProblem[] {
    for (const [group, n] of this.extra) this.list.push({ message: `… and ${n} more ${group} problem${n === 1 ? '' : 's'}` });
    return this.list;
  }
}

export function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer)
    return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}
