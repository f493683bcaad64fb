// The search index's triggers run inside every write: each lookup they make must be an index search,
// never a scan or a range over a whole source (migration 0011: an incident INSERT used to read every
// incident-field row of the index, ~25 ms per new incident at 50k incidents).
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, tempApp } from './helpers';

let env: ReturnType<typeof tempApp>;
afterEach(() => env?.cleanup());

describe('search index triggers', () => {
  it('look up their search_docs rows by index, whatever the store size', async () => {
    env = tempApp(new ManualClock());
    const db = env.app.db;
    const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%FROM search_docs%'").all() as { name: string; sql: string }[];
    expect(triggers.map((t) => t.name)).toContain('search_incident_insert');
    for (const t of triggers) {
      // Each `FROM search_docs … WHERE …` of the body, with NEW./OLD. values as parameters.
      for (const m of t.sql.matchAll(/FROM search_docs( d)? WHERE ([^;\n]+)/g)) {
        let where = m[2].replace(/\(CASE[^)]*END\)/g, '?').replace(/\b(NEW|OLD)\.\w+/g, '?');
        // Cut where an enclosing sub-select closes.
        for (let depth = 0, i = 0; i < where.length; i++) {
          depth += where[i] === '(' ? 1 : where[i] === ')' ? -1 : 0;
          if (depth < 0) (where = where.slice(0, i)), (i = where.length);
        }
        const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM search_docs${m[1] ?? ''} WHERE ${where}`).all(...Array(where.split('?').length - 1).fill(1)) as { detail: string }[]).map((r) => r.detail).join(' | ');
        expect(plan, `${t.name}: ${where}`).toMatch(/^SEARCH \S+ USING (COVERING )?INDEX \w+ \(\w+=\?( AND \w+=\?)*\)$/);
      }
    }
    // And the incident's fields are still indexed on insert.
    const inc = await env.app.call('incident:create', { title: 'Quokka drift', severity: 'SEV3', failureClass: 'data', summary: 'wombat summary', impact: 'numbat impact' });
    for (const w of ['quokka', 'wombat', 'numbat']) expect((await env.app.call('search:query', { query: w })).hits.map((h) => h.key), w).toEqual([inc.key]);
  });
});
