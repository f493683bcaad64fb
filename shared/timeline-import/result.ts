// What timeline:import answers (a dry run previews the same without writing).
import type { ImportKind, ImportProblem, TimelineImportFormat } from './types';

export interface TimelineImportResult {
  format: TimelineImportFormat;
  dryRun: boolean;
  /** Events found in the file. */
  total: number;
  /** New ones (written, or to be written by the real run). */
  added: number;
  /** Already on the timeline from an earlier import (by source key). */
  existing: number;
  skipped: Record<string, number>;
  problems: ImportProblem[];
  /** The incident's revision after the call. */
  revision: number;
  /** The first 500 events, each marked new or already there. */
  events: { sourceKey: string; occurredAt: string; sourceTime: string; kind: ImportKind; author: string; body: string; status: 'new' | 'exists' }[];
}
