// Hash routes of the insights screens (issue 12), beside the app's router (renderer/lib/router.ts):
//   #/search?q=…     full-text search with filters     #/analytics   response analytics dashboard
//   #/backlog         follow-up backlog (action items across incidents)
import { useEffect, useState } from 'react';

export type InsightsRoute = { name: 'search'; q: string } | { name: 'analytics' } | { name: 'backlog' };

export function parseInsightsRoute(hash: string): InsightsRoute | null {
  const m = /^#\/(search|analytics|backlog)\/?(?:\?(.*))?$/.exec(hash);
  if (!m) return null;
  if (m[1] === 'search') return { name: 'search', q: new URLSearchParams(m[2] ?? '').get('q') ?? '' };
  return { name: m[1] as 'analytics' | 'backlog' };
}

export function insightsHref(r: InsightsRoute): string {
  if (r.name === 'search') return r.q ? `#/search?${new URLSearchParams({ q: r.q })}` : '#/search';
  return `#/${r.name}`;
}

export function goInsights(r: InsightsRoute) {
  const h = insightsHref(r);
  if (window.location.hash !== h) window.location.hash = h;
}

export function useInsightsRoute(): InsightsRoute | null {
  const [route, setRoute] = useState(() => parseInsightsRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseInsightsRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    on();
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
