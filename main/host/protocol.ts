// Messages between the Electron main process and the app-host worker, which owns the database,
// the blob store and the diff worker pool, so none of that runs on Electron's main thread.
import type { ApiErrorShape } from '../../shared/api/errors';
import type { Envelope } from '../../shared/api/transport';

export interface HostStart {
  dbPath: string;
  nativeBinding?: string;
  /** Restore this backup before opening (the user chose it after the database was refused as damaged). */
  restoreFirst?: string;
}

export type HostRequest = { id: number; type: 'dispatch'; channel: string; input: unknown } | { id: number; type: 'close' };

export type HostResponse =
  | { type: 'ready'; ok: true; restoredFrom?: { file: string; keptAside: string | null } }
  | { type: 'ready'; ok: false; error: ApiErrorShape }
  | { id: number; type: 'envelope'; envelope: Envelope<unknown> }
  | { id: number; type: 'closed' };
