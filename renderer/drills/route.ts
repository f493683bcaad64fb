// Hash routes of the drills area (issue 5), next to the app's own router (renderer/lib/router.ts):
//   #/drills                 library            #/drills/history          history per participant
//   #/drills/from-incident   scenario builder   #/drills/<id>             responder view
//   #/drills/<id>/gm         game-master view   #/drills/<id>/debrief     debrief
import { useEffect, useState } from 'react';
import { transport } from '../api/client';

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
// target=_blank (noopener) starts with empty storage. So the game-master link carries the token in the
// hash: `#/drills/5/gm&token=…`. captureTokenFromHash (renderer/api/client.ts, runs in main.tsx) takes the
// token and resets the address to `#/`; this module is evaluated before that (App imports it), remembers
// the drills route of the boot hash and puts it back on the first render.
const BOOT_HASH = typeof window !== 'undefined' ? window.location.hash : '';
const CARRIED = /^#(\/drills\/[^&?#]*)&token=/.exec(BOOT_HASH)?.[1] ?? null;
let carriedRestored = false;

function restoreCarriedRoute() {
  if (carriedRestored || !CARRIED) return;
  carriedRestored = true;
  const h = window.location.hash;
  if (h === '' || h === '#' || h === '#/') history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${CARRIED}`);
}

/** The token of this tab (web host), read where client.ts keeps it. */
function currentToken(): string | null {
  try {
    return sessionStorage.getItem('pmw.token');
  } catch {
    return null;
  }
}

/** URL that opens `hash` in a new tab of the web host with this tab's access token. */
export function newTabUrl(hash: string): string {
  const base = `${window.location.origin}${window.location.pathname}${window.location.search}`;
  const token = transport === 'web' ? currentToken() : null;
  return token ? `${base}${hash}&token=${encodeURIComponent(token)}` : `${base}${hash}`;
}

export function useDrillRoute(): DrillRoute | null {
  const [route, setRoute] = useState(() => {
    restoreCarriedRoute();
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
