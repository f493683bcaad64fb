// The Electron main process's handle on the app-host worker: dispatch(channel, input) → envelope,
// the same shape as App.dispatch. A worker that dies fails its pending calls with INTERNAL and is
// started again on the next call.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, type ApiErrorShape } from '../../shared/api/errors';
import type { Envelope } from '../../shared/api/transport';
import type { HostRequest, HostResponse, HostStart } from './protocol';

export function appHostScript(): string {
  const candidates = [process.env.PMW_APP_HOST_SCRIPT, join(__dirname, 'app-host.cjs'), join(__dirname, '..', '..', 'dist', 'main', 'app-host.cjs')].filter(
    (x): x is string => !!x,
  );
  // Packaged: worker_threads cannot start a script inside app.asar; electron-builder unpacks it.
  const unpacked = candidates.map((p) => p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2'));
  const found = [...unpacked, ...candidates].find((p) => existsSync(p));
  if (!found) throw new ApiError('INTERNAL', `app host bundle not found (looked in ${candidates.join(', ')}); run "npm run build:main"`);
  return found;
}

export class StartError extends Error {
  constructor(readonly error: ApiErrorShape) {
    super(error.message);
  }
}

export class RemoteApp {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, (m: HostResponse) => void>();
  private starting: Promise<void> | null = null;
  restoredFrom: { file: string; keptAside: string | null } | undefined;

  private constructor(private start: HostStart) {}

  /** Start the worker and open the database; rejects with StartError (e.g. code CORRUPT) when it cannot. */
  static async open(start: HostStart): Promise<RemoteApp> {
    const r = new RemoteApp(start);
    await r.boot();
    r.start = { dbPath: start.dbPath, nativeBinding: start.nativeBinding };
    return r;
  }

  private boot(): Promise<void> {
    if (this.starting) return this.starting;
    this.starting = new Promise<void>((resolve, reject) => {
      const w = new Worker(appHostScript(), { workerData: this.start });
      let ready = false;
      w.on('message', (m: HostResponse) => {
        if (m.type === 'ready') {
          ready = true;
          if (m.ok) {
            this.worker = w;
            this.restoredFrom = m.restoredFrom;
            resolve();
          } else {
            void w.terminate();
            reject(new StartError(m.error));
          }
          return;
        }
        const done = this.pending.get(m.id);
        if (done) {
          this.pending.delete(m.id);
          done(m);
        }
      });
      const fail = (why: string) => {
        if (this.worker === w) this.worker = null;
        this.starting = null;
        if (!ready) reject(new StartError({ code: 'INTERNAL', message: why }));
        for (const [id, done] of this.pending) {
          this.pending.delete(id);
          done({ id, type: 'envelope', envelope: { ok: false, error: { code: 'INTERNAL', message: `The database worker stopped (${why}); try again.` } } });
        }
      };
      w.on('error', (e) => fail(e.message));
      w.on('exit', (code) => fail(`exit code ${code}`));
    });
    return this.starting;
  }

  private async send(m: Omit<HostRequest, 'id'>): Promise<HostResponse> {
    if (!this.worker) await this.boot();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker!.postMessage({ ...m, id } as HostRequest);
    });
  }

  async dispatch(channel: string, input: unknown): Promise<Envelope<unknown>> {
    try {
      const m = await this.send({ type: 'dispatch', channel, input } as Omit<HostRequest, 'id'>);
      return m.type === 'envelope' ? m.envelope : { ok: false, error: { code: 'INTERNAL', message: 'unexpected answer from the database worker' } };
    } catch (e) {
      return { ok: false, error: ApiError.from(e).toJSON() };
    }
  }

  /** Close the database (checkpointing the WAL) and end the worker; waits at most `timeoutMs`. */
  async close(timeoutMs = 3000): Promise<void> {
    const w = this.worker;
    if (!w) return;
    await Promise.race([this.send({ type: 'close' }), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    this.worker = null;
    await w.terminate().catch(() => undefined);
  }
}
