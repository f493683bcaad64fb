// How numbers, statistics, percentages and names are written in change messages.
import type { ColumnSummary } from './types';

export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toPrecision(3);
  if (a >= 100) return String(Math.round(x * 100) / 100);
  return String(Number(x.toPrecision(4)));
}

export function fmtStat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 0.001) return x.toExponential(1);
  return x.toFixed(Math.abs(x) >= 100 ? 1 : Math.abs(x) >= 10 ? 2 : 3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

export function fmtP(p: number): string {
  if (p === 0) return '0';
  if (p < 0.001) return p.toExponential(1);
  return p.toFixed(3);
}

export function fmtPct(r: number, digits?: number): string {
  const v = r * 100;
  let d = digits;
  if (d === undefined) d = v === 0 || v >= 10 ? 0 : v >= 1 ? 1 : 2;
  const out = Number(v.toFixed(d));
  if (out === 0 && v > 0) return `<${(10 ** -d).toFixed(d)}%`;
  return `${out}%`;
}

export function fmtPctPair(a: number, b: number): [string, string] {
  let x = fmtPct(a);
  let y = fmtPct(b);
  if (x === y && a !== b) {
    x = fmtPct(a, 2);
    y = fmtPct(b, 2);
  }
  return [x, y];
}

export function fmtValue(c: ColumnSummary, x: number): string {
  if (c.dtype === 'datetime') return new Date(x).toISOString().replace('T00:00:00.000Z', '').replace('.000Z', 'Z');
  return fmtNum(x);
}

export function listNames(xs: string[], max = 5): string {
  const shown = xs.slice(0, max).map((x) => JSON.stringify(x));
  return shown.join(', ') + (xs.length > max ? ` and ${xs.length - max} more` : '');
}
