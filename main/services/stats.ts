// Response analytics over the store: one read of the trigger-kept incident_timing table (real incidents
// only) and of the drills, summarised by shared/analytics.ts.
import type { Db } from '../store/db';
import type { ParsedInput } from '../../shared/api/contract';
import { statsCsv, summarise, type DrillStatsRow, type StatsColumns, type StatsSummary } from '../../shared/analytics';
import { rows, type CountRow } from '../store/rows';

export class StatsService {
  constructor(
    private db: Db,
    private now: () => string = () => new Date().toISOString(),
  ) {}

  summary(input: ParsedInput<'stats:summary'>): StatsSummary {
    const since = input.since ? new Date(input.since).toISOString() : null;
    const until = input.until ? new Date(input.until).toISOString() : null;
    const range = (t: string) => `${since ? ` AND ${t}.detected_at >= @since` : ''}${until ? ` AND ${t}.detected_at < @until` : ''}`;
    const args = { since, until };
    // One row of JSON arrays, not 100k rows: building a JS array per row cost ~3x the whole summary.
    // Without a period, read the table in order (the period index would mean a lookup per incident).
    // `.raw()`: the row as an array of its ten columns, each a JSON array.
    const cols = rows<string[]>(
      this.db,
      `SELECT json_group_array(month), json_group_array(severity), json_group_array(failure_class), json_group_array(service), json_group_array(origin),
                json_group_array(tta_ms), json_group_array(ttd_ms), json_group_array(ttm_ms), json_group_array(ttr_ms), json_group_array(verified)
         FROM incident_timing t WHERE ${since || until ? 't.is_drill = 0' : '+t.is_drill = 0'}${range('t')}`,
    )
      .raw()
      .get(args)!;
    const [month, severity, failureClass, service, origin, tta, ttd, ttm, ttr, verified] = cols.map((c) => JSON.parse(c) as unknown[]);
    const num = (xs: unknown[]) => {
      const out = new Float64Array(xs.length);
      for (let i = 0; i < xs.length; i++) out[i] = xs[i] === null ? NaN : (xs[i] as number);
      return out;
    };
    const c: StatsColumns = {
      n: month.length,
      month: month as string[],
      severity: severity as string[],
      failureClass: failureClass as string[],
      service: service as string[],
      origin: origin as (string | null)[],
      tta: num(tta),
      ttd: num(ttd),
      ttm: num(ttm),
      ttr: num(ttr),
      verified: Uint8Array.from(verified as number[]),
    };
    const drills = rows<DrillStatsRow>(this.db, `SELECT d.started_at AS startedAt, d.finished_at AS finishedAt, d.score FROM drills d JOIN incidents i ON i.id = d.incident_id WHERE 1 = 1${range('i')}`).all(args);
    const drillsExcluded = rows<CountRow>(this.db, `SELECT COUNT(*) AS n FROM incident_timing t WHERE t.is_drill = 1${range('t')}`).get(args)!.n;
    return summarise(c, drills, { generatedAt: this.now(), since, until, drillsExcluded });
  }

  csv(input: ParsedInput<'stats:csv'>): { filename: string; content: string } {
    const s = this.summary(input);
    const span = `${s.since ? s.since.slice(0, 10) : 'all'}_to_${(s.until ?? s.generatedAt).slice(0, 10)}`;
    return { filename: `pmw-stats-${span}.csv`, content: statsCsv(s) };
  }
}
