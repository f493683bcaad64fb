// `api.call(channel, input)` for components: reads go straight to the host; writes run as mutations
// (so the mutation cache's CONFLICT handler sees them) and afterwards invalidate what they touched:
// everything under the incident they name (input `key`, or the `key` of the DrillState/Incident they
// return), incident lists, and drills. A write that returns the incident puts it in the cache at once.
import { MutationObserver } from '@tanstack/react-query';
import type { ApiClient, Channel, Input, Output } from '../../shared/api/contract';
import type { Incident } from '../../shared/domain';
import { api as host } from '../api/client';
import { qk } from './keys';
import { queryClient, type WriteMeta } from './queryClient';

/** Calls that change nothing stored. */
const READS = new Set<Channel>([
  'incident:get', 'incident:list', 'artifact:list', 'artifact:content', 'artifact:pairs', 'artifact:diff',
  'job:progress', 'job:cancel', 'finding:list', 'action:list', 'doc:get', 'stubs:generate', 'export:preview', 'export:list',
  'bundle:export', 'drill:scenarios', 'drill:get', 'drill:debrief', 'drill:history', 'drill:report', 'scenario:export', 'app:info',
  'backup:list', 'app:doctor',
  'search:query', 'incident:similar', 'stats:summary', 'stats:csv', 'action:backlog',
]);

export function isRead<C extends Channel>(channel: C, input: Input<C>): boolean {
  if (READS.has(channel)) return true;
  const i = input as { accept?: boolean; dryRun?: boolean } | undefined;
  if (channel === 'finding:suggest') return !i?.accept;
  if (channel === 'scenario:fromIncident') return !!i?.dryRun;
  if (channel === 'timeline:import') return !!i?.dryRun;
  return false;
}

const keyIn = (x: unknown): string | undefined => {
  const k = x && typeof x === 'object' ? (x as { key?: unknown }).key : undefined;
  return typeof k === 'string' ? k : undefined;
};
const isIncident = (x: unknown): x is Incident =>
  !!x && typeof x === 'object' && Array.isArray((x as Incident).phases) && Array.isArray((x as Incident).timeline) && typeof (x as Incident).key === 'string';

/** What a successful write changed, refreshed. Resolves when the active queries have been re-read. */
export async function afterWrite(channel: string, input: unknown, output: unknown): Promise<void> {
  const key = keyIn(input) ?? keyIn(output);
  const jobs: Promise<unknown>[] = [];
  if (key) {
    const fresh = isIncident(output) && output.key === key;
    if (fresh) queryClient.setQueryData(qk.record(key), output);
    jobs.push(queryClient.invalidateQueries({ queryKey: qk.incident(key), predicate: (q) => !(fresh && q.queryKey[2] === 'record') }));
  }
  jobs.push(queryClient.invalidateQueries({ queryKey: qk.lists() }));
  if (channel.startsWith('drill:') || channel.startsWith('scenario:') || channel.startsWith('incident:') || channel.startsWith('timeline:')) {
    jobs.push(queryClient.invalidateQueries({ queryKey: qk.drills() }));
  }
  await Promise.all(jobs);
}

export const api: ApiClient = {
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
    if (isRead(channel, input)) return host.call(channel, input);
    const meta: WriteMeta = { channel, incidentKey: keyIn(input) };
    const observer = new MutationObserver<Output<C>, unknown, void>(queryClient, {
      mutationFn: () => host.call(channel, input),
      meta,
      onSuccess: (out) => {
        void afterWrite(channel, input, out);
      },
    });
    return observer.mutate();
  },
};

/** Re-read everything shown about an incident now. */
export function refreshIncident(key: string): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: qk.incident(key) });
}
