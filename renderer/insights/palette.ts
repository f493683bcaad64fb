// The insights' palette entries (issue 12): commands to reach the new screens, and a full-text search
// provider that answers as you type over search:query (snippets with the matches marked). Enter on a
// hit opens its incident; the last item opens the search screen with the same words.
import { hasWebToken, api as host } from '../api/client';
import { queryClient } from '../data/queryClient';
import { matchItems, usePaletteProvider, type PaletteItem } from '../lib/palette';
import { navigate } from '../lib/router';
import { goInsights } from './route';
import { iqk } from './hooks';

export function useInsightsPalette() {
  usePaletteProvider('insights-commands', 'Commands', (q) =>
    matchItems(
      [
        { id: 'search', label: 'Search everything…', keywords: 'find full text notes findings postmortems runbooks', shortcut: 'g s', run: () => goInsights({ name: 'search', q: '' }) },
        { id: 'analytics', label: 'Go to analytics', keywords: 'mtta mttd mttm mttr dashboard stats figures charts', shortcut: 'g a', run: () => goInsights({ name: 'analytics' }) },
        { id: 'backlog', label: 'Go to follow-up backlog', keywords: 'action items overdue owners follow ups', shortcut: 'g f', run: () => goInsights({ name: 'backlog' }) },
      ],
      q,
    ),
    91,
  );
  usePaletteProvider('search', 'Found in incidents', async (q, signal) => {
    const query = q.trim();
    if (!hasWebToken() || query.length < 2) return [];
    const input = { query, limit: 8, perIncident: 1 };
    const res = await queryClient.fetchQuery({ queryKey: iqk.search(input), queryFn: () => host.call('search:query', input), staleTime: 5_000 });
    if (signal.aborted) return [];
    const items: PaletteItem[] = res.hits.map((h) => ({
      id: `${h.key}:${h.source}:${h.ref ?? ''}`,
      label: `${h.key} · ${h.title}`,
      hint: h.where,
      snippet: h.parts,
      run: () => navigate({ name: 'incident', key: h.key }),
    }));
    if (items.length) items.push({ id: 'all', label: `All results for “${query}”…`, hint: 'search screen with filters', run: () => goInsights({ name: 'search', q: query }) });
    return items;
  }, 55);
}
