// Queries of the insights screens (issue 12): search, similar incidents, analytics, backlog.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Input } from '../../shared/api/contract';
import { api as host, hasWebToken } from '../api/client';

export const iqk = {
  search: (input: Input<'search:query'>) => ['search', input] as const,
  similar: (key: string) => ['inc', key, 'similar'] as const,
  stats: (input: NonNullable<Input<'stats:summary'>>) => ['stats', input] as const,
  backlog: (input: NonNullable<Input<'action:backlog'>>) => ['backlog', input] as const,
};

export function useSearch(input: Input<'search:query'>) {
  return useQuery({
    queryKey: iqk.search(input),
    queryFn: () => host.call('search:query', input),
    enabled: hasWebToken() && input.query.trim().length > 0,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
}

export function useSimilar(key: string) {
  return useQuery({ queryKey: iqk.similar(key), queryFn: () => host.call('incident:similar', { key, limit: 5 }), enabled: hasWebToken(), staleTime: 30_000 });
}

export function useStats(input: NonNullable<Input<'stats:summary'>>) {
  return useQuery({ queryKey: iqk.stats(input), queryFn: () => host.call('stats:summary', input), enabled: hasWebToken(), placeholderData: keepPreviousData });
}

export function useBacklog(input: NonNullable<Input<'action:backlog'>>) {
  return useQuery({ queryKey: iqk.backlog(input), queryFn: () => host.call('action:backlog', input), enabled: hasWebToken(), placeholderData: keepPreviousData });
}
