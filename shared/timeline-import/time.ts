// Times of imported events: every source time becomes ISO 8601 UTC; a time without a zone is read in the
// zone the user names (IANA or ±HH:MM), by Intl, so daylight saving is right on both sides of a change.

const OFFSET_RE = /^([+-])(\d{2}):?(\d{2})$/;

/** Throws when the zone is neither an IANA name Intl knows nor an offset. */
export function checkTimeZone(zone: string): void {
  if (zone === 'UTC' || zone === 'Z' || OFFSET_RE.test(zone)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new Error(`unknown time zone "${zone}" (use an IANA name like Europe/Berlin or an offset like +02:00)`);
  }
}

/** Offset (minutes east of UTC) of `zone` at the UTC instant `ms`. */
function zoneOffsetMinutes(zone: string, ms: number): number {
  if (zone === 'UTC' || zone === 'Z') return 0;
  const m = OFFSET_RE.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

const NAIVE_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;
const HAS_ZONE_RE = /(?:Z|[+-]\d{2}:?\d{2}|\bUTC|\bGMT)$/i;

/**
 * A source time as ISO UTC, or null when it is not a time. Accepts ISO 8601 with or without a zone,
 * "YYYY-MM-DD HH:MM[:SS]", epoch seconds or milliseconds (numbers or digit strings).
 */
export function toUtcIso(value: unknown, zone = 'UTC'): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return epoch(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (!s) return null;
  if (/^\d{9,13}(\.\d+)?$/.test(s)) return epoch(Number(s));
  const naive = NAIVE_RE.exec(s);
  if (naive && !HAS_ZONE_RE.test(s)) {
    const [, y, mo, d, h, mi, se, frac] = naive;
    const ms = Number((frac ?? '0').padEnd(3, '0').slice(0, 3));
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se ?? 0), ms);
    if (Number.isNaN(wall)) return null;
    // The wall time in `zone`: subtract the offset there (twice, for times next to a DST change).
    let t = wall - zoneOffsetMinutes(zone, wall) * 60000;
    t = wall - zoneOffsetMinutes(zone, t) * 60000;
    return new Date(t).toISOString();
  }
  const t = Date.parse(s.replace(/ (UTC|GMT)$/i, 'Z'));
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function epoch(n: number): string | null {
  const ms = n > 1e11 ? n : n * 1000;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
