// Redaction of JSON-like values (diff changes, finding drafts, bundles, scenarios). Pure TypeScript.
import { MASK, maskValueDetailed, redactDetailed, type RedactOptions } from './core';
import { isSecretName } from './names';

/**
 * A copy of `value` with every string redacted; a string or number under a secret-bearing key is
 * masked whole (booleans, null and nested objects keep their shape; their own keys decide below).
 * `stats.masked` counts the values masked.
 */
export function redactDeep<T>(value: T, opts: RedactOptions = {}, stats?: { masked: number }, depth = 0): T {
  if (depth > 64) return value;
  if (typeof value === 'string') {
    const r = redactDetailed(value, opts);
    if (stats) stats.masked += r.masked.length;
    return r.text as T;
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, opts, stats, depth + 1)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (isSecretName(k) && (typeof v === 'string' || typeof v === 'number')) {
        const r = typeof v === 'string' ? maskValueDetailed(v, k, opts) : { text: MASK, masked: [{ line: 1, rule: 'secret-name' }] };
        if (stats) stats.masked += r.masked.length;
        out[k] = r.text;
      } else out[k] = redactDeep(v, opts, stats, depth + 1);
    }
    return out as T;
  }
  return value;
}
