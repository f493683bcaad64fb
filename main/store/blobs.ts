// Content-addressed bytes: sha256 → chunks. Written in one transaction from a file read in
// fixed-size pieces, so a large artifact is never held whole in memory (nor sent to the renderer).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Db } from './db';
import { ApiError } from '../../shared/api/errors';

export const CHUNK_SIZE = 4 * 1024 * 1024;

export interface StoredBlob {
  sha256: string;
  size: number;
  /** True when the same content was already stored (nothing new written). */
  deduplicated: boolean;
}

function tooLarge(size: number, max: number, what: string): ApiError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
  return new ApiError('TOO_LARGE', `${what} is ${mb(size)}, over the ${mb(max)} limit per artifact. Capture a sample, or raise the limit (PMW_MAX_ARTIFACT_BYTES).`, {
    size,
    limit: max,
  });
}

export class BlobStore {
  constructor(private db: Db) {}

  has(sha256: string): boolean {
    return !!this.db.prepare('SELECT 1 FROM blobs WHERE sha256 = ?').get(sha256);
  }

  /**
   * Stream a file into the store. Must be called inside the caller's transaction (or it opens one):
   * chunks go under a temporary key and are renamed to the digest at the end; a duplicate is dropped.
   */
  putFile(path: string, maxBytes: number, what = path): StoredBlob {
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new ApiError('VALIDATION', `${what} is not a regular file`, { issues: [{ field: 'path', message: 'not a regular file' }] });
      if (st.size > maxBytes) throw tooLarge(st.size, maxBytes, what);
      return this.put((buf) => readSync(fd, buf, 0, buf.length, null), maxBytes, what);
    } finally {
      closeSync(fd);
    }
  }

  putBytes(bytes: Uint8Array, maxBytes: number, what = 'content'): StoredBlob {
    if (bytes.length > maxBytes) throw tooLarge(bytes.length, maxBytes, what);
    let off = 0;
    return this.put((buf) => {
      const n = Math.min(buf.length, bytes.length - off);
      buf.set(bytes.subarray(off, off + n));
      off += n;
      return n;
    }, maxBytes, what);
  }

  private put(read: (buf: Buffer) => number, maxBytes: number, what: string): StoredBlob {
    const tmp = `tmp-${randomBytes(12).toString('hex')}`;
    const hash = createHash('sha256');
    const insert = this.db.prepare('INSERT INTO blob_chunks (sha256, idx, data) VALUES (?, ?, ?)');
    const run = this.db.transaction((): StoredBlob => {
      const buf = Buffer.allocUnsafe(CHUNK_SIZE);
      let size = 0;
      let idx = 0;
      for (;;) {
        // Fill a whole chunk (reads may return less).
        let filled = 0;
        while (filled < CHUNK_SIZE) {
          const n = read(buf.subarray(filled));
          if (n <= 0) break;
          filled += n;
        }
        if (filled === 0) break;
        size += filled;
        if (size > maxBytes) throw tooLarge(size, maxBytes, what);
        const piece = buf.subarray(0, filled);
        hash.update(piece);
        insert.run(tmp, idx++, Buffer.from(piece));
        if (filled < CHUNK_SIZE) break;
      }
      const sha256 = hash.digest('hex');
      if (this.has(sha256)) {
        this.db.prepare('DELETE FROM blob_chunks WHERE sha256 = ?').run(tmp);
        return { sha256, size, deduplicated: true };
      }
      this.db.prepare('UPDATE blob_chunks SET sha256 = ? WHERE sha256 = ?').run(sha256, tmp);
      this.db.prepare('INSERT INTO blobs (sha256, size, chunk_size, created_at) VALUES (?, ?, ?, ?)').run(sha256, size, CHUNK_SIZE, new Date().toISOString());
      return { sha256, size, deduplicated: false };
    });
    return run();
  }

  /** Whole content (for the diff workers), or the first `limit` bytes. */
  read(sha256: string, limit = Infinity): Uint8Array {
    const meta = this.db.prepare('SELECT size FROM blobs WHERE sha256 = ?').get(sha256) as { size: number } | undefined;
    if (!meta) throw new ApiError('NOT_FOUND', `No stored content ${sha256.slice(0, 12)}…`);
    const total = Math.min(meta.size, limit);
    const out = new Uint8Array(total);
    let off = 0;
    for (const row of this.db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY idx').iterate(sha256) as Iterable<{ data: Buffer }>) {
      const n = Math.min(row.data.length, total - off);
      out.set(row.data.subarray(0, n), off);
      off += n;
      if (off >= total) break;
    }
    return out;
  }
}
