-- Incidents, the guided six-phase flow, roles, checklists and the timeline.
CREATE TABLE incidents (
  id                     INTEGER PRIMARY KEY,
  seq                    INTEGER NOT NULL UNIQUE,
  key                    TEXT NOT NULL UNIQUE,
  title                  TEXT NOT NULL,
  service                TEXT NOT NULL DEFAULT '',
  severity               TEXT NOT NULL CHECK (severity IN ('SEV1','SEV2','SEV3','SEV4')),
  failure_class          TEXT NOT NULL CHECK (failure_class IN ('data','training','validation','packaging','deployment','serving','live_behaviour')),
  root_cause_origin      TEXT CHECK (root_cause_origin IN ('data','code','config','dependency','infrastructure','process')),
  summary                TEXT NOT NULL DEFAULT '',
  impact                 TEXT NOT NULL DEFAULT '',
  hypothesis             TEXT NOT NULL DEFAULT '',
  mitigation             TEXT NOT NULL DEFAULT '',
  mitigation_verified_at TEXT,
  resolution             TEXT NOT NULL DEFAULT '',
  lessons                TEXT NOT NULL DEFAULT '',
  phase                  TEXT NOT NULL CHECK (phase IN ('acknowledge','assess','investigate','mitigate','resolve','review','closed')),
  is_drill               INTEGER NOT NULL DEFAULT 0 CHECK (is_drill IN (0,1)),
  detected_at            TEXT NOT NULL,
  started_at             TEXT,
  closed_at              TEXT,
  created_at             TEXT NOT NULL,
  updated_at             TEXT NOT NULL
);
CREATE INDEX incidents_updated ON incidents(updated_at);
CREATE INDEX incidents_phase ON incidents(phase);

CREATE TABLE phase_entries (
  incident_id  INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  phase        TEXT NOT NULL,
  entered_at   TEXT NOT NULL,
  exited_at    TEXT,
  early_reason TEXT,
  PRIMARY KEY (incident_id, phase)
);

CREATE TABLE incident_roles (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  role        TEXT NOT NULL CHECK (role IN ('incident_commander','scribe','comms_lead','ops_lead')),
  person      TEXT NOT NULL,
  PRIMARY KEY (incident_id, role)
);

CREATE TABLE checklist_items (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  phase       TEXT NOT NULL,
  item_id     TEXT NOT NULL,
  checked_at  TEXT NOT NULL,
  PRIMARY KEY (incident_id, phase, item_id)
);

CREATE TABLE timeline_events (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('note','action','evidence','decision','phase_change','comms')),
  body        TEXT NOT NULL,
  phase       TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  captured_at TEXT NOT NULL,
  edited_at   TEXT,
  deleted_at  TEXT
);
CREATE INDEX timeline_by_incident ON timeline_events(incident_id, occurred_at);
