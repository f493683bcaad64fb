// Redaction of JSON-like values (diff changes, finding drafts, bundles, scenarios). Pure TypeScript.
import { MASK, maskValue, redactText, type RedactOptions } from './core';
import { isSecretName } from './names';

/**
 * A copy of `value` with every string redacted; a string or number under a secret-bearing key is
 * masked whole (booleans, null and nested objects keep their shape; their own keys decide below).
 */
export function redactDeep<T>(value: T, opts: RedactOptions = {}, depth = 0): T {
  if (depth > 64) return value;
  if (typeof value === 'string') return redactText(value, opts) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, opts, depth + 1)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (isSecretName(k) && (typeof v === 'string' || typeof v === 'number')) out[k] = typeof v === 'string' ? maskValue(v, k, opts) : MASK;
      else out[k] = redactDeep(v, opts, depth + 1);
    }
    return out as T;
  }
  return value;
}
