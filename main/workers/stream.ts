// Streaming a request body into a pool worker (the web host's uploads of new content): the body's
// pieces are gathered into 1 MB messages and moved (transferred) over a MessagePort; the worker
// acknowledges each, and the body is paused while more than 16 MB are unacknowledged. Nothing is
// spooled to disk first, so an upload writes its bytes once, into the blob file.
import type { Readable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import { ApiError } from '../../shared/api/errors';

const PIECE = 1024 * 1024;
const HIGH_WATER = 16 * 1024 * 1024;

/** Pump `body` into `port` until it ends (resolves) or is refused / interrupted (rejects; the worker is told to drop it). */
export function pumpToWorker(body: Readable, port: MessagePort, limit: number, what: string, job: Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    let inflight = 0;
    let seen = 0;
    let over = false;
    let gathered: Buffer[] = [];
    let gatheredBytes = 0;
    const send = () => {
      if (!gatheredBytes) return;
      const out = Buffer.allocUnsafeSlow(gatheredBytes);
      let off = 0;
      for (const b of gathered) {
        b.copy(out, off);
        off += b.length;
      }
      gathered = [];
      inflight += gatheredBytes;
      gatheredBytes = 0;
      const ab = out.buffer as ArrayBuffer;
      port.postMessage({ type: 'data', buf: ab }, [ab]);
      if (inflight > HIGH_WATER) body.pause();
    };
    const stop = (e: Error) => {
      if (over) return;
      over = true;
      body.removeListener('data', onData);
      try {
        port.postMessage({ type: 'abort', message: e.message });
      } catch {
        /* the worker is gone already */
      }
      body.resume();
      reject(e);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) return stop(new ApiError('TOO_LARGE', `${what} is over the ${(limit / 1048576).toFixed(0)} MB limit per artifact`, { limit }));
      gathered.push(chunk);
      gatheredBytes += chunk.length;
      if (gatheredBytes >= PIECE) send();
    };
    port.on('message', (m: { type: string; n?: number }) => {
      if (m.type !== 'ack') return;
      inflight -= m.n ?? 0;
      if (inflight <= HIGH_WATER / 2 && body.isPaused() && !over) body.resume();
    });
    job.catch((e) => stop(e instanceof Error ? e : new Error(String(e))));
    body.on('data', onData);
    body.once('end', () => {
      if (over) return;
      send();
      port.postMessage({ type: 'end' });
      resolve();
    });
    body.once('aborted', () => stop(new ApiError('CANCELLED', `the upload of ${what} was interrupted by the client`)));
    body.once('error', (e) => stop(e));
  });
}
