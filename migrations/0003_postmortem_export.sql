-- Postmortem documents, action items, generated runbooks and exports to git repositories.
CREATE TABLE action_items (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  title       TEXT NOT NULL,
  owner       TEXT NOT NULL DEFAULT '',
  due_date    TEXT,
  type        TEXT NOT NULL CHECK (type IN ('detective','preventative','corrective')),
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','in_progress','done')),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX action_items_by_incident ON action_items(incident_id);

-- The user's document and the last generated text it was based on (for three-way merges).
CREATE TABLE documents (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('postmortem','runbook')),
  content     TEXT NOT NULL,
  generated   TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (incident_id, kind)
);

CREATE TABLE export_settings (
  repo_path       TEXT PRIMARY KEY,
  runbooks_dir    TEXT NOT NULL DEFAULT 'runbooks',
  tests_dir       TEXT NOT NULL DEFAULT 'tests/regression',
  postmortems_dir TEXT NOT NULL DEFAULT 'postmortems',
  updated_at      TEXT NOT NULL
);

CREATE TABLE exports (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  repo_path   TEXT NOT NULL,
  branch      TEXT NOT NULL,
  commit_sha  TEXT NOT NULL,
  files       TEXT NOT NULL, -- JSON [{path, sha256}]
  created_at  TEXT NOT NULL
);
CREATE INDEX exports_by_repo ON exports(repo_path, created_at);
