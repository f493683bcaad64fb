// The shell: top bar, routes, global shortcuts, Electron menu commands, dialogs, toasts.
import { useCallback, useEffect, useRef, useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MENU_COMMANDS, type MenuCommand } from '../shared/api/transport';
import { hasWebToken, transport } from './api/client';
import { queryClient } from './data/queryClient';
import { useAppInfo } from './data/hooks';
import { ErrorBoundary } from './components/ErrorBoundary';
import { emit, useCommand } from './lib/commands';
import { isTyping, modKey, MOD, plain } from './lib/keys';
import { navigate, useRoute } from './lib/router';
import { useTheme } from './lib/theme';
import { ToastProvider, useToast } from './lib/toast';
import { Kbd } from './components/ui';
import { ShortcutSheet } from './components/ShortcutSheet';
import { CommandPalette } from './components/CommandPalette';
import { matchItems, usePaletteProvider } from './lib/palette';
import { api as host } from './api/client';
import { goDrill } from './drills/route';
import { IncidentList } from './screens/IncidentList';
import { NewIncidentDialog } from './screens/NewIncidentDialog';
import { IncidentPage } from './incident/IncidentPage';
import { DrillsRoot, useDrillRoute } from './drills/DrillsRoot';
import { BackupsDialog } from './screens/BackupsDialog';
import { InsightsRoot, useInsightsPalette, useInsightsRoute } from './insights/InsightsRoot';
import { goInsights } from './insights/route';
import { TeamPage, TeamStatusBadge, useTeamRoute, TEAM_HASH } from './team/TeamPage';

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <Shell />
      </ToastProvider>
    </QueryClientProvider>
  );
}

function Shell() {
  const route = useRoute();
  const drill = useDrillRoute();
  const insight = useInsightsRoute();
  const teamPage = useTeamRoute();
  const theme = useTheme();
  const [newOpen, setNewOpen] = useState(false);
  const [sheetOpen, setSheetOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const info = useAppInfo().data ?? null;
  const [backupsOpen, setBackupsOpen] = useState(false);
  const toast = useToast();
  const gPending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const mainRef = useRef<HTMLElement>(null);

  const routeId = route.name === 'incident' ? route.key : route.name;
  // Move focus to the main region on route change so screen readers and Tab start at the content.
  useEffect(() => {
    mainRef.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [routeId]);

  useCommand('new-incident', () => setNewOpen(true));
  useCommand('go-incidents', () => navigate({ name: 'list' }));
  useCommand('toggle-theme', () => theme.toggle());
  useCommand('shortcuts', () => setSheetOpen((o) => !o));
  useCommand('palette', () => setPaletteOpen(true));

  usePaletteProvider('commands', 'Commands', (q) =>
    matchItems(
      [
        { id: 'new', label: 'New incident…', keywords: 'create open', shortcut: 'N', run: () => setNewOpen(true) },
        { id: 'list', label: 'Go to incidents', keywords: 'list home', shortcut: 'g i', run: () => navigate({ name: 'list' }) },
        { id: 'drills', label: 'Go to drills', keywords: 'practice scenarios library', run: () => goDrill({ name: 'drills' }) },
        { id: 'drill-history', label: 'Drill history', keywords: 'scores trend', run: () => goDrill({ name: 'drill-history' }) },
        { id: 'theme', label: `Switch to ${theme.effective === 'dark' ? 'light' : 'dark'} theme`, keywords: 'dark light mode', run: () => theme.toggle() },
        { id: 'shortcuts', label: 'Keyboard shortcuts', keywords: 'help keys', shortcut: '?', run: () => setSheetOpen(true) },
      ],
      q,
    ),
    90,
  );
  usePaletteProvider('incidents', 'Incidents', async (q) => {
    if (!hasWebToken()) return [];
    const list = await queryClient.fetchQuery({ queryKey: ['incidents', 'palette'], queryFn: () => host.call('incident:list', { includeDrills: true }), staleTime: 5_000 });
    return matchItems(
      list.items.map((r) => ({
        id: r.key,
        label: `${r.key} · ${r.title}`,
        hint: `${r.severity} · ${r.phase === 'closed' ? 'Closed' : r.phase}${r.isDrill ? ' · drill' : ''}`,
        keywords: `${r.service} ${r.failureClass}`,
        run: () => navigate({ name: 'incident', key: r.key }),
      })),
      q,
      q ? 20 : 8,
    );
  }, 60);
  useInsightsPalette();
  useCommand('backups', () => {
    setSheetOpen(false);
    setBackupsOpen(true);
  });

  const runMenu = useCallback((cmd: MenuCommand) => {
    if (cmd === 'find' && route.name !== 'list') {
      navigate({ name: 'list' });
      setTimeout(() => emit('find'), 50);
      return;
    }
    emit(cmd);
  }, [route.name]);

  // Electron application menu → the same commands as the keyboard.
  useEffect(() => {
    const off = window.pmw?.onMenuCommand?.((cmd) => {
      if ((MENU_COMMANDS as readonly string[]).includes(cmd)) runMenu(cmd);
    });
    return () => off?.();
  }, [runMenu]);

  // Global shortcuts.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const dialogOpen = !!document.querySelector('[aria-modal="true"]');
      if (modKey(e) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        if (!dialogOpen) setPaletteOpen(true);
        return;
      }
      if (modKey(e) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        if (!dialogOpen) setNewOpen(true);
        return;
      }
      if (dialogOpen || isTyping(e) || !plain(e)) return;
      const k = e.key;
      if (gPending.current) {
        clearTimeout(gPending.current);
        gPending.current = null;
        if (k === 'i') {
          e.preventDefault();
          navigate({ name: 'list' });
          return;
        }
        if (k === 'b') {
          e.preventDefault();
          setBackupsOpen(true);
          return;
        }
        const to = ({ s: 'search', a: 'analytics', f: 'backlog' } as const)[k as 's' | 'a' | 'f'];
        if (to) {
          e.preventDefault();
          goInsights(to === 'search' ? { name: 'search', q: '' } : { name: to });
          return;
        }
      }
      if (k === '?') {
        e.preventDefault();
        setSheetOpen(true);
      } else if (k === 'g') {
        gPending.current = setTimeout(() => (gPending.current = null), 1200);
      } else if (k === 'n' || k === 'N') {
        e.preventDefault();
        setNewOpen(true);
      } else if (k === '/') {
        if (emit('find')) e.preventDefault();
      } else if (k === 't' || k === 'T') {
        if (emit('quick-note')) e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className={`app ${route.name === 'incident' && !drill ? 'is-command-centre' : ''}`}>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="#/" aria-label="Postmortem Workbench — incidents">
          <span className="brand-mark" aria-hidden="true">◆</span>
          <span className="brand-name">Postmortem Workbench</span>
        </a>
        <nav className="topnav" aria-label="Main">
          <a href="#/" aria-current={route.name === 'list' && !drill && !insight && !teamPage ? 'page' : undefined} className="topnav-link">
            Incidents
          </a>
          <a href="#/drills" aria-current={drill ? 'page' : undefined} className="topnav-link" data-testid="nav-drills">
            Drills
          </a>
          <a href="#/search" aria-current={insight?.name === 'search' ? 'page' : undefined} className="topnav-link" data-testid="nav-search">Search</a>
          <a href="#/analytics" aria-current={insight?.name === 'analytics' ? 'page' : undefined} className="topnav-link" data-testid="nav-analytics">Analytics</a>
          <a href="#/backlog" aria-current={insight?.name === 'backlog' ? 'page' : undefined} className="topnav-link" data-testid="nav-backlog">Follow-ups</a>
          <a href={TEAM_HASH} aria-current={teamPage ? 'page' : undefined} className="topnav-link" data-testid="nav-team">
            Team
          </a>
        </nav>
        <div className="topbar-actions">
          <button type="button" className="btn btn-ghost palette-button" onClick={() => setPaletteOpen(true)} data-testid="palette-button" aria-label="Go to: incidents, phases, actions, commands" aria-keyshortcuts="Control+K Meta+K">
            Go to… <Kbd>{`${MOD}+K`}</Kbd>
          </button>
          <button type="button" className="btn btn-primary" onClick={() => setNewOpen(true)} data-testid="new-incident-button">
            New incident <Kbd>{transport === 'electron' ? `${MOD}+N` : 'N'}</Kbd>
          </button>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={theme.toggle}
            aria-label={`Switch to ${theme.effective === 'dark' ? 'light' : 'dark'} theme`}
            title={`Theme: ${theme.choice === 'system' ? `system (${theme.effective})` : theme.choice} — click to switch`}
            data-testid="theme-toggle"
          >
            {theme.effective === 'dark' ? '☾ Dark' : '☀ Light'}
          </button>
          {theme.choice !== 'system' && (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => theme.set('system')} title="Follow the system theme again">
              Auto
            </button>
          )}
          <button type="button" className="btn btn-ghost" onClick={() => setSheetOpen(true)} aria-label="Keyboard shortcuts" data-testid="shortcuts-button">
            <Kbd>?</Kbd>
          </button>
        </div>
      </header>

      {!hasWebToken() && (
        <div className="banner banner-error" role="alert">
          This page has no access token. Open the exact URL printed by <code>pmw serve</code> (it ends in <code>#token=…</code>).
        </div>
      )}

      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        <ErrorBoundary resetKey={window.location.hash}>
          {teamPage ? (
            <TeamPage />
          ) : insight ? (
            <InsightsRoot route={insight} />
          ) : drill ? (
            <DrillsRoot route={drill} />
          ) : route.name === 'list' ? (
            <IncidentList onNew={() => setNewOpen(true)} />
          ) : (
            <IncidentPage key={route.key} incidentKey={route.key} />
          )}
        </ErrorBoundary>
      </main>

      <footer className="statusbar">
        <span>{transport === 'electron' ? 'Desktop' : 'Web host · 127.0.0.1'}</span>
        {info && (
          <>
            <span title={info.dbPath} className="statusbar-db">
              DB: {info.dbPath}
            </span>
            <span>v{info.version} · schema {info.schemaVersion}</span>
          </>
        )}
        <TeamStatusBadge />
        <span className="statusbar-keys">
          <Kbd>?</Kbd> shortcuts · <Kbd>g</Kbd> <Kbd>i</Kbd> incidents
        </span>
      </footer>

      {newOpen && (
        <NewIncidentDialog
          onClose={() => setNewOpen(false)}
          onCreated={(inc) => {
            setNewOpen(false);
            navigate({ name: 'incident', key: inc.key });
          }}
        />
      )}
      {sheetOpen && <ShortcutSheet onClose={() => setSheetOpen(false)} />}
      {paletteOpen && <CommandPalette onClose={() => setPaletteOpen(false)} />}
      {backupsOpen && (
        <BackupsDialog
          onClose={() => setBackupsOpen(false)}
          onRestored={(r) => {
            setBackupsOpen(false);
            // Everything shown came from the database that was replaced.
            void queryClient.invalidateQueries();
            navigate({ name: 'list' });
            toast({
              message: `Restored the backup from ${new Date(r.restored.createdAt).toLocaleString()} (${r.incidents} incident${r.incidents === 1 ? '' : 's'}).${r.keptAside ? ' The database it replaced is kept as a backup.' : ''}`,
              tone: 'success',
              timeout: 10_000,
            });
          }}
        />
      )}
    </div>
  );
}
