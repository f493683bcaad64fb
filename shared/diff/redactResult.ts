// The diff's chokepoint: every string of a DiffResult (change messages, subjects, before/after,
// params, problems) passes through shared/redact before it leaves the engine. Pure TypeScript.
import { redactDeep, redactText } from '../redact/index';
import type { Change, DiffResult, ParseProblem } from './types';

const text = (v: Change['before']): Change['before'] => (typeof v === 'string' ? redactText(v) : v);

export function redactChange(c: Change): Change {
  const out: Change = { ...c, subject: redactText(c.subject), message: redactText(c.message), before: text(c.before), after: text(c.after) };
  if (c.params) out.params = redactDeep(c.params);
  return out;
}

export function redactProblem<P extends ParseProblem>(p: P): P {
  return { ...p, message: redactText(p.message) };
}

export function redactDiffResult(r: DiffResult): DiffResult {
  return {
    ...r,
    changes: r.changes.map(redactChange),
    problems: r.problems.map(redactProblem),
    ...(r.parseError ? { parseError: redactProblem(r.parseError) } : {}),
  };
}
