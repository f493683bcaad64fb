// What runbook:run answers (issue 13).
export interface RunbookRunResult {
  cell: number;
  exitCode: number | null;
  stoppedBy: string | null;
  output: string;
  truncatedBytes: number;
  durationMs: number;
  startedAt: string;
  shell: string;
  /** False when the cell was edited while it ran (the output is then only in the artifact). */
  kept: boolean;
  artifactId: number;
  eventId: number;
}
