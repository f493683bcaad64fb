import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../main/app';
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
