// Environment dumps (KEY=VALUE, `export K=V`, `declare -x K="V"`, .env files). Pure TypeScript.
import type { FailureClass } from '../domain';
import { MASK as REDACT_MASK, fingerprint, isSecretName, maskValueDetailed } from '../redact/index';
import type { Change, DiffResult, ParseProblem } from './types';

/** Thread, BLAS, device and determinism variables that change numerics or placement. */
const HIGHLIGHT_RE =
  /^(OMP_.*|MKL_.*|OPENBLAS_.*|GOTO_NUM_THREADS|VECLIB_MAXIMUM_THREADS|NUMEXPR_.*|BLIS_NUM_THREADS|KMP_.*|CUDA_.*|NVIDIA_.*|CUBLAS_.*|CUDNN_.*|NCCL_.*|PYTHONHASHSEED|TF_.*|TORCH_.*|PYTORCH_.*|XLA_.*|JAX_.*|LD_LIBRARY_PATH|LD_PRELOAD|PYTHONPATH|TOKENIZERS_PARALLELISM|HIP_VISIBLE_DEVICES|ROCR_VISIBLE_DEVICES|TRANSFORMERS_.*|HF_HUB_OFFLINE)$/;

/** True for variables whose change is highlighted (warning). */
export function isHighlightedEnvVar(name: string): boolean {
  return HIGHLIGHT_RE.test(name);
}

/** What replaces a masked value (shared/redact). */
export const MASK = REDACT_MASK;

/** True when the name suggests a secret: its value is never shown (shared/redact decides). */
export function isSecretEnvVar(name: string): boolean {
  return isSecretName(name);
}

/** The value as it may be shown: whole under a secret name, else only its secret shapes masked. */
export function maskValue(name: string, value: string): string {
  return maskValueDetailed(value, name).text;
}

export interface EnvVar {
  value: string;
  line: number;
}

export interface EnvParse {
  vars: Map<string, EnvVar>;
  problems: ParseProblem[];
}

function unescapeDouble(s: string): string {
  return s.replace(/\\(["\\$`nrt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c));
}

/** Parse KEY=VALUE lines (comments, `export`, `declare -x`, single/double quotes, multi-line quotes). */
export function parseEnv(text: string): EnvParse {
  const vars = new Map<string, EnvVar>();
  const problems: ParseProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const l = lines[i].replace(/\r$/, '');
    const t = l.trim();
    if (!t || t.startsWith('#')) continue;
    const m = /^(?:export\s+|declare\s+-x\s+|set\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=(.*)$/.exec(t);
    if (!m) {
      if (/^declare\s+-x\s+[A-Za-z_]\w*$/.test(t) || /^export\s+[A-Za-z_]\w*$/.test(t)) continue; // declared, no value
      if (problems.length < 20) problems.push({ message: `not a KEY=VALUE line: ${t.slice(0, 60)}`, line: lineNo, column: 1 });
      continue;
    }
    const name = m[1];
    let v = m[2];
    if (v.startsWith('"') || v.startsWith("'")) {
      const q = v[0];
      let body = v.slice(1);
      // Find the closing quote, possibly on a later line.
      const closeRe = q === '"' ? /(^|[^\\])(\\\\)*"/ : /'/;
      let found = closeRe.exec(body);
      while (!found && i + 1 < lines.length) {
        i++;
        body += '\n' + lines[i].replace(/\r$/, '');
        found = closeRe.exec(body);
      }
      if (found) {
        const end = found.index + found[0].length - 1;
        v = body.slice(0, end);
      } else {
        problems.push({ message: `unterminated quote in ${name}`, line: lineNo, column: l.indexOf('=') + 2 });
        v = body;
      }
      if (q === '"') v = unescapeDouble(v);
    } else {
      v = v.replace(/\s+#.*$/, '').trim();
    }
    vars.set(name, { value: v, line: lineNo });
  }
  return { vars, problems };
}

export interface EnvChangeOptions {
  failureClass?: FailureClass;
  /** Prefix for the change kind ("env" by default; config.ts uses "config.env"). */
  kindPrefix?: string;
  /** Prefix for the subject (e.g. a container path). */
  subjectPrefix?: string;
  /** Sides whose text describes a reference (Kubernetes valueFrom), not a value: shown, not masked by name. */
  references?: { before?: boolean; after?: boolean };
}

function clip(s: string, n = 200): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}

/** A value shown masked: the masked text, and a fingerprint of its secret part (null when it has none). */
export interface MaskedSide {
  shown: string;
  fingerprint: string | null;
}

/** Mask one side of a change; `wholeSecret` masks it whole (Kubernetes Secret data). */
export function maskSide(value: string, key: string | null, wholeSecret = false): MaskedSide {
  if (wholeSecret) return { shown: MASK, fingerprint: value === '' ? null : fingerprint(value) };
  const r = maskValueDetailed(value, key);
  return { shown: r.text, fingerprint: r.secrets.length ? fingerprint(r.secrets.join('\u0000')) : null };
}

/** "(secret masked; fingerprint 1a2b3c4d → 5e6f7a8b)": what a reader may know of a secret change. */
export function secretNote(b: MaskedSide | null, a: MaskedSide | null): string {
  const fb = b?.fingerprint ?? null;
  const fa = a?.fingerprint ?? null;
  if (b && a) {
    if (fb === fa) return `(secret unchanged, fingerprint ${fb})`;
    return `(secret masked; fingerprint ${fb ?? 'none'} → ${fa ?? 'none'})`;
  }
  return `(secret masked; fingerprint ${fb ?? fa})`;
}

/** One change for a variable added / removed / changed (secret values masked, their fingerprints shown). */
export function envChange(
  name: string,
  before: string | null,
  after: string | null,
  lines: { lineBefore?: number; lineAfter?: number },
  opts: EnvChangeOptions = {},
): Change {
  const prefix = opts.kindPrefix ?? 'env';
  const highlighted = isHighlightedEnvVar(name);
  const mb = before === null ? null : maskSide(before, opts.references?.before ? null : name);
  const ma = after === null ? null : maskSide(after, opts.references?.after ? null : name);
  const secret = !!(mb?.fingerprint || ma?.fingerprint);
  const show = (m: MaskedSide | null) => (m === null ? null : clip(m.shown));
  const op = before === null ? 'added' : after === null ? 'removed' : 'changed';
  const subject = (opts.subjectPrefix ?? '') + name;
  const why = highlighted ? ' — thread/device/runtime variable' : '';
  const note = secret ? ` ${secretNote(mb, ma)}` : '';
  const whole = (m: MaskedSide | null) => m !== null && m.shown === MASK;
  let message: string;
  if (op === 'added') message = `env var ${name} added${whole(ma) ? '' : `: ${name}=${clip(ma!.shown, 80)}`}${note}${why}`;
  else if (op === 'removed') message = `env var ${name} removed${whole(mb) ? '' : ` (was ${clip(mb!.shown, 80)})`}${note}${why}`;
  // Only the secret part changed: say so, and show what stays visible (the host of a URL).
  else if (secret && mb!.shown === ma!.shown) message = `env var ${name} changed${whole(mb) ? '' : `: ${clip(mb!.shown, 80)}`}${note}${why}`;
  else message = `${name} ${clip(mb!.shown, 60)} → ${clip(ma!.shown, 60)}${note}${why}`;
  const c: Change = {
    kind: `${prefix}.${op}`,
    severity: highlighted ? 'warning' : 'info',
    failureClass: opts.failureClass ?? 'deployment',
    subject,
    before: show(mb),
    after: show(ma),
    message,
    params: { name, highlighted, masked: secret, ...(secret ? { secret: true, fingerprintBefore: mb?.fingerprint ?? null, fingerprintAfter: ma?.fingerprint ?? null } : {}) },
  };
  if (lines.lineBefore) c.lineBefore = lines.lineBefore;
  if (lines.lineAfter) c.lineAfter = lines.lineAfter;
  return c;
}

/** Diff two parsed environments. */
export function diffEnvVars(before: Map<string, EnvVar>, after: Map<string, EnvVar>, opts: EnvChangeOptions = {}): Change[] {
  const out: Change[] = [];
  for (const [k, b] of before) {
    const a = after.get(k);
    if (!a) out.push(envChange(k, b.value, null, { lineBefore: b.line }, opts));
    else if (a.value !== b.value) out.push(envChange(k, b.value, a.value, { lineBefore: b.line, lineAfter: a.line }, opts));
  }
  for (const [k, a] of after) if (!before.has(k)) out.push(envChange(k, null, a.value, { lineAfter: a.line }, opts));
  return out;
}

/** Semantic diff of two env dumps. */
export function diffEnvTexts(before: string, after: string): DiffResult {
  const pb = parseEnv(before);
  const pa = parseEnv(after);
  const changes = diffEnvVars(pb.vars, pa.vars);
  return {
    kind: 'env',
    changes,
    problems: [...pb.problems.map((p) => ({ ...p, side: 'before' as const })), ...pa.problems.map((p) => ({ ...p, side: 'after' as const }))],
    noSemanticChange: changes.length === 0,
  };
}
