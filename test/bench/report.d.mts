// Types of ./report.mjs (shared bench reporting).
export interface Target {
  /** figure / baseline at most this */
  ratio?: number;
  /** figure at most this, in its unit */
  max?: number;
  text?: string;
}
export interface RowInput {
  bench?: string;
  figure: string;
  value: number;
  unit?: string;
  baseline: string;
  baselineValue: number;
  target?: Target;
  load?: string;
  note?: string;
}
export interface RowRecord {
  bench: string;
  figure: string;
  value: string;
  baseline: string;
  baselineValue: string;
  ratio: string;
  target: string;
  met: '' | 'yes' | 'NO';
  load: string;
}
export interface CommandSpec {
  name: string;
  cmd: string;
  args: string[];
  /** accepted exit statuses (default [0]) */
  ok?: number[];
  cwd?: string;
  /** the environment (default this process's) */
  env?: Record<string, string | undefined>;
}
export function median(xs: number[]): number;
export function rng(seed: number): () => number;
export function machineLoad(): string;
export function benchTempDir(prefix?: string): { dir: string; cleanup(): void };
export function timeIt(fn: () => unknown, runs?: number, warmup?: number): number;
export function compareCommands(commands: CommandSpec[], opts?: { runs?: number; warmup?: number }): Record<string, { ms: number; samples: number[]; load: string }>;
export function spread(r: { samples: number[] }): string;
export function row(r: RowInput): RowRecord;
export function summaryTable(rows: RowRecord[]): string;
