// What running a runbook cell gives (issue 13): the run itself, and what runbook:run answers.

/** One cell's command run by the user's shell. */
export interface CellRun {
  exitCode: number | null;
  /** "timeout", or the signal that ended it. */
  stoppedBy: string | null;
  /** Masked output (stdout and stderr interleaved), at most the cap, with a note when cut. */
  output: string;
  truncatedBytes: number;
  durationMs: number;
  startedAt: string;
  shell: string;
}

/** What runbook:run answers: the run of cell `cell`, and where it was kept. */
export interface RunbookRunResult extends CellRun {
  cell: number;
  /** False when the cell was edited while it ran (the output is then only in the artifact). */
  kept: boolean;
  artifactId: number;
  eventId: number;
}
