// The renderer's one data-fetching and invalidation mechanism (TanStack Query). Reads are queries;
// every write goes through the mutation cache (renderer/data/api.ts), so one handler here answers a
// CONFLICT — the record changed elsewhere (another window, the CLI: a stale revision) or is closed — by
// reloading what is shown and saying so. The field that made the change keeps the typed text and shows
// the host's own message beside it.
import { MutationCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/errors';
import { notify } from '../lib/toast';
import { qk } from './keys';

export interface WriteMeta extends Record<string, unknown> {
  channel: string;
  /** The incident the write is about, when known from its input. */
  incidentKey?: string;
}

/** What the toast says about a refused write (CONFLICT), given the incident it was about. */
export function conflictNotice(err: ApiError, incidentKey?: string): string {
  const what = incidentKey ?? 'This incident';
  if (err.details?.stale) {
    return `${what} was changed elsewhere meanwhile, so your change was not saved. The page now shows the latest version; make the change again if it still applies.`;
  }
  if (err.details?.closed) {
    return `${what} is closed and read-only, so your change was not saved. The page now shows the closed record; reopen it (with a reason) to change it.`;
  }
  // Any other state refusal (a finished drill, a bundle from a newer version…): the host's own words.
  return err.message;
}

/** Errors a retry cannot fix (everything but a lost connection or an internal error). */
const final = (e: unknown) => ApiError.from(e).code !== 'INTERNAL';

export const queryClient = new QueryClient({
  mutationCache: new MutationCache({
    onError: (error, _vars, _ctx, mutation) => {
      const err = ApiError.from(error);
      if (err.code !== 'CONFLICT') return;
      const key = (mutation.meta as WriteMeta | undefined)?.incidentKey;
      if (key) void queryClient.invalidateQueries({ queryKey: qk.incident(key) });
      void queryClient.invalidateQueries({ queryKey: qk.drills() });
      void queryClient.invalidateQueries({ queryKey: qk.lists() });
      notify({ tone: 'error', message: conflictNotice(err, key) });
    },
  }),
  defaultOptions: {
    queries: {
      retry: (n, e) => !final(e) && n < 2,
      // Coming back to the window (the CLI or another window may have changed things) re-reads what is shown.
      refetchOnWindowFocus: true,
    },
    mutations: { retry: false, gcTime: 1_000 },
  },
});
