// Worker thread: runs the pure diff engines from shared/ off the main thread.
import { parentPort } from 'node:worker_threads';
import { diffArtifacts } from '../../shared/diff/index';
import { diffDatasetSummaries, summarizeDataset, summaryTransferables, type DatasetSummary } from '../../shared/diff/dataset';
import Database from 'better-sqlite3';
import { redactDiffResult } from '../../shared/diff/redactResult';
import { withFingerprintKey } from '../../shared/redact/index';
import type { BlobSource, DiffSide, WorkerRequest, WorkerResponse } from './protocol';

/** One read-only connection per database, kept for the worker's life. */
const connections = new Map<string, Database.Database>();
function readBlob(source: BlobSource, sha256: string): Uint8Array {
  let db = connections.get(source.dbPath);
  if (!db) {
    db = new Database(source.dbPath, { readonly: true, fileMustExist: true, ...(source.nativeBinding ? { nativeBinding: source.nativeBinding } : {}) });
    db.pragma('busy_timeout = 5000');
    connections.set(source.dbPath, db);
  }
  const meta = db.prepare('SELECT size FROM blobs WHERE sha256 = ?').get(sha256) as { size: number } | undefined;
  if (!meta) throw Object.assign(new Error(`no stored content ${sha256.slice(0, 12)}`), { code: 'NOT_FOUND' });
  const out = new Uint8Array(meta.size);
  let off = 0;
  for (const row of db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY idx').iterate(sha256) as Iterable<{ data: Buffer }>) {
    out.set(row.data, off);
    off += row.data.length;
  }
  return out;
}

function bytesOf(side: DiffSide, source: BlobSource | undefined): Uint8Array {
  if (side.bytes) return side.bytes;
  if (!side.sha256 || !source) throw new Error(`no content for ${side.name}`);
  return readBlob(source, side.sha256);
}

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

const post = (m: WorkerResponse) => port.postMessage(m);

/**
 * PMW_WORKER_MIN_MS: the shortest time a diff job takes (the worker waits out the rest). Unset in
 * normal use; set it to see, demonstrate or test progress and cancel on small inputs. The wait
 * blocks only this worker, which job:cancel terminates.
 */
const MIN_JOB_MS = Number(process.env.PMW_WORKER_MIN_MS) || 0;
function waitOutMinimum(started: number) {
  const rest = MIN_JOB_MS - (Date.now() - started);
  if (rest > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, rest);
}

port.on('message', (req: WorkerRequest) => {
  const started = Date.now();
  try {
    if (req.op === 'sleep') {
      const end = Date.now() + req.ms;
      while (Date.now() < end) {
        /* busy on purpose: proves the main thread stays free */
      }
      post({ id: req.id, type: 'result', result: { slept: req.ms } });
      return;
    }
    if (req.op === 'summarize') {
      // One side of a large dataset diff: parse + profile here, the sorted columns travel back by transfer.
      post({ id: req.id, type: 'progress', stage: `reading ${req.side.name}` });
      let last = 0;
      let bytes: Uint8Array;
      try {
        bytes = bytesOf(req.side, req.source);
      } catch (e) {
        post({ id: req.id, type: 'error', error: { code: 'INTERNAL', message: (e as Error).message, details: { workerRead: true } } });
        return;
      }
      const summary = summarizeDataset({ name: req.side.name, bytes }, req.kind, {
        onProgress: (done) => {
          const now = Date.now();
          if (now - last < 200) return;
          last = now;
          post({ id: req.id, type: 'progress', stage: `profiling ${req.side.name}: ${done.toLocaleString('en')} rows` });
        },
      });
      waitOutMinimum(started);
      port.postMessage({ id: req.id, type: 'result', result: summary } satisfies WorkerResponse, summaryTransferables(summary));
      return;
    }
    if (req.op === 'diffSummaries') {
      post({ id: req.id, type: 'progress', stage: 'comparing profiles and drift' });
      const r = withFingerprintKey(req.fingerprintKey, () => redactDiffResult(diffDatasetSummaries(req.before as DatasetSummary, req.after as DatasetSummary, req.kind)));
      post({ id: req.id, type: 'result', result: r });
      return;
    }
    post({ id: req.id, type: 'progress', stage: `reading ${req.before.name} and ${req.after.name}` });
    let beforeBytes: Uint8Array;
    let afterBytes: Uint8Array;
    try {
      beforeBytes = bytesOf(req.before, req.source);
      afterBytes = bytesOf(req.after, req.source);
    } catch (e) {
      // The caller falls back to sending the bytes (e.g. the store cannot be opened from a worker).
      post({ id: req.id, type: 'error', error: { code: 'INTERNAL', message: (e as Error).message, details: { workerRead: true } } });
      return;
    }
    post({ id: req.id, type: 'progress', stage: `parsing and diffing ${req.before.name} → ${req.after.name}` });
    let last = 0;
    const result = withFingerprintKey(req.fingerprintKey, () => diffArtifacts(
      { name: req.before.name, bytes: beforeBytes, kind: req.before.kind },
      { name: req.after.name, bytes: afterBytes, kind: req.after.kind },
      {
        kind: req.kind,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - last < 200) return;
          last = now;
          post({ id: req.id, type: 'progress', stage: total > 0 ? `profiling: ${done} of ${total}` : `profiling: ${done.toLocaleString('en')} rows read`, fraction: total > 0 ? done / total : undefined });
        },
      },
    ));
    waitOutMinimum(started);
    post({ id: req.id, type: 'result', result });
  } catch (e) {
    const err = e as { code?: string; message?: string; details?: unknown };
    post({ id: req.id, type: 'error', error: { code: (err.code as never) ?? 'INTERNAL', message: err.message ?? String(e) } });
  }
});
