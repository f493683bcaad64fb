-- Issue 12: full-text search (FTS5), change fingerprints for similar incidents, facet counts and
-- indexes for a paged incident list and the follow-up backlog.

-- ── Full-text search ────────────────────────────────────────────────────────────────────────────
-- One row per searchable text. `id` is the FTS rowid; every (re)index takes a new, higher id, so a
-- higher rowid means more recently written (the search ranks a very common term within the most
-- recent matches, see main/services/search.ts). src says what the text is:
--   0 incident title (meta: key + service)  1 summary  2 impact  3 hypothesis  4 mitigation
--   5 resolution  6 lessons  7 timeline event  8 finding  9 postmortem  10 runbook  11 artifact changes
-- ref: the incident id (0–6, 9, 10), the event id (7), the finding id (8), the incident_changes id (11).
CREATE TABLE search_docs (
  id          INTEGER PRIMARY KEY,
  src         INTEGER NOT NULL,
  ref         INTEGER NOT NULL,
  incident_id INTEGER NOT NULL
);
CREATE UNIQUE INDEX search_docs_source ON search_docs(src, ref);
CREATE INDEX search_docs_incident ON search_docs(incident_id);

-- unicode61 without stemming: the palette prefix-matches the word being typed, and a stemmer
-- would turn "scori" (a prefix of "scoring") into a term that matches nothing.
CREATE VIRTUAL TABLE search_fts USING fts5(
  title, body, meta,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);

-- What the responders recorded from the diffs of an incident's proposed artifact pairs (one row per
-- pair that has a cached diff). Written by main/services/similar.ts when an incident is refreshed.
CREATE TABLE incident_changes (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  before_id   INTEGER NOT NULL,
  after_id    INTEGER NOT NULL,
  label       TEXT NOT NULL,  -- "requirements.txt → requirements.txt"
  messages    TEXT NOT NULL,  -- one change message a line, most severe first
  changes     INTEGER NOT NULL
);
CREATE INDEX incident_changes_by_incident ON incident_changes(incident_id);

-- The incident's own fields (src 0–6), one row each that has text; the title row carries key + service.
-- (Triggers spell their rows out instead of reading a view: a trigger is compiled into every statement
-- that fires it, and a compound view made each incident UPDATE ten times dearer to prepare.)
CREATE TRIGGER search_incident_insert AFTER INSERT ON incidents
BEGIN
  INSERT INTO search_docs (src, ref, incident_id) VALUES (0, NEW.id, NEW.id);
  INSERT INTO search_docs (src, ref, incident_id) SELECT 1, NEW.id, NEW.id WHERE NEW.summary <> '';
  INSERT INTO search_docs (src, ref, incident_id) SELECT 2, NEW.id, NEW.id WHERE NEW.impact <> '';
  INSERT INTO search_docs (src, ref, incident_id) SELECT 3, NEW.id, NEW.id WHERE NEW.hypothesis <> '';
  INSERT INTO search_docs (src, ref, incident_id) SELECT 4, NEW.id, NEW.id WHERE NEW.mitigation <> '';
  INSERT INTO search_docs (src, ref, incident_id) SELECT 5, NEW.id, NEW.id WHERE NEW.resolution <> '';
  INSERT INTO search_docs (src, ref, incident_id) SELECT 6, NEW.id, NEW.id WHERE NEW.lessons <> '';
  INSERT INTO search_fts (rowid, title, body, meta)
    SELECT d.id, CASE d.src WHEN 0 THEN NEW.title ELSE '' END,
      CASE d.src WHEN 1 THEN NEW.summary WHEN 2 THEN NEW.impact WHEN 3 THEN NEW.hypothesis WHEN 4 THEN NEW.mitigation
        WHEN 5 THEN NEW.resolution WHEN 6 THEN NEW.lessons ELSE '' END,
      CASE d.src WHEN 0 THEN NEW.key || ' ' || NEW.service ELSE '' END
    FROM search_docs d WHERE d.src BETWEEN 0 AND 6 AND d.ref = NEW.id;
END;
-- One trigger per field, so an edit re-indexes that field's text only (and an UPDATE compiles only the
-- triggers of the columns it sets).
CREATE TRIGGER search_incident_title AFTER UPDATE OF title, key, service ON incidents
WHEN OLD.title IS NOT NEW.title OR OLD.key IS NOT NEW.key OR OLD.service IS NOT NEW.service
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_docs WHERE src = 0 AND ref = OLD.id);
  DELETE FROM search_docs WHERE src = 0 AND ref = OLD.id;
  INSERT INTO search_docs (src, ref, incident_id) VALUES (0, NEW.id, NEW.id);
  INSERT INTO search_fts (rowid, title, body, meta) VALUES (last_insert_rowid(), NEW.title, '', NEW.key || ' ' || NEW.service);
END;
CREATE TRIGGER search_incident_summary AFTER UPDATE OF summary ON incidents WHEN OLD.summary IS NOT NEW.summary
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_docs WHERE src = 1 AND ref = OLD.id);
  DELETE FROM search_docs WHERE src = 1 AND ref = OLD.id;
  INSERT INTO search_docs (src, ref, incident_id) SELECT 1, NEW.id, NEW.id WHERE NEW.summary <> '';
  INSERT INTO search_fts (rowid, title, body, meta) SELECT id, '', NEW.summary, '' FROM search_docs WHERE src = 1 AND ref = NEW.id;
END;
CREATE TRIGGER search_incident_impact AFTER UPDATE OF impact ON incidents WHEN OLD.impact IS NOT NEW.impact
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_docs WHERE src = 2 AND ref = OLD.id);
  DELETE FROM search_docs WHERE src = 2 AND ref = OLD.id;
  INSERT INTO search_docs (src, ref, incident_id) SELECT 2, NEW.id, NEW.id WHERE NEW.impact <> '';
  INSERT INTO search_fts (rowid, title, body, meta) SELECT id, '', NEW.impact, '' FROM search_docs WHERE src = 2 AND ref = NEW.id;
END;
CREATE TRIGGER search_incident_hypothesis AFTER UPDATE OF hypothesis ON incidents WHEN OLD.hypothesis IS NOT NEW.hypothesis
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_docs WHERE src = 3 AND ref = OLD.id);
  DELETE FROM search_docs WHERE src = 3 AND ref = OLD.id;
  INSERT INTO search_docs (src, ref, incident_id) SELECT 3, NEW.id, NEW.id WHERE NEW.hypothesis <> '';
  INSERT INTO search_fts (rowid, title, body, meta) SELECT id, '', NEW.hypothesis, '' FROM search_docs WHERE src = 3 AND ref = NEW.id;
END;
CREATE TRIGGER search_incident_mitigation AFTER UPDATE OF mitigation ON incidents WHEN OLD.mitigation IS NOT NEW.mitigation
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_docs WHERE src = 4 AND ref = OLD.id);
  DELETE FROM search_docs WHERE src = 4 AND ref = OLD.id;
  INSERT INTO search_docs (src, ref, incident_id) SELECT 4, NEW.id, NEW.id WHERE NEW.mitigation <> '';
  INSERT INTO search_fts (rowid, title, body, meta) SELECT id, '', NEW.mitigation, '' FROM search_docs WHERE src = 4 AND ref = NEW.id;
END;
CREATE TRIGGER search_incident_resolution AFTER UPDATE OF resolution ON incidents WHEN OLD.resolution IS NOT NEW.resolution
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_docs WHERE src = 5 AND ref = OLD.id);
  DELETE FROM search_docs WHERE src = 5 AND ref = OLD.id;
  INSERT INTO search_docs (src, ref, incident_id) SELECT 5, NEW.id, NEW.id WHERE NEW.resolution <> '';
  INSERT INTO search_fts (rowid, title, body, meta) SELECT id, '', NEW.resolution, '' FROM search_docs WHERE src = 5 AND ref = NEW.id;
END;
CREATE TRIGGER search_incident_lessons AFTER UPDATE OF lessons ON incidents WHEN OLD.lessons IS NOT NEW.lessons
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_docs WHERE src = 6 AND ref = OLD.id);
  DELETE FROM search_docs WHERE src = 6 AND ref = OLD.id;
  INSERT INTO search_docs (src, ref, incident_id) SELECT 6, NEW.id, NEW.id WHERE NEW.lessons <> '';
  INSERT INTO search_fts (rowid, title, body, meta) SELECT id, '', NEW.lessons, '' FROM search_docs WHERE src = 6 AND ref = NEW.id;
END;
-- Everything of a deleted incident (its children's own triggers run too; this catches the rest).
CREATE TRIGGER search_incident_delete AFTER DELETE ON incidents
BEGIN
  DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE incident_id = OLD.id);
  DELETE FROM search_docs WHERE incident_id = OLD.id;
END;

-- Timeline events (src 7): what people wrote. Phase changes are the flow's own words and stay out; a
-- soft-deleted event leaves the index and comes back when restored.
CREATE TRIGGER search_event_insert AFTER INSERT ON timeline_events WHEN NEW.kind <> 'phase_change' AND NEW.deleted_at IS NULL
BEGIN
  INSERT INTO search_docs (src, ref, incident_id) VALUES (7, NEW.id, NEW.incident_id);
  INSERT INTO search_fts (rowid, title, body, meta) SELECT id, '', NEW.body, '' FROM search_docs WHERE src = 7 AND ref = NEW.id;
END;
CREATE TRIGGER search_event_update AFTER UPDATE OF body, kind, deleted_at ON timeline_events
WHEN OLD.body IS NOT NEW.body OR OLD.kind IS NOT NEW.kind OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
BEGIN
  DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE src = 7 AND ref = OLD.id);
  DELETE FROM search_docs WHERE src = 7 AND ref = OLD.id;
  INSERT INTO search_docs (src, ref, incident_id) SELECT 7, NEW.id, NEW.incident_id WHERE NEW.kind <> 'phase_change' AND NEW.deleted_at IS NULL;
  INSERT INTO search_fts (rowid, title, body, meta) SELECT id, '', NEW.body, '' FROM search_docs WHERE src = 7 AND ref = NEW.id;
END;
CREATE TRIGGER search_event_delete AFTER DELETE ON timeline_events
BEGIN
  DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE src = 7 AND ref = OLD.id);
  DELETE FROM search_docs WHERE src = 7 AND ref = OLD.id;
END;

-- Findings (src 8): title, description and the messages of the changes they carry as evidence.
CREATE TRIGGER search_finding_insert AFTER INSERT ON findings
BEGIN
  INSERT INTO search_docs (src, ref, incident_id) VALUES (8, NEW.id, NEW.incident_id);
  INSERT INTO search_fts (rowid, title, body, meta)
    SELECT last_insert_rowid(), NEW.title, NEW.description || char(10) || coalesce((SELECT group_concat(json_extract(c.value, '$.message'), char(10))
      FROM json_each(CASE WHEN json_valid(NEW.evidence) THEN NEW.evidence ELSE '{}' END, '$.changes') c WHERE json_type(c.value, '$.message') = 'text'), ''), '';
END;
CREATE TRIGGER search_finding_update AFTER UPDATE OF title, description, evidence ON findings
WHEN OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description OR OLD.evidence IS NOT NEW.evidence
BEGIN
  DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE src = 8 AND ref = OLD.id);
  DELETE FROM search_docs WHERE src = 8 AND ref = OLD.id;
  INSERT INTO search_docs (src, ref, incident_id) VALUES (8, NEW.id, NEW.incident_id);
  INSERT INTO search_fts (rowid, title, body, meta)
    SELECT last_insert_rowid(), NEW.title, NEW.description || char(10) || coalesce((SELECT group_concat(json_extract(c.value, '$.message'), char(10))
      FROM json_each(CASE WHEN json_valid(NEW.evidence) THEN NEW.evidence ELSE '{}' END, '$.changes') c WHERE json_type(c.value, '$.message') = 'text'), ''), '';
END;
CREATE TRIGGER search_finding_delete AFTER DELETE ON findings
BEGIN
  DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE src = 8 AND ref = OLD.id);
  DELETE FROM search_docs WHERE src = 8 AND ref = OLD.id;
END;

-- Postmortems (src 9) and runbooks (src 10), keyed by their incident.
CREATE TRIGGER search_document_insert AFTER INSERT ON documents
BEGIN
  INSERT INTO search_docs (src, ref, incident_id) VALUES (CASE NEW.kind WHEN 'runbook' THEN 10 ELSE 9 END, NEW.incident_id, NEW.incident_id);
  INSERT INTO search_fts (rowid, title, body, meta)
    SELECT id, '', NEW.content, '' FROM search_docs WHERE src = (CASE NEW.kind WHEN 'runbook' THEN 10 ELSE 9 END) AND ref = NEW.incident_id;
END;
CREATE TRIGGER search_document_update AFTER UPDATE OF content ON documents WHEN OLD.content IS NOT NEW.content
BEGIN
  DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE src = (CASE OLD.kind WHEN 'runbook' THEN 10 ELSE 9 END) AND ref = OLD.incident_id);
  DELETE FROM search_docs WHERE src = (CASE OLD.kind WHEN 'runbook' THEN 10 ELSE 9 END) AND ref = OLD.incident_id;
  INSERT INTO search_docs (src, ref, incident_id) VALUES (CASE NEW.kind WHEN 'runbook' THEN 10 ELSE 9 END, NEW.incident_id, NEW.incident_id);
  INSERT INTO search_fts (rowid, title, body, meta)
    SELECT id, '', NEW.content, '' FROM search_docs WHERE src = (CASE NEW.kind WHEN 'runbook' THEN 10 ELSE 9 END) AND ref = NEW.incident_id;
END;
CREATE TRIGGER search_document_delete AFTER DELETE ON documents
BEGIN
  DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE src = (CASE OLD.kind WHEN 'runbook' THEN 10 ELSE 9 END) AND ref = OLD.incident_id);
  DELETE FROM search_docs WHERE src = (CASE OLD.kind WHEN 'runbook' THEN 10 ELSE 9 END) AND ref = OLD.incident_id;
END;

-- Artifact changes (src 11); rows are only inserted and deleted.
CREATE TRIGGER search_changes_insert AFTER INSERT ON incident_changes
BEGIN
  INSERT INTO search_docs (src, ref, incident_id) VALUES (11, NEW.id, NEW.incident_id);
  INSERT INTO search_fts (rowid, title, body, meta) SELECT id, NEW.label, NEW.messages, '' FROM search_docs WHERE src = 11 AND ref = NEW.id;
END;
CREATE TRIGGER search_changes_delete AFTER DELETE ON incident_changes
BEGIN
  DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE src = 11 AND ref = OLD.id);
  DELETE FROM search_docs WHERE src = 11 AND ref = OLD.id;
END;

-- Rebuild for an existing database: every text the triggers above would have written, oldest first so
-- rowids follow time. (A view for this statement only; triggers do not read it, see above.)
CREATE TEMP VIEW search_rebuild AS
  SELECT 0 AS src, id AS ref, id AS incident_id, updated_at AS ts, title, '' AS body, key || ' ' || service AS meta FROM incidents
  UNION ALL SELECT 1, id, id, updated_at, '', summary, '' FROM incidents WHERE summary <> ''
  UNION ALL SELECT 2, id, id, updated_at, '', impact, '' FROM incidents WHERE impact <> ''
  UNION ALL SELECT 3, id, id, updated_at, '', hypothesis, '' FROM incidents WHERE hypothesis <> ''
  UNION ALL SELECT 4, id, id, updated_at, '', mitigation, '' FROM incidents WHERE mitigation <> ''
  UNION ALL SELECT 5, id, id, updated_at, '', resolution, '' FROM incidents WHERE resolution <> ''
  UNION ALL SELECT 6, id, id, updated_at, '', lessons, '' FROM incidents WHERE lessons <> ''
  UNION ALL SELECT 7, id, incident_id, captured_at, '', body, '' FROM timeline_events WHERE kind <> 'phase_change' AND deleted_at IS NULL
  UNION ALL SELECT 8, f.id, f.incident_id, f.updated_at, f.title,
    f.description || char(10) || coalesce((SELECT group_concat(json_extract(c.value, '$.message'), char(10))
      FROM json_each(CASE WHEN json_valid(f.evidence) THEN f.evidence ELSE '{}' END, '$.changes') c WHERE json_type(c.value, '$.message') = 'text'), ''), ''
    FROM findings f
  UNION ALL SELECT CASE kind WHEN 'runbook' THEN 10 ELSE 9 END, incident_id, incident_id, updated_at, '', content, '' FROM documents;
INSERT INTO search_docs (src, ref, incident_id) SELECT src, ref, incident_id FROM search_rebuild ORDER BY ts, src, ref;
INSERT INTO search_fts (rowid, title, body, meta)
  SELECT d.id, t.title, t.body, t.meta FROM search_rebuild t JOIN search_docs d ON d.src = t.src AND d.ref = t.ref;
DROP VIEW search_rebuild;

-- ── Similar incidents: normalised change fingerprints ───────────────────────────────────────────
-- e.g. dep:numpy:major-up, column-removed:survived, image:digest→tag, log:<signature>. Computed in
-- main/services/similar.ts from the incident's diffed artifact pairs and its findings' evidence.
CREATE TABLE incident_fingerprints (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  fp          TEXT NOT NULL,
  label       TEXT NOT NULL,   -- for reasons: "numpy 1.x→2.x"
  category    TEXT NOT NULL,   -- dependency, column, data, image, log, config, env, model, other
  PRIMARY KEY (incident_id, fp)
) WITHOUT ROWID;
CREATE INDEX incident_fingerprints_by_fp ON incident_fingerprints(fp, incident_id);

-- How many real (non-drill) incidents carry each fingerprint: the rarity weight's denominator.
CREATE TABLE fingerprint_df (
  fp TEXT PRIMARY KEY,
  n  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER fingerprint_df_insert AFTER INSERT ON incident_fingerprints
WHEN (SELECT is_drill FROM incidents WHERE id = NEW.incident_id) = 0
BEGIN
  INSERT INTO fingerprint_df (fp, n) VALUES (NEW.fp, 1) ON CONFLICT(fp) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER fingerprint_df_delete AFTER DELETE ON incident_fingerprints
WHEN (SELECT is_drill FROM incidents WHERE id = OLD.incident_id) = 0
BEGIN
  UPDATE fingerprint_df SET n = n - 1 WHERE fp = OLD.fp;
  DELETE FROM fingerprint_df WHERE fp = OLD.fp AND n <= 0;
END;
-- Drop a deleted incident's fingerprints while it still exists, so the trigger above can count them
-- out (a cascade would run after the incident row is gone).
CREATE TRIGGER fingerprint_df_incident_delete BEFORE DELETE ON incidents
BEGIN
  DELETE FROM incident_fingerprints WHERE incident_id = OLD.id;
END;

-- Incidents whose changes and fingerprints must be recomputed. Any write path (services, bundle
-- import, drills) marks them here; main/services/similar.ts drains the queue before answering.
CREATE TABLE fingerprint_dirty (incident_id INTEGER PRIMARY KEY);

CREATE TRIGGER fingerprint_dirty_finding_insert AFTER INSERT ON findings
BEGIN INSERT OR IGNORE INTO fingerprint_dirty (incident_id) VALUES (NEW.incident_id); END;
CREATE TRIGGER fingerprint_dirty_finding_update AFTER UPDATE OF evidence, status ON findings
BEGIN INSERT OR IGNORE INTO fingerprint_dirty (incident_id) VALUES (NEW.incident_id); END;
CREATE TRIGGER fingerprint_dirty_finding_delete AFTER DELETE ON findings
BEGIN INSERT OR IGNORE INTO fingerprint_dirty (incident_id) SELECT OLD.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = OLD.incident_id); END;
CREATE TRIGGER fingerprint_dirty_artifact_insert AFTER INSERT ON artifacts
BEGIN INSERT OR IGNORE INTO fingerprint_dirty (incident_id) VALUES (NEW.incident_id); END;
CREATE TRIGGER fingerprint_dirty_artifact_update AFTER UPDATE OF deleted_at, role, kind, label, name ON artifacts
BEGIN INSERT OR IGNORE INTO fingerprint_dirty (incident_id) VALUES (NEW.incident_id); END;
-- A new diff result may belong to any incident holding one of the two files.
CREATE INDEX artifacts_by_sha ON artifacts(sha256);
CREATE TRIGGER fingerprint_dirty_diff AFTER INSERT ON diff_cache
BEGIN
  INSERT OR IGNORE INTO fingerprint_dirty (incident_id)
    SELECT DISTINCT incident_id FROM artifacts WHERE sha256 IN (NEW.before_sha, NEW.after_sha) AND deleted_at IS NULL;
END;
CREATE TRIGGER fingerprint_dirty_incident_delete AFTER DELETE ON incidents
BEGIN DELETE FROM fingerprint_dirty WHERE incident_id = OLD.id; END;

-- Existing databases: every incident with artifacts or findings is computed on first use.
INSERT OR IGNORE INTO fingerprint_dirty (incident_id)
  SELECT incident_id FROM artifacts UNION SELECT incident_id FROM findings;

-- ── A list that scales ──────────────────────────────────────────────────────────────────────────
-- Keyset pages per sort order (severity sorts as text: SEV1 < SEV2 < SEV3 < SEV4).
CREATE INDEX incidents_list_updated ON incidents(updated_at, seq);
CREATE INDEX incidents_list_created ON incidents(created_at, seq);
CREATE INDEX incidents_list_severity ON incidents(severity, updated_at, seq);
CREATE INDEX incidents_list_phase ON incidents(phase, updated_at, seq);
CREATE INDEX incidents_list_class ON incidents(failure_class, updated_at, seq);
CREATE INDEX incidents_list_service ON incidents(service, updated_at, seq);
CREATE INDEX incidents_detected ON incidents(detected_at);

-- Counts per filter value without scanning: one row per (drill, phase, severity, class) combination.
CREATE TABLE incident_facets (
  is_drill      INTEGER NOT NULL,
  phase         TEXT NOT NULL,
  severity      TEXT NOT NULL,
  failure_class TEXT NOT NULL,
  n             INTEGER NOT NULL,
  PRIMARY KEY (is_drill, phase, severity, failure_class)
) WITHOUT ROWID;
INSERT INTO incident_facets (is_drill, phase, severity, failure_class, n)
  SELECT is_drill, phase, severity, failure_class, COUNT(*) FROM incidents GROUP BY 1, 2, 3, 4;

CREATE TRIGGER incident_facets_insert AFTER INSERT ON incidents
BEGIN
  INSERT INTO incident_facets (is_drill, phase, severity, failure_class, n) VALUES (NEW.is_drill, NEW.phase, NEW.severity, NEW.failure_class, 1)
    ON CONFLICT(is_drill, phase, severity, failure_class) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER incident_facets_update AFTER UPDATE OF is_drill, phase, severity, failure_class ON incidents
WHEN OLD.is_drill IS NOT NEW.is_drill OR OLD.phase IS NOT NEW.phase OR OLD.severity IS NOT NEW.severity OR OLD.failure_class IS NOT NEW.failure_class
BEGIN
  UPDATE incident_facets SET n = n - 1 WHERE is_drill = OLD.is_drill AND phase = OLD.phase AND severity = OLD.severity AND failure_class = OLD.failure_class;
  INSERT INTO incident_facets (is_drill, phase, severity, failure_class, n) VALUES (NEW.is_drill, NEW.phase, NEW.severity, NEW.failure_class, 1)
    ON CONFLICT(is_drill, phase, severity, failure_class) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER incident_facets_delete AFTER DELETE ON incidents
BEGIN
  UPDATE incident_facets SET n = n - 1 WHERE is_drill = OLD.is_drill AND phase = OLD.phase AND severity = OLD.severity AND failure_class = OLD.failure_class;
END;

-- ── Follow-up backlog ───────────────────────────────────────────────────────────────────────────
CREATE INDEX action_items_open_due ON action_items(due_date) WHERE status <> 'done';
CREATE INDEX action_items_by_owner ON action_items(owner COLLATE NOCASE, status);
CREATE INDEX action_items_incident_open ON action_items(incident_id, due_date) WHERE status <> 'done';

-- ── Analytics ───────────────────────────────────────────────────────────────────────────────────
-- One narrow row per incident with its response times in milliseconds, kept by triggers, so a summary
-- over 100k incidents reads one small table. Same definitions as the incident page
-- (shared/phases.ts computeMetrics): TTA detection → acknowledge left, TTD start of impact → detection,
-- TTM detection → mitigate left, TTR detection → resolve left; never negative. A mitigation counts as
-- verified when it was marked verified and the mitigate gate was not passed early.
CREATE TABLE incident_timing (
  incident_id   INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
  is_drill      INTEGER NOT NULL,
  detected_at   TEXT NOT NULL,
  month         TEXT NOT NULL,
  severity      TEXT NOT NULL,
  failure_class TEXT NOT NULL,
  service       TEXT NOT NULL,
  origin        TEXT,
  tta_ms        INTEGER,
  ttd_ms        INTEGER,
  ttm_ms        INTEGER,
  ttr_ms        INTEGER,
  verified      INTEGER NOT NULL
);
CREATE INDEX incident_timing_period ON incident_timing(is_drill, detected_at);

CREATE VIEW incident_timing_source AS
SELECT i.id AS incident_id, i.is_drill, i.detected_at, strftime('%Y-%m', i.detected_at) AS month,
  i.severity, i.failure_class, i.service, i.root_cause_origin AS origin,
  CASE WHEN a.exited_at IS NOT NULL THEN max(0, CAST(round((julianday(a.exited_at) - julianday(i.detected_at)) * 86400000) AS INTEGER)) END AS tta_ms,
  CASE WHEN i.started_at IS NOT NULL THEN max(0, CAST(round((julianday(i.detected_at) - julianday(i.started_at)) * 86400000) AS INTEGER)) END AS ttd_ms,
  CASE WHEN m.exited_at IS NOT NULL THEN max(0, CAST(round((julianday(m.exited_at) - julianday(i.detected_at)) * 86400000) AS INTEGER)) END AS ttm_ms,
  CASE WHEN r.exited_at IS NOT NULL THEN max(0, CAST(round((julianday(r.exited_at) - julianday(i.detected_at)) * 86400000) AS INTEGER)) END AS ttr_ms,
  (i.mitigation_verified_at IS NOT NULL AND m.early_reason IS NULL) AS verified
FROM incidents i
LEFT JOIN phase_entries a ON a.incident_id = i.id AND a.phase = 'acknowledge'
LEFT JOIN phase_entries m ON m.incident_id = i.id AND m.phase = 'mitigate'
LEFT JOIN phase_entries r ON r.incident_id = i.id AND r.phase = 'resolve';

INSERT INTO incident_timing SELECT * FROM incident_timing_source;

-- A new incident has no phase exits yet (bundle imports add theirs next, through the triggers below).
CREATE TRIGGER timing_incident_insert AFTER INSERT ON incidents
BEGIN
  INSERT OR REPLACE INTO incident_timing (incident_id, is_drill, detected_at, month, severity, failure_class, service, origin, ttd_ms, verified)
  VALUES (NEW.id, NEW.is_drill, NEW.detected_at, strftime('%Y-%m', NEW.detected_at), NEW.severity, NEW.failure_class, NEW.service, NEW.root_cause_origin,
    CASE WHEN NEW.started_at IS NOT NULL THEN max(0, CAST(round((julianday(NEW.detected_at) - julianday(NEW.started_at)) * 86400000) AS INTEGER)) END,
    NEW.mitigation_verified_at IS NOT NULL);
END;
CREATE TRIGGER timing_incident_update
AFTER UPDATE OF is_drill, detected_at, started_at, severity, failure_class, service, root_cause_origin, mitigation_verified_at ON incidents
BEGIN INSERT OR REPLACE INTO incident_timing SELECT * FROM incident_timing_source WHERE incident_id = NEW.id; END;
CREATE TRIGGER timing_phase_insert AFTER INSERT ON phase_entries
BEGIN INSERT OR REPLACE INTO incident_timing SELECT * FROM incident_timing_source WHERE incident_id = NEW.incident_id; END;
CREATE TRIGGER timing_phase_update AFTER UPDATE ON phase_entries
BEGIN INSERT OR REPLACE INTO incident_timing SELECT * FROM incident_timing_source WHERE incident_id = NEW.incident_id; END;
CREATE TRIGGER timing_phase_delete AFTER DELETE ON phase_entries
BEGIN
  DELETE FROM incident_timing WHERE incident_id = OLD.incident_id AND NOT EXISTS (SELECT 1 FROM incidents WHERE id = OLD.incident_id);
  INSERT OR REPLACE INTO incident_timing SELECT * FROM incident_timing_source WHERE incident_id = OLD.incident_id;
END;
