// Display helpers for artifacts and diff changes.
import type { Artifact, ArtifactPair, ArtifactRole } from '../../shared/artifacts';
import type { ArtifactKind, Change, ChangeSeverity } from '../../shared/diff/types';
import { FAILURE_CLASS_LABELS } from '../../shared/domain';

export const KIND_LABELS: Record<ArtifactKind, string> = {
  requirements: 'pip requirements',
  'poetry-lock': 'poetry.lock',
  'conda-env': 'conda env',
  'package-lock': 'package-lock',
  json: 'JSON',
  yaml: 'YAML',
  kubernetes: 'Kubernetes',
  csv: 'CSV / TSV',
  parquet: 'Parquet',
  schema: 'schema',
  'model-metadata': 'model metadata',
  env: 'env dump',
  'env-fingerprint': 'environment fingerprint',
  'image-ref': 'image ref',
  log: 'log',
  text: 'text',
  binary: 'binary',
};

export const ROLE_SHORT: Record<ArtifactRole, string> = {
  'last-known-good': 'LKG',
  failing: 'failing',
  other: 'other',
};

export const ROLE_HINTS: Record<ArtifactRole, string> = {
  'last-known-good': 'From the last run that worked',
  failing: 'From the run that broke',
  other: 'Context: logs, notes, anything else',
};

export const PAIR_REASONS: Record<ArtifactPair['reason'], string> = {
  label: 'same label',
  name: 'same kind and file name',
  kind: 'same kind',
};

export const SEVERITY_LABELS: Record<ChangeSeverity, string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };
export const SEVERITY_ICONS: Record<ChangeSeverity, string> = { critical: '▲', warning: '●', info: '○' };
export const SEVERITY_ORDER: ChangeSeverity[] = ['critical', 'warning', 'info'];

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MB`;
  return `${(n / 1073741824).toFixed(2)} GB`;
}

export const shortSha = (sha: string) => sha.slice(0, 12);

/** "poetry.lock" when both sides share a label or name, else "a.lock → b.lock". */
export function pairTitle(before: Artifact, after: Artifact): string {
  if (before.label && before.label.toLowerCase() === after.label.toLowerCase()) return before.label;
  if (before.name === after.name) return before.name;
  return `${before.name} → ${after.name}`;
}

/** Timeline evidence line, e.g. "[diff poetry.lock] numpy 1.24.4 → 2.0.2 — major upgrade … (critical, packaging)". */
export function timelineBody(change: Change, before: Artifact, after: Artifact): string {
  return `[diff ${pairTitle(before, after)}] ${change.message} (${change.severity}, ${change.failureClass})`.slice(0, 20_000);
}

export function failureClassLabel(c: string): string {
  return (FAILURE_CLASS_LABELS as Record<string, string>)[c] ?? c;
}

/** Stable sort: critical first, then warning, then info; the engine's order within a severity. */
export function sortChanges(changes: Change[]): Change[] {
  const rank: Record<ChangeSeverity, number> = { critical: 0, warning: 1, info: 2 };
  return changes.map((c, i) => [c, i] as const).sort((a, b) => rank[a[0].severity] - rank[b[0].severity] || a[1] - b[1]).map(([c]) => c);
}

/** Text for the "before → after" cell: values can be long (a whole block of lines). */
export function valueText(v: Change['before']): string {
  if (v === null || v === undefined) return '∅';
  const s = String(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

export function randomJobId(): string {
  const a = new Uint8Array(12);
  crypto.getRandomValues(a);
  return 'diff_' + [...a].map((b) => b.toString(36).padStart(2, '0')).join('').slice(0, 20);
}
