// Queries the screens share.
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Input } from '../../shared/api/contract';
import { api as host, hasWebToken } from '../api/client';
import { qk } from './keys';

export function useIncidentQuery(key: string | null) {
  return useQuery({
    queryKey: qk.record(key ?? ''),
    queryFn: () => host.call('incident:get', { key: key! }),
    enabled: !!key && hasWebToken(),
  });
}

export function useIncidentList(input: NonNullable<Input<'incident:list'>>) {
  return useQuery({
    queryKey: qk.list(input),
    queryFn: () => host.call('incident:list', input),
    enabled: hasWebToken(),
    placeholderData: keepPreviousData,
  });
}

export function useArtifacts(key: string) {
  return useQuery({
    queryKey: qk.artifacts(key),
    queryFn: async () => {
      const [list, pairs] = await Promise.all([host.call('artifact:list', { key }), host.call('artifact:pairs', { key })]);
      return { list, pairs };
    },
  });
}

export function useFindings(key: string) {
  return useQuery({ queryKey: qk.findings(key), queryFn: () => host.call('finding:list', { key }) });
}

export function useActionItems(key: string) {
  return useQuery({ queryKey: qk.actions(key), queryFn: () => host.call('action:list', { key }) });
}

export function useAppInfo() {
  return useQuery({ queryKey: qk.appInfo(), queryFn: () => host.call('app:info', {}), enabled: hasWebToken(), staleTime: Infinity });
}

/**
 * The incident list a page at a time (issue 12): each page ≤ `limit` rows with the cursor to the next;
 * the first page also brings the counts per filter value.
 */
export function useIncidentPages(input: NonNullable<Input<'incident:list'>>) {
  return useInfiniteQuery({
    queryKey: [...qk.list(input), 'pages'] as const,
    queryFn: ({ pageParam }) => host.call('incident:list', { ...input, ...(pageParam ? { cursor: pageParam } : { counts: true }) }),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: hasWebToken(),
    placeholderData: keepPreviousData,
  });
}
