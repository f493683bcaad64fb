// Checklist for a phase and the incident's failure class; defaults to the current phase. Items the
// record already answers tick themselves and say why (shared/playbook/auto.ts).
import { useEffect, useState } from 'react';
import { autoChecked } from '../../shared/playbook/auto';
import { useActionItems, useArtifacts, useFindings } from '../data/hooks';
import { ApiError } from '../../shared/api/errors';
import { PHASES, type Phase } from '../../shared/domain';
import { PHASE_DEFS } from '../../shared/phases';
import { checklistFor } from '../lib/playbook';
import { useToast } from '../lib/toast';
import type { IncidentCtx } from './ctx';

export function Checklist({ ctx }: { ctx: IncidentCtx }) {
  const { inc, readOnly } = ctx;
  const current: Phase = inc.phase === 'closed' ? 'review' : inc.phase;
  const [shown, setShown] = useState<Phase>(current);
  /** Optimistic state: the box flips at once, the server confirms (or we roll back with a toast). */
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const toast = useToast();
  useEffect(() => setShown(current), [current]);
  const artifacts = useArtifacts(inc.key).data?.list;
  const findings = useFindings(inc.key).data;
  const actions = useActionItems(inc.key).data;
  const auto = autoChecked(inc, shown, { artifacts, findings, actions });

  const items = checklistFor(inc.failureClass, shown);
  const saved = new Set(inc.checklist[shown] ?? []);
  const isOn = (id: string) => id in auto || (id in pending ? pending[id] : saved.has(id));
  const done = items.filter((i) => isOn(i.id)).length;
  const reached = (p: Phase) => inc.phases.some((e) => e.phase === p);

  async function toggle(itemId: string, on: boolean) {
    setPending((p) => ({ ...p, [itemId]: on }));
    try {
      await ctx.mutate('incident:check', { phase: shown, itemId, checked: on });
    } catch (e) {
      toast({ message: ApiError.from(e).message, tone: 'error' });
    } finally {
      setPending(({ [itemId]: _drop, ...rest }) => rest);
    }
  }

  return (
    <section className="card checklist" aria-labelledby="checklist-title" data-testid="checklist" data-phase={shown}>
      <header className="card-head">
        <h2 className="card-title" id="checklist-title">
          Checklist · {PHASE_DEFS[shown].label}
          <span className="card-count" data-testid="checklist-progress">
            {done}/{items.length}
          </span>
        </h2>
        <div className="seg" role="tablist" aria-label="Checklist phase">
          {PHASES.map((p) => (
            <button
              key={p}
              type="button"
              role="tab"
              aria-selected={p === shown}
              className={`seg-btn ${p === shown ? 'on' : ''} ${p === current ? 'is-current' : ''}`}
              onClick={() => setShown(p)}
              title={p === current ? 'Current phase' : reached(p) ? 'Earlier phase' : 'Later phase'}
              data-testid={`checklist-tab-${p}`}
            >
              {PHASE_DEFS[p].label}
              {(inc.checklist[p]?.length ?? 0) > 0 && <span className="seg-count">{inc.checklist[p]!.length}</span>}
            </button>
          ))}
        </div>
      </header>
      <div className="card-body">
        {shown !== current && (
          <p className="muted small">
            {reached(shown) ? 'An earlier phase' : 'A later phase'} — you are in {PHASE_DEFS[current].label}.{' '}
            <button type="button" className="link" onClick={() => setShown(current)}>
              Show current
            </button>
          </p>
        )}
        <ul className="check-items">
          {items.map((it) => {
            const on = isOn(it.id);
            const why = auto[it.id];
            return (
              <li key={it.id} className={`check-item ${on ? 'on' : ''} ${why ? 'is-auto' : ''}`} data-auto={why ? 'true' : undefined}>
                <label>
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={readOnly || !!why}
                    onChange={(e) => void toggle(it.id, e.target.checked)}
                    data-testid={`check-${it.id}`}
                    data-item-id={it.id}
                    aria-describedby={why ? `why-${it.id}` : undefined}
                  />
                  <span>
                    {it.text}
                    {why && (
                      <span className="check-why" id={`why-${it.id}`} data-testid={`why-${it.id}`}>
                        ✓ from the record: {why}
                      </span>
                    )}
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
