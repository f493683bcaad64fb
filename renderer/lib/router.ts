// Hash routes without a router library: #/ (incident list) and #/incidents/INC-0001.
import { useEffect, useState } from 'react';

export type Route = { name: 'list' } | { name: 'incident'; key: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/incidents\/(INC-\d{4,})\/?$/.exec(hash);
  if (m) return { name: 'incident', key: m[1] };
  return { name: 'list' };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function href(route: Route): string {
  return route.name === 'incident' ? `#/incidents/${route.key}` : '#/';
}

export function navigate(route: Route) {
  const h = href(route);
  if (window.location.hash !== h) window.location.hash = h;
}
