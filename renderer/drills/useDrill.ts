// Live drill state: drill:get every second with sinceRevision (an unchanged drill costs one tiny
// answer), paused while the tab is hidden and resumed on focus; the drill incident (phases, timers,
// timeline) is re-read whenever the revision moves — the server bumps it on every change to the drill
// or its incident, whoever made it (the other tab, the CLI).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Channel, Input } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import type { Incident } from '../../shared/domain';
import type { DrillState, DrillView } from '../../shared/drills/types';
import { api } from '../api/client';
import { useToast } from '../lib/toast';
import { useApiCall } from '../lib/useApiCall';
import type { IncidentChannel, IncidentCtx } from '../incident/IncidentPage';

export const POLL_MS = 1000;

export interface LiveDrill {
  state: DrillState | null;
  error: ApiError | null;
  /** Take the state a drill:* call returned (older revisions are ignored). */
  accept: (s: DrillState) => void;
  /** Ask now (after an incident:* call, for instance). */
  pollNow: () => void;
}

export function useLiveDrill(drillId: number, view: DrillView): LiveDrill {
  const [state, setState] = useState<DrillState | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const rev = useRef<number | null>(null);
  const wake = useRef<() => void>(() => undefined);

  const accept = useCallback((s: DrillState) => {
    if (rev.current !== null && s.revision < rev.current) return;
    rev.current = s.revision;
    setState(s);
    setError(null);
  }, []);

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    let stopped = false; // not found: no point asking again
    rev.current = null;
    setState(null);
    setError(null);

    const visible = () => document.visibilityState !== 'hidden';
    const loop = async () => {
      timer = undefined;
      if (!alive || running || stopped) return;
      running = true;
      try {
        const s = await api.call('drill:get', { drillId, view, ...(rev.current !== null ? { sinceRevision: rev.current } : {}) });
        if (alive && !s.unchanged) accept(s);
        else if (alive) setError(null);
      } catch (e) {
        const err = ApiError.from(e);
        if (alive) setError(err);
        if (err.code === 'NOT_FOUND' || err.code === 'VALIDATION' || err.code === 'UNAUTHORIZED') stopped = true;
      } finally {
        running = false;
      }
      if (alive && visible() && !stopped && timer === undefined) timer = setTimeout(() => void loop(), POLL_MS);
    };
    const resume = () => {
      if (!alive || !visible()) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      void loop();
    };
    wake.current = resume;
    void loop();
    document.addEventListener('visibilitychange', resume);
    window.addEventListener('focus', resume);
    return () => {
      alive = false;
      if (timer !== undefined) clearTimeout(timer);
      document.removeEventListener('visibilitychange', resume);
      window.removeEventListener('focus', resume);
    };
  }, [drillId, view, accept]);

  const pollNow = useCallback(() => wake.current(), []);
  return { state, error, accept, pollNow };
}

/**
 * The drill incident as an IncidentCtx, so the incident page's components (phase stepper, gate panel,
 * timeline) run the drill's flow unchanged. Re-read when `revision` moves.
 */
export function useDrillIncident(key: string | null, revision: number | null, locked: boolean, onChanged?: () => void): IncidentCtx | null {
  const toast = useToast();
  const [inc, setInc] = useState<Incident | null>(null);
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    if (!key) return;
    const my = ++seq.current;
    try {
      const got = await api.call('incident:get', { key });
      if (my === seq.current) setInc(got);
    } catch (e) {
      if (my === seq.current) toast({ message: ApiError.from(e).message, tone: 'error' });
    }
  }, [key, toast]);

  useEffect(() => {
    void refresh();
  }, [refresh, revision]);

  const mutate = useCallback(
    async <C extends IncidentChannel>(channel: C, input: Omit<Input<C>, 'key'>) => {
      if (!key) throw new ApiError('INTERNAL', 'the drill is still loading');
      seq.current++;
      const next = (await api.call(channel, { ...input, key } as Input<C>)) as Incident;
      setInc(next);
      onChanged?.();
      return next;
    },
    [key, onChanged],
  );

  const call = useApiCall();

  if (!inc || inc.key !== key) return null;
  return { inc, readOnly: locked || inc.phase === 'closed', mutate, refresh, call };
}
