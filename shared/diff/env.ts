// Environment dumps (KEY=VALUE, `export K=V`, `declare -x K="V"`, .env files). Pure TypeScript.
import type { FailureClass } from '../domain';
import type { Change, DiffResult, ParseProblem } from './types';

/** Thread, BLAS, device and determinism variables that change numerics or placement. */
const HIGHLIGHT_RE =
  /^(OMP_.*|MKL_.*|OPENBLAS_.*|GOTO_NUM_THREADS|VECLIB_MAXIMUM_THREADS|NUMEXPR_.*|BLIS_NUM_THREADS|KMP_.*|CUDA_.*|NVIDIA_.*|CUBLAS_.*|CUDNN_.*|NCCL_.*|PYTHONHASHSEED|TF_.*|TORCH_.*|PYTORCH_.*|XLA_.*|JAX_.*|LD_LIBRARY_PATH|LD_PRELOAD|PYTHONPATH|TOKENIZERS_PARALLELISM|HIP_VISIBLE_DEVICES|ROCR_VISIBLE_DEVICES|TRANSFORMERS_.*|HF_HUB_OFFLINE)$/;

/** True for variables whose change is highlighted (warning). */
export function isHighlightedEnvVar(name: string): boolean {
  return HIGHLIGHT_RE.test(name);
}

const SECRET_RE = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE|AUTH|COOKIE|SESSION|_PWD$|^PWD_)/i;
export const MASK = '••••••';

/** True when the name suggests a secret: its value is never shown. */
export function isSecretEnvVar(name: string): boolean {
  if (/^(PWD|OLDPWD)$/.test(name)) return false;
  if (/^(KEYMAP|KEYTIMEOUT|XKB_.*|TOKENIZERS_PARALLELISM)$/.test(name)) return false;
  return SECRET_RE.test(name);
}

export function maskValue(name: string, value: string): string {
  return isSecretEnvVar(name) ? MASK : value;
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
}

function clip(s: string, n = 200): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}

/** One change for a variable added / removed / changed (values of secret-like names masked). */
export function envChange(
  name: string,
  before: string | null,
  after: string | null,
  lines: { lineBefore?: number; lineAfter?: number },
  opts: EnvChangeOptions = {},
): Change {
  const prefix = opts.kindPrefix ?? 'env';
  const highlighted = isHighlightedEnvVar(name);
  const secret = isSecretEnvVar(name);
  const show = (v: string | null) => (v === null ? null : secret ? MASK : clip(v));
  const op = before === null ? 'added' : after === null ? 'removed' : 'changed';
  const subject = (opts.subjectPrefix ?? '') + name;
  const why = highlighted ? ' — thread/device/runtime variable' : '';
  let message: string;
  if (op === 'added') message = `env var ${name} added${secret ? ' (value masked)' : `: ${name}=${clip(after ?? '', 80)}`}${why}`;
  else if (op === 'removed') message = `env var ${name} removed${secret ? ' (value masked)' : ` (was ${clip(before ?? '', 80)})`}${why}`;
  else message = secret ? `env var ${name} changed (value masked)${why}` : `${name} ${clip(before ?? '', 60)} → ${clip(after ?? '', 60)}${why}`;
  const c: Change = {
    kind: `${prefix}.${op}`,
    severity: highlighted ? 'warning' : 'info',
    failureClass: opts.failureClass ?? 'deployment',
    subject,
    before: show(before),
    after: show(after),
    message,
    params: { name, highlighted, masked: secret },
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
