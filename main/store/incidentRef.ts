// The one incident-key → row-id lookup every service uses (NOT_FOUND, naming the key, when there is none).
import type { Db } from './db';
import { ApiError } from '../../shared/api/errors';
import { rows, type IdRow } from './rows';

/** The incident's row id; NOT_FOUND (field `key`) when no incident has that key. */
export function incidentIdOf(db: Db, key: string): number {
  const r = rows<IdRow>(db, 'SELECT id FROM incidents WHERE key = ?').get(key);
  if (!r) throw new ApiError('NOT_FOUND', `No incident ${key}`, { issues: [{ field: 'key', message: `no incident ${key}` }] });
  return r.id;
}
