// `pmw diff A B [--kind K] [--json]`: the semantic diff of two files; needs no database. Also built
// as its own small bundle (dist/main/cli-diff.cjs, entry `main` below) that bin/pmw.cjs loads for
// `pmw diff …`, so the command starts without loading the app (store, services, web host, drills).
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { diffArtifacts } from '../../shared/diff/index';
import { ARTIFACT_KINDS, SEVERITY_RANK, type ArtifactKind } from '../../shared/diff/types';
import { maxArtifactBytes } from '../services/artifacts';
import { str, type ParsedArgs } from './args';
import { parseCommandLine, printError, redacting, stdio, type Io } from './common';

export async function diffCommand(a: ParsedArgs, io: Io): Promise<number> {
  const [fa, fb] = [a.positionals[1], a.positionals[2]];
  if (!fa || !fb) throw new ApiError('VALIDATION', 'usage: pmw diff A B [--kind K] [--json]');
  const kindFlag = str(a.flags, 'kind');
  if (kindFlag !== undefined && !(ARTIFACT_KINDS as readonly string[]).includes(kindFlag)) {
    throw new ApiError('VALIDATION', `--kind must be one of ${ARTIFACT_KINDS.join(', ')}`, { issues: [{ field: 'kind', message: 'unknown kind' }] });
  }
  const read = (p: string): Uint8Array => {
    try {
      const st = statSync(p);
      if (!st.isFile()) throw new Error('not a regular file');
      if (st.size > maxArtifactBytes()) throw new Error(`over the ${maxArtifactBytes()} byte limit`);
      return readFileSync(p); // a Buffer is a Uint8Array: no copy
    } catch (e) {
      throw new ApiError('VALIDATION', `cannot read ${p}: ${(e as Error).message}`, { issues: [{ field: p === fa ? 'A' : 'B', message: (e as Error).message }] });
    }
  };
  const result = diffArtifacts({ name: basename(fa), bytes: read(fa) }, { name: basename(fb), bytes: read(fb) }, { kind: kindFlag as ArtifactKind | undefined });
  const serious = result.changes.some((c) => SEVERITY_RANK[c.severity] >= SEVERITY_RANK.warning);
  const pe = result.parseError;
  if (a.flags.json === true) {
    io.out(JSON.stringify({ kind: result.kind, changes: result.changes, problems: result.problems, noSemanticChange: result.noSemanticChange, ...(pe ? { parseError: pe } : {}) }, null, 2) + '\n');
  } else {
    for (const p of result.problems) io.err(`${p.side ? `${p.side === 'before' ? fa : fb}:` : ''}${p.line ? `${p.line}:${p.column ?? 1}: ` : ' '}${p.message}\n`);
    // One write for the whole listing (thousands of changes would otherwise be thousands of writes).
    let out = result.changes.length ? '' : result.noSemanticChange ? `No semantic change (${result.kind}).\n` : `No changes (${result.kind}).\n`;
    for (const c of result.changes) out += `${c.severity.toUpperCase().padEnd(8)} ${c.failureClass.padEnd(14)} ${c.message}\n`;
    io.out(out);
  }
  if (pe) {
    // A declared or detected kind that does not parse is an error, not "no change": exit 2 with where.
    const file = pe.side === 'before' ? fa : pe.side === 'after' ? fb : `${fa} or ${fb}`;
    io.err(`pmw: cannot parse ${file}${pe.line ? `:${pe.line}${pe.column ? `:${pe.column}` : ''}` : ''} as ${result.kind}: ${pe.message}${a.flags.json === true ? '' : ' (the changes above are a redacted text diff)'}\n`);
    return 2;
  }
  return serious ? 1 : 0;
}

/** Entry of the standalone bundle: argv after `pmw` (starting with "diff"). */
export async function main(argv: string[], rawIo: Io = stdio): Promise<number> {
  const io = redacting(rawIo);
  const a = parseCommandLine(argv, io);
  if (!a) return 2;
  try {
    return await diffCommand(a, io);
  } catch (e) {
    return printError(e, a.flags.json === true, io);
  }
}
