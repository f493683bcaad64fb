// Messages between the pool and its workers.
import type { ArtifactKind } from '../../shared/diff/types';
import type { ApiErrorShape } from '../../shared/api/errors';

export interface DiffSide {
  name: string;
  bytes: Uint8Array;
  kind?: ArtifactKind;
}

export type WorkerRequest =
  | { id: string; op: 'diff'; before: DiffSide; after: DiffSide; kind?: ArtifactKind }
  | { id: string; op: 'sleep'; ms: number }; // for tests of the pool itself

export type WorkerResponse =
  | { id: string; type: 'progress'; stage: string; fraction?: number }
  | { id: string; type: 'result'; result: unknown }
  | { id: string; type: 'error'; error: Partial<ApiErrorShape> & { message: string } };

/** A request before the pool gives it an id (distributive over the union). */
export type WorkerTask = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;
