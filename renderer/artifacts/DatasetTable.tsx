// A table-aware view of a dataset diff (issue 11) instead of a wall of red and green lines: one row per
// column, the last-known-good and the failing side's schema and summary side by side (dtype, nulls,
// distinct values, range or top categories), the engine's changes for that column beside them, and the
// changed columns first. Profiles are computed here from the displayed text (CSV); for Parquet (binary
// here) the rows come from the changes alone. A chunk of its own: the profiler is not in the first load.
import { useMemo } from 'react';
import type { ArtifactContent, DiffView } from '../../shared/artifacts';
import { profileDataset, type ColumnProfile, type DatasetProfile } from '../../shared/diff/dataset';
import { SEVERITY_RANK, type Change } from '../../shared/diff/types';
import { formatBytes, SEVERITY_ICONS, SEVERITY_LABELS } from './format';
import { isIdLikeColumn } from './quiet';

interface Props {
  view: DiffView;
  contents: { before: ArtifactContent; after: ArtifactContent };
  changes: { change: Change; quiet: string | null }[];
  onRawText?: () => void;
}

function profileOf(c: ArtifactContent, name: string): { profile: DatasetProfile | null; error: string | null } {
  if (c.binary || c.text === null) return { profile: null, error: null };
  try {
    return { profile: profileDataset({ name, bytes: new TextEncoder().encode(c.text) }, 'csv'), error: null };
  } catch (e) {
    return { profile: null, error: e instanceof Error ? e.message : String(e) };
  }
}

const pct = (x: number) => `${x < 0.001 && x > 0 ? '<0.1' : (x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
const num = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : String(Math.round(x * 1000) / 1000));

function Side({ p }: { p: ColumnProfile | undefined }) {
  if (!p) return <td className="ds-missing">— not present —</td>;
  const range =
    p.dtype === 'datetime' ? `${p.minIso?.slice(0, 10) ?? '—'} … ${p.maxIso?.slice(0, 10) ?? '—'}` : p.min !== undefined ? `${num(p.min)} … ${num(p.max)}` : null;
  return (
    <td className="ds-side">
      <div className="ds-type">
        <span className="mono">{p.dtype}</span> <span className="muted">· #{p.position + 1}</span>
      </div>
      <div className="ds-stats">
        <span title={`${p.nullCount} of ${p.rows} rows empty`}>nulls {pct(p.nullRate)}</span>
        <span>{p.distinct} distinct</span>
        {p.mean !== undefined && <span>mean {num(p.mean)}</span>}
      </div>
      {range && <div className="ds-range mono">{range}</div>}
      {!range && p.topCategories && p.topCategories.length > 0 && (
        <div className="ds-top" title={p.topCategories.map((t) => `${t.value}: ${t.count}`).join('\n')}>
          {p.topCategories
            .slice(0, 3)
            .map((t) => t.value || '(empty)')
            .join(', ')}
          {p.topCategories.length > 3 ? ', …' : ''}
        </div>
      )}
    </td>
  );
}

export default function DatasetTable({ view, contents, changes, onRawText }: Props) {
  const before = useMemo(() => profileOf(contents.before, view.before.name), [contents.before, view.before.name]);
  const after = useMemo(() => profileOf(contents.after, view.after.name), [contents.after, view.after.name]);

  const rows = useMemo(() => {
    const names: string[] = [];
    const add = (n: string) => !names.includes(n) && names.push(n);
    for (const c of after.profile?.columns ?? []) add(c.name);
    for (const c of before.profile?.columns ?? []) add(c.name);
    const byCol = new Map<string, { change: Change; quiet: string | null }[]>();
    const tableLevel: { change: Change; quiet: string | null }[] = [];
    for (const x of changes) {
      const subject = String(x.change.subject);
      if (names.includes(subject) || (!before.profile && !after.profile && !/^(rows|dataset)\./.test(x.change.kind))) {
        add(subject);
        byCol.set(subject, [...(byCol.get(subject) ?? []), x]);
      } else tableLevel.push(x);
    }
    const rank = (n: string) => Math.max(-1, ...(byCol.get(n) ?? []).map((x) => SEVERITY_RANK[x.change.severity]));
    const list = names.map((n) => ({
      name: n,
      b: before.profile?.columns.find((c) => c.name === n),
      a: after.profile?.columns.find((c) => c.name === n),
      changes: byCol.get(n) ?? [],
      idLike: isIdLikeColumn(n) || !!before.profile?.columns.find((c) => c.name === n)?.identifier,
    }));
    // Changed columns first (most severe first), then the rest in file order.
    list.sort((x, y) => rank(y.name) - rank(x.name));
    return { list, tableLevel };
  }, [before.profile, after.profile, changes]);

  const changed = rows.list.filter((r) => r.changes.length).length;
  const truncated = contents.before.truncated || contents.after.truncated;
  return (
    <div className="dataset-table" data-testid="dataset-table">
      <div className="diff-text-head">
        <h4 className="diff-text-title">Columns</h4>
        <span className="muted small">
          {rows.list.length} column{rows.list.length === 1 ? '' : 's'} · {changed} changed
          {before.profile?.rowCount != null && after.profile?.rowCount != null && ` · rows ${before.profile.rowCount} → ${after.profile.rowCount}`}
          {truncated && ` · summaries from the first ${formatBytes(8 * 1024 * 1024)}; the changes cover the whole files`}
        </span>
        <span className="spacer" />
        {onRawText && (
          <button type="button" className="btn btn-small" onClick={onRawText} data-testid="dataset-raw-text">
            Raw text diff
          </button>
        )}
      </div>
      {(before.error || after.error) && (
        <p className="field-error" role="alert">
          Could not profile {before.error ? view.before.name : view.after.name}: {before.error ?? after.error}
        </p>
      )}
      {!before.profile && !after.profile && (
        <p className="muted small">
          {view.kind === 'parquet' ? 'Parquet is binary: the rows below come from the engine’s changes, per column.' : 'No column summary available.'}
        </p>
      )}
      {rows.tableLevel.length > 0 && (
        <ul className="ds-table-level">
          {rows.tableLevel.map((x, i) => (
            <li key={i} className={`chg-${x.change.severity}`}>
              <span aria-hidden="true">{SEVERITY_ICONS[x.change.severity]}</span> {x.change.message}
            </li>
          ))}
        </ul>
      )}
      <div className="ds-scroll">
        <table className="ds-grid">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">
                Last known good <span className="muted mono">{view.before.name}</span>
              </th>
              <th scope="col">
                Failing <span className="muted mono">{view.after.name}</span>
              </th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {rows.list.map((r) => {
              const worst = r.changes.reduce<Change['severity'] | null>((w, x) => (!w || SEVERITY_RANK[x.change.severity] > SEVERITY_RANK[w] ? x.change.severity : w), null);
              return (
                <tr key={r.name} className={`ds-row ${worst ? `chg-${worst}` : 'ds-same'} ${r.idLike ? 'is-id' : ''}`} data-testid="dataset-column" data-column={r.name} data-changed={r.changes.length > 0}>
                  <th scope="row" className="ds-name">
                    <span className="mono">{r.name}</span>
                    {r.idLike && (
                      <span className="badge ds-id" title="ID-like column: values differ between batches by nature, so changes are shown quietly">
                        ID-like
                      </span>
                    )}
                  </th>
                  <Side p={r.b} />
                  <Side p={r.a} />
                  <td className="ds-changes">
                    {r.changes.length === 0 ? (
                      <span className="muted">no change</span>
                    ) : (
                      <ul>
                        {r.changes.map((x, i) => (
                          <li key={i} className={`chg-${x.change.severity}`} title={x.quiet ?? undefined}>
                            <span className={`chg-badge chg-${x.change.severity}`}>
                              <span aria-hidden="true">{SEVERITY_ICONS[x.change.severity]}</span> {SEVERITY_LABELS[x.change.severity]}
                            </span>{' '}
                            {x.change.message}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
