-- Artifacts captured from the last-known-good and the failing run; bytes content-addressed.
CREATE TABLE blobs (
  sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  size       INTEGER NOT NULL,
  chunk_size INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
-- Bytes in fixed-size chunks so large files are written and read without holding them whole.
CREATE TABLE blob_chunks (
  sha256 TEXT NOT NULL,
  idx    INTEGER NOT NULL,
  data   BLOB NOT NULL,
  PRIMARY KEY (sha256, idx)
) WITHOUT ROWID;

CREATE TABLE artifacts (
  id            INTEGER PRIMARY KEY,
  incident_id   INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  role          TEXT NOT NULL CHECK (role IN ('last-known-good','failing','other')),
  label         TEXT NOT NULL DEFAULT '',
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL,
  detected_kind TEXT NOT NULL,
  size          INTEGER NOT NULL,
  sha256        TEXT NOT NULL REFERENCES blobs(sha256),
  source_path   TEXT,
  captured_at   TEXT NOT NULL,
  deleted_at    TEXT
);
CREATE INDEX artifacts_by_incident ON artifacts(incident_id, role);

-- Semantic diff results, keyed by content and engine version (same pair diffs once).
CREATE TABLE diff_cache (
  before_sha     TEXT NOT NULL,
  after_sha      TEXT NOT NULL,
  kind           TEXT NOT NULL,
  engine_version INTEGER NOT NULL,
  result         TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  PRIMARY KEY (before_sha, after_sha, kind, engine_version)
) WITHOUT ROWID;

-- Findings: drafts from diff changes or by hand; generators (issue 4) build on these.
CREATE TABLE findings (
  id                INTEGER PRIMARY KEY,
  incident_id       INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  title             TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  failure_class     TEXT NOT NULL,
  root_cause_origin TEXT,
  role              TEXT NOT NULL DEFAULT 'contributing' CHECK (role IN ('root_cause','trigger','contributing','detection_gap')),
  status            TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','accepted','rejected')),
  gen_kind          TEXT,
  params            TEXT NOT NULL DEFAULT '{}',
  evidence          TEXT NOT NULL DEFAULT '{}',
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX findings_by_incident ON findings(incident_id);
