import type { Incident } from '../../shared/domain';
import { MATURITY_TIERS, formatDuration } from '../../shared/phases';
import { Section } from '../components/ui';

function tier(ms: number | null, key: 'mttdMinutes' | 'mttrMinutes'): string | null {
  if (ms === null) return null;
  const min = ms / 60_000;
  const t = MATURITY_TIERS.find((x) => min < x[key]);
  return t ? t.tier : 'Beyond ad-hoc';
}

export function Metrics({ inc }: { inc: Incident }) {
  const m = inc.metrics;
  const items: { id: string; label: string; long: string; ms: number | null; note?: string | null }[] = [
    { id: 'ttd', label: 'TTD', long: 'Time to detect (start of impact → detected)', ms: m.timeToDetectMs, note: inc.startedAt ? tier(m.timeToDetectMs, 'mttdMinutes') : 'set start of impact' },
    { id: 'tta', label: 'TTA', long: 'Time to acknowledge (detected → acknowledge done)', ms: m.timeToAcknowledgeMs },
    { id: 'ttm', label: 'TTM', long: 'Time to mitigate (detected → mitigate done)', ms: m.timeToMitigateMs },
    { id: 'ttr', label: 'TTR', long: 'Time to resolve (detected → resolve done)', ms: m.timeToResolveMs, note: tier(m.timeToResolveMs, 'mttrMinutes') },
  ];
  return (
    <Section title="Metrics" testid="metrics" className="metrics">
      <div className="metric-grid">
        {items.map((x) => (
          <div className="metric" key={x.id} title={x.long} data-testid={`metric-${x.id}`}>
            <div className="metric-label">{x.label}</div>
            <div className={`metric-value ${x.ms === null ? 'muted' : ''}`}>{formatDuration(x.ms)}</div>
            {x.note && <div className="metric-note">{x.note}</div>}
          </div>
        ))}
      </div>
      <p className="muted small">World-class: detect &lt; 5 min, resolve &lt; 30 min.</p>
    </Section>
  );
}
