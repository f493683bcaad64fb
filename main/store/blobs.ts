// Content-addressed artifact bytes. The index (`blobs`: sha256 → size, set) lives in the incident
// database; the bytes live beside it in `<db>-blobs`, a second SQLite file with 64 KB pages in
// rollback-journal mode: appended pages are never journaled, so a capture writes each byte about once
// (WAL would write it twice), and a long capture never holds the incident database's write lock.
//
// A capture reads the file in 4 MB chunks, hashing as it goes, and writes them under their final key
// (a new set id) in short transactions of four chunks; the set is marked complete with its digest, and
// only then does the caller index it in `blobs` (the commit point). When a blob of the same size is
// stored already, the file is hashed first and nothing is written if the content is there. A writer
// killed half-way leaves a set no index row points to; `collectOrphans` removes those of dead writers.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Db } from './db';
import { binding, corruptError, createAtomically, inspectDbFile } from './db';
import { restrictDatabaseFiles } from './perms';
import { retryBusy, writeTx } from './tx';
import { OWNER, ownerAlive } from './cleanup';

export { OWNER, ownerAlive };
import { ApiError } from '../../shared/api/errors';

export const CHUNK_SIZE = 4 * 1024 * 1024;
/** Chunks per write transaction in the blob file (16 MB: short enough to let other blob writers in). */
export const CHUNKS_PER_TX = 4;
const READ_SIZE = 1024 * 1024;

/** The blob file that belongs to a database path. */
export function blobFilePath(dbPath: string): string {
  return dbPath === ':memory:' ? ':memory:' : `${dbPath}-blobs`;
}

export interface StoredBlob {
  sha256: string;
  size: number;
  /** True when the same content was already stored (nothing new written). */
  deduplicated: boolean;
}

/** The result of writing content into the blob file, before it is indexed. */
export interface Captured {
  sha256: string;
  size: number;
  /** The set holding the bytes; null when the content was already stored and nothing was written. */
  setId: number | null;
}

function tooLarge(size: number, max: number, what: string): ApiError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
  return new ApiError('TOO_LARGE', `${what} is ${mb(size)}, over the ${mb(max)} limit per artifact. Capture a sample, or raise the limit (PMW_MAX_ARTIFACT_BYTES).`, {
    size,
    limit: max,
  });
}

const BLOB_SCHEMA = `
CREATE TABLE sets (
  id         INTEGER PRIMARY KEY,
  sha256     TEXT,
  size       INTEGER,
  owner      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  complete   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE chunks (
  set_id INTEGER NOT NULL,
  idx    INTEGER NOT NULL,
  data   BLOB NOT NULL,
  PRIMARY KEY (set_id, idx)
);
`;

export interface BlobSetRow {
  id: number;
  sha256: string | null;
  size: number | null;
  owner: string;
  created_at: string;
  complete: number;
}

/** The blob file: one connection, reads and (unless read-only) writes. */
export class BlobFile {
  readonly db: Database.Database;

  constructor(
    readonly path: string,
    opts: { nativeBinding?: string; readonly?: boolean } = {},
  ) {
    if (path !== ':memory:') {
      let state = inspectDbFile(path);
      if (state === 'missing' && !opts.readonly) {
        createAtomically(path, (db) => BlobFile.init(db), opts.nativeBinding);
        state = inspectDbFile(path);
      }
      if (state === 'missing') throw new ApiError('NOT_FOUND', `No artifact store at ${path}`, { path });
      if (state !== 'sqlite') throw corruptError(path, state, state, null);
    }
    this.db = new Database(path, {
      readonly: !!opts.readonly,
      fileMustExist: path !== ':memory:',
      ...binding(opts.nativeBinding),
    });
    this.db.pragma('busy_timeout = 5000');
    if (path === ':memory:') BlobFile.init(this.db);
    else if (!opts.readonly) restrictDatabaseFiles(path); // owner-only, like the database (issue 8)
    if (!opts.readonly) {
      this.db.pragma('synchronous = FULL');
      // Room for a whole transaction's pages, so nothing spills (and locks) before the commit.
      this.db.pragma(`cache_size = -${Math.ceil((CHUNK_SIZE * (CHUNKS_PER_TX + 1)) / 1024)}`);
    }
  }

  static init(db: Database.Database): void {
    db.pragma('page_size = 65536');
    db.pragma('journal_mode = DELETE');
    db.exec(BLOB_SCHEMA);
    db.pragma('user_version = 1');
  }

  /** Start writing a new set; push bytes into it (or let it read them), then finish or abort. */
  startSet(maxBytes: number, what: string): SetWriter {
    return new SetWriter(this, maxBytes, what);
  }

  /**
   * Write content pulled from `read` (fills the buffer, returns the byte count, 0 at the end) under a
   * new set, hashing as it goes. A failure removes what was written.
   */
  write(read: (buf: Buffer) => number, maxBytes: number, what: string): { setId: number; sha256: string; size: number } {
    const w = this.startSet(maxBytes, what);
    try {
      while (w.readFrom(read) > 0) {
        /* next chunk */
      }
      return w.finish();
    } catch (e) {
      w.abort();
      throw e;
    }
  }

  /** The bytes of a set (the first `limit` of them), in order. */
  read(setId: number, size: number, limit = Infinity): Uint8Array {
    const total = Math.min(size, limit);
    const out = new Uint8Array(total);
    let off = 0;
    if (total === 0) return out;
    for (const row of this.db.prepare('SELECT data FROM chunks WHERE set_id = ? ORDER BY idx').iterate(setId) as Iterable<{ data: Buffer }>) {
      const n = Math.min(row.data.length, total - off);
      out.set(row.data.subarray(0, n), off);
      off += n;
      if (off >= total) break;
    }
    if (off < total) throw new ApiError('CORRUPT', `The artifact store ${this.path} is missing bytes of set ${setId} (${off} of ${total}). Run pmw doctor.`, { path: this.path, setId });
    return out;
  }

  /** Remove a set and its chunks (one short transaction per 16 chunks, so readers are never held long). */
  discard(setId: number): void {
    const del = this.db.prepare('DELETE FROM chunks WHERE rowid IN (SELECT rowid FROM chunks WHERE set_id = ? LIMIT 16)');
    while (writeTx(this.db, () => del.run(setId).changes) > 0) {
      /* next batch */
    }
    writeTx(this.db, () => this.db.prepare('DELETE FROM sets WHERE id = ?').run(setId));
  }

  sets(): BlobSetRow[] {
    return this.db.prepare('SELECT * FROM sets ORDER BY id').all() as BlobSetRow[];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * One set being written: bytes gather in a 4 MB chunk buffer, full chunks go into the blob file in
 * transactions of CHUNKS_PER_TX, hashed on the way; finish() marks the set complete with its digest.
 */
export class SetWriter {
  readonly setId: number;
  private buf = Buffer.allocUnsafe(CHUNK_SIZE);
  private fill = 0;
  private size = 0;
  private idx = 0;
  private open = false;
  private done = false;
  private hash = createHash('sha256');
  private insert;

  constructor(
    private file: BlobFile,
    private maxBytes: number,
    private what: string,
  ) {
    const db = file.db;
    this.setId = Number(writeTx(db, () => db.prepare('INSERT INTO sets (owner, created_at) VALUES (?, ?)').run(OWNER, new Date().toISOString()).lastInsertRowid));
    this.insert = db.prepare('INSERT INTO chunks (set_id, idx, data) VALUES (?, ?, ?)');
  }

  private grow(n: number) {
    this.size += n;
    if (this.size > this.maxBytes) throw tooLarge(this.size, this.maxBytes, this.what);
  }

  private flush() {
    if (!this.fill) return;
    const piece = this.buf.subarray(0, this.fill);
    this.hash.update(piece);
    if (!this.open) {
      retryBusy(() => this.file.db.exec('BEGIN IMMEDIATE'));
      this.open = true;
    }
    this.insert.run(this.setId, this.idx++, piece);
    this.fill = 0;
    if (this.idx % CHUNKS_PER_TX === 0) {
      retryBusy(() => this.file.db.exec('COMMIT'));
      this.open = false;
    }
  }

  /** Bytes that arrived (an upload streaming in). */
  push(data: Uint8Array): void {
    this.grow(data.length);
    let off = 0;
    while (off < data.length) {
      const n = Math.min(CHUNK_SIZE - this.fill, data.length - off);
      this.buf.set(data.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      if (this.fill === CHUNK_SIZE) this.flush();
    }
  }

  /** Fill the chunk buffer straight from `read` (a file: no extra copy); returns the bytes read, 0 at the end. */
  readFrom(read: (buf: Buffer) => number): number {
    let got = 0;
    while (this.fill < CHUNK_SIZE) {
      const n = read(this.buf.subarray(this.fill));
      if (n <= 0) break;
      this.fill += n;
      got += n;
    }
    this.grow(got);
    if (this.fill === CHUNK_SIZE) this.flush();
    return got;
  }

  finish(): { setId: number; sha256: string; size: number } {
    this.flush();
    const sha256 = this.hash.digest('hex');
    if (!this.open) retryBusy(() => this.file.db.exec('BEGIN IMMEDIATE'));
    this.open = true;
    this.file.db.prepare('UPDATE sets SET complete = 1, sha256 = ?, size = ? WHERE id = ?').run(sha256, this.size, this.setId);
    retryBusy(() => this.file.db.exec('COMMIT'));
    this.open = false;
    this.done = true;
    return { setId: this.setId, sha256, size: this.size };
  }

  /** Remove what was written (a failed or refused capture). */
  abort(): void {
    if (this.done) return;
    this.done = true;
    if (this.open && this.file.db.inTransaction) this.file.db.exec('ROLLBACK');
    this.open = false;
    try {
      this.file.discard(this.setId);
    } catch {
      /* collected later as an orphan */
    }
  }
}

/** Read a whole file in 1 MB pieces and hash it. */
function hashFile(fd: number, maxBytes: number, what: string): { sha256: string; size: number } {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(READ_SIZE);
  let size = 0;
  let pos = 0;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n <= 0) break;
    pos += n;
    size += n;
    if (size > maxBytes) throw tooLarge(size, maxBytes, what);
    h.update(buf.subarray(0, n));
  }
  return { sha256: h.digest('hex'), size };
}

/**
 * Capture a file into the blob file. `sameSize(size)` lists digests already indexed with that size:
 * when there are any, the file is hashed first, and nothing is written if its content is among them.
 * `knownSha256` (the web host hashed the upload while receiving it) skips that first pass.
 */
export function captureFile(
  file: BlobFile,
  path: string,
  maxBytes: number,
  what: string,
  sameSize: (size: number) => string[],
  knownSha256?: string,
): Captured {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ApiError('VALIDATION', `${what} is not a regular file`, { issues: [{ field: 'path', message: 'not a regular file' }] });
    if (st.size > maxBytes) throw tooLarge(st.size, maxBytes, what);
    const candidates = sameSize(st.size);
    if (candidates.length) {
      const digest = knownSha256 ?? hashFile(fd, maxBytes, what).sha256;
      if (candidates.includes(digest)) return { sha256: digest, size: st.size, setId: null };
    }
    let pos = 0;
    const w = file.write(
      (buf) => {
        const n = readSync(fd, buf, 0, buf.length, pos);
        pos += n;
        return n;
      },
      maxBytes,
      what,
    );
    return w;
  } finally {
    closeSync(fd);
  }
}

/** Capture bytes held in memory (pasted text, a bundle's artifacts). */
export function captureBytes(file: BlobFile, bytes: Uint8Array, maxBytes: number, what: string, has: (sha256: string) => boolean): Captured {
  if (bytes.length > maxBytes) throw tooLarge(bytes.length, maxBytes, what);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (has(sha256)) return { sha256, size: bytes.length, setId: null };
  let off = 0;
  return file.write(
    (buf) => {
      const n = Math.min(buf.length, bytes.length - off);
      buf.set(bytes.subarray(off, off + n));
      off += n;
      return n;
    },
    maxBytes,
    what,
  );
}

/** The index in the incident database plus the blob file: what services use. */
export class BlobStore {
  constructor(
    private db: Db,
    readonly file: BlobFile,
  ) {}

  has(sha256: string): boolean {
    return !!this.db.prepare('SELECT 1 FROM blobs WHERE sha256 = ?').get(sha256);
  }

  sameSize(size: number): string[] {
    return (this.db.prepare('SELECT sha256 FROM blobs WHERE size = ?').all(size) as { sha256: string }[]).map((r) => r.sha256);
  }

  /**
   * Index captured content (inside the caller's transaction, or in its own). When another writer
   * indexed the same content first, the duplicate set is removed.
   */
  commit(c: Captured): StoredBlob {
    if (c.setId === null) {
      if (!this.has(c.sha256)) throw new ApiError('CONFLICT', 'The stored content disappeared while it was being captured; try again.');
      return { sha256: c.sha256, size: c.size, deduplicated: true };
    }
    const setId = c.setId;
    const added = writeTx(this.db, () =>
      this.db
        .prepare('INSERT INTO blobs (sha256, size, chunk_size, created_at, store_set) VALUES (?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING')
        .run(c.sha256, c.size, CHUNK_SIZE, new Date().toISOString(), setId).changes,
    );
    if (!added) {
      this.abandon(c);
      return { sha256: c.sha256, size: c.size, deduplicated: true };
    }
    return { sha256: c.sha256, size: c.size, deduplicated: false };
  }

  /** Drop captured content that will not be indexed (the caller's transaction failed). */
  abandon(c: Captured): void {
    if (c.setId === null) return;
    const used = this.db.prepare('SELECT 1 FROM blobs WHERE store_set = ?').get(c.setId);
    if (!used) this.file.discard(c.setId);
  }

  captureFile(path: string, maxBytes: number, what = path, knownSha256?: string): Captured {
    return captureFile(this.file, path, maxBytes, what, (s) => this.sameSize(s), knownSha256);
  }

  captureBytes(bytes: Uint8Array, maxBytes: number, what = 'content'): Captured {
    return captureBytes(this.file, bytes, maxBytes, what, (s) => this.has(s));
  }

  /** Capture and index a file in this thread (the CLI; hosts use the worker pool). */
  putFile(path: string, maxBytes: number, what = path): StoredBlob {
    return this.commit(this.captureFile(path, maxBytes, what));
  }

  putBytes(bytes: Uint8Array, maxBytes: number, what = 'content'): StoredBlob {
    return this.commit(this.captureBytes(bytes, maxBytes, what));
  }

  /** Whole content (for the diff workers), or the first `limit` bytes. */
  read(sha256: string, limit = Infinity): Uint8Array {
    return readBlob(this.db, this.file, sha256, limit);
  }
}

/** Read a blob through an index connection and a blob-file connection (also used by the workers). */
export function readBlob(db: Database.Database, file: BlobFile, sha256: string, limit = Infinity): Uint8Array {
  const meta = db.prepare('SELECT size, store_set FROM blobs WHERE sha256 = ?').get(sha256) as { size: number; store_set: number | null } | undefined;
  if (!meta) throw new ApiError('NOT_FOUND', `No stored content ${sha256.slice(0, 12)}…`);
  if (meta.store_set !== null) return file.read(meta.store_set, meta.size, limit);
  // Captured before the blob file existed (schema < 6): the chunks are in the incident database.
  const total = Math.min(meta.size, limit);
  const out = new Uint8Array(total);
  let off = 0;
  for (const row of db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY idx').iterate(sha256) as Iterable<{ data: Buffer }>) {
    const n = Math.min(row.data.length, total - off);
    out.set(row.data.subarray(0, n), off);
    off += n;
    if (off >= total) break;
  }
  return out;
}

/**
 * Remove sets no index row points to whose writer is gone (killed mid-capture, or it lost a race for
 * the same content). Sets of live writers are left alone. Returns the number removed.
 */
export function collectOrphans(db: Db, file: BlobFile): { sets: number; bytes: number } {
  const referenced = new Set((db.prepare('SELECT store_set FROM blobs WHERE store_set IS NOT NULL').all() as { store_set: number }[]).map((r) => r.store_set));
  let sets = 0;
  let bytes = 0;
  for (const s of file.sets()) {
    if (referenced.has(s.id) || ownerAlive(s.owner)) continue;
    const n = (file.db.prepare('SELECT coalesce(sum(length(data)), 0) AS n FROM chunks WHERE set_id = ?').get(s.id) as { n: number }).n;
    file.discard(s.id);
    sets++;
    bytes += n;
  }
  return { sets, bytes };
}
