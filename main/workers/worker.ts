// Worker thread: runs the pure diff engines from shared/ off the main thread.
import { parentPort } from 'node:worker_threads';
import { diffArtifacts } from '../../shared/diff/index';
import { diffDatasetSummaries, summarizeDataset, summaryTransferables, type DatasetSummary } from '../../shared/diff/dataset';
import Database from 'better-sqlite3';
import { redactDiffResult } from '../../shared/diff/redactResult';
import { withFingerprintKey } from '../../shared/redact/index';
import { BlobFile, blobFilePath, captureFile, readBlob as readStored } from '../store/blobs';
import { binding } from '../store/db';
import { runDoctor } from '../store/doctor';
import type { BlobSource, DiffSide, WorkerRequest, WorkerResponse } from './protocol';

/** One read-only index connection per database, and one blob-file connection (read or write), kept for the worker's life. */
const connections = new Map<string, Database.Database>();
const blobFiles = new Map<string, BlobFile>();
function indexOf(source: BlobSource): Database.Database {
  let db = connections.get(source.dbPath);
  if (!db) {
    db = new Database(source.dbPath, { readonly: true, fileMustExist: true, ...binding(source.nativeBinding) });
    db.pragma('busy_timeout = 5000');
    connections.set(source.dbPath, db);
  }
  return db;
}
function blobFileOf(source: BlobSource, write: boolean): BlobFile {
  const key = `${write ? 'w' : 'r'}:${source.dbPath}`;
  let f = blobFiles.get(key);
  if (!f) {
    f = new BlobFile(blobFilePath(source.dbPath), { nativeBinding: source.nativeBinding, readonly: !write });
    blobFiles.set(key, f);
  }
  return f;
}
function readBlob(source: BlobSource, sha256: string): Uint8Array {
  return readStored(indexOf(source), blobFileOf(source, false), sha256);
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
    if (req.op === 'capture') {
      // The bytes go into the blob file from here; the main thread only indexes the result.
      const db = indexOf(req.source);
      const sameSize = (size: number) => (db.prepare('SELECT sha256 FROM blobs WHERE size = ?').all(size) as { sha256: string }[]).map((r) => r.sha256);
      post({ id: req.id, type: 'progress', stage: `capturing ${req.what}` });
      const result = captureFile(blobFileOf(req.source, true), req.path, req.maxBytes, req.what, sameSize, req.knownSha256);
      post({ id: req.id, type: 'result', result });
      return;
    }
    if (req.op === 'captureStream') {
      // Bytes arrive on the port as the upload streams in; each chunk is acknowledged (the host's backpressure).
      const w = blobFileOf(req.source, true).startSet(req.maxBytes, req.what);
      const p = req.port;
      const fail = (e: unknown) => {
        w.abort();
        p.close();
        const err = e as { code?: string; message?: string; details?: Record<string, unknown> };
        const ours = ['TOO_LARGE', 'CANCELLED', 'BUSY', 'CORRUPT'].includes(err.code ?? '');
        post({ id: req.id, type: 'error', error: { code: ours ? (err.code as never) : 'INTERNAL', message: err.message ?? String(e), ...(ours && err.details ? { details: err.details } : {}) } });
      };
      p.on('message', (m: { type: 'data'; buf: ArrayBuffer } | { type: 'end' } | { type: 'abort'; message: string }) => {
        try {
          if (m.type === 'data') {
            w.push(new Uint8Array(m.buf));
            p.postMessage({ type: 'ack', n: m.buf.byteLength });
          } else if (m.type === 'end') {
            const result = w.finish();
            p.close();
            post({ id: req.id, type: 'result', result });
          } else fail(Object.assign(new Error(m.message), { code: 'CANCELLED' }));
        } catch (e) {
          fail(e);
        }
      });
      return;
    }
    if (req.op === 'doctor') {
      post({ id: req.id, type: 'progress', stage: 'checking the database' });
      let blobDb: Database.Database | null = null;
      try {
        blobDb = blobFileOf(req.source, false).db;
      } catch {
        /* reported as missing by the check */
      }
      post({ id: req.id, type: 'result', result: runDoctor({ db: indexOf(req.source), blobDb, dbPath: req.source.dbPath, canCheckpoint: false }) });
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
    const err = e as { code?: string; message?: string; details?: Record<string, unknown> };
    // Only our own codes cross (an SQLITE_* or errno code would be meaningless to a user).
    const ours = ['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'TOO_LARGE', 'CANCELLED', 'BUSY', 'CORRUPT'].includes(err.code ?? '');
    post({ id: req.id, type: 'error', error: { code: ours ? (err.code as never) : 'INTERNAL', message: err.message ?? String(e), ...(ours && err.details ? { details: err.details } : {}) } });
  }
});
