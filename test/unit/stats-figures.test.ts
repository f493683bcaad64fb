// The summary sorts each metric once and deals its values to the groups (shared/analytics.ts
// sortMetric); every figure must equal the median/p90 of that group's values computed on their own
// (figure(): quickselect, type 7), including data the packed sort cannot hold exactly (negative or
// fractional durations, beyond 2^(53-b)), which takes the per-group path.
import { describe, expect, it } from 'vitest';
import { figure, sortMetric, summarise, type StatsColumns } from '../../shared/analytics';

let seed = 11;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];

function columns(n: number, value: () => number): StatsColumns {
  const col = (nanShare: number) => Float64Array.from({ length: n }, () => (rnd() < nanShare ? NaN : value()));
  return {
    n,
    month: Array.from({ length: n }, () => pick(['2026-01', '2026-02', '2026-03'])),
    severity: Array.from({ length: n }, () => pick(['SEV1', 'SEV2', 'SEV3', 'SEV4'])),
    failureClass: Array.from({ length: n }, () => pick(['data', 'serving', 'training'])),
    service: Array.from({ length: n }, () => pick(['', 'scoring', 'ranking'])),
    origin: Array.from({ length: n }, () => pick([null, 'data', 'config'])),
    tta: col(0.1),
    ttd: col(0.3),
    ttm: col(0.2),
    ttr: col(0.25),
    verified: Uint8Array.from({ length: n }, () => (rnd() < 0.7 ? 1 : 0)),
  };
}

function expectFigures(c: StatsColumns) {
  const s = summarise(c, [], { generatedAt: '2026-12-01T00:00:00Z', since: null, until: null, drillsExcluded: 0 });
  const of = (rows: number[], v: Float64Array, want?: number) => figure(rows.filter((i) => v[i] === v[i] && (want === undefined || c.verified[i] === want)).map((i) => v[i]));
  const check = (name: string, groups: typeof s.byMonth, keyOf: (i: number) => string) => {
    for (const g of groups) {
      const rows = [...Array(c.n).keys()].filter((i) => keyOf(i) === g.group);
      expect(g.incidents, `${name} ${g.group}`).toBe(rows.length);
      expect(g.mtta, `${name} ${g.group} mtta`).toEqual(of(rows, c.tta));
      expect(g.mttd, `${name} ${g.group} mttd`).toEqual(of(rows, c.ttd));
      expect(g.mttm, `${name} ${g.group} mttm`).toEqual(of(rows, c.ttm, 1));
      expect(g.mttr, `${name} ${g.group} mttr`).toEqual(of(rows, c.ttr, 1));
      expect(g.unverified.mttm, `${name} ${g.group} unverified mttm`).toEqual(of(rows, c.ttm, 0));
      expect(g.unverified.mttr, `${name} ${g.group} unverified mttr`).toEqual(of(rows, c.ttr, 0));
    }
  };
  check('overall', [s.overall], () => 'all');
  check('month', s.byMonth, (i) => c.month[i]);
  check('severity', s.bySeverity, (i) => c.severity[i]);
  check('class', s.byClass, (i) => c.failureClass[i]);
  check('service', s.byService, (i) => c.service[i] || '(no service)');
}

describe('stats figures', () => {
  it('match each group computed on its own, for whole-ms durations (one sort per metric)', () => {
    for (const n of [0, 1, 2, 3, 10, 997]) {
      const c = columns(n, () => Math.floor(rnd() ** 3 * 5e9));
      if (n) expect(sortMetric(c.tta, null, 1)).not.toBeNull();
      expectFigures(c);
    }
    // Many equal durations (minutes on the dot).
    expectFigures(columns(500, () => Math.floor(rnd() * 8) * 60_000));
  });

  it('match for durations the packed sort cannot hold (negative, fractional, huge): per-group path', () => {
    const negative = columns(300, () => Math.floor((rnd() - 0.1) * 1e6));
    expect(sortMetric(negative.tta, null, 1)).toBeNull();
    expectFigures(negative);
    expectFigures(columns(300, () => rnd() * 1e6));
    const huge = columns(300, () => Math.floor(rnd() * 2 ** 50));
    expect(sortMetric(huge.tta, null, 1)).toBeNull();
    expectFigures(huge);
  });

  it('sorts a metric into its values and rows, ascending, leaving out what is not selected', () => {
    const v = Float64Array.from([5, NaN, 3, 3, 9, 0]);
    const mask = Uint8Array.from([1, 1, 0, 1, 1, 1]);
    const s = sortMetric(v, mask, 1)!;
    expect([...s.values]).toEqual([0, 3, 5, 9]);
    expect([...s.rows]).toEqual([5, 3, 0, 4]);
  });
});
