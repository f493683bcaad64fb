// Argument parsing on node:util parseArgs, strict: each command (and subcommand) declares its flags
// (an options spec, see ./index.ts), and a flag it does not declare is an error that names the flag and
// the command and suggests the closest known flag — never silently dropped. Boolean flags take no value;
// a string flag needs one (`--x v` or `--x=v`; a value starting with "-" only as `--x=-v`).
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';

/** The flags of a command: parseArgs' options config (type 'string' | 'boolean', optional short). */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  positionals: string[];
  /** The flags given: a string flag's value, `true` for a boolean flag. */
  flags: Record<string, string | true>;
}

/** The typed flags of a spec: `{ title?: string; json?: true; … }` (for a command's implementation). */
export type FlagsOf<S extends OptionSpec> = { [K in keyof S]?: S[K]['type'] extends 'boolean' ? true : string };

/** Flags every command takes. */
export const GLOBAL_OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies OptionSpec;

/** A command line that does not parse; `flag` is the flag at fault (without dashes). */
export class ArgError extends Error {
  constructor(
    message: string,
    readonly flag?: string,
  ) {
    super(message);
  }
}

/**
 * Parse argv for one command. `command` names it in messages ("incident new"). Throws ArgError for an
 * unknown flag, a string flag without a value, a value given to a boolean flag. Values are never
 * echoed in a message (one may be a secret).
 */
export function parseCommandArgs(argv: string[], options: OptionSpec, command: string): ParsedArgs {
  const where = command ? ` for "pmw ${command}"` : '';
  // First a lenient pass for tokens, to name what is wrong precisely; then the strict parse itself.
  const { tokens = [] } = nodeParseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const spec = Object.hasOwn(options, t.name) ? options[t.name] : undefined;
    if (!spec) {
      const near = closest(t.name, Object.keys(options));
      throw new ArgError(`unknown flag ${t.rawName}${where}${near ? ` (did you mean --${near}?)` : ''}. Run "pmw --help" for the flags.`, t.name);
    }
    const flag = spec.short === t.name || t.rawName === `-${spec.short}` ? t.rawName : `--${t.name}`;
    if (spec.type === 'boolean' && t.value !== undefined) throw new ArgError(`flag ${flag}${where} takes no value`, t.name);
    if (spec.type === 'string') {
      if (t.value === undefined) throw new ArgError(`flag ${flag}${where} needs a value`, t.name);
      if (!t.inlineValue && t.value.length > 1 && t.value.startsWith('-')) {
        // The next word is a flag: the value is missing (or starts with "-" and must be attached).
        const hint = t.value.startsWith('--') ? '' : ` (one that starts with "-" is given as ${flag}=VALUE)`;
        throw new ArgError(`flag ${flag}${where} needs a value${hint}`, t.name);
      }
    }
  }
  try {
    const { values, positionals } = nodeParseArgs({ args: argv, options, strict: true, allowPositionals: true });
    const flags: Record<string, string | true> = {};
    for (const [k, v] of Object.entries(values)) {
      if (typeof v === 'string' || v === true) flags[k] = v;
      // A flag declared `multiple: true` (pmw capture --include A --include B) arrives comma-joined.
      else if (Array.isArray(v)) flags[k] = v.filter((x): x is string => typeof x === 'string').join(',');
    }
    return { positionals, flags };
  } catch (e) {
    throw new ArgError(`${(e as Error).message}${where}`);
  }
}

/** The known name nearest to `name` (edit distance, or a prefix), if near enough to be a typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = k.startsWith(name) || name.startsWith(k) ? Math.abs(k.length - name.length) * 0.5 : distance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  // Damerau-Levenshtein (optimal string alignment): a swapped pair of letters counts as one edit.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

export function str(flags: ParsedArgs['flags'], name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}
