// The export dialog's list of secret-scan hits (issue 8): file, line and rule of every secret the
// files to write would carry, each one click from the file, and a deliberate per-hit override (a known
// test fixture) that needs a reason and is recorded on the incident's timeline when the export runs.
import type { ExportPreview } from '../../shared/exporting';

export type SecretOverrides = Record<string, string>;
export const hitKey = (h: { file: string; line: number; rule: string }) => `${h.file}:${h.line}:${h.rule}`;

/** The overrides to send (only hits still found, with a reason). */
export function allowSecretsOf(preview: ExportPreview | null, overrides: SecretOverrides) {
  const out: { file: string; line: number; rule: string; reason: string }[] = [];
  for (const h of preview?.secrets ?? []) {
    const reason = overrides[hitKey(h)]?.trim();
    if (reason) out.push({ file: h.file, line: h.line, rule: h.rule, reason });
  }
  return out;
}

export function SecretHits({
  preview,
  overrides,
  onOverrides,
  onShow,
  onApply,
  busy,
}: {
  preview: ExportPreview;
  overrides: SecretOverrides;
  onOverrides: (o: SecretOverrides) => void;
  onShow: (file: string) => void;
  onApply: () => void;
  busy: boolean;
}) {
  const hits = preview.secrets;
  if (!hits.length) return null;
  const pending = hits.some((h) => hitKey(h) in overrides && !h.allowed);
  return (
    <div className="pm-secret-hits" data-testid="export-secret-hits">
      <ul>
        {hits.map((h) => {
          const k = hitKey(h);
          const on = k in overrides;
          return (
            <li key={k} data-testid="export-secret-hit" data-file={h.file} data-line={h.line} data-rule={h.rule} data-allowed={h.allowed || undefined}>
              <button type="button" className="link mono" onClick={() => onShow(h.file)} title="Show the file">
                {h.file}:{h.line}
              </button>
              <span className="badge pm-secret-rule">{h.rule}</span>
              {h.allowed ? (
                <span className="badge pm-secret-allowed">overridden: {overrides[k] || 'allowed'}</span>
              ) : (
                <label className="pm-secret-override small">
                  <input
                    type="checkbox"
                    checked={on}
                    onChange={(e) => {
                      const next = { ...overrides };
                      if (e.target.checked) next[k] = '';
                      else delete next[k];
                      onOverrides(next);
                    }}
                    data-testid="export-secret-override"
                  />{' '}
                  Known test fixture: export it anyway
                </label>
              )}
              {on && !h.allowed && (
                <input
                  type="text"
                  className="pm-secret-reason"
                  value={overrides[k]}
                  placeholder="Why this value may go into the repository (recorded on the timeline)"
                  aria-label={`Reason to export the secret at ${h.file} line ${h.line}`}
                  onChange={(e) => onOverrides({ ...overrides, [k]: e.target.value })}
                  data-testid="export-secret-reason"
                />
              )}
            </li>
          );
        })}
      </ul>
      {pending && (
        <div className="pm-secret-warning small" role="note">
          <strong>Overriding writes the value in clear into the repository and its history.</strong> Do it only for a value that is not a real credential (a
          test fixture). Each override is recorded on the incident&apos;s timeline.{' '}
          <button type="button" className="btn btn-small" disabled={busy || !allowSecretsOf({ ...preview, secrets: preview.secrets.filter((h) => !h.allowed) }, overrides).length} onClick={onApply} data-testid="export-secret-apply">
            Preview with the overrides
          </button>
        </div>
      )}
    </div>
  );
}
