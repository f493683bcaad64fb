// The renderer's one data-fetching and invalidation mechanism (TanStack Query). Reads are queries;
// every write goes through the mutation cache (renderer/data/api.ts), so one handler here answers a
// CONFLICT — the record changed elsewhere (another window, the CLI) or is closed — by reloading what
// is shown and saying so.
import { MutationCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/errors';
import { notify } from '../lib/toast';
import { qk } from './keys';

export interface WriteMeta extends Record<string, unknown> {
  channel: string;
  /** The incident the write is about, when known from its input. */
  incidentKey?: string;
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
      notify({ tone: 'error', message: `${err.message} — reloaded${key ? ` ${key}` : ''} to show the latest.` });
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
