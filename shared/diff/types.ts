// Typed changes produced by the semantic diff engines (issue 3). Pure TypeScript.
import type { FailureClass } from '../domain';

export const ARTIFACT_KINDS = [
  'requirements', // pip requirements / pip freeze
  'poetry-lock',
  'conda-env',
  'package-lock',
  'json',
  'yaml',
  'kubernetes', // Kubernetes manifests (YAML or JSON, multi-document), read with Kubernetes' YAML rules
  'csv', // CSV and TSV
  'parquet',
  'schema', // JSON Schema or column → dtype map
  'model-metadata', // feature_order, scaler / normalisation params
  'env', // KEY=VALUE dumps
  'env-fingerprint', // hardware, drivers, interpreter, platform, container (pmw capture, issue 13)
  'image-ref', // container image references
  'log',
  'text',
  'binary',
] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export type ChangeSeverity = 'info' | 'warning' | 'critical';
export const SEVERITY_RANK: Record<ChangeSeverity, number> = { info: 0, warning: 1, critical: 2 };

export interface Change {
  /** Machine-readable change type, e.g. "dependency.major", "column.removed", "drift.numeric". */
  kind: string;
  severity: ChangeSeverity;
  failureClass: FailureClass;
  /** Path or subject: package name, config path, column name, variable… */
  subject: string;
  before: string | number | boolean | null;
  after: string | number | boolean | null;
  /** One line for a human, e.g. "numpy 1.24.4 → 2.0.2 — major upgrade of a numeric library". */
  message: string;
  /** 1-based line in the right (failing) text where the change shows, when known; left likewise. */
  lineAfter?: number;
  lineBefore?: number;
  /** Parameters a generator can use (statistics, thresholds, baseline values…). */
  params?: Record<string, unknown>;
}

export interface ParseProblem {
  message: string;
  line?: number;
  column?: number;
  side?: 'before' | 'after';
}

export interface DiffResult {
  kind: ArtifactKind;
  changes: Change[];
  /** Parse or encoding problems (malformed input, invalid UTF-8…). The diff falls back to text. */
  problems: ParseProblem[];
  /** True when the inputs differ only in ways that carry no meaning (comments, key order, line endings). */
  noSemanticChange: boolean;
  /**
   * Set when the declared or detected kind could not be parsed: the first fatal problem (side, line).
   * The changes are then a text diff of the redacted texts; `pmw diff` exits 2.
   */
  parseError?: ParseProblem;
}
