// Live drill state: a query on drill:get re-asked every second with sinceRevision (an unchanged drill
// costs one tiny answer and keeps the cached state), paused while the tab is hidden and re-read on
// focus; the drill incident (phases, timers, timeline) is re-read whenever the revision moves — the
// server bumps it on every change to the drill or its incident, whoever made it (the other tab, the CLI).
import { useCallback, useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Input } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import type { Incident } from '../../shared/domain';
import type { DrillState, DrillView } from '../../shared/drills/types';
import { api as host } from '../api/client';
import { api, refreshIncident } from '../data/api';
import { useIncidentQuery } from '../data/hooks';
import { qk } from '../data/keys';
import { useApiCall } from '../lib/useApiCall';
import type { IncidentChannel, IncidentCtx } from '../incident/ctx';

export const POLL_MS = 1000;

export interface LiveDrill {
  state: DrillState | null;
  error: ApiError | null;
  /** Take the state a drill:* call returned (older revisions are ignored). */
  accept: (s: DrillState) => void;
  /** Ask now (after an incident:* call, for instance). */
  pollNow: () => void;
}

/** Errors that asking again will not fix. */
const stops = (e: unknown) => ['NOT_FOUND', 'VALIDATION', 'UNAUTHORIZED'].includes(ApiError.from(e).code);

export function useLiveDrill(drillId: number, view: DrillView): LiveDrill {
  const queryClient = useQueryClient();
  const key = qk.drill(drillId, view);
  const q = useQuery({
    queryKey: key,
    queryFn: async () => {
      const have = queryClient.getQueryData<DrillState>(key);
      const s = await host.call('drill:get', { drillId, view, ...(have ? { sinceRevision: have.revision } : {}) });
      return s.unchanged ? have! : s;
    },
    refetchInterval: (query) => (query.state.error && stops(query.state.error) ? false : POLL_MS),
    retry: false,
  });

  const accept = useCallback(
    (s: DrillState) => {
      queryClient.setQueryData<DrillState>(qk.drill(drillId, view), (old) => (old && s.revision < old.revision ? old : s));
    },
    [queryClient, drillId, view],
  );
  const pollNow = useCallback(() => void queryClient.invalidateQueries({ queryKey: qk.drill(drillId, view) }), [queryClient, drillId, view]);
  return { state: q.data ?? null, error: q.error ? ApiError.from(q.error) : null, accept, pollNow };
}

/**
 * The drill incident as an IncidentCtx, so the incident page's components (phase stepper, gate panel,
 * timeline) run the drill's flow unchanged. Re-read when `revision` moves.
 */
export function useDrillIncident(key: string | null, revision: number | null, locked: boolean, onChanged?: () => void): IncidentCtx | null {
  const q = useIncidentQuery(key);
  const inc = q.data ?? null;

  useEffect(() => {
    if (key && revision !== null) void refreshIncident(key);
  }, [key, revision]);

  const refresh = useCallback(() => (key ? refreshIncident(key) : Promise.resolve()), [key]);

  const mutate = useCallback(
    async <C extends IncidentChannel>(channel: C, input: Omit<Input<C>, 'key'>) => {
      if (!key) throw new ApiError('INTERNAL', 'the drill is still loading');
      const next = (await api.call(channel, { ...input, key } as Input<C>)) as Incident;
      onChanged?.();
      return next;
    },
    [key, onChanged],
  );

  const call = useApiCall();

  if (!inc || inc.key !== key) return null;
  return { inc, readOnly: locked || inc.phase === 'closed', mutate, refresh, call };
}
