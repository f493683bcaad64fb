-- Issue 12 budgets: an incident INSERT read every incident-field row of the search index.
-- search_incident_insert (0008) picked its new search_docs rows with `src BETWEEN 0 AND 6 AND ref = ?`:
-- on the (src, ref) index that is a range over src, so every row of sources 0-6 was read to find this
-- incident's: ~25 ms per new incident at 50k incidents, and generating a 100k store became quadratic.
-- Same trigger, the sources listed so each is one index lookup.
DROP TRIGGER search_incident_insert;
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
    FROM search_docs d WHERE d.src IN (0, 1, 2, 3, 4, 5, 6) AND d.ref = NEW.id;
END;
