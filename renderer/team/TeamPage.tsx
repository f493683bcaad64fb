// Team sync (issue 15): the Settings page (#/team) to join or leave the team's git repository, sync now,
// see where things stand, and settle same-field conflicts (mine / theirs); and the status-bar badge.
import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/errors';
import type { TeamConflict, TeamStatus } from '../../shared/team/types';
import { api } from '../api/client';
import { queryClient } from '../data/queryClient';
import { useToast } from '../lib/toast';
import { ago } from '../lib/time';

export const TEAM_HASH = '#/team';
const STATUS_KEY = ['team', 'status'] as const;
/** Background sync while the app is open and online (the desktop host; the web host only on demand). */
const BACKGROUND_MS = 5 * 60_000;

export function useTeamRoute(): boolean {
  const [on, setOn] = useState(() => window.location.hash === TEAM_HASH);
  useEffect(() => {
    const f = () => setOn(window.location.hash === TEAM_HASH);
    window.addEventListener('hashchange', f);
    return () => window.removeEventListener('hashchange', f);
  }, []);
  return on;
}

function useTeamStatus() {
  return useQuery({ queryKey: STATUS_KEY, queryFn: () => api.call('team:status', {}), refetchInterval: 30_000 });
}

async function runSync(): Promise<{ message: string; offline: boolean }> {
  try {
    const r = await api.call('team:sync', {});
    return { message: r.message, offline: r.offline };
  } finally {
    // Whatever arrived is shown; the badge re-reads its state.
    await queryClient.invalidateQueries();
  }
}

const show = (v: unknown) => (v === null || v === undefined ? '(empty)' : typeof v === 'string' ? v || '(empty)' : JSON.stringify(v, null, 2));
/** The two columns of a conflict: this member's value and the teammate's. */
const SIDES = [
  { take: 'mine', label: 'Mine', aria: 'Your value', button: 'Keep mine' },
  { take: 'theirs', label: 'Theirs', aria: 'Their value', button: 'Take theirs' },
] as const;
const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
/**
 * One side of a conflict on a whole record (a drill scenario): only the fields the two sides hold
 * differently, one "field: value" line each, so the difference is what the user reads.
 */
function showSide(side: unknown, other: unknown): string {
  if (!isRecord(side) || !isRecord(other)) return show(side);
  const keys = [...new Set([...Object.keys(side), ...Object.keys(other)])].sort().filter((k) => JSON.stringify(side[k]) !== JSON.stringify(other[k]));
  if (!keys.length) return show(side);
  return keys.map((k) => `${k}: ${side[k] === undefined ? '(none)' : typeof side[k] === 'string' ? side[k] : JSON.stringify(side[k], null, 2)}`).join('\n');
}

/** Status bar: last synced, queued (ahead), behind, conflicts; click → the team page. */
export function TeamStatusBadge() {
  const q = useTeamStatus();
  const s = q.data;
  useEffect(() => {
    if (!s?.joined) return;
    const t = setInterval(() => {
      if (navigator.onLine) void runSync().catch(() => undefined);
    }, BACKGROUND_MS);
    return () => clearInterval(t);
  }, [s?.joined]);
  if (!s?.joined) return null;
  const parts = [
    s.lastSyncedAt ? `synced ${ago(s.lastSyncedAt)}` : 'never synced',
    s.queued ? `${s.queued} to push` : null,
    s.behind ? `${s.behind} behind` : null,
  ].filter(Boolean);
  const offline = !!s.lastResult?.offline;
  return (
    <a href={TEAM_HASH} className={`statusbar-team ${s.conflicts.length ? 'has-conflicts' : ''}`} data-testid="team-status" title={`Team repository ${s.remote}`}>
      Team: {parts.join(' · ')}
      {offline && ' · offline'}
      {s.conflicts.length > 0 && <strong> · {s.conflicts.length} conflict{s.conflicts.length === 1 ? '' : 's'}</strong>}
    </a>
  );
}

export function TeamPage() {
  const q = useTeamStatus();
  const toast = useToast();
  const [remote, setRemote] = useState('');
  const [busy, setBusy] = useState<null | 'join' | 'sync' | 'leave' | string>(null);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const s: TeamStatus | undefined = q.data;
  useEffect(() => {
    if (s && !s.joined) input.current?.focus();
  }, [s]);

  async function act(what: string, fn: () => Promise<string>) {
    setBusy(what);
    setError(null);
    try {
      toast({ message: await fn(), tone: 'success' });
    } catch (e) {
      setError(ApiError.from(e).message);
    } finally {
      setBusy(null);
      await queryClient.invalidateQueries({ queryKey: STATUS_KEY });
    }
  }

  const join = () =>
    act('join', async () => {
      const r = await api.call('team:join', { remote: remote.trim() });
      await queryClient.invalidateQueries();
      return `Joined as member ${String(r.member).padStart(3, '0')}. ${r.lastResult?.message ?? ''}`;
    });
  const sync = () => act('sync', async () => (await runSync()).message);
  const leave = () =>
    act('leave', async () => {
      setConfirmLeave(false);
      await api.call('team:leave', { confirm: true });
      return 'Left the team; the incidents stay here.';
    });
  const resolve = (c: TeamConflict, take: 'mine' | 'theirs') =>
    act(`${c.key} ${c.field}`, async () => {
      await api.call('team:resolve', { key: c.key, field: c.field, take });
      await queryClient.invalidateQueries();
      const what = c.field.startsWith('scenario.') ? `version of drill scenario ${c.key}` : `value of ${c.field}`;
      return `Kept ${take === 'mine' ? 'your' : 'their'} ${what}; it goes to the team with the next sync.`;
    });

  return (
    <div className="page team-page" data-testid="team-page">
      <h1>Settings · Team sync</h1>
      <p className="muted">
        Share incidents with your team through a git repository you already have (GitHub, GitLab, Gitea or a bare repository on a share). Sync uses your own git:
        your credentials, SSH agent, identity, hooks and signing. Secrets are masked before anything is committed.
      </p>
      {error && (
        <div className="banner banner-error" role="alert" data-testid="team-error">
          {error}
        </div>
      )}
      {!s ? (
        <p>Loading…</p>
      ) : !s.joined ? (
        <form
          className="team-join"
          onSubmit={(e) => {
            e.preventDefault();
            if (remote.trim()) void join();
          }}
        >
          <label htmlFor="team-remote">Team repository</label>
          <input id="team-remote" ref={input} className="input" value={remote} onChange={(e) => setRemote(e.target.value)} placeholder="git@host:team/incidents.git" data-testid="team-remote" />
          <button type="submit" className="btn btn-primary" disabled={!remote.trim() || busy !== null} data-testid="team-join">
            {busy === 'join' ? 'Joining…' : 'Join'}
          </button>
          <p className="muted">Not in a team yet: your incidents stay on this machine only. Joining pushes them and pulls the team&apos;s history.</p>
        </form>
      ) : (
        <>
          <dl className="team-facts" data-testid="team-facts">
            <dt>Repository</dt>
            <dd className="mono">{s.remote} ({s.branch})</dd>
            <dt>You</dt>
            <dd>
              member {String(s.member).padStart(3, '0')}
              {s.memberName ? ` · ${s.memberName}` : ''} — your new incidents get keys INC-{String(s.member).padStart(3, '0')}NNNN
            </dd>
            <dt>Last synced</dt>
            <dd>{s.lastSyncedAt ? `${ago(s.lastSyncedAt)} (${new Date(s.lastSyncedAt).toLocaleString()})` : 'never'}</dd>
            <dt>Ahead / behind</dt>
            <dd>
              {s.queued} incident{s.queued === 1 ? '' : 's'} to push · {s.behind ?? '?'} commit{s.behind === 1 ? '' : 's'} to pull (as of the last fetch)
            </dd>
            {s.lastResult && (
              <>
                <dt>Last sync</dt>
                <dd data-testid="team-last">{s.lastResult.error ?? s.lastResult.message}</dd>
              </>
            )}
          </dl>
          <div className="team-actions">
            <button type="button" className="btn btn-primary" onClick={() => void sync()} disabled={busy !== null} data-testid="team-sync">
              {busy === 'sync' ? 'Syncing…' : 'Sync now'}
            </button>
            {confirmLeave ? (
              <>
                <span>Stop syncing? The incidents stay in this database.</span>
                <button type="button" className="btn btn-danger" onClick={() => void leave()} data-testid="team-leave-confirm" autoFocus>
                  Leave the team
                </button>
                <button type="button" className="btn btn-ghost" onClick={() => setConfirmLeave(false)}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" className="btn btn-ghost" onClick={() => setConfirmLeave(true)} disabled={busy !== null} data-testid="team-leave">
                Leave…
              </button>
            )}
          </div>
          <h2>Conflicts</h2>
          {s.conflicts.length === 0 ? (
            <p className="muted" data-testid="team-no-conflicts">
              No conflicts. When you and a teammate change the same field before syncing, both values show here and you pick one.
            </p>
          ) : (
            <ul className="team-conflicts" data-testid="team-conflicts">
              {s.conflicts.map((c) => (
                <li key={`${c.key} ${c.field}`} className="team-conflict" data-testid="team-conflict">
                  <div className="team-conflict-head">
                    {c.field.startsWith('scenario.') ? (
                      <>
                        Drill scenario <a href="#/drills">{c.key}</a> <span className="muted">(keep one whole version; the fields that differ are shown)</span>
                      </>
                    ) : (
                      <>
                        <a href={`#/incidents/${c.key}`}>{c.key}</a> <span className="mono">{c.field}</span>
                      </>
                    )}
                  </div>
                  <div className="team-conflict-values">
                    {SIDES.map((side) => (
                      <div key={side.take}>
                        <div className="muted">{side.label}</div>
                        <pre className="team-value" tabIndex={0} aria-label={side.aria}>
                          {side.take === 'mine' ? showSide(c.mine, c.theirs) : showSide(c.theirs, c.mine)}
                        </pre>
                        <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void resolve(c, side.take)} data-testid={`take-${side.take}`}>
                          {side.button}
                        </button>
                      </div>
                    ))}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
