// Find a Python interpreter that can run the generated regression tests (pytest + pandas).
import { spawnSync } from 'node:child_process';

/** Candidates in order: $PMW_PYTHON, /usr/bin/python3 (Debian's python3-pytest / python3-pandas), python3 on PATH. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  const fromEnv = env.PMW_PYTHON?.trim();
  if (fromEnv) out.push(fromEnv);
  for (const c of ['/usr/bin/python3', 'python3']) if (!out.includes(c)) out.push(c);
  return out;
}

const cache = new Map<string, string | null>();

/** True when `python` runs and can import every module in `modules`. */
export function pythonCanImport(python: string, modules: string[], timeoutMs = 30_000): boolean {
  const r = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore', timeout: timeoutMs, windowsHide: true });
  return !r.error && r.status === 0;
}

/**
 * The first candidate that can `import pytest, pandas`, or null when there is none.
 * The answer is cached per PMW_PYTHON value for the life of the process.
 */
export function findPython(env: NodeJS.ProcessEnv = process.env): string | null {
  const key = env.PMW_PYTHON ?? '';
  if (cache.has(key)) return cache.get(key)!;
  let found: string | null = null;
  for (const c of pythonCandidates(env)) {
    if (pythonCanImport(c, ['pytest', 'pandas'])) {
      found = c;
      break;
    }
  }
  cache.set(key, found);
  return found;
}
