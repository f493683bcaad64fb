// Runbook cells (issue 13): the runbook's `sh` cells with a Run button each. Run shows the exact
// command and runs it only when the user confirms; the output is kept under the cell in the runbook,
// stored as an artifact and put on the timeline as evidence. A web host started without --allow-exec
// runs nothing, and says so here.
import { useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import { parseCells, type RunbookCell } from '../../shared/runbook-cells/index';
import { api } from '../data/api';
import { useAppInfo } from '../data/hooks';
import { Dialog } from '../components/Dialog';
import { useToast } from '../lib/toast';

export function RunbookCells({ incidentKey, text, readOnly, beforeRun, afterRun }: { incidentKey: string; text: string; readOnly: boolean; beforeRun: () => Promise<void>; afterRun: () => Promise<void> }) {
  const info = useAppInfo();
  const toast = useToast();
  const [confirm, setConfirm] = useState<RunbookCell | null>(null);
  const [running, setRunning] = useState<number | null>(null);
  const cells = parseCells(text);
  const exec = info.data?.exec !== false;
  const web = info.data?.host === 'web';
  if (!cells.length) return null;

  async function run(c: RunbookCell) {
    setConfirm(null);
    setRunning(c.index);
    try {
      await beforeRun();
      const r = await api.call('runbook:run', { key: incidentKey, cell: c.index, command: c.command });
      await afterRun();
      const how = r.stoppedBy === 'timeout' ? 'stopped by the timeout' : r.stoppedBy ? `ended by ${r.stoppedBy}` : `exit ${r.exitCode}`;
      toast({ message: `Cell ${c.index}: ${how} in ${(r.durationMs / 1000).toFixed(1)} s. Output kept under the cell and on the timeline.`, tone: r.exitCode === 0 ? 'success' : 'error' });
    } catch (e) {
      toast({ message: `Cell ${c.index} did not run: ${ApiError.from(e).message}`, tone: 'error' });
    } finally {
      setRunning(null);
    }
  }

  return (
    <section className="rb-cells" aria-label="Runbook cells" data-testid="runbook-cells">
      <div className="rb-cells-head">
        <strong>Shell cells</strong>
        {exec ? (
          <span className="muted small">{web ? 'This web host was started with --allow-exec: cells run on this machine, in your shell, after you confirm.' : 'Cells run on this machine, in your shell, after you confirm.'}</span>
        ) : (
          <span className="rb-noexec small" role="note" data-testid="runbook-noexec">
            This web host runs no cells: it was started without <code>--allow-exec</code>. Run them in a terminal with <code>pmw run FILE.md --cell N</code>, or restart with <code>pmw serve --allow-exec</code>.
          </span>
        )}
      </div>
      <ol className="rb-cell-list">
        {cells.map((c) => (
          <li key={c.index} className="rb-cell" data-testid="runbook-cell" data-cell={c.index}>
            <span className="rb-cell-no mono">{c.index}</span>
            <span className="rb-cell-cmd mono" title={c.command}>
              {c.command.split('\n')[0] || '(empty)'}
              {c.command.includes('\n') ? ' …' : ''}
            </span>
            {c.section && <span className="muted small">{c.section}</span>}
            {c.output && (
              <span className={`badge ${c.output.exitCode === 0 ? 'rb-ok' : 'rb-fail'}`} title={`last run ${c.output.at ?? ''}`}>
                exit {c.output.exitCode ?? '—'}
              </span>
            )}
            <button type="button" className="btn btn-small" disabled={!exec || readOnly || running !== null || !c.command.trim()} onClick={() => setConfirm(c)} data-testid="runbook-cell-run" aria-label={`Run cell ${c.index}`}>
              {running === c.index ? 'Running…' : 'Run…'}
            </button>
          </li>
        ))}
      </ol>
      {confirm && (
        <Dialog title={`Run cell ${confirm.index}${confirm.section ? ` (${confirm.section})` : ''}?`} onClose={() => setConfirm(null)} testid="runbook-confirm" initialFocus="[data-testid=runbook-confirm-cancel]">
          <p>This runs exactly this command on this machine, in your shell, with a timeout. Exported variables carry over to the next cell.</p>
          <pre className="rb-confirm-cmd mono" data-testid="runbook-confirm-command">{confirm.command}</pre>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setConfirm(null)} data-testid="runbook-confirm-cancel">
              Cancel
            </button>
            <button type="button" className="btn btn-primary" onClick={() => void run(confirm)} data-testid="runbook-confirm-run">
              Run it
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
