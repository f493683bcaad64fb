// Timeline import (issue 13): what every source parser returns. Pure TypeScript.
import type { TimelineKind } from '../domain';

export const TIMELINE_IMPORT_FORMATS = ['slack', 'pagerduty', 'alertmanager', 'csv'] as const;
export type TimelineImportFormat = (typeof TIMELINE_IMPORT_FORMATS)[number];

/** Kinds an imported event may get (phase changes are recorded by the flow only). */
export type ImportKind = Exclude<TimelineKind, 'phase_change'>;

export interface ImportedEvent {
  /** Stable id of the event in its source ("slack:C0123:1700000000.000100"): a re-import skips it. */
  sourceKey: string;
  /** When it happened, ISO 8601 UTC (the source's own time, converted). */
  occurredAt: string;
  /** The time as the source wrote it (shown in the preview). */
  sourceTime: string;
  kind: ImportKind;
  author: string;
  /** The timeline text (author and source named). */
  body: string;
}

/** A bad record: where it is and what is wrong (file, line or record index, field). */
export interface ImportProblem {
  /** "line 4", "messages[12]", "log_entries[3]". */
  at: string;
  field: string;
  message: string;
}

export interface ParsedImport {
  format: TimelineImportFormat;
  events: ImportedEvent[];
  /** What was dropped on purpose, by reason (joins, bot messages, edits' shadows…). */
  skipped: Record<string, number>;
  problems: ImportProblem[];
}

export interface ImportOptions {
  /** The file's name (for messages, and a Slack channel name when the export does not say). */
  fileName?: string;
  /**
   * The zone of times written without one (CSV "2026-11-22 03:10"): an IANA name (Europe/Berlin) or an
   * offset (+02:00). Default UTC. Times that carry a zone or offset keep theirs.
   */
  timeZone?: string;
}
