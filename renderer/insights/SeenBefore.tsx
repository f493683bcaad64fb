// "Seen before" (issue 12), in the Investigate phase: earlier incidents that share ML-meaningful changes
// with this one (incident:similar), each with its reasons and links to that incident, its postmortem
// and its runbook (shown read-only in a dialog, without leaving this incident).
import { useState } from 'react';
import { ApiError } from '../../shared/api/errors';
import type { DocKind } from '../../shared/exporting';
import type { SimilarIncident } from '../../shared/similar';
import { useQuery } from '@tanstack/react-query';
import { api as host } from '../api/client';
import { Dialog } from '../components/Dialog';
import { ClassBadge } from '../components/ui';
import { Markdown } from '../postmortem/markdown';
import { href } from '../lib/router';
import { clock } from '../lib/time';
import { useSimilar } from './hooks';
import './insights.css';

export function SeenBefore({ incidentKey }: { incidentKey: string }) {
  const q = useSimilar(incidentKey);
  const [doc, setDoc] = useState<{ s: SimilarIncident; kind: DocKind } | null>(null);
  const list = q.data ?? null;
  return (
    <section className="seen-before" aria-labelledby="seen-before-title" data-testid="seen-before">
      <h3 id="seen-before-title">Seen before</h3>
      {q.error && <p className="small banner-error" role="alert">{ApiError.from(q.error).message}</p>}
      {!list && !q.error && <p className="muted small">Looking for earlier incidents with the same changes…</p>}
      {list && list.length === 0 && (
        <p className="muted small" data-testid="seen-before-empty">
          No earlier incident shares this one’s changes yet. Attach the last-known-good and failing artifacts and diff them: dependency, schema, image and log-signature changes are what “seen before” matches on.
        </p>
      )}
      {list && list.length > 0 && (
        <ul className="seen-list">
          {list.map((s) => (
            <li key={s.key} data-testid="seen-item">
              <div className="seen-item-head">
                <a href={href({ name: 'incident', key: s.key })} className="seen-link">
                  <span className="mono">{s.key}</span> — {s.title}
                </a>
                <ClassBadge cls={s.failureClass} />
                <span className="muted small">{clock(s.detectedAt)}</span>
              </div>
              <ul className="seen-reasons">
                {s.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
              <div className="seen-links">
                {s.links.postmortem ? (
                  <button type="button" className="btn-link" onClick={() => setDoc({ s, kind: 'postmortem' })} data-testid="seen-postmortem">
                    Postmortem: {s.links.postmortem.title}
                  </button>
                ) : (
                  <span className="muted">no postmortem</span>
                )}
                {s.links.runbook ? (
                  <button type="button" className="btn-link" onClick={() => setDoc({ s, kind: 'runbook' })} data-testid="seen-runbook">
                    Runbook: {s.links.runbook.title}
                  </button>
                ) : (
                  <span className="muted">no runbook</span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {doc && <DocDialog s={doc.s} kind={doc.kind} onClose={() => setDoc(null)} />}
    </section>
  );
}

function DocDialog({ s, kind, onClose }: { s: SimilarIncident; kind: DocKind; onClose: () => void }) {
  const q = useQuery({ queryKey: ['inc', s.key, 'doc', kind], queryFn: () => host.call('doc:get', { key: s.key, kind }) });
  return (
    <Dialog title={`${s.key} · ${kind === 'postmortem' ? 'Postmortem' : 'Runbook'}`} onClose={onClose} wide testid="seen-doc">
      {q.error && <p className="banner banner-error" role="alert">{ApiError.from(q.error).message}</p>}
      {!q.data && !q.error && <p className="muted">Loading…</p>}
      {q.data && <Markdown source={q.data.content} className="seen-doc-body" />}
      <p>
        <a href={href({ name: 'incident', key: s.key })} onClick={onClose}>Open {s.key}</a>
      </p>
    </Dialog>
  );
}
