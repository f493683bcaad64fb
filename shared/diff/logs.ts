// Log diff by error signature: error lines normalised (timestamps, uuids, hex ids, IPs, numbers…)
// and counted; new, disappeared and much more frequent signatures are reported. Pure TypeScript.
import type { FailureClass } from '../domain';
import type { Change, ChangeSeverity, DiffResult } from './types';

export interface Signature {
  signature: string;
  count: number;
  /** 1-based line of the first occurrence. */
  firstLine: number;
  /** The first raw line (clipped). */
  example: string;
  fatal: boolean;
}

const LEVEL_RE = /(^|[\s[|:"'=(<])(ERROR|FATAL|CRITICAL|CRIT|SEVERE|PANIC|EMERG|ALERT|error|fatal|critical|Error|Fatal|Critical)(?=[\s\]|:"',)>]|$)/;
const GLOG_RE = /^[EF]\d{4} \d{2}:\d{2}:\d{2}/;
const EXC_RE = /(^|[\s:])([A-Z][A-Za-z0-9_]*\.)*[A-Z][A-Za-z0-9_]*(Error|Exception|Exit|Interrupt|Failure|Fault)\b(:|\s|$)/;
const SPECIAL_RE =
  /(Traceback \(most recent call last\)|OOMKilled|CUDA out of memory|CUDA error|out of memory|OutOfMemory|Segmentation fault|core dumped|CrashLoopBackOff|Back-off restarting failed|\bpanic:|Killed process|NCCL (error|failure)|exit(ed)? (with )?(code|status) [1-9]|non-zero exit|\bnan loss\b|loss is nan|Errno \d+)/i;
const FATAL_RE = /(FATAL|CRITICAL|\bCRIT\b|PANIC|EMERG|OOMKilled|out of memory|OutOfMemory|MemoryError|Segmentation fault|core dumped|CrashLoopBackOff|\bpanic:|Killed process)/i;
const TRACEBACK_RE = /Traceback \(most recent call last\)/;
const TS_PREFIX_RE =
  /^\s*(\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?\]?|\[?[A-Z][a-z]{2} [ \d]?\d \d{2}:\d{2}:\d{2}\]?|\[?\d{2}:\d{2}:\d{2}([.,]\d+)?\]?|\d{10}(\.\d+)?)\s*/;

/** True when the line reports an error. */
export function isErrorLine(line: string): boolean {
  return LEVEL_RE.test(line) || GLOG_RE.test(line) || EXC_RE.test(line) || SPECIAL_RE.test(line);
}

/** Normalise an error line into a signature. */
export function normalizeLogLine(line: string): string {
  let s = line;
  // Strip leading timestamps (possibly several, e.g. kubectl --timestamps + app timestamp).
  for (let k = 0; k < 3; k++) {
    const m = TS_PREFIX_RE.exec(s);
    if (!m || m[0].length === 0) break;
    s = s.slice(m[0].length);
  }
  s = s
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}([.,]\d+)?(Z|[+-]\d{2}:?\d{2})?/g, '<ts>')
    .replace(/\b\d{4}[-/]\d{2}[-/]\d{2}\b/g, '<date>')
    .replace(/\b\d{1,2}:\d{2}:\d{2}([.,]\d+)?\b/g, '<time>')
    .replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, '-<pod>')
    .replace(/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, '<uuid>')
    .replace(/\b0x[0-9a-fA-F]+\b/g, '<hex>')
    .replace(/\b(sha256:)?(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/g, '<hex>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<ip>')
    .replace(/\b(pid|tid|thread|worker|rank|job|request|req|trace|span|run|id)([=:#]\s*|[ _-])([\w-]*\d[\w-]*)/gi, (_, k: string, sep: string) => `${k}${sep}<id>`)
    .replace(/[+-]?\d+(\.\d+)?([eE][+-]?\d+)?/g, '<n>')
    .replace(/(<n>)([.,:]<n>)+/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
  if (s.length > 240) s = s.slice(0, 240) + '…';
  return s;
}

/** Extract error signatures with counts. Python tracebacks count once, under their exception line. */
export function extractSignatures(text: string): { signatures: Map<string, Signature>; lines: number; trainingLike: boolean } {
  const sigs = new Map<string, Signature>();
  const lines = text.split('\n');
  let inTraceback = false;
  let tbLine = 0;
  let trainingHits = 0;
  const add = (raw: string, lineNo: number, traceback: boolean) => {
    const sig = (traceback ? 'Traceback: ' : '') + normalizeLogLine(raw);
    if (!sig) return;
    const s = sigs.get(sig);
    if (s) s.count++;
    else
      sigs.set(sig, {
        signature: sig,
        count: 1,
        firstLine: lineNo,
        example: raw.trim().slice(0, 300),
        fatal: FATAL_RE.test(raw),
      });
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    if (trainingHits < 3 && /\b(epoch|train(ing)?[_ ]loss|optimizer step|global_step|backward)\b/i.test(raw)) trainingHits++;
    if (inTraceback) {
      const body = raw.replace(TS_PREFIX_RE, '');
      if (body === '' || /^\s/.test(body) || /^(File "|During handling|The above exception|Traceback \(most recent)/.test(body)) continue;
      inTraceback = false;
      if (/^([\w.]+)(:|$)/.test(body)) {
        add(body, tbLine, true);
        continue;
      }
    }
    if (TRACEBACK_RE.test(raw)) {
      inTraceback = true;
      tbLine = i + 1;
      continue;
    }
    if (isErrorLine(raw)) add(raw, i + 1, false);
  }
  if (inTraceback) add('Traceback (incomplete)', tbLine, true);
  return { signatures: sigs, lines: lines.length, trainingLike: trainingHits >= 3 };
}

const MAX_LISTED = 200;

function clip(s: string, n = 120): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}

/** Semantic diff of two logs by error signature. */
export function diffLogTexts(before: string, after: string, opts: { failureClass?: FailureClass } = {}): DiffResult {
  const b = extractSignatures(before);
  const a = extractSignatures(after);
  const failureClass: FailureClass = opts.failureClass ?? (a.trainingLike || b.trainingLike ? 'training' : 'serving');
  const changes: Change[] = [];
  const fresh: Signature[] = [];
  for (const [k, s] of a.signatures) if (!b.signatures.has(k)) fresh.push(s);
  fresh.sort((x, y) => Number(y.fatal) - Number(x.fatal) || y.count - x.count);
  for (const s of fresh.slice(0, MAX_LISTED)) {
    const severity: ChangeSeverity = s.fatal ? 'critical' : 'warning';
    changes.push({
      kind: 'log.new-signature',
      severity,
      failureClass,
      subject: clip(s.signature),
      before: 0,
      after: s.count,
      message: `new error signature (×${s.count}): ${clip(s.signature)}`,
      lineAfter: s.firstLine,
      params: { signature: s.signature, count: s.count, example: s.example, firstLine: s.firstLine },
    });
  }
  if (fresh.length > MAX_LISTED)
    changes.push({ kind: 'log.truncated', severity: 'info', failureClass, subject: 'log', before: null, after: null, message: `${fresh.length - MAX_LISTED} more new signatures not listed` });
  const rateB = Math.max(1, b.lines);
  const rateA = Math.max(1, a.lines);
  for (const [k, s] of b.signatures) {
    const t = a.signatures.get(k);
    if (!t) {
      changes.push({
        kind: 'log.signature-gone',
        severity: 'info',
        failureClass,
        subject: clip(s.signature),
        before: s.count,
        after: 0,
        message: `error signature no longer seen (was ×${s.count}): ${clip(s.signature)}`,
        lineBefore: s.firstLine,
        params: { signature: s.signature, count: s.count, example: s.example },
      });
    } else if (t.count >= 2 * s.count && t.count - s.count >= 5 && t.count / rateA >= (2 * s.count) / rateB) {
      changes.push({
        kind: 'log.signature-increased',
        severity: t.fatal ? 'critical' : 'warning',
        failureClass,
        subject: clip(s.signature),
        before: s.count,
        after: t.count,
        message: `error signature ×${s.count} → ×${t.count}: ${clip(s.signature)}`,
        lineBefore: s.firstLine,
        lineAfter: t.firstLine,
        params: { signature: s.signature, ratio: t.count / s.count },
      });
    }
  }
  return { kind: 'log', changes, problems: [], noSemanticChange: changes.length === 0 };
}
