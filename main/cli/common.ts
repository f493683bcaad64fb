// What every `pmw` entry shares: the output sink, the boolean flags, and how an error is printed.
import { ApiError } from '../../shared/api/errors';
import { parseArgs, type ParsedArgs } from './args';
import { redactText } from '../../shared/redact/index';

export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** Input lines for interactive commands (pmw drill run); default: stdin. */
  lines?: AsyncIterable<string>;
}
export const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export const BOOLEAN_FLAGS = new Set(['json', 'help', 'version', 'no-build', 'drills', 'verified', 'open', 'accept', 'dry-run', 'include-secrets', 'finish', 'discard', 'list', 'csv', 'overdue', 'allow-exec', 'yes', 'all']);

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

/** The arguments, or null after printing why they do not parse. */
export function parseCommandLine(argv: string[], io: Io): ParsedArgs | null {
  try {
    return parseArgs(argv, BOOLEAN_FLAGS);
  } catch (e) {
    io.err(`pmw: ${(e as Error).message}\n`);
    return null;
  }
}

/** Every line the CLI prints passes through the redaction (text and --json alike). */
export function redacting(io: Io): Io {
  return { out: (s) => io.out(redactText(s)), err: (s) => io.err(redactText(s)), lines: io.lines };
}
