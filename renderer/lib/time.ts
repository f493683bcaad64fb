// Time display helpers. Times are stored as ISO 8601 UTC; the UI shows local wall-clock time (24 h,
// the user's locale through Intl) with the UTC instant in the tooltip.
const pad = (n: number) => String(n).padStart(2, '0');

function sameDay(a: Date, b: Date) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

const hm = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const hms = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const dayHm = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayHms = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const long = new Intl.DateTimeFormat(undefined, {
  weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
});
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "03:12" today, "Nov 21, 03:12" otherwise (local time, the user's locale). */
export function clock(iso: string | null | undefined, withSeconds = false): string {
  const d = parse(iso);
  if (!d) return '—';
  const today = sameDay(d, new Date());
  return (today ? (withSeconds ? hms : hm) : withSeconds ? dayHms : dayHm).format(d);
}

/** Full local date-time with its zone, and the UTC instant: for tooltips and read-only displays. */
export function full(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return '—';
  return `${long.format(d)} · ${d.toISOString()}`;
}

/** Value for <input type="datetime-local" step="1"> from an ISO instant. */
export function toLocalInput(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** ISO instant from a datetime-local value; '' → null; unparsable → the raw string (the API will name the field). */
export function fromLocalInput(v: string): string | null {
  if (!v.trim()) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

/** "just now", "5 min. ago", "2 hr. ago", "3 days ago" (Intl.RelativeTimeFormat in the user's locale). */
export function ago(iso: string, now = Date.now()): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  const m = Math.round(ms / 60_000);
  if (m < 1) return 'just now';
  if (m < 60) return relative.format(-m, 'minute');
  const h = Math.round(m / 60);
  if (h < 48) return relative.format(-h, 'hour');
  return relative.format(-Math.round(h / 24), 'day');
}
