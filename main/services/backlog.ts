// The follow-up backlog: action items across real incidents, open and overdue, by owner and type.
import type { Db } from '../store/db';
import type { ParsedInput } from '../../shared/api/contract';
import { ACTION_ITEM_TYPES, type ActionItemType } from '../../shared/generators/types';
import { daysBetween, type Backlog, type BacklogItem, type BacklogOwnerCount } from '../../shared/backlog';
import type { IncidentStatus } from '../../shared/domain';
import { rows, type ActionItemRow, type CountRow, type IncidentRow } from '../store/rows';

/** An action item with its incident, as the backlog lists it. */
type BacklogRow = ActionItemRow & Pick<IncidentRow, 'key' | 'severity'> & { incident_title: string; incident_phase: IncidentStatus };
/** Open items per owner and type. */
interface OwnerTypeRow {
  owner: string;
  type: ActionItemType;
  open: number;
  overdue: number | null;
}

export class BacklogService {
  constructor(
    private db: Db,
    private now: () => string = () => new Date().toISOString(),
  ) {}

  /** Today's date (UTC) — what "overdue" is judged against. */
  today(): string {
    return this.now().slice(0, 10);
  }

  backlog(input: ParsedInput<'action:backlog'>): Backlog {
    const today = this.today();
    const where = ['i.is_drill = 0'];
    const args: Record<string, unknown> = { today };
    if (input.open || input.overdue) where.push("a.status <> 'done'");
    if (input.overdue) where.push('a.due_date < @today');
    if (input.status) (where.push('a.status = @status'), (args.status = input.status));
    if (input.type) (where.push('a.type = @type'), (args.type = input.type));
    if (input.owner !== undefined) (where.push('a.owner = @owner COLLATE NOCASE'), (args.owner = input.owner.trim()));
    if (input.key) (where.push('i.key = @key'), (args.key = input.key));
    const cond = where.join(' AND ');
    const limit = input.limit ?? 500;
    const found = rows<BacklogRow>(
      this.db,
      `SELECT a.*, i.key, i.title AS incident_title, i.phase AS incident_phase, i.severity
         FROM action_items a JOIN incidents i ON i.id = a.incident_id WHERE ${cond}
         ORDER BY a.status = 'done', a.due_date IS NULL, a.due_date, a.id LIMIT ${limit}`,
    ).all(args);
    const total = rows<CountRow>(this.db, `SELECT COUNT(*) AS n FROM action_items a JOIN incidents i ON i.id = a.incident_id WHERE ${cond}`).get(args)!.n;
    const items: BacklogItem[] = found.map((r) => {
      const overdue = r.status !== 'done' && !!r.due_date && r.due_date < today;
      return {
        id: r.id, title: r.title, owner: r.owner, dueDate: r.due_date, type: r.type, status: r.status,
        key: r.key, incidentTitle: r.incident_title, incidentPhase: r.incident_phase, severity: r.severity,
        overdue, daysOverdue: overdue ? daysBetween(r.due_date!, today) : 0, createdAt: r.created_at, updatedAt: r.updated_at,
      };
    });
    return { today, items, total, counts: this.counts(today) };
  }

  private counts(today: string): Backlog['counts'] {
    const groups = rows<OwnerTypeRow>(
      this.db,
      `SELECT a.owner, a.type, COUNT(*) AS open, SUM(a.due_date < @today) AS overdue
         FROM action_items a JOIN incidents i ON i.id = a.incident_id
         WHERE a.status <> 'done' AND i.is_drill = 0 GROUP BY a.owner COLLATE NOCASE, a.type`,
    ).all({ today });
    const byType = Object.fromEntries(ACTION_ITEM_TYPES.map((t) => [t, { open: 0, overdue: 0 }])) as Record<ActionItemType, { open: number; overdue: number }>;
    const owners = new Map<string, BacklogOwnerCount>();
    let open = 0;
    let overdue = 0;
    for (const g of groups) {
      const o = g.overdue ?? 0;
      open += g.open;
      overdue += o;
      byType[g.type].open += g.open;
      byType[g.type].overdue += o;
      const k = g.owner.toLowerCase();
      const c = owners.get(k) ?? { owner: g.owner, open: 0, overdue: 0 };
      if (g.owner < c.owner) c.owner = g.owner; // one spelling per owner, whatever the row order
      c.open += g.open;
      c.overdue += o;
      owners.set(k, c);
    }
    const byOwner = [...owners.values()].sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.owner.localeCompare(b.owner));
    return { open, overdue, unowned: owners.get('')?.open ?? 0, byOwner, byType };
  }

}
