-- Guided drills (issue 5): a drill IS an incident flagged is_drill = 1 that runs the same six-phase flow;
-- this table holds what only a drill has: the scenario it runs (snapshot), the cards released, the
-- responder's classification, check order, actions and the stored score. Custom scenarios built from past
-- incidents live beside the library content files.
CREATE TABLE drills (
  id                INTEGER PRIMARY KEY,
  incident_id       INTEGER NOT NULL UNIQUE REFERENCES incidents(id) ON DELETE CASCADE,
  scenario_id       TEXT NOT NULL,
  scenario_version  INTEGER NOT NULL,
  scenario_custom   INTEGER NOT NULL DEFAULT 0 CHECK (scenario_custom IN (0,1)),
  -- The scenario as it was when the drill started: later content edits never change a past drill's debrief.
  scenario_json     TEXT NOT NULL,
  mode              TEXT NOT NULL CHECK (mode IN ('solo','gm')),
  participant       TEXT NOT NULL,
  -- The responder's answers (NULL until given; the last answer counts).
  failure_class     TEXT CHECK (failure_class IN ('data','training','validation','packaging','deployment','serving','live_behaviour')),
  root_cause_origin TEXT CHECK (root_cause_origin IN ('data','code','config','dependency','infrastructure','process')),
  classified_at     TEXT,
  check_order       TEXT, -- JSON array of check ids (a permutation of the scenario's checks)
  ordered_at        TEXT,
  mitigation        TEXT NOT NULL DEFAULT '',
  -- Bumped on every change to the drill or its incident (see triggers), so two views can poll cheaply.
  revision          INTEGER NOT NULL DEFAULT 1,
  started_at        TEXT NOT NULL,
  finished_at       TEXT,
  score             INTEGER CHECK (score BETWEEN 0 AND 100),
  score_json        TEXT,
  updated_at        TEXT NOT NULL
);
CREATE INDEX drills_by_participant ON drills(participant COLLATE NOCASE, started_at);

-- One row per evidence card that was requested or released (absent = still hidden).
CREATE TABLE drill_cards (
  drill_id           INTEGER NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
  card_id            TEXT NOT NULL,
  requested_at       TEXT,
  requested_phase    TEXT,
  released_at        TEXT,
  released_by        TEXT CHECK (released_by IN ('start','request','gm')),
  -- Artifact-pair cards: the two artifacts added to the drill incident on release (diffed by artifact:diff).
  before_artifact_id INTEGER,
  after_artifact_id  INTEGER,
  PRIMARY KEY (drill_id, card_id)
) WITHOUT ROWID;

CREATE TABLE drill_actions (
  drill_id  INTEGER NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
  action_id TEXT NOT NULL,
  taken_at  TEXT NOT NULL,
  phase     TEXT NOT NULL,
  PRIMARY KEY (drill_id, action_id)
);

-- Scenarios authored from resolved incidents; same JSON format as shared/scenarios/library/*.json.
CREATE TABLE custom_scenarios (
  id                 TEXT PRIMARY KEY,
  json               TEXT NOT NULL,
  source_incident_id INTEGER REFERENCES incidents(id) ON DELETE SET NULL,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
);

-- Any change to a drill's incident (phase, fields, roles via updated_at) or timeline bumps the drill's
-- revision, whichever service made it. For incidents that are not drills these touch no row.
CREATE TRIGGER drills_revision_incident AFTER UPDATE ON incidents WHEN NEW.is_drill = 1
BEGIN
  UPDATE drills SET revision = revision + 1 WHERE incident_id = NEW.id;
END;
CREATE TRIGGER drills_revision_event_insert AFTER INSERT ON timeline_events
BEGIN
  UPDATE drills SET revision = revision + 1 WHERE incident_id = NEW.incident_id;
END;
CREATE TRIGGER drills_revision_event_update AFTER UPDATE ON timeline_events
BEGIN
  UPDATE drills SET revision = revision + 1 WHERE incident_id = NEW.incident_id;
END;
