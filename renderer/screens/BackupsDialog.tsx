// Backups: the list of online backups beside the database (daily, before upgrades, taken by hand,
// kept before a restore), "Back up now", and restore with a confirmation step. Self-contained: it
// talks to backup:list / backup:create / backup:restore and nothing else.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackupInfo, BackupKind, RestoreResult } from '../../shared/backups';
import { ApiError } from '../../shared/api/errors';
import { api } from '../api/client';
import { Dialog } from '../components/Dialog';
import { Kbd } from '../components/ui';
import { useToast } from '../lib/toast';
import { ago } from '../lib/time';
import { formatBytes } from '../artifacts/format';

/** "1 Dec 2026, 23:39" in the viewer's locale and time zone. */
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const KIND_LABEL: Record<BackupKind, string> = {
  daily: 'Daily',
  manual: 'Taken by hand',
  'pre-migration': 'Before an upgrade',
  'pre-restore': 'Before a restore',
};

export function BackupsDialog({ onClose, onRestored }: { onClose: () => void; onRestored: (r: RestoreResult) => void }) {
  const toast = useToast();
  const [list, setList] = useState<BackupInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'backup' | 'restore' | null>(null);
  const [confirm, setConfirm] = useState<BackupInfo | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const load = useCallback(async () => {
    try {
      setList(await api.call('backup:list', {}));
      setError(null);
    } catch (e) {
      setError(ApiError.from(e).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (confirm) confirmRef.current?.focus();
  }, [confirm]);

  async function backupNow() {
    setBusy('backup');
    try {
      const b = await api.call('backup:create', {});
      toast({ message: `Backed up (${formatBytes(b.size + b.blobSize)}): ${b.name}`, tone: 'success' });
      await load();
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    } finally {
      setBusy(null);
    }
  }

  async function restore(b: BackupInfo) {
    setBusy('restore');
    try {
      const r = await api.call('backup:restore', { name: b.name });
      onRestored(r);
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
      setConfirm(null);
      await load();
    } finally {
      setBusy(null);
    }
  }

  const folder = list?.[0]?.file.replace(/[\\/][^\\/]+$/, '');

  return (
    <Dialog title="Backups" onClose={onClose} testid="backups-dialog" wide>
      <p className="muted backups-intro">
        Online backups of the database (and its artifact store) are taken once a day and before every upgrade; the last few of each are kept.
        Backups you take yourself are never removed. Restoring keeps the current database aside as a backup; nothing is ever deleted.
        {folder && (
          <>
            {' '}
            Folder: <code data-testid="backups-folder">{folder}</code>
          </>
        )}
      </p>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
      {confirm ? (
        <div className="backups-confirm" role="alertdialog" aria-labelledby="restore-q" data-testid="restore-confirm">
          <p id="restore-q">
            <strong>Restore the backup from {when(confirm.createdAt)}?</strong> Everything changed since then is replaced by the backup's
            content. The current database is kept as a “before a restore” backup, so you can go back.
          </p>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setConfirm(null)} disabled={busy === 'restore'}>
              Cancel
            </button>
            <button ref={confirmRef} type="button" className="btn btn-primary" onClick={() => void restore(confirm)} disabled={busy === 'restore'} data-testid="restore-confirm-button">
              {busy === 'restore' ? 'Restoring…' : 'Restore this backup'}
            </button>
          </div>
        </div>
      ) : list === null ? (
        !error && <p className="muted loading">Loading backups…</p>
      ) : list.length === 0 ? (
        <div className="empty-small" data-testid="backups-empty">
          <p>No backups yet. The first daily one is taken when the app next opens a database with incidents in it — or take one now.</p>
        </div>
      ) : (
        <table className="backups-table" data-testid="backups-list">
          <thead>
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Kind</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">
                <span className="visually-hidden">Restore</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((b) => (
              <tr key={b.name} data-testid="backup-row" data-kind={b.kind}>
                <td title={b.name}>
                  {when(b.createdAt)} <span className="muted">({ago(b.createdAt)})</span>
                </td>
                <td>{KIND_LABEL[b.kind]}</td>
                <td className="num">{formatBytes(b.size + b.blobSize)}</td>
                <td className="actions">
                  <button type="button" className="btn btn-small" onClick={() => setConfirm(b)} disabled={!!busy} data-testid="backup-restore">
                    Restore…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!confirm && (
        <div className="form-actions">
          <span className="muted">
            <Kbd>Esc</Kbd> close · also <code>pmw backup</code>, <code>pmw restore FILE</code>
          </span>
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void backupNow()} disabled={!!busy} data-testid="backup-now">
            {busy === 'backup' ? 'Backing up…' : 'Back up now'}
          </button>
        </div>
      )}
    </Dialog>
  );
}
