// `pmw diff A B [--kind K] [--json]`: the semantic diff of two files; needs no database. Built as its
// own small bundle (dist/main/cli-diff.cjs) that the CLI entry loads for `pmw diff …`, so the command
// starts without loading the app (store, services, web host, drills).
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { diffArtifacts, diffPlacedTextArtifacts, detectKind, placeTextPair, resolvePairKind } from '../../shared/diff/index';
import type { DiffResult } from '../../shared/diff/types';
import { jobMemoryMb, WorkerPool } from '../workers/pool';
import { ARTIFACT_KINDS, SEVERITY_RANK, type ArtifactKind } from '../../shared/diff/types';
import { maxArtifactBytes } from '../services/artifacts';
import { str, type ParsedArgs } from './args';
import { cliRunner, interruptHooks, type Io } from './common';

export async function diffCommand(a: ParsedArgs, io: Io): Promise<number> {
  const [fa, fb] = [a.positionals[1], a.positionals[2]];
  if (!fa || !fb) throw new ApiError('VALIDATION', 'usage: pmw diff A B [--kind K] [--json]');
  const kindFlag = str(a.flags, 'kind');
  if (kindFlag !== undefined && !(ARTIFACT_KINDS as readonly string[]).includes(kindFlag)) {
    throw new ApiError('VALIDATION', `--kind must be one of ${ARTIFACT_KINDS.join(', ')}`, { issues: [{ field: 'kind', message: 'unknown kind' }] });
  }
  const fail = (p: string, e: unknown): never => {
    throw new ApiError('VALIDATION', `cannot read ${p}: ${(e as Error).message}`, { issues: [{ field: p === fa ? 'A' : 'B', message: (e as Error).message }] });
  };
  const sizeOf = (p: string): number => {
    try {
      const st = statSync(p);
      if (!st.isFile()) throw new Error('not a regular file');
      if (st.size > maxArtifactBytes()) throw new Error(`over the ${maxArtifactBytes()} byte limit`);
      return st.size;
    } catch (e) {
      return fail(p, e);
    }
  };
  const read = (p: string): Uint8Array => {
    sizeOf(p);
    try {
      return readFileSync(p); // a Buffer is a Uint8Array: no copy
    } catch (e) {
      return fail(p, e);
    }
  };
  const kind = kindFlag as ArtifactKind | undefined;
  let result: DiffResult | null = null;
  let bytes: [Uint8Array, Uint8Array] | null = null;
  // Plain text (declared, or files whose names say nothing else) is read straight into the text
  // kernel's memory and diffed there, without a copy of either file; whatever turns out not to be plain
  // text, or not to suit the byte path, goes on below with copies of the same bytes.
  if (kind === 'text' || (kind === undefined && namedAsText(fa) && namedAsText(fb))) {
    const sizes = [sizeOf(fa), sizeOf(fb)] as const;
    const pair = placeTextPair(sizes[0], sizes[1], (side, into) => {
      const p = side === 0 ? fa : fb;
      try {
        readExactly(p, into);
      } catch (e) {
        fail(p, e);
      }
    });
    if (pair) {
      const [va, vb] = pair.bytes();
      if (resolvePairKind(kind ?? detectKind(basename(fa), va), kind ?? detectKind(basename(fb), vb)) === 'text') result = diffPlacedTextArtifacts(pair);
      if (!result) bytes = pair.bytes().map((v) => v.slice()) as [Uint8Array, Uint8Array];
    }
  }
  if (!result) {
    const before = { name: basename(fa), bytes: bytes ? bytes[0] : read(fa), kind };
    const after = { name: basename(fb), bytes: bytes ? bytes[1] : read(fb), kind };
    const kb = before.kind ?? detectKind(before.name, before.bytes);
    const ka = after.kind ?? detectKind(after.name, after.bytes);
    // Plain text runs here: its engine is linear in the input with a bounded Myers budget. So does a
    // package-lock.json pair up to IN_PROCESS_LOCK_BYTES (see inProcess). Every other parsed kind runs in a
    // worker with a memory and time budget (PMW_JOB_MEMORY_MB, PMW_JOB_TIMEOUT_MS), so a hostile file ends
    // with a clear error and exit 2, not minutes of work and an out-of-memory crash.
    result = inProcess(resolvePairKind(kb, ka), before.bytes.length + after.bytes.length) ? diffArtifacts(before, after, { kind: before.kind }) : await diffInWorker(before, after);
  }
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

const NO_BYTES = new Uint8Array(0);

/** The file's name says no kind but plain text (detection by name alone: no content to sniff). */
const namedAsText = (p: string) => detectKind(basename(p), NO_BYTES) === 'text';

/** Fill `into` with the file's first into.length bytes (its size when it was stat-ed). */
function readExactly(p: string, into: Uint8Array): void {
  const fd = openSync(p, 'r');
  try {
    for (let off = 0; off < into.length; ) {
      const n = readSync(fd, into, off, into.length - off, off);
      if (n === 0) throw new Error('the file got shorter while it was read');
      off += n;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Both package-lock.json files together up to this many bytes are diffed in this process (issue 14:
 * starting a worker is most of the time of a lockfile diff in CI). Its engine cannot blow up: JSON.parse,
 * then one pass over the packages (linear; the v1 nested form is bounded in depth and path length, see
 * shared/diff/deps/npm.ts) and a diff over unique keys. Its memory is some 16× the input, far below the
 * job budget (PMW_JOB_MEMORY_MB) at this size; a smaller budget sends it to the worker as before.
 */
export const IN_PROCESS_LOCK_BYTES = 8 * 1024 * 1024;

function inProcess(kind: ArtifactKind | null, bytes: number): boolean {
  if (kind === 'text') return true;
  return kind === 'package-lock' && bytes <= Math.min(IN_PROCESS_LOCK_BYTES, (jobMemoryMb() * 1024 * 1024) / 32);
}

async function diffInWorker(before: { name: string; bytes: Uint8Array; kind?: ArtifactKind }, after: { name: string; bytes: Uint8Array; kind?: ArtifactKind }): Promise<DiffResult> {
  // Own buffers (not slices of Node's pool), so they move to the worker without a copy.
  const own = (b: Uint8Array) => (b.byteOffset === 0 && b.buffer.byteLength === b.length ? b : b.slice());
  const bb = own(before.bytes);
  const ab = own(after.bytes);
  const pool = new WorkerPool(1);
  const stop = () => void pool.close();
  interruptHooks.add(stop);
  try {
    return await pool.run<DiffResult>(
      { op: 'diff', before: { name: before.name, bytes: bb }, after: { name: after.name, bytes: ab }, kind: before.kind },
      undefined,
      [bb.buffer as ArrayBuffer, ab.buffer as ArrayBuffer],
    );
  } finally {
    interruptHooks.delete(stop);
    void pool.close();
  }
}

/** What the CLI entry runs for `pmw diff` (this module is its own bundle, dist/main/cli-diff.cjs). */
export const diff = cliRunner(diffCommand, { interruptMessage: '\npmw: interrupted — stopping the diff; nothing was written.\n' });
