// Worker thread: runs the pure diff engines from shared/ off the main thread.
import { parentPort } from 'node:worker_threads';
import { diffArtifacts } from '../../shared/diff/index';
import type { WorkerRequest, WorkerResponse } from './protocol';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

const post = (m: WorkerResponse) => port.postMessage(m);

port.on('message', (req: WorkerRequest) => {
  try {
    if (req.op === 'sleep') {
      const end = Date.now() + req.ms;
      while (Date.now() < end) {
        /* busy on purpose: proves the main thread stays free */
      }
      post({ id: req.id, type: 'result', result: { slept: req.ms } });
      return;
    }
    post({ id: req.id, type: 'progress', stage: `parsing and diffing ${req.before.name} → ${req.after.name}` });
    let last = 0;
    const result = diffArtifacts(
      { name: req.before.name, bytes: req.before.bytes, kind: req.before.kind },
      { name: req.after.name, bytes: req.after.bytes, kind: req.after.kind },
      {
        kind: req.kind,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - last < 200) return;
          last = now;
          post({ id: req.id, type: 'progress', stage: total > 0 ? `profiling: ${done} of ${total}` : `profiling: ${done.toLocaleString('en')} rows read`, fraction: total > 0 ? done / total : undefined });
        },
      },
    );
    post({ id: req.id, type: 'result', result });
  } catch (e) {
    const err = e as { code?: string; message?: string; details?: unknown };
    post({ id: req.id, type: 'error', error: { code: (err.code as never) ?? 'INTERNAL', message: err.message ?? String(e) } });
  }
});
