// When a finding's failure class or root-cause origin differs from the incident's, offer to update the
// incident (its checklist, first checks and "tempting but wrong" warning follow the class). Root-cause
// findings speak first, then accepted ones; "Keep" remembers the choice for this tab.
import { useState } from 'react';
import { FAILURE_CLASS_LABELS } from '../../shared/domain';
import { FINDING_ROLE_LABELS, type Finding } from '../../shared/artifacts';
import { useFindings } from '../data/hooks';
import { sessionGet, sessionSet } from '../lib/draft';
import { useToast } from '../lib/toast';
import type { IncidentCtx } from './ctx';

function speaker(findings: Finding[]): Finding | null {
  const live = findings.filter((f) => f.status !== 'rejected');
  return live.find((f) => f.role === 'root_cause') ?? live.find((f) => f.status === 'accepted') ?? null;
}

export function ClassOffer({ ctx }: { ctx: IncidentCtx }) {
  const { inc } = ctx;
  const toast = useToast();
  const findings = useFindings(inc.key).data ?? [];
  const f = speaker(findings);
  const classDiffers = !!f && f.failureClass !== inc.failureClass;
  const originDiffers = !!f && !!f.rootCauseOrigin && f.rootCauseOrigin !== inc.rootCauseOrigin;
  const sig = f ? `pmw.classOffer.${inc.key}.${f.id}.${f.failureClass}.${f.rootCauseOrigin ?? ''}` : '';
  const [kept, setKept] = useState(() => (sig ? !!sessionGet(sig) : false));
  if (!f || ctx.readOnly || (!classDiffers && !originDiffers) || kept || sessionGet(sig)) return null;

  async function apply() {
    const patch = { ...(classDiffers ? { failureClass: f!.failureClass } : {}), ...(originDiffers ? { rootCauseOrigin: f!.rootCauseOrigin } : {}) };
    await ctx.mutate('incident:update', { patch });
    toast({
      message: classDiffers
        ? `Class is now ${FAILURE_CLASS_LABELS[f!.failureClass]} — checklist, first checks and warning follow it`
        : `Root-cause origin is now ${f!.rootCauseOrigin}`,
      tone: 'success',
    });
  }

  return (
    <section className="card class-offer" aria-labelledby="class-offer-title" data-testid="class-offer">
      <div className="card-body">
        <h2 className="card-title" id="class-offer-title">
          The findings point elsewhere
        </h2>
        <p>
          {FINDING_ROLE_LABELS[f.role]} finding <strong>“{f.title}”</strong> records{' '}
          {classDiffers && (
            <>
              class <strong>{FAILURE_CLASS_LABELS[f.failureClass]}</strong>
            </>
          )}
          {classDiffers && originDiffers && ' and '}
          {originDiffers && (
            <>
              origin <strong>{f.rootCauseOrigin}</strong>
            </>
          )}
          ; this incident is {classDiffers ? <>classed {FAILURE_CLASS_LABELS[inc.failureClass]}</> : <>of origin {inc.rootCauseOrigin ?? 'not known yet'}</>}.
        </p>
        <div className="form-actions">
          <button type="button" className="btn btn-primary btn-small" onClick={() => void apply().catch(() => undefined)} data-testid="class-offer-apply">
            {classDiffers ? `Change class to ${FAILURE_CLASS_LABELS[f.failureClass]}` : `Set origin to ${f.rootCauseOrigin}`}
            {classDiffers && originDiffers ? ` (origin ${f.rootCauseOrigin})` : ''}
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              sessionSet(sig, 1);
              setKept(true);
            }}
            data-testid="class-offer-keep"
          >
            Keep {classDiffers ? FAILURE_CLASS_LABELS[inc.failureClass] : 'as is'}
          </button>
        </div>
      </div>
    </section>
  );
}
