// Timeline import (issue 13): an export from chat, the pager or alerting becomes timeline events at their
// own times. Each event keeps its source key (migration 0007's timeline_events.source_key), so importing
// the same file again — or a later export that overlaps it — adds only what is new. An event the user
// deleted after an import stays deleted (its key still counts as imported). Bodies are redacted
// (shared/redact) before they are stored: chat is where tokens get pasted.
import type { Db } from '../store/db';
import { writeTx } from '../store/tx';
import { ApiError } from '../../shared/api/errors';
import type { ParsedInput } from '../../shared/api/contract';
import { PHASES, type Phase } from '../../shared/domain';
import { parseTimelineExport, type ParsedImport } from '../../shared/timeline-import/index';
import { redactText } from '../../shared/redact/index';
import type { TimelineImportResult } from '../../shared/timeline-import/result';
import { rows, type IncidentRow, type PhaseEntryRow, type TimelineEventRow } from '../store/rows';

/** Events shown in a preview or result (the counts cover all). */
const SHOWN = 500;

export class TimelineImportService {
  constructor(
    private db: Db,
    private now: () => string,
  ) {}

  parse(input: ParsedInput<'timeline:import'>): ParsedImport {
    const file = input.fileName ?? `${input.format} export`;
    const bytes = input.base64 !== undefined ? Uint8Array.from(Buffer.from(input.base64, 'base64')) : undefined;
    try {
      return parseTimelineExport(input.format, bytes ? { bytes } : { text: input.text ?? '' }, { fileName: file, timeZone: input.timeZone });
    } catch (e) {
      const message = (e as Error).message;
      throw new ApiError('VALIDATION', message.includes(file) ? message : `${file}: ${message}`, { issues: [{ field: input.timeZone && /time zone/.test(message) ? 'timeZone' : 'text', message }] });
    }
  }

  run(input: ParsedInput<'timeline:import'>): TimelineImportResult {
    const parsed = this.parse(input);
    const file = input.fileName ?? `${input.format} export`;
    const write = () => {
      const inc = rows<Pick<IncidentRow, 'id' | 'key' | 'phase' | 'revision'>>(this.db, 'SELECT id, key, phase, revision FROM incidents WHERE key = ?').get(input.key);
      if (!inc) throw new ApiError('NOT_FOUND', `No incident ${input.key}`, { issues: [{ field: 'key', message: `no incident ${input.key}` }] });
      if (!input.dryRun && input.baseRevision !== undefined && input.baseRevision !== inc.revision) {
        throw new ApiError('CONFLICT', `${input.key} was changed elsewhere after this import was prepared (revision ${inc.revision}, not ${input.baseRevision}); nothing was imported. Preview it again.`, { revision: inc.revision, baseRevision: input.baseRevision, stale: true });
      }
      const known = new Set(
        rows<Pick<TimelineEventRow, 'source_key'>>(this.db, 'SELECT source_key FROM timeline_events WHERE incident_id = ? AND source_key IS NOT NULL').all(inc.id).map((r) => r.source_key),
      );
      const entries = rows<Pick<PhaseEntryRow, 'phase' | 'entered_at'>>(this.db, 'SELECT phase, entered_at FROM phase_entries WHERE incident_id = ? ORDER BY entered_at').all(inc.id);
      const phaseAt = (iso: string): Phase => {
        let p: Phase = 'acknowledge';
        for (const e of entries) if (e.entered_at <= iso && (PHASES as readonly string[]).includes(e.phase)) p = e.phase;
        return p;
      };
      const fresh = parsed.events.filter((e) => !known.has(e.sourceKey));
      if (!input.dryRun && fresh.length) {
        if (parsed.problems.length) throw problemsError(file, parsed);
        const now = this.now();
        const ins = this.db.prepare('INSERT INTO timeline_events (incident_id, kind, body, phase, occurred_at, captured_at, source_key) VALUES (?, ?, ?, ?, ?, ?, ?)');
        for (const e of fresh) ins.run(inc.id, e.kind, redactText(e.body).slice(0, 20_000), phaseAt(e.occurredAt), e.occurredAt, now, e.sourceKey);
        this.db.prepare('UPDATE incidents SET revision = revision + 1, updated_at = ? WHERE id = ?').run(now, inc.id);
      } else if (!input.dryRun && parsed.problems.length) throw problemsError(file, parsed);
      const revision = rows<Pick<IncidentRow, 'revision'>>(this.db, 'SELECT revision FROM incidents WHERE id = ?').get(inc.id)!.revision;
      return {
        format: parsed.format,
        dryRun: !!input.dryRun,
        total: parsed.events.length,
        added: fresh.length,
        existing: parsed.events.length - fresh.length,
        skipped: parsed.skipped,
        problems: parsed.problems.slice(0, 200),
        revision,
        events: parsed.events.slice(0, SHOWN).map((e) => ({
          sourceKey: e.sourceKey, occurredAt: e.occurredAt, sourceTime: e.sourceTime, kind: e.kind, author: e.author,
          body: redactText(e.body), status: known.has(e.sourceKey) ? ('exists' as const) : ('new' as const),
        })),
      };
    };
    return input.dryRun ? write() : writeTx(this.db, write);
  }
}

function problemsError(file: string, parsed: ParsedImport): ApiError {
  const p = parsed.problems;
  const first = p[0];
  return new ApiError(
    'VALIDATION',
    `${file}: ${p.length} record${p.length === 1 ? '' : 's'} cannot be imported — ${first.at}, ${first.field}: ${first.message}. Nothing was imported; fix the file (or remove those records) and import again.`,
    { issues: p.slice(0, 50).map((x) => ({ field: `${x.at}.${x.field}`, message: x.message })) },
  );
}
