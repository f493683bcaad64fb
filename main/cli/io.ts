import type { ParsedArgs } from './args';

// The output sink of a `pmw` command (dependency-free: the CLI entry imports it).
export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** Input lines for interactive commands (pmw drill run); default: stdin. */
  lines?: AsyncIterable<string>;
}
export const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** What the CLI entry runs: a command's implementation as cliRunner (./common.ts) wraps it. */
export type CommandRunner = (a: ParsedArgs, rawIo: Io) => Promise<number>;
