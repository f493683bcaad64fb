// The text view's secrets control (issue 8): how many values are masked, and — in the desktop app
// only — an explicit, confirmed Reveal that fetches the unmasked texts (artifact:reveal, logged on
// the incident's timeline) and a way back to the masked view. The web host cannot reveal.
import { useState } from 'react';
import type { ArtifactContent } from '../../shared/artifacts';
import { ApiError } from '../../shared/api/errors';
import { transport } from '../api/client';
import { api } from '../data/api';
import { useToast } from '../lib/toast';

export type SidesContent = { before: ArtifactContent; after: ArtifactContent };

export function SecretsControl({
  incidentKey,
  contents,
  onContents,
  onLogged,
}: {
  incidentKey: string;
  contents: SidesContent;
  onContents: (c: SidesContent) => void;
  onLogged?: () => Promise<void> | void;
}) {
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const masked = contents.before.masked + contents.after.masked;
  const revealed = contents.before.revealed || contents.after.revealed;
  const desktop = transport === 'electron';
  if (!masked && !revealed) return null;

  async function load(reveal: boolean) {
    setBusy(true);
    try {
      const get = (id: number) => (reveal ? api.call('artifact:reveal', { key: incidentKey, id }) : api.call('artifact:content', { key: incidentKey, id }));
      const [before, after] = await Promise.all([get(contents.before.id), get(contents.after.id)]);
      onContents({ before, after });
      setConfirming(false);
      if (reveal) {
        toast({ message: 'Unmasked values shown — this was logged on the timeline', tone: 'info' });
        await onLogged?.();
      }
    } catch (e) {
      toast({ message: `Could not ${reveal ? 'reveal' : 'mask'} the values: ${ApiError.from(e).message}`, tone: 'error' });
    } finally {
      setBusy(false);
    }
  }

  if (revealed) {
    return (
      <span className="secrets-control" data-testid="secrets-control" data-state="revealed">
        <span className="badge secrets-badge secrets-revealed" role="status">
          Unmasked — logged on the timeline
        </span>
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => void load(false)} data-testid="secrets-mask">
          Mask again
        </button>
      </span>
    );
  }
  return (
    <span className="secrets-control" data-testid="secrets-control" data-state="masked">
      <span
        className="badge secrets-badge"
        title="Credentials (keys, tokens, passwords, private keys, URL passwords) are masked in this view, in diffs, findings, generated files, bundles and exports"
        data-testid="secrets-masked"
      >
        {maskedLabel(contents)}
      </span>
      {confirming ? (
        <span className="secrets-confirm" role="group" aria-label="Confirm revealing the secret values">
          <span className="small">Show them unmasked? This goes on the timeline.</span>
          <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={() => void load(true)} data-testid="secrets-reveal-confirm" autoFocus>
            {busy ? 'Revealing…' : 'Reveal'}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button
          type="button"
          className="btn btn-small"
          disabled={!desktop}
          title={desktop ? 'Show the unmasked values (logged on the timeline)' : 'Unmasked values are shown only in the desktop app'}
          onClick={() => setConfirming(true)}
          data-testid="secrets-reveal"
        >
          Reveal…
        </button>
      )}
      {!desktop && <span className="muted small secrets-hint">Reveal: desktop app only</span>}
    </span>
  );
}

/** "3 secret values masked" or, when both sides have some, "6 secret values masked (3 before, 3 after)". */
function maskedLabel(c: SidesContent): string {
  const n = c.before.masked + c.after.masked;
  const both = c.before.masked > 0 && c.after.masked > 0;
  return `${n} secret value${n === 1 ? '' : 's'} masked${both ? ` (${c.before.masked} before, ${c.after.masked} after)` : ''}`;
}
