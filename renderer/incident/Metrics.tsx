// TTD / TTA / TTM / TTR from the phase times, honestly: a figure that rests on a gate passed early (or an
// unverified mitigation) is marked unverified, and a maturity tier is stated only from known figures.
import type { Incident } from '../../shared/domain';
import { maturityTier, metricHonesty } from '../../shared/honesty';
import { formatDuration } from '../../shared/phases';

const LABELS = {
  ttd: ['TTD', 'Time to detect (start of impact → detected)'],
  tta: ['TTA', 'Time to acknowledge (detected → acknowledge done)'],
  ttm: ['TTM', 'Time to mitigate (detected → mitigate done)'],
  ttr: ['TTR', 'Time to resolve (detected → resolve done)'],
} as const;

export function Metrics({ inc }: { inc: Incident }) {
  const items = metricHonesty(inc);
  const tier = maturityTier(inc);
  return (
    <section className="metrics" aria-labelledby="metrics-title" data-testid="metrics">
      <h3 className="sub-title" id="metrics-title">
        Metrics
      </h3>
      <div className="metric-grid">
        {items.map((x) => (
          <div className={`metric ${x.unverified ? 'is-unverified' : ''}`} key={x.id} title={`${LABELS[x.id][1]}${x.unverified ? ` — unverified: ${x.unverified}` : ''}`} data-testid={`metric-${x.id}`} data-unverified={x.unverified ? 'true' : undefined}>
            <div className="metric-label">{LABELS[x.id][0]}</div>
            <div className={`metric-value ${x.ms === null ? 'muted' : ''}`}>{formatDuration(x.ms)}</div>
            {x.unverified ? (
              <div className="metric-note metric-unverified">unverified</div>
            ) : x.id === 'ttd' && x.ms === null ? (
              <div className="metric-note">set start of impact</div>
            ) : null}
          </div>
        ))}
      </div>
      <p className="small metric-tier" data-testid="maturity-tier">
        {tier.tier ? (
          <>
            Maturity tier: <strong>{tier.tier}</strong> <span className="muted">({tier.why})</span>
          </>
        ) : (
          <span className="muted">Maturity tier {tier.why}.</span>
        )}
      </p>
      {items.filter((x) => x.unverified).map((x) => (
        <p key={x.id} className="small metric-why" data-testid={`metric-${x.id}-why`}>
          {LABELS[x.id][0]} unverified: {x.unverified}
        </p>
      ))}
    </section>
  );
}
