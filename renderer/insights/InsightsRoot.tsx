// The insights screens (issue 12): App.tsx renders this when the hash is #/search, #/analytics or #/backlog.
import { useEffect } from 'react';
import type { InsightsRoute } from './route';
import { SearchScreen } from './SearchScreen';
import { AnalyticsScreen } from './AnalyticsScreen';
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
      return <AnalyticsScreen />;
    case 'backlog':
      return <BacklogScreen />;
  }
}
