// `pmw timeline import KEY FILE --format slack|pagerduty|alertmanager|csv [--dry-run] [--tz ZONE]` (issue 13).
// FILE may also be an unzipped Slack export folder (users.json, <channel>/<date>.json).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { zipSync } from 'fflate';
import type { App } from '../app';
import type { Io } from './common';
import { ApiError } from '../../shared/api/errors';
import { TIMELINE_IMPORT_FORMATS, type TimelineImportFormat } from '../../shared/timeline-import/types';

export interface TimelineImportOptions {
  key: string;
  file: string;
  format: string | undefined;
  dryRun: boolean;
  timeZone?: string;
  json: boolean;
}

function readFolder(dir: string): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string, depth: number) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && depth < 2) walk(p, depth + 1);
      else if (e.isFile() && e.name.endsWith('.json')) files[relative(dir, p).split('\\').join('/')] = readFileSync(p);
    }
  };
  walk(dir, 0);
  return zipSync(files, { level: 0 });
}

export async function timelineImportCommand(app: App, o: TimelineImportOptions, io: Io): Promise<number> {
  if (!o.format || !(TIMELINE_IMPORT_FORMATS as readonly string[]).includes(o.format)) {
    throw new ApiError('VALIDATION', `--format must be one of ${TIMELINE_IMPORT_FORMATS.join(', ')}`, { issues: [{ field: 'format', message: o.format ? `unknown format "${o.format}"` : 'required' }] });
  }
  let st;
  try {
    st = statSync(o.file);
  } catch {
    throw new ApiError('VALIDATION', `File not found: ${o.file}`, { issues: [{ field: 'file', message: 'not found' }] });
  }
  const format = o.format as TimelineImportFormat;
  const bytes = st.isDirectory() ? readFolder(o.file) : readFileSync(o.file);
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const r = await app.call('timeline:import', {
    key: o.key, format, fileName: basename(o.file), dryRun: o.dryRun, timeZone: o.timeZone,
    ...(zip ? { base64: Buffer.from(bytes).toString('base64') } : { text: Buffer.from(bytes).toString('utf8') }),
  });
  if (o.json) {
    io.out(JSON.stringify(r, null, 2) + '\n');
    return r.problems.length ? 2 : 0;
  }
  for (const e of r.events) io.out(`${e.status === 'new' ? '+' : '='} ${e.occurredAt.replace('T', ' ').replace(/\.000Z$/, 'Z')}  [${e.kind}] ${e.body.length > 160 ? e.body.slice(0, 159) + '…' : e.body}\n`);
  if (r.total > r.events.length) io.out(`… and ${r.total - r.events.length} more\n`);
  const skipped = Object.entries(r.skipped).map(([why, n]) => `${n} ${why}`).join(', ');
  for (const p of r.problems) io.err(`${basename(o.file)}: ${p.at}: ${p.field}: ${p.message}\n`);
  io.out(
    `${r.dryRun ? 'Dry run: would add' : 'Added'} ${r.added} event${r.added === 1 ? '' : 's'} to ${o.key}` +
      `${r.existing ? ` (${r.existing} already on the timeline)` : ''}${skipped ? `; skipped ${skipped}` : ''}.\n`,
  );
  return r.problems.length ? 2 : 0;
}
