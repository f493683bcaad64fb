// Hash routes of the drills area (issue 5), next to the app's own router (renderer/lib/router.ts):
//   #/drills                 library            #/drills/history          history per participant
//   #/drills/from-incident   scenario builder   #/drills/<id>             responder view
//   #/drills/<id>/gm         game-master view   #/drills/<id>/debrief     debrief
import { useEffect, useState } from 'react';
import { readToken, transport } from '../api/client';

export type DrillRoute =
  | { name: 'drills' }
  | { name: 'drill-history' }
  | { name: 'drill-from-incident' }
  | { name: 'drill'; id: number }
  | { name: 'drill-gm'; id: number }
  | { name: 'drill-debrief'; id: number };

export function parseDrillRoute(hash: string): DrillRoute | null {
  const m = /^#\/drills(?:\/([^?&#]*?))?\/?$/.exec(hash);
  if (!m) return null;
  const rest = m[1] ?? '';
  if (rest === '') return { name: 'drills' };
  if (rest === 'history') return { name: 'drill-history' };
  if (rest === 'from-incident') return { name: 'drill-from-incident' };
  const d = /^(\d{1,9})(?:\/(gm|debrief))?$/.exec(rest);
  if (!d) return null;
  const id = Number(d[1]);
  if (!id) return null;
  return d[2] === 'gm' ? { name: 'drill-gm', id } : d[2] === 'debrief' ? { name: 'drill-debrief', id } : { name: 'drill', id };
}

export function drillHref(r: DrillRoute): string {
  switch (r.name) {
    case 'drills':
      return '#/drills';
    case 'drill-history':
      return '#/drills/history';
    case 'drill-from-incident':
      return '#/drills/from-incident';
    case 'drill':
      return `#/drills/${r.id}`;
    case 'drill-gm':
      return `#/drills/${r.id}/gm`;
    case 'drill-debrief':
      return `#/drills/${r.id}/debrief`;
  }
}

export function goDrill(r: DrillRoute) {
  const h = drillHref(r);
  if (window.location.hash !== h) window.location.hash = h;
}

// ── Opening a view in a new tab of the web host ────────────────────────────────────────────────
// The web host keeps its access token in the tab's sessionStorage, and a tab opened with
// target=_blank (noopener) starts with empty storage, so the link carries it in the hash:
// `#/drills/5/gm&token=…`; captureTokenFromHash (renderer/api/client.ts) takes it and keeps the route.
/** URL that opens `hash` in a new tab of the web host with this tab's access token. */
export function newTabUrl(hash: string): string {
  const base = `${window.location.origin}${window.location.pathname}${window.location.search}`;
  const token = transport === 'web' ? readToken() : null;
  return token ? `${base}${hash}&token=${encodeURIComponent(token)}` : `${base}${hash}`;
}

export function useDrillRoute(): DrillRoute | null {
  const [route, setRoute] = useState(() => {
    return parseDrillRoute(window.location.hash);
  });
  useEffect(() => {
    const on = () => setRoute(parseDrillRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    // In case the hash changed between the first render and this effect.
    on();
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
