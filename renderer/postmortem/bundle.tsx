// Incident bundles: the whole incident as one JSON file (timeline, artifacts, findings, documents,
// action items). Export downloads inc-<KEY>.json; import (on the incident list) reads a file, lets the
// server validate it (a malformed or newer bundle is refused and nothing changes) and opens the result.
import { useId, useRef, useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import { api } from '../data/api';
import { sentence } from '../components/ui';
import { navigate } from '../lib/router';
import { useToast } from '../lib/toast';
import { downloadText } from './download';

export function bundleFileName(key: string): string {
  return `inc-${key}.json`;
}

export function ExportBundleButton({ incidentKey }: { incidentKey: string }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  // Secrets are masked in a bundle unless the user asks for them, deliberately, with a warning.
  const [withSecrets, setWithSecrets] = useState(false);
  return (
    <span className="pm-bundle">
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        title="Download the whole incident as one JSON file (restore it with Import bundle… on the incident list)"
        onClick={async () => {
          setBusy(true);
          try {
            const b = await api.call('bundle:export', { key: incidentKey, ...(withSecrets ? { includeSecrets: true } : {}) });
            downloadText(bundleFileName(incidentKey), JSON.stringify(b, null, 2), 'application/json');
            const masked = (b.redaction?.artifacts ?? []).reduce((n, a) => n + a.count, 0) + (b.redaction?.elsewhere ?? 0);
            const secrets = withSecrets ? ' — secrets included in clear' : masked ? ` — ${masked} secret value${masked === 1 ? '' : 's'} masked` : '';
            toast({ message: `Saved ${bundleFileName(incidentKey)} (${b.artifacts.length} artifact${b.artifacts.length === 1 ? '' : 's'}, ${b.findings.length} finding${b.findings.length === 1 ? '' : 's'})${secrets}`, tone: withSecrets ? 'info' : 'success' });
          } catch (e) {
            toast({ message: `Could not export the bundle: ${ApiError.from(e).message}`, tone: 'error' });
          } finally {
            setBusy(false);
          }
        }}
        data-testid="bundle-export"
      >
        {busy ? 'Exporting…' : withSecrets ? 'Export bundle with secrets' : 'Export bundle'}
      </button>
      <label className="small pm-bundle-secrets" title="Secrets are masked in bundles by default">
        <input type="checkbox" checked={withSecrets} onChange={(e) => setWithSecrets(e.target.checked)} data-testid="bundle-include-secrets" /> Include secrets
      </label>
      {withSecrets && (
        <span className="small pm-bundle-warning" role="alert" data-testid="bundle-secrets-warning">
          The file will hold every secret in clear — keep it off shared drives and out of git.
        </span>
      )}
    </span>
  );
}

/** "Import bundle…" for the incident list: file → JSON → bundle:import → open the imported incident. */
export function ImportBundleButton() {
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errId = useId();

  async function importFile(file: File) {
    setBusy(true);
    setError(null);
    try {
      let bundle: unknown;
      try {
        bundle = JSON.parse(await file.text());
      } catch (e) {
        throw new ApiError('VALIDATION', `${file.name} is not a bundle: it is not valid JSON (${(e as Error).message}). Nothing was imported.`);
      }
      const inc = await api.call('bundle:import', { bundle });
      const m = inc.bundleMasked;
      const n = m ? m.artifacts.reduce((s, a) => s + a.count, 0) : 0;
      const masked = m && n ? ` — ${n} secret value${n === 1 ? ' was' : 's were'} masked in ${m.artifacts.map((a) => a.name).join(', ')} (see the timeline)` : '';
      toast({ message: `Imported ${file.name} as ${inc.key}: ${inc.title}${masked}`, tone: 'success', ...(masked ? { timeout: 10_000 } : {}) });
      navigate({ name: 'incident', key: inc.key });
    } catch (e) {
      setError(ApiError.from(e).message);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  }

  return (
    <span className="pm-import">
      <button
        type="button"
        className="btn btn-small"
        onClick={() => input.current?.click()}
        disabled={busy}
        aria-describedby={error ? errId : undefined}
        title="Restore an incident from a bundle file (inc-<KEY>.json)"
        data-testid="bundle-import"
      >
        {busy ? 'Importing…' : 'Import bundle…'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void importFile(f);
        }}
        data-testid="bundle-import-input"
      />
      {error && (
        <span className="field-error pm-import-error" id={errId} role="alert" data-testid="bundle-import-error">
          {sentence(error)}
          <button type="button" className="btn-icon" aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </span>
      )}
    </span>
  );
}
