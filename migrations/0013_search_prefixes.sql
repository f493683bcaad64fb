-- Issue 12 budgets: search answers as you type within 10 ms on 100k incidents.
-- 1. Prefix indexes for 2 to 6 characters (were 2 and 3). FTS5 answers a prefix query of an indexed
--    length from one posting list, newest first, stopping at the window; any other length merges the
--    whole posting list of every completion before yielding a row (~8 ms for "scor", whose completion
--    "scoring" is in 160k texts). Typing a word goes through its first six letters; a longer prefix is
--    tried as the word itself first (main/services/search.ts). The index is ~50% larger.
--    The prefix option is fixed when an FTS5 table is made: the table is made again with the same
--    rowids (search_docs keeps pointing at them) and the triggers of 0008/0011, which name it, go on
--    writing to it.
CREATE TABLE search_fts_copy AS SELECT rowid AS id, title, body, meta FROM search_fts;
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(
  title, body, meta,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4 5 6'
);
INSERT INTO search_fts (rowid, title, body, meta) SELECT id, title, body, meta FROM search_fts_copy ORDER BY id;
DROP TABLE search_fts_copy;
INSERT INTO search_fts (search_fts) VALUES ('optimize');

-- 2. Drills, listed by a partial index: a search without filters leaves drills' texts out before it
--    takes the newest matches (a drill run after an incident would otherwise fill the window with its
--    own notes and hide every real match), and reads them from this index, not from every incident.
CREATE INDEX incidents_drills ON incidents(id) WHERE is_drill = 1;
