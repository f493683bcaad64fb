// The insights screens (issue 12): App.tsx renders this when the hash is #/search, #/analytics or #/backlog.
import { lazy, Suspense, useEffect } from 'react';
import type { InsightsRoute } from './route';
import { SearchScreen } from './SearchScreen';
// The dashboard and its chart library (uPlot) load only when the dashboard is opened.
const AnalyticsScreen = lazy(() => import('./AnalyticsScreen').then((m) => ({ default: m.AnalyticsScreen })));
import { BacklogScreen } from './BacklogScreen';

export { useInsightsRoute } from './route';
export { useInsightsPalette } from './palette';

export function InsightsRoot({ route }: { route: InsightsRoute }) {
  useEffect(() => {
    document.getElementById('main')?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [route.name]);
  switch (route.name) {
    case 'search':
      return <SearchScreen initial={route.q} />;
    case 'analytics':
      return (
        <Suspense fallback={<div className="page muted loading">Loading the dashboard…</div>}>
          <AnalyticsScreen />
        </Suspense>
      );
    case 'backlog':
      return <BacklogScreen />;
  }
}
