import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createApp, type App } from '../../main/app';
import { ApiError } from '../../shared/api/errors';
import type { Clock } from '../../main/services/incidents';

export function tempDir(prefix = 'pmw-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock tests can move forward. */
export class ManualClock implements Clock {
  constructor(public t = Date.parse('2026-11-22T03:00:00.000Z')) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
}

export function tempApp(clock?: Clock): { app: App; dbPath: string; dir: string; cleanup(): void } {
  const t = tempDir();
  const dbPath = join(t.dir, 'workbench.db');
  const app = createApp({ dbPath, host: 'cli', clock });
  return {
    app,
    dbPath,
    dir: t.dir,
    cleanup: () => {
      try {
        app.close();
      } catch {
        /* already closed */
      }
      t.cleanup();
    },
  };
}

/** An app on a temp database with a manual clock; `cleanups` (run afterEach) gets its cleanup. */
export function clockedApp(cleanups: (() => void)[]): { app: App; clock: ManualClock } {
  const clock = new ManualClock();
  const t = tempApp(clock);
  cleanups.push(t.cleanup);
  return { app: t.app, clock };
}

/** Expect the promise to fail with an ApiError of `code`; returns the error. */
export async function rejects(p: Promise<unknown>, code: string): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(ApiError.from(e).code).toBe(code);
    return ApiError.from(e);
  }
  throw new Error(`expected ${code}`);
}
