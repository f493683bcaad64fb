// The export gate: where in a file's text a secret is, by line and rule. Pure TypeScript.
import { redactDetailed } from './core';

export interface ScanHit {
  /** 1-based line. */
  line: number;
  /** Which detector: a shape ("aws-access-key-id", "private-key", "url-credentials", …), "secret-name",
   *  "kubernetes-secret", or a secretlint rule ("secretlint/aws"). */
  rule: string;
}

/**
 * Every unmasked secret in `text`, one hit per line and rule, in line order. Values already masked by
 * this module (••••, …[masked]) are not hits, so redacted output scans clean.
 */
export function scanText(text: string, fileName?: string): ScanHit[] {
  const seen = new Set<string>();
  const out: ScanHit[] = [];
  for (const m of redactDetailed(text, { fileName }).masked) {
    const k = `${m.line}\u0000${m.rule}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ line: m.line, rule: m.rule });
  }
  return out.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}
