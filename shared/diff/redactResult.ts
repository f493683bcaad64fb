// The diff's chokepoint: every string of a DiffResult (change messages, subjects, before/after,
// params, problems) passes through shared/redact before it leaves the engine. Pure TypeScript.
import { redactDeep, redactText } from '../redact/index';
import type { Change, DiffResult, ParseProblem } from './types';

/**
 * `clean`: strings the caller knows redact to themselves (nothing in them was masked by the same
 * rules), passed through without a second scan; every other string is redacted.
 */
export function redactChange(c: Change, clean?: ReadonlySet<string>): Change {
  const str = (v: string) => (clean?.has(v) ? v : redactText(v));
  const text = (v: Change['before']): Change['before'] => (typeof v === 'string' ? str(v) : v);
  const out: Change = { ...c, subject: str(c.subject), message: str(c.message), before: text(c.before), after: text(c.after) };
  if (c.params) out.params = redactDeep(c.params);
  return out;
}

export function redactProblem<P extends ParseProblem>(p: P): P {
  return { ...p, message: redactText(p.message) };
}

export function redactDiffResult(r: DiffResult, clean?: ReadonlySet<string>): DiffResult {
  return {
    ...r,
    changes: r.changes.map((c) => redactChange(c, clean)),
    problems: r.problems.map(redactProblem),
    ...(r.parseError ? { parseError: redactProblem(r.parseError) } : {}),
  };
}
