// Artifacts captured during an incident, and how they pair up for diffing. Pure TypeScript.
import type { ArtifactKind, Change, DiffResult } from './diff/types';
import type { FailureClass, RootCauseOrigin } from './domain';

export const ARTIFACT_ROLES = ['last-known-good', 'failing', 'other'] as const;
export type ArtifactRole = (typeof ARTIFACT_ROLES)[number];
export const ARTIFACT_ROLE_LABELS: Record<ArtifactRole, string> = {
  'last-known-good': 'Last known good',
  failing: 'Failing',
  other: 'Other',
};

/** Default per-artifact size limit (configurable with PMW_MAX_ARTIFACT_BYTES / --max-bytes). */
export const DEFAULT_MAX_ARTIFACT_BYTES = 256 * 1024 * 1024;
/** Largest text shown in the diff editor; larger artifacts are diffed but shown truncated. */
export const MAX_DISPLAY_BYTES = 8 * 1024 * 1024;

export interface Artifact {
  id: number;
  role: ArtifactRole;
  label: string;
  name: string;
  kind: ArtifactKind;
  detectedKind: ArtifactKind;
  size: number;
  sha256: string;
  sourcePath: string | null;
  capturedAt: string;
  /** Only on the answer to adding a capture file (issue 13): every artifact it was expanded into… */
  expanded?: Artifact[];
  /** …and the parts the capture could not collect, with the reason. */
  captureMissing?: { id: string; reason: string }[];
}

export interface ArtifactPair {
  before: Artifact;
  after: Artifact;
  kind: ArtifactKind;
  /** Why these two were paired: same label, same kind and name, or same kind. */
  reason: 'label' | 'name' | 'kind';
}

export interface ArtifactContent {
  id: number;
  binary: boolean;
  text: string | null;
  truncated: boolean;
  problems: { message: string; line?: number; column?: number }[];
  size: number;
  sha256: string;
  /** Secret values masked in `text` (shared/redact): how many, and on which lines (at most 1000). */
  masked: number;
  maskedLines: number[];
  /** True when `text` is the unmasked content (artifact:reveal: desktop only, logged on the timeline). */
  revealed: boolean;
}

export interface DiffView extends DiffResult {
  before: Artifact;
  after: Artifact;
  /** Milliseconds the engine took (0 when served from the cache). */
  elapsedMs: number;
  cached: boolean;
}

export const FINDING_ROLES = ['root_cause', 'trigger', 'contributing', 'detection_gap'] as const;
export type FindingRole = (typeof FINDING_ROLES)[number];
export const FINDING_ROLE_LABELS: Record<FindingRole, string> = {
  root_cause: 'Root cause',
  trigger: 'Trigger',
  contributing: 'Contributing',
  detection_gap: 'Detection gap',
};

export interface FindingEvidence {
  artifactIds?: number[];
  changes?: Change[];
  timelineEventIds?: number[];
}

export interface Finding {
  id: number;
  title: string;
  description: string;
  failureClass: FailureClass;
  rootCauseOrigin: RootCauseOrigin | null;
  role: FindingRole;
  status: 'draft' | 'accepted' | 'rejected';
  /** Generator kind (e.g. "column.removed") and its parameters. */
  genKind: string | null;
  params: Record<string, unknown>;
  evidence: FindingEvidence;
  createdAt: string;
  updatedAt: string;
  /** What the finding was made from (e.g. a diff change), when it was; see finding:create. */
  sourceKey?: string | null;
}

const baseName = (n: string) => n.replace(/\\/g, '/').split('/').pop()!.toLowerCase();
/** Names without version-ish suffixes: "poetry-e8623af8.lock" and "poetry-94c3e242.lock" compare equal. */
export function stemOf(name: string): string {
  return baseName(name)
    .replace(/\.[a-z0-9]+$/, '')
    .replace(/[-_.](v?\d[\w.]*|[0-9a-f]{6,40}|old|new|before|after|good|bad|lkg|failing|prev|current)$/g, '')
    .replace(/[-_.](v?\d[\w.]*|[0-9a-f]{6,40}|old|new|before|after|good|bad|lkg|failing|prev|current)$/g, '');
}

/**
 * Propose last-known-good → failing pairs: same label first, then a matching name stem (even when
 * detection gave the two sides different kinds — the diff reconciles them), then the remaining ones
 * of the same kind. Each artifact is used once.
 */
export function proposePairs(artifacts: Artifact[]): ArtifactPair[] {
  const lkg = artifacts.filter((a) => a.role === 'last-known-good');
  const failing = artifacts.filter((a) => a.role === 'failing');
  const used = new Set<number>();
  const pairs: ArtifactPair[] = [];
  const take = (match: (b: Artifact, a: Artifact) => boolean, reason: ArtifactPair['reason']) => {
    for (const b of lkg) {
      if (used.has(b.id)) continue;
      const a = failing.find((f) => !used.has(f.id) && match(b, f));
      if (a) {
        used.add(b.id);
        used.add(a.id);
        pairs.push({ before: b, after: a, kind: b.kind, reason });
      }
    }
  };
  take((b, a) => !!b.label && b.label.toLowerCase() === a.label.toLowerCase(), 'label');
  take((b, a) => stemOf(b.name) === stemOf(a.name), 'name');
  take((b, a) => b.kind === a.kind, 'kind');
  return pairs;
}

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/**
 * Names one change of one diff (the `sourceKey` of finding:create and timeline:add), so saving it twice —
 * a second click, a reloaded page, "Suggest from diffs" — finds the record made the first time.
 */
export function changeSourceKey(beforeId: number, afterId: number, c: Pick<Change, 'kind' | 'subject' | 'before' | 'after' | 'message'>): string {
  const what = `${c.kind}|${c.subject}|${String(c.before)}|${String(c.after)}|${c.message}`;
  return `diff:${beforeId}-${afterId}:${c.kind}:${String(c.subject).slice(0, 120)}:${fnv1a(what)}`.slice(0, 300);
}
