import type { ParsedArgs } from './args';

// The output sink of a `pmw` command (dependency-free: the CLI entry imports it).
export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** Input lines for interactive commands (pmw drill run); default: stdin. */
  lines?: AsyncIterable<string>;
}
const STDIO = Symbol.for('pmw.cli.stdio');
// A reader that goes away (`pmw search … | head`) closes the pipe: the rest of the output is dropped
// and the command finishes with its own exit code, instead of an unhandled EPIPE stack trace.
let readerGone = false;
const onOutError = (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  readerGone = true;
};
let listening = false;
const out = (s: string) => {
  if (readerGone) return;
  if (!listening) (listening = true), process.stdout.on('error', onOutError);
  process.stdout.write(s);
};
export const stdio: Io = Object.assign({ out, err: (s: string) => void process.stderr.write(s) }, { [STDIO]: true });

/** Is this the process's own stdio (not a test's sink)? By a registered symbol: each command bundle has its own copy of this module. */
export function isStdio(io: Io): boolean {
  return (io as unknown as Record<symbol, unknown>)[STDIO] === true;
}

/** What the CLI entry runs: a command's implementation as cliRunner (./common.ts) wraps it. */
export type CommandRunner = (a: ParsedArgs, rawIo: Io) => Promise<number>;
