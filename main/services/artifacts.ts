// Artifacts: capture (file path, pasted text, streamed upload), list, content for the editor,
// pairing, and semantic diffs run in the worker pool with a content-keyed cache.
import { basename, isAbsolute, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { Db } from '../store/db';
import { writeTx } from '../store/tx';
import type { BlobStore, Captured } from '../store/blobs';
import type { WorkerPool } from '../workers/pool';
import type { BlobSource } from '../workers/protocol';
import { ApiError } from '../../shared/api/errors';
import type { ParsedInput } from '../../shared/api/contract';
import {
  DEFAULT_MAX_ARTIFACT_BYTES, MAX_DISPLAY_BYTES, proposePairs,
  type Artifact, type ArtifactContent, type ArtifactPair, type ArtifactRole, type DiffView,
} from '../../shared/artifacts';
import type { ArtifactKind, DiffResult } from '../../shared/diff/types';
import { decodeText, detectKind } from '../../shared/diff/detect';
import { redactDetailed, redactText } from '../../shared/redact/index';
import { sanitizeFileName } from '../../shared/limits';
import { incidentIdOf } from '../store/incidentRef';
import { rows, toArtifact, type ArtifactRow, type DiffCacheRow } from '../store/rows';
import { expandCapture, looksLikeCapture } from './captureIngest';

/** Bump when an engine's output changes, so cached diffs are recomputed. */
export const DIFF_ENGINE_VERSION = 3; // 2: results redacted (issue 8); 3: env-fingerprint kind (issue 13)
const SNIFF_BYTES = 64 * 1024;
/** From this combined size on, a dataset diff profiles its two sides in two workers at once. */
export const PARALLEL_DATASET_BYTES = 8 * 1024 * 1024;

/** The sorted numeric columns of a dataset summary, moved (not copied) between threads. */
function transferablesOf(summary: unknown): ArrayBuffer[] {
  const cols = (summary as { columns?: { sorted?: { buffer?: unknown } }[] }).columns ?? [];
  const out = new Set<ArrayBuffer>();
  for (const c of cols) if (c.sorted?.buffer instanceof ArrayBuffer) out.add(c.sorted.buffer);
  return [...out];
}

export function maxArtifactBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.PMW_MAX_ARTIFACT_BYTES);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_MAX_ARTIFACT_BYTES;
}

/** Where a file's bytes are written: in this thread, or by a pool worker with its own connection. */
export type CaptureRunner = (path: string, maxBytes: number, what: string, knownSha256?: string) => Captured | Promise<Captured>;

export class ArtifactService {
  constructor(
    private db: Db,
    readonly blobs: BlobStore,
    private pool: () => WorkerPool,
    private maxBytes = maxArtifactBytes(),
    private now: () => string = () => new Date().toISOString(),
    /** Lets workers read blobs from the store themselves (null: send bytes). */
    private blobSource: BlobSource | null = null,
    /** How files are captured (default: in this thread). Hosts pass a worker so a large file never blocks them. */
    private capture: CaptureRunner = (path, max, what, sha) => blobs.captureFile(path, max, what, sha),
    /** The database's fingerprint key (shared/redact), sent with each diff job. */
    private fingerprintKey?: string,
  ) {}

  private incidentId(key: string): number {
    return incidentIdOf(this.db, key);
  }

  private row(key: string, id: number, includeDeleted = false): ArtifactRow {
    const iid = this.incidentId(key);
    const r = rows<ArtifactRow>(this.db, `SELECT * FROM artifacts WHERE id = ? AND incident_id = ?${includeDeleted ? '' : ' AND deleted_at IS NULL'}`).get(id, iid);
    if (!r) throw new ApiError('NOT_FOUND', `No artifact ${id} on ${key}`, { issues: [{ field: 'id', message: `no artifact ${id}` }] });
    return r;
  }

  get(key: string, id: number): Artifact {
    return toArtifact(this.row(key, id));
  }

  list(key: string): Artifact[] {
    const iid = this.incidentId(key);
    return rows<ArtifactRow>(this.db, 'SELECT * FROM artifacts WHERE incident_id = ? AND deleted_at IS NULL ORDER BY captured_at, id').all(iid).map(toArtifact);
  }

  private insert(iid: number, a: { role: ArtifactRole; label?: string; name: string; kind?: ArtifactKind; sourcePath: string | null }, blob: { sha256: string; size: number }): Artifact {
    const head = this.blobs.read(blob.sha256, SNIFF_BYTES);
    // Whatever the source (upload, dropped file, pasted name), the stored name is safe to show and write.
    a = { ...a, name: sanitizeFileName(a.name, 'artifact') };
    const detected = detectKind(a.name, head);
    const info = this.db
      .prepare(
        `INSERT INTO artifacts (incident_id, role, label, name, kind, detected_kind, size, sha256, source_path, captured_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(iid, a.role, (a.label ?? '').trim(), a.name, a.kind ?? detected, detected, blob.size, blob.sha256, a.sourcePath, this.now());
    this.db.prepare('UPDATE incidents SET updated_at = ? WHERE id = ?').run(this.now(), iid);
    return toArtifact(rows<ArtifactRow>(this.db, 'SELECT * FROM artifacts WHERE id = ?').get(info.lastInsertRowid)!);
  }

  /**
   * Capture a file from disk (Electron dialog/drop, CLI, web upload temp file). Streams; never loads it
   * whole. The bytes go into the blob file first (no lock on the incident database meanwhile); the
   * index row and the artifact row are then written in one short transaction.
   */
  async addPath(input: ParsedInput<'artifact:addPath'>, displayName?: string, knownSha256?: string): Promise<Artifact> {
    this.incidentId(input.key);
    const path = isAbsolute(input.path) ? input.path : resolve(input.path);
    if (!existsSync(path)) throw new ApiError('VALIDATION', `File not found: ${input.path}`, { issues: [{ field: 'path', message: 'file not found' }] });
    if (!statSync(path).isFile()) throw new ApiError('VALIDATION', `Not a file: ${input.path}`, { issues: [{ field: 'path', message: 'not a regular file' }] });
    const name = displayName ?? basename(path);
    const captured = await this.capture(path, this.maxBytes, name, knownSha256);
    return this.index(input, captured, { ...input, name, sourcePath: displayName ? null : path });
  }

  /** Index bytes a worker captured from a stream (the web host's upload of new content). */
  addCaptured(input: ParsedInput<'artifact:addPath'>, name: string, captured: Captured): Artifact {
    return this.index(input, captured, { ...input, name, sourcePath: null });
  }

  /** Refuse early (before a byte is streamed) when the incident does not exist. */
  requireIncident(key: string): void {
    this.incidentId(key);
  }

  /** Capture pasted text. */
  addText(input: ParsedInput<'artifact:addText'>): Artifact {
    this.incidentId(input.key);
    const captured = this.blobs.captureBytes(new TextEncoder().encode(input.text), this.maxBytes, input.name);
    return this.index(input, captured, { ...input, sourcePath: null });
  }

  /** Index captured bytes and add the artifact row; if that fails, the captured bytes are dropped. */
  private index(input: { key: string }, captured: Captured, a: Parameters<ArtifactService['insert']>[1]): Artifact {
    if (!a.kind && this.isCapture(captured)) return this.indexCapture(input, captured, a);
    try {
      return writeTx(this.db, () => {
        const iid = this.incidentId(input.key);
        const blob = this.blobs.commit(captured);
        return this.insert(iid, a, blob);
      });
    } catch (e) {
      this.blobs.abandon(captured);
      throw e;
    }
  }

  private bytesOf(c: Captured, limit = Infinity): Uint8Array {
    return c.setId !== null ? this.blobs.file.read(c.setId, c.size, limit) : this.blobs.read(c.sha256, limit);
  }

  private isCapture(c: Captured): boolean {
    return c.size > 30 && looksLikeCapture(this.bytesOf(c, 64));
  }

  /**
   * A capture file (issue 13): one artifact per collected part, labelled by the part, in one
   * transaction; the container's own bytes are dropped. The answer is the first part, with `expanded`
   * listing all and `captureMissing` what the capture could not collect.
   */
  private indexCapture(input: { key: string }, captured: Captured, a: Parameters<ArtifactService['insert']>[1]): Artifact {
    let parts: Captured[] = [];
    try {
      const x = expandCapture(this.bytesOf(captured), a.name);
      parts = x.parts.map((p) => this.blobs.captureBytes(p.bytes, this.maxBytes, `${a.name}: ${p.name}`));
      const rows = writeTx(this.db, () => {
        const iid = this.incidentId(input.key);
        return x.parts.map((p, i) => this.insert(iid, { role: a.role, label: p.label, name: p.name, kind: p.kind, sourcePath: a.sourcePath ? `${a.sourcePath}#${p.name}` : null }, this.blobs.commit(parts[i])));
      });
      return { ...rows[0], expanded: rows, captureMissing: x.missing };
    } catch (e) {
      for (const p of parts) this.blobs.abandon(p);
      throw e;
    } finally {
      this.blobs.abandon(captured);
    }
  }

  update(input: ParsedInput<'artifact:update'>): Artifact {
    return writeTx(this.db, () => {
      const r = this.row(input.key, input.id);
      this.db
        .prepare('UPDATE artifacts SET role = ?, label = ?, kind = ? WHERE id = ?')
        .run(input.role ?? r.role, input.label !== undefined ? input.label.trim() : r.label, input.kind ?? r.kind, r.id);
      return this.get(input.key, input.id);
    });
  }

  remove(key: string, id: number): { id: number } {
    return writeTx(this.db, () => {
      const r = this.row(key, id);
      this.db.prepare('UPDATE artifacts SET deleted_at = ? WHERE id = ?').run(this.now(), r.id);
      return { id };
    });
  }

  restore(key: string, id: number): Artifact {
    return writeTx(this.db, () => {
      const r = this.row(key, id, true);
      this.db.prepare('UPDATE artifacts SET deleted_at = NULL WHERE id = ?').run(r.id);
      return this.get(key, id);
    });
  }

  /**
   * The text for the editor: secrets masked (shared/redact) unless `reveal` (artifact:reveal, which the
   * app allows only on the desktop host and logs on the timeline).
   */
  content(key: string, id: number, opts: { reveal?: boolean } = {}): ArtifactContent {
    const a = this.get(key, id);
    const base = { id: a.id, size: a.size, sha256: a.sha256 };
    if (a.kind === 'binary' || a.kind === 'parquet') return { ...base, binary: true, text: null, truncated: false, problems: [], masked: 0, maskedLines: [], revealed: false };
    const bytes = this.blobs.read(a.sha256, MAX_DISPLAY_BYTES);
    const decoded = decodeText(bytes);
    const r = redactDetailed(decoded.text, { fileName: a.name });
    return {
      ...base,
      binary: false,
      text: opts.reveal ? decoded.text : r.text,
      truncated: a.size > MAX_DISPLAY_BYTES,
      problems: decoded.problems.map((p) => ({ message: redactText(p.message), line: p.line, column: p.column })),
      masked: r.masked.length,
      maskedLines: [...new Set(r.masked.map((m) => m.line))].slice(0, 1000),
      revealed: !!opts.reveal,
    };
  }

  /** The whole unmasked text of a text artifact (for hashing a secret of it; never sent anywhere), or null. */
  rawText(key: string, id: number): string | null {
    const a = this.get(key, id);
    if (a.kind === 'binary' || a.kind === 'parquet') return null;
    return decodeText(this.blobs.read(a.sha256)).text;
  }

  pairs(key: string): ArtifactPair[] {
    return proposePairs(this.list(key));
  }

  /**
   * Where the work happens: workers read the blobs from the store themselves (the main thread copies
   * nothing); a large dataset pair is profiled one side per worker, then compared. When a worker cannot
   * open the store, the bytes are sent instead.
   */
  private async runDiff(before: Artifact, after: Artifact, kind: ArtifactKind | undefined, jobId?: string): Promise<DiffResult> {
    const src = this.blobSource;
    const id = jobId ?? `diff-${before.id}-${after.id}-${Date.now().toString(36)}`;
    if (src && (kind === 'csv' || kind === 'parquet') && before.size + after.size >= PARALLEL_DATASET_BYTES) {
      try {
        const [sb, sa] = await Promise.all([
          this.pool().run<unknown>({ op: 'summarize', side: { name: before.name, sha256: before.sha256 }, kind, source: src }, `${id}.before`),
          this.pool().run<unknown>({ op: 'summarize', side: { name: after.name, sha256: after.sha256 }, kind, source: src }, `${id}.after`),
        ]);
        return await this.pool().run<DiffResult>({ op: 'diffSummaries', before: sb, after: sa, kind, fingerprintKey: this.fingerprintKey }, id, [...transferablesOf(sb), ...transferablesOf(sa)]);
      } catch (e) {
        if (e instanceof ApiError && e.code === 'CANCELLED') throw e;
        // fall through to the one-worker path
      }
    }
    const side = (a: Artifact, withBytes: boolean) => ({ name: a.name, kind: a.kind, ...(withBytes ? { bytes: this.blobs.read(a.sha256) } : { sha256: a.sha256 }) });
    if (src) {
      try {
        return await this.pool().run<DiffResult>({ op: 'diff', before: side(before, false), after: side(after, false), kind, source: src, fingerprintKey: this.fingerprintKey }, id);
      } catch (e) {
        if (!(e instanceof ApiError && e.details?.workerRead)) throw e;
      }
    }
    return this.pool().run<DiffResult>({ op: 'diff', before: side(before, true), after: side(after, true), kind, fingerprintKey: this.fingerprintKey }, id);
  }

  async diff(input: ParsedInput<'artifact:diff'>): Promise<DiffView> {
    const before = this.get(input.key, input.beforeId);
    const after = this.get(input.key, input.afterId);
    const kind = input.kind ?? (before.kind === after.kind ? before.kind : undefined);
    const cacheKind = kind ?? `${before.kind}|${after.kind}`;
    const cached = rows<DiffCacheRow>(this.db, 'SELECT result FROM diff_cache WHERE before_sha = ? AND after_sha = ? AND kind = ? AND engine_version = ?')
      .get(before.sha256, after.sha256, cacheKind, DIFF_ENGINE_VERSION);
    if (cached) return { ...(JSON.parse(cached.result) as DiffResult), before, after, elapsedMs: 0, cached: true };
    const t0 = performance.now();
    const result = await this.runDiff(before, after, kind, input.jobId);
    const elapsedMs = Math.round(performance.now() - t0);
    writeTx(this.db, () =>
      this.db
        .prepare('INSERT OR REPLACE INTO diff_cache (before_sha, after_sha, kind, engine_version, result, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(before.sha256, after.sha256, cacheKind, DIFF_ENGINE_VERSION, JSON.stringify(result), this.now()),
    );
    return { ...result, before, after, elapsedMs, cached: false };
  }
}
