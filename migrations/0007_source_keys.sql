-- Idempotent "save as finding" / "→ timeline" from a diff change (issue 11): the client names the change
-- it saves (`sourceKey`, e.g. "diff:12-13:column.removed:merchant_category:…"); saving it again returns the
-- record made the first time. One live record per incident and source key.
ALTER TABLE findings ADD COLUMN source_key TEXT;
ALTER TABLE timeline_events ADD COLUMN source_key TEXT;
CREATE UNIQUE INDEX findings_by_source ON findings(incident_id, source_key) WHERE source_key IS NOT NULL;
CREATE UNIQUE INDEX timeline_by_source ON timeline_events(incident_id, source_key) WHERE source_key IS NOT NULL AND deleted_at IS NULL;
