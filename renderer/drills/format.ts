// Labels and small helpers of the drills area.
import type { CardStatus, DrillMode, Verdict } from '../../shared/drills/types';
import type { EvidenceKind, ScenarioDifficulty } from '../../shared/scenarios/schema';

export const MODE_LABELS: Record<DrillMode, string> = { solo: 'Solo', gm: 'Game master' };

export const KIND_LABELS: Record<EvidenceKind, string> = {
  log: 'Log',
  metric: 'Metrics',
  'artifact-pair': 'Artifact pair',
  note: 'Note',
  dashboard: 'Dashboard',
};

export const STATUS_LABELS: Record<CardStatus, string> = { hidden: 'Not asked for', requested: 'Requested', released: 'Released' };

export const STAGE_LABELS: Record<string, string> = {
  artifact: 'Artifact',
  gates: 'Gates',
  endpoint: 'Endpoint',
  quality: 'Quality',
};

export const VERDICT_LABELS: Record<Verdict, string> = { exact: 'Exact', acceptable: 'Acceptable', wrong: 'Wrong', missing: 'Not given' };

export type DifficultyBucket = 'intro' | 'intermediate' | 'advanced';
export const DIFFICULTY_BUCKETS: DifficultyBucket[] = ['intro', 'intermediate', 'advanced'];
export const BUCKET_LABELS: Record<DifficultyBucket, string> = { intro: 'Intro', intermediate: 'Intermediate', advanced: 'Advanced' };

/** intro ≤ 2, intermediate 3, advanced ≥ 4 (difficultyRank maps intro 1, intermediate 3, advanced 5). */
export function bucketOf(rank: number): DifficultyBucket {
  return rank <= 2 ? 'intro' : rank >= 4 ? 'advanced' : 'intermediate';
}

export function difficultyLabel(d: ScenarioDifficulty): string {
  if (typeof d === 'number') return `Level ${d} of 5`;
  return BUCKET_LABELS[d];
}

export function difficultyBucket(d: ScenarioDifficulty): DifficultyBucket {
  if (typeof d === 'number') return bucketOf(d);
  return d;
}

const PARTICIPANT_KEY = 'pmw.drill.participant';

export function rememberedParticipant(): string {
  try {
    return localStorage.getItem(PARTICIPANT_KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberParticipant(name: string) {
  try {
    localStorage.setItem(PARTICIPANT_KEY, name.trim());
  } catch {
    /* storage disabled */
  }
}

/** "3:05" or "1:02:03" from milliseconds. */
export function mmss(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Points with at most one decimal: 12.5, 20. */
export const pts = (n: number) => String(Math.round(n * 10) / 10);

/**
 * A deterministic order of the checks for a responder who has not ordered them yet. The scenario files
 * list checks in their ideal order; showing that order would give the answer away. Seeded by the drill
 * so every reload shows the same order; never the file's order when there are 2 or more checks.
 */
export function startingOrder(ids: string[], seed: number): string[] {
  if (ids.length < 2) return [...ids];
  let x = (seed * 2654435761) % 4294967296 || 1;
  const rnd = () => {
    // xorshift32
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
  const out = [...ids];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  if (out.every((id, i) => id === ids[i])) out.push(out.shift()!);
  return out;
}
