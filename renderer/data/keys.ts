// Query keys: everything about one incident lives under ['inc', KEY, …], so one invalidation after a
// write refreshes whatever is on screen for it (record, artifacts, findings, action items, saved marks).
import type { Input } from '../../shared/api/contract';

export const qk = {
  /** Every query about incident `key`. */
  incident: (key: string) => ['inc', key] as const,
  record: (key: string) => ['inc', key, 'record'] as const,
  artifacts: (key: string) => ['inc', key, 'artifacts'] as const,
  findings: (key: string) => ['inc', key, 'findings'] as const,
  actions: (key: string) => ['inc', key, 'actions'] as const,
  /** Incident lists, whatever the filters. */
  lists: () => ['incidents'] as const,
  list: (input: NonNullable<Input<'incident:list'>>) => ['incidents', input] as const,
  /** Every drill query. */
  drills: () => ['drill'] as const,
  drill: (id: number, view: string) => ['drill', id, view] as const,
  appInfo: () => ['app-info'] as const,
};
