// Messages between the pool and its workers.
import type { ArtifactKind } from '../../shared/diff/types';
import type { ApiErrorShape } from '../../shared/api/errors';
import type { MessagePort } from 'node:worker_threads';

export interface DiffSide {
  name: string;
  /** The bytes, or the content hash to read from the store (`source`) inside the worker. */
  bytes?: Uint8Array;
  sha256?: string;
  kind?: ArtifactKind;
}

/** Where a worker reads content-addressed blobs itself, so the main thread never copies them. */
export interface BlobSource {
  dbPath: string;
  nativeBinding?: string;
}

/** fingerprintKey: the database's key for the fingerprints of changed secrets (shared/redact). */
export type WorkerRequest =
  | { id: string; op: 'diff'; before: DiffSide; after: DiffSide; kind?: ArtifactKind; source?: BlobSource; fingerprintKey?: string }
  | { id: string; op: 'summarize'; side: DiffSide; kind: 'csv' | 'parquet' | 'schema'; source?: BlobSource }
  | { id: string; op: 'diffSummaries'; before: unknown; after: unknown; kind: 'csv' | 'parquet' | 'schema'; fingerprintKey?: string }
  /** Write a file into the blob file (own connection) and return what to index. */
  | { id: string; op: 'capture'; path: string; maxBytes: number; what: string; knownSha256?: string; source: BlobSource }
  /**
   * An upload streamed straight into the blob file: the bytes arrive on `port` as {type:'data', buf}
   * (acknowledged with {type:'ack', n}), then {type:'end'} or {type:'abort'}.
   */
  | { id: string; op: 'captureStream'; maxBytes: number; what: string; source: BlobSource; port: MessagePort }
  /** The health report on read-only connections (pmw doctor from a host). */
  | { id: string; op: 'doctor'; source: BlobSource }
  | { id: string; op: 'sleep'; ms: number }; // for tests of the pool itself

export type WorkerResponse =
  | { id: string; type: 'progress'; stage: string; fraction?: number }
  | { id: string; type: 'result'; result: unknown }
  | { id: string; type: 'error'; error: Partial<ApiErrorShape> & { message: string } };

/** A request before the pool gives it an id (distributive over the union). */
export type WorkerTask = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;
