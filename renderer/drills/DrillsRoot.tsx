// The drills area: one component per route (see route.ts). App.tsx renders it when the hash is #/drills….
import { useEffect } from 'react';
import { DrillDebriefPage } from './Debrief';
import { FromIncidentPage } from './FromIncident';
import { GameMaster } from './GameMaster';
import { DrillHistoryPage } from './History';
import { DrillLibrary } from './Library';
import { DrillRunner } from './Runner';
import type { DrillRoute } from './route';

export { useDrillRoute } from './route';

export function DrillsRoot({ route }: { route: DrillRoute }) {
  const id = 'id' in route ? route.id : 0;
  // Like the shell does for incident routes: start screen readers and Tab at the new content.
  useEffect(() => {
    document.getElementById('main')?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [route.name, id]);

  switch (route.name) {
    case 'drills':
      return <DrillLibrary />;
    case 'drill-history':
      return <DrillHistoryPage />;
    case 'drill-from-incident':
      return <FromIncidentPage />;
    case 'drill':
      return <DrillRunner key={id} drillId={id} />;
    case 'drill-gm':
      return <GameMaster key={id} drillId={id} />;
    case 'drill-debrief':
      return <DrillDebriefPage key={id} drillId={id} />;
  }
}
