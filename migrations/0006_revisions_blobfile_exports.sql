-- Issue 10: optimistic concurrency, the blob file, half-finished exports.

-- Every mutation of an incident (fields, phase, roles, checklist, timeline) bumps its revision; a
-- mutation that names the revision it was based on is refused with CONFLICT when it is stale.
ALTER TABLE incidents ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;

-- Artifact bytes captured from now on live in the blob file beside the database (<db>-blobs), in the
-- set named here; rows without one (captured before) keep their chunks in blob_chunks.
ALTER TABLE blobs ADD COLUMN store_set INTEGER;
-- A capture hashes the file first only when content of the same size is stored already.
CREATE INDEX blobs_by_size ON blobs(size);

-- An export in progress: written before git is touched, removed when the export is recorded or rolled
-- back. A row left by a process that died is a half-finished export, offered to finish or discard.
CREATE TABLE export_attempts (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  repo_path   TEXT NOT NULL,
  branch      TEXT NOT NULL,
  head        TEXT NOT NULL,
  worktree    TEXT NOT NULL,
  owner       TEXT NOT NULL,
  started_at  TEXT NOT NULL
);
CREATE INDEX export_attempts_by_repo ON export_attempts(repo_path, branch);
