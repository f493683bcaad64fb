// What every `pmw` command bundle shares: the output sink, how an error is printed, and cliRunner, which
// turns a command implementation into what the CLI entry (./index.ts) runs.
import { statSync } from 'node:fs';
import { ApiError } from '../../shared/api/errors';
import type { ParsedArgs } from './args';
import type { CommandRunner } from './io';
import { redactText } from '../../shared/redact/index';

import { isStdio, stdio, type Io } from './io';

export { stdio, type Io };

/** `pmw: message` (and each issue) on stderr, or the error as JSON with --json; the exit code. */
export function printError(e: unknown, json: boolean, io: Io): number {
  const err = ApiError.from(e);
  if (json) io.err(JSON.stringify(err.toJSON()) + '\n');
  else {
    io.err(`pmw: ${err.message}\n`);
    for (const i of err.details?.issues ?? []) if (!err.message.includes(i.message)) io.err(`  ${i.field}: ${i.message}\n`);
  }
  return 2;
}

/** Every line the CLI prints passes through the redaction (text and --json alike). */
export function redacting(io: Io): Io {
  return { out: (s) => io.out(redactText(s)), err: (s) => io.err(redactText(s)), lines: io.lines };
}

/** What Ctrl+C stops besides the command itself (worker pools; their jobs reject and the command unwinds). */
export const interruptHooks = new Set<() => void>();

/** A command implementation: parsed arguments, the redacted output, the raw output; the exit code. */
export type CommandImpl = (a: ParsedArgs, io: Io, rawIo: Io) => Promise<number>;
export type { CommandRunner };

export interface RunnerOptions {
  /** Give the implementation the unredacted sink as `io` too (pmw serve prints its access URL). */
  raw?: boolean;
  /** Trap Ctrl+C/SIGTERM (default true): hooks run, the command unwinds, exit 130. */
  trap?: boolean;
  /** The line printed on the first Ctrl+C. */
  interruptMessage?: string;
  /** Also run on Ctrl+C (e.g. end stdin for an interactive command). */
  onInterrupt?: () => void;
}

/**
 * The implementation wrapped as the entry runs it: output redacted, Ctrl+C trapped (when writing to the
 * real stdio), an error printed as `pmw: message` (or JSON with --json) with exit 2.
 */
export function cliRunner(fn: CommandImpl, opts: RunnerOptions = {}): CommandRunner {
  return async (a, rawIo) => {
    const io = redacting(rawIo);
    let interrupted = false;
    const onSignal = () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      io.err(opts.interruptMessage ?? '\npmw: interrupted — stopping without leaving anything half-written…\n');
      for (const h of interruptHooks) h();
      opts.onInterrupt?.();
    };
    const trap = opts.trap !== false && isStdio(rawIo);
    if (trap) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    try {
      const code = await fn(a, opts.raw ? rawIo : io, rawIo);
      return interrupted ? 130 : code;
    } catch (e) {
      if (interrupted) {
        io.err(`pmw: stopped: ${ApiError.from(e).message}\n`);
        return 130;
      }
      return printError(e, a.flags.json === true, io);
    } finally {
      if (trap) {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    }
  };
}

/** A schema upgrade of a large store takes a while (migration 0013 rebuilds the search index: ~20 s at 100k incidents): say so first. */
export function migrationNotice(dbPath: string): (from: number, to: number) => void {
  return (from, to) => {
    let mb = 0;
    try {
      mb = statSync(dbPath).size / 1048576;
    } catch {
      return;
    }
    if (mb >= 64) process.stderr.write(`pmw: upgrading ${dbPath} (${mb.toFixed(0)} MB) from schema ${from} to ${to}; a backup is made first and a large store takes a while (once)…\n`);
  };
}
