// Runbook cells that run and keep their output (issue 13). One runner for the desktop app
// (`runbook:run` on the incident's runbook) and `pmw run FILE.md`: the cell runs in the user's shell
// ($SHELL when it is sh-compatible, else /bin/sh) with a timeout and an output cap, in its own process
// group (a timeout stops everything it started). Exported variables and the working folder carry over
// to the next cell of the same session, as in Runme. Output is masked (shared/redact) before it is
// written anywhere. Nothing runs unless the caller names the exact command the user confirmed; the web
// host runs nothing unless started with --allow-exec.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import type { ParsedInput } from '../../shared/api/contract';
import { parseCells, writeCellOutput, type RunbookCell } from '../../shared/runbook-cells/index';
import { redactText } from '../../shared/redact/index';
import type { CellRun, RunbookRunResult } from '../../shared/runbook-cells/result';

export type { CellRun };

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_OUTPUT_BYTES = 64 * 1024;
const SH_COMPATIBLE = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash']);

/** The shell cells run in: $SHELL when sh-compatible, else /bin/sh. */
export function userShell(env: NodeJS.ProcessEnv = process.env): string {
  const s = env.SHELL;
  return s && SH_COMPATIBLE.has(basename(s)) ? s : '/bin/sh';
}

export function runTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.PMW_RUN_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_TIMEOUT_MS;
}
export function runOutputBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.PMW_RUN_OUTPUT_BYTES);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_OUTPUT_BYTES;
}

/** What carries from one cell to the next. */
export interface ShellSession {
  env: Record<string, string>;
  cwd: string;
}

export function newSession(cwd: string, env: NodeJS.ProcessEnv = process.env): ShellSession {
  return { env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)), cwd };
}

const ENV_SKIP = new Set(['PWD', 'OLDPWD', 'SHLVL', '_', '__PMW_STATE']);

/** Run one cell's command; updates `session` (exported env, cwd) when the shell got to its end. */
export function runCell(command: string, session: ShellSession, opts: { timeoutMs?: number; maxOutputBytes?: number; shell?: string } = {}): Promise<CellRun> {
  const shell = opts.shell ?? userShell(session.env);
  const timeoutMs = opts.timeoutMs ?? runTimeoutMs();
  const cap = opts.maxOutputBytes ?? runOutputBytes();
  const state = mkdtempSync(join(tmpdir(), 'pmw-run-'));
  const stateFile = join(state, 'env');
  // The EXIT trap records the exported environment and folder after the cell, whatever its exit.
  const script = `trap '__pmw_rc=$?; env -0 > "$__PMW_STATE" 2>/dev/null; printf %s "$PWD" > "$__PMW_STATE.pwd"; exit $__pmw_rc' EXIT\n${command}\n`;
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(shell, ['-c', script], { cwd: session.cwd, env: { ...session.env, __PMW_STATE: stateFile }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      rmSync(state, { recursive: true, force: true });
      return reject(new ApiError('INTERNAL', `cannot start ${shell}: ${(e as Error).message}`));
    }
    const chunks: Buffer[] = [];
    let kept = 0;
    let dropped = 0;
    const take = (b: Buffer) => {
      const room = cap - kept;
      if (room > 0) {
        const part = b.length > room ? b.subarray(0, room) : b;
        chunks.push(part);
        kept += part.length;
        dropped += b.length - part.length;
      } else dropped += b.length;
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    let stoppedBy: string | null = null;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child!.pid!, sig);
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      stoppedBy = 'timeout';
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 2000).unref();
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      rmSync(state, { recursive: true, force: true });
      reject(new ApiError('INTERNAL', `cannot run ${shell}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (!stoppedBy && signal) stoppedBy = signal;
      try {
        const env = readFileSync(stateFile, 'utf8');
        const next: Record<string, string> = {};
        for (const kv of env.split('\0')) {
          const i = kv.indexOf('=');
          if (i > 0 && !ENV_SKIP.has(kv.slice(0, i))) next[kv.slice(0, i)] = kv.slice(i + 1);
        }
        session.env = next;
        const pwd = readFileSync(`${stateFile}.pwd`, 'utf8');
        if (pwd) session.cwd = pwd;
      } catch {
        /* killed before the trap ran: the session stays as it was */
      }
      rmSync(state, { recursive: true, force: true });
      let text = Buffer.concat(chunks).toString('utf8');
      if (dropped) text += `${text.endsWith('\n') || !text ? '' : '\n'}[output cut at ${cap} bytes: ${dropped} more bytes not kept]\n`;
      if (stoppedBy === 'timeout') text += `${text.endsWith('\n') || !text ? '' : '\n'}[stopped after ${(timeoutMs / 1000).toFixed(timeoutMs < 10_000 ? 1 : 0)} s: timeout]\n`;
      resolve({ exitCode: stoppedBy ? null : code, stoppedBy, output: redactText(text), truncatedBytes: dropped, durationMs: Math.round(performance.now() - t0), startedAt, shell });
    });
  });
}

/** The markdown with the run's output block under cell `index`. */
export function keepOutput(markdown: string, index: number, run: CellRun): string {
  return writeCellOutput(markdown, index, { exitCode: run.exitCode, stoppedBy: run.stoppedBy, at: run.startedAt.replace(/\.\d+Z$/, 'Z'), durationMs: run.durationMs, text: run.output });
}

/** One line for the timeline. */
export function runSummary(cell: RunbookCell, run: CellRun, where: string): string {
  const cmd = cell.command.trim().split('\n');
  const shown = cmd[0].length > 200 || cmd.length > 1 ? `${cmd[0].slice(0, 200)}${cmd.length > 1 ? ` … (+${cmd.length - 1} lines)` : '…'}` : cmd[0];
  const how = run.stoppedBy === 'timeout' ? 'stopped by the timeout' : run.stoppedBy ? `ended by ${run.stoppedBy}` : `exit ${run.exitCode}`;
  return redactText(`Ran runbook cell ${cell.index}${cell.section ? ` (${cell.section})` : ''} of ${where}: \`${shown}\` → ${how} in ${(run.durationMs / 1000).toFixed(1)} s`);
}

export interface RunbookRunDeps {
  getRunbook(key: string): string;
  saveRunbook(key: string, content: string): void;
  addEvidence(key: string, body: string, occurredAt: string, sourceKey: string): number;
  addOutput(key: string, name: string, label: string, text: string): number;
  /** False on a web host started without --allow-exec. */
  allowExec: boolean;
}

/** `runbook:run`: a cell of the incident's runbook (doc kind "runbook"); sessions per incident. */
export class RunbookRunService {
  private sessions = new Map<string, ShellSession>();
  constructor(private deps: RunbookRunDeps) {}

  async run(input: ParsedInput<'runbook:run'>): Promise<RunbookRunResult> {
    if (!this.deps.allowExec) {
      throw new ApiError('VALIDATION', 'This web host runs no runbook cell: it was started without --allow-exec. Run the cell in a terminal (pmw run FILE.md --cell N), or restart with pmw serve --allow-exec.', { issues: [{ field: 'cell', message: 'execution is off on this host' }], exec: false });
    }
    const md = this.deps.getRunbook(input.key);
    const cell = parseCells(md).find((c) => c.index === input.cell);
    if (!cell) throw new ApiError('NOT_FOUND', `The runbook of ${input.key} has no shell cell ${input.cell}`, { issues: [{ field: 'cell', message: 'no such cell' }] });
    if (cell.command !== input.command) {
      throw new ApiError('CONFLICT', `Cell ${input.cell} of the runbook changed after you confirmed it; nothing was run. Look at the command again and confirm it.`, { issues: [{ field: 'command', message: 'not the cell\'s current command' }] });
    }
    if (input.resetSession) this.sessions.delete(input.key);
    const session = this.sessions.get(input.key) ?? newSession(homedir());
    this.sessions.set(input.key, session);
    const run = await runCell(cell.command, session, { timeoutMs: input.timeoutSeconds ? input.timeoutSeconds * 1000 : undefined });
    // The runbook may have been edited meanwhile: write the output under the same cell of the current text.
    const now = this.deps.getRunbook(input.key);
    const still = parseCells(now).find((c) => c.index === input.cell && c.command === cell.command);
    const kept = !!still;
    if (still) this.deps.saveRunbook(input.key, keepOutput(now, input.cell, run));
    const stamp = run.startedAt.replace(/[:.]/g, '-');
    const artifactId = this.deps.addOutput(input.key, `runbook-cell-${cell.index}-${stamp}.log`, `runbook cell ${cell.index}${cell.name ? ` ${cell.name}` : ''}`, `$ ${cell.command}\n${run.output}`);
    const eventId = this.deps.addEvidence(input.key, `${runSummary(cell, run, 'the runbook')}; output: artifact #${artifactId}`, run.startedAt, `runbook-run:${cell.index}:${run.startedAt}`);
    return { cell: cell.index, exitCode: run.exitCode, stoppedBy: run.stoppedBy, output: run.output, truncatedBytes: run.truncatedBytes, durationMs: run.durationMs, startedAt: run.startedAt, shell: run.shell, kept, artifactId, eventId };
  }
}
