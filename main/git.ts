// A small runner for the user's own `git` binary: argument arrays (never a shell string), a clean
// environment (no inherited GIT_DIR & co. that would point git at another repository), no prompts.
// PMW_GIT overrides the binary.
import { spawn } from 'node:child_process';
import { ApiError } from '../shared/api/errors';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as bytes (for blobs). */
  raw: Buffer;
}

export interface GitOptions {
  /** Extra environment variables for this call. */
  env?: Record<string, string>;
  /** Kill git after this long (default 2 minutes). */
  timeoutMs?: number;
  /** Bytes to write to git's stdin. */
  input?: string | Buffer;
}

/** Variables that would make git operate on something other than the repository at `cwd`. */
const LOCATING_VARS = [
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR', 'GIT_NAMESPACE', 'GIT_PREFIX', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_QUARANTINE_PATH', 'GIT_LITERAL_PATHSPECS', 'GIT_GLOB_PATHSPECS', 'GIT_NOGLOB_PATHSPECS', 'GIT_ICASE_PATHSPECS',
];

export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of LOCATING_VARS) delete env[k];
  return { ...env, GIT_TERMINAL_PROMPT: '0', ...extra };
}

export function gitBinary(): string {
  return process.env.PMW_GIT || 'git';
}

/** Run git in `cwd`; resolves with the exit code (never rejects on a non-zero exit). */
export function git(cwd: string, args: string[], opts: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(gitBinary(), args, { cwd, env: gitEnv(opts.env), windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      reject(notFound(e));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(notFound(e));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const raw = Buffer.concat(out);
      let stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) stderr += `\ngit ${args[0] ?? ''} did not finish within ${Math.round((opts.timeoutMs ?? 120_000) / 1000)} s and was stopped`;
      resolve({ code: code ?? (timedOut ? 124 : 1), stdout: raw.toString('utf8'), stderr, raw });
    });
    child.stdin.on('error', () => {
      /* git may exit before reading its input */
    });
    child.stdin.end(opts.input ?? '');
  });
}

function notFound(e: unknown): ApiError {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return new ApiError('INTERNAL', `git was not found (looked for "${gitBinary()}" on the PATH); install git or set PMW_GIT`);
  return new ApiError('INTERNAL', `could not run git: ${e instanceof Error ? e.message : String(e)}`);
}
