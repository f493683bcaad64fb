// The app-host worker (dist/main/app-host.cjs): createApp() in a worker thread. The Electron main
// process forwards each IPC call here and gets the envelope back; the database, blob capture, backups
// and the diff pool (nested workers) never block the thread that draws windows and menus.
import { parentPort, workerData } from 'node:worker_threads';
import { createApp, type App } from '../app';
import { restoreBackup } from '../store/backup';
import { ApiError } from '../../shared/api/errors';
import type { HostRequest, HostResponse, HostStart } from './protocol';

const port = parentPort;
if (!port) throw new Error('appWorker.ts must run in a worker thread');
const post = (m: HostResponse) => port.postMessage(m);
const start = workerData as HostStart;

let app: App | null = null;
try {
  let restoredFrom: { file: string; keptAside: string | null } | undefined;
  if (start.restoreFirst) {
    const r = restoreBackup(start.dbPath, start.restoreFirst, { nativeBinding: start.nativeBinding });
    restoredFrom = { file: start.restoreFirst, keptAside: r.keptAside };
  }
  app = createApp({ dbPath: start.dbPath, host: 'electron', ...(start.nativeBinding ? { nativeBinding: start.nativeBinding } : {}) });
  post({ type: 'ready', ok: true, ...(restoredFrom ? { restoredFrom } : {}) });
} catch (e) {
  post({ type: 'ready', ok: false, error: ApiError.from(e).toJSON() });
}

port.on('message', (m: HostRequest) => {
  if (m.type === 'close') {
    try {
      app?.close();
    } finally {
      app = null;
      post({ id: m.id, type: 'closed' });
      port.close();
    }
    return;
  }
  if (!app) {
    post({ id: m.id, type: 'envelope', envelope: { ok: false, error: new ApiError('INTERNAL', 'The database is not open.').toJSON() } });
    return;
  }
  app.dispatch(m.channel, m.input).then(
    (envelope) => post({ id: m.id, type: 'envelope', envelope }),
    (e) => post({ id: m.id, type: 'envelope', envelope: { ok: false, error: ApiError.from(e).toJSON() } }),
  );
});
