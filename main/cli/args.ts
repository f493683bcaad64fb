// Small, strict argument parser: flags (--x v, --x=v, boolean flags) and positionals.
import { ApiError } from '../../shared/api/errors';

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
}

export function parseArgs(argv: string[], booleanFlags: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq === -1 ? undefined : eq);
      if (!name) throw new ApiError('VALIDATION', `bad flag "${a}"`);
      if (eq !== -1) flags[name] = a.slice(eq + 1);
      else if (booleanFlags.has(name)) flags[name] = true;
      else {
        const v = argv[i + 1];
        if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new ApiError('VALIDATION', `flag --${name} needs a value`, { issues: [{ field: name, message: 'needs a value' }] });
        flags[name] = v;
        i++;
      }
    } else if (a === '-h') flags.help = true;
    else positionals.push(a);
  }
  return { positionals, flags };
}

export function str(flags: ParsedArgs['flags'], name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}
