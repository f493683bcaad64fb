// `pmw run FILE.md [--cell N | --all] [--yes] [--incident KEY] [--timeout S]` (issue 13): run the `sh`
// cells of a Markdown runbook, each only after the user has seen the exact command and confirmed it
// (or passed --yes), and keep each output under its cell in the file. `--all` stops at the first failing
// cell and exits 1. Exported variables and the folder carry over from cell to cell. With --incident,
// each run is also a timeline evidence event with its output stored as an artifact (`record`).
import { readFileSync, renameSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { basename, dirname, resolve } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { parseCells, type RunbookCell } from '../../shared/runbook-cells/index';
import { keepOutput, newSession, runCell, runSummary, userShell, type CellRun } from '../services/runbookRun';
import type { Io } from './common';

export interface RunOptions {
  file: string;
  cell?: number;
  all: boolean;
  yes: boolean;
  timeoutSeconds?: number;
  json: boolean;
  /** Called after each run inside an incident (timeline evidence + output artifact). */
  record?: (cell: RunbookCell, run: CellRun, summary: string) => Promise<void>;
}

async function* stdinLines(): AsyncIterable<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const l of rl) yield l;
  } finally {
    rl.close();
  }
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.pmw-tmp`;
  try {
    writeFileSync(tmp, text, { mode: statSync(path).mode & 0o777 });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new ApiError('INTERNAL', `cannot write ${path}: ${(e as Error).message}`);
  }
}

export async function runCommand(o: RunOptions, io: Io): Promise<number> {
  const path = resolve(o.file);
  let md: string;
  try {
    md = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ApiError('VALIDATION', `cannot read ${o.file}: ${(e as Error).message}`, { issues: [{ field: 'FILE', message: 'not readable' }] });
  }
  const cells = parseCells(md);
  if (o.cell !== undefined && o.all) throw new ApiError('VALIDATION', 'give --cell N or --all, not both');
  if (o.cell === undefined && !o.all) {
    if (o.json) io.out(JSON.stringify(cells.map((c) => ({ index: c.index, name: c.name, section: c.section, command: c.command, lastExit: c.output?.exitCode ?? null, lastRun: c.output?.at ?? null })), null, 2) + '\n');
    else if (!cells.length) io.out(`${o.file} has no sh cells.\n`);
    else for (const c of cells) io.out(`${String(c.index).padStart(3)}  ${(c.section ?? '').padEnd(14)} ${c.command.split('\n')[0].slice(0, 100)}${c.output ? `   (last: exit ${c.output.exitCode ?? 'none'} at ${c.output.at})` : ''}\n`);
    return 0;
  }
  if (o.cell !== undefined && !cells.some((c) => c.index === o.cell)) {
    throw new ApiError('VALIDATION', `${o.file} has no cell ${o.cell} (it has ${cells.length} sh cell${cells.length === 1 ? '' : 's'})`, { issues: [{ field: 'cell', message: 'no such cell' }] });
  }
  const todo = o.all ? cells : cells.filter((c) => c.index === o.cell);
  const session = newSession(dirname(path));
  const shell = userShell();
  const lines = (io.lines ?? stdinLines())[Symbol.asyncIterator]();
  const results: { cell: number; exitCode: number | null; stoppedBy: string | null; durationMs: number }[] = [];
  for (const cell of todo) {
    io.err(`\nCell ${cell.index}${cell.section ? ` (${cell.section})` : ''}${cell.name ? ` ${cell.name}` : ''} — runs in ${shell}:\n${cell.command.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
    if (!o.yes) {
      io.err('Run it? [y/N] ');
      const answer = await lines.next();
      if (answer.done || !/^y(es)?$/i.test(answer.value.trim())) {
        io.err(answer.done ? 'Not run: no answer (stdin closed). Pass --yes to run without asking.\n' : 'Not run.\n');
        return 1;
      }
    }
    const run = await runCell(cell.command, session, { timeoutMs: o.timeoutSeconds ? o.timeoutSeconds * 1000 : undefined, shell });
    // Write the output into the file as it is now (read again: it may have been edited meanwhile).
    const current = readFileSync(path, 'utf8');
    const same = parseCells(current).find((c) => c.index === cell.index && c.command === cell.command);
    if (same) writeAtomic(path, keepOutput(current, cell.index, run));
    else io.err(`pmw: cell ${cell.index} of ${o.file} changed while it ran; its output is not written into the file\n`);
    if (!o.json) io.out(run.output + (run.output.endsWith('\n') || !run.output ? '' : '\n'));
    const how = run.stoppedBy === 'timeout' ? 'stopped by the timeout' : run.stoppedBy ? `ended by ${run.stoppedBy}` : `exit ${run.exitCode}`;
    io.err(`→ ${how} in ${(run.durationMs / 1000).toFixed(1)} s${same ? `; output kept under cell ${cell.index} in ${basename(path)}` : ''}\n`);
    if (o.record) await o.record(cell, run, runSummary(cell, run, basename(path)));
    results.push({ cell: cell.index, exitCode: run.exitCode, stoppedBy: run.stoppedBy, durationMs: run.durationMs });
    if (run.exitCode !== 0) {
      if (o.all && cell !== todo[todo.length - 1]) io.err(`Stopped at cell ${cell.index}: it failed (${how}); the cells after it did not run.\n`);
      if (o.json) io.out(JSON.stringify({ file: path, results, stoppedAt: cell.index }, null, 2) + '\n');
      return 1;
    }
  }
  if (o.json) io.out(JSON.stringify({ file: path, results, stoppedAt: null }, null, 2) + '\n');
  return 0;
}
