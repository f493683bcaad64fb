-- Issue 15: a team's incident history on git (main/services/team*.ts).
-- Every synced record gets a globally unique id, a ULID (26 Crockford base-32 characters: 48 bits of
-- milliseconds, 80 random bits). It is made here, in SQL, by an AFTER INSERT trigger on each table, so every
-- writer (services, bundle import, drills, sync itself) gets one in its own transaction; rows from before
-- this migration get one from their creation time. Sync writes the ids it pulls, so the trigger leaves them.

ALTER TABLE incidents ADD COLUMN uid TEXT;
UPDATE incidents SET uid = substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 45) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 40) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 35) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 30) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 25) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 20) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 15) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 10) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 5) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 0) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) WHERE uid IS NULL;
CREATE UNIQUE INDEX incidents_by_uid ON incidents(uid);
CREATE TRIGGER incidents_uid AFTER INSERT ON incidents WHEN NEW.uid IS NULL
BEGIN
  UPDATE incidents SET uid = substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 45) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 40) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 35) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 30) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 25) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 20) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 15) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 10) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 5) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 0) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) WHERE rowid = NEW.rowid;
END;

ALTER TABLE timeline_events ADD COLUMN uid TEXT;
UPDATE timeline_events SET uid = substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 45) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 40) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 35) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 30) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 25) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 20) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 15) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 10) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 5) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 0) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) WHERE uid IS NULL;
CREATE UNIQUE INDEX timeline_events_by_uid ON timeline_events(uid);
CREATE TRIGGER timeline_events_uid AFTER INSERT ON timeline_events WHEN NEW.uid IS NULL
BEGIN
  UPDATE timeline_events SET uid = substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 45) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 40) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 35) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 30) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 25) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 20) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 15) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 10) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 5) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 0) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) WHERE rowid = NEW.rowid;
END;

ALTER TABLE findings ADD COLUMN uid TEXT;
UPDATE findings SET uid = substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 45) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 40) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 35) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 30) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 25) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 20) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 15) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 10) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 5) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 0) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) WHERE uid IS NULL;
CREATE UNIQUE INDEX findings_by_uid ON findings(uid);
CREATE TRIGGER findings_uid AFTER INSERT ON findings WHEN NEW.uid IS NULL
BEGIN
  UPDATE findings SET uid = substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 45) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 40) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 35) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 30) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 25) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 20) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 15) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 10) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 5) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 0) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) WHERE rowid = NEW.rowid;
END;

ALTER TABLE action_items ADD COLUMN uid TEXT;
UPDATE action_items SET uid = substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 45) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 40) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 35) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 30) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 25) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 20) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 15) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 10) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 5) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(created_at) - 2440587.5) * 86400000 AS INTEGER) >> 0) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) WHERE uid IS NULL;
CREATE UNIQUE INDEX action_items_by_uid ON action_items(uid);
CREATE TRIGGER action_items_uid AFTER INSERT ON action_items WHEN NEW.uid IS NULL
BEGIN
  UPDATE action_items SET uid = substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 45) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 40) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 35) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 30) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 25) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 20) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 15) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 10) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 5) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 0) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) WHERE rowid = NEW.rowid;
END;

ALTER TABLE artifacts ADD COLUMN uid TEXT;
UPDATE artifacts SET uid = substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 45) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 40) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 35) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 30) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 25) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 20) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 15) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 10) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 5) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday(captured_at) - 2440587.5) * 86400000 AS INTEGER) >> 0) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) WHERE uid IS NULL;
CREATE UNIQUE INDEX artifacts_by_uid ON artifacts(uid);
CREATE TRIGGER artifacts_uid AFTER INSERT ON artifacts WHEN NEW.uid IS NULL
BEGIN
  UPDATE artifacts SET uid = substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 45) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 40) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 35) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 30) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 25) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 20) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 15) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 10) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 5) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 0) & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (random() & 31) + 1, 1) WHERE rowid = NEW.rowid;
END;

-- Who wrote a timeline entry: the team member (git user.name) whose sync first pushed it; NULL = this
-- machine, not pushed yet.
ALTER TABLE timeline_events ADD COLUMN author TEXT;

-- The one team this database syncs with. member_no is allotted at join (members/NNN.json in the repository,
-- the first free number) and makes this machine's readable keys: INC-<member 3 digits><counter 4+ digits>.
-- base_commit: the commit the database was last merged with (the three-way merge's base).
CREATE TABLE team_state (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  remote         TEXT NOT NULL,
  branch         TEXT NOT NULL DEFAULT 'main',
  clone_dir      TEXT NOT NULL,
  member_no      INTEGER NOT NULL CHECK (member_no BETWEEN 1 AND 999),
  member_name    TEXT NOT NULL DEFAULT '',
  member_email   TEXT NOT NULL DEFAULT '',
  base_commit    TEXT,
  last_synced_at TEXT,
  last_attempt_at TEXT,
  last_result    TEXT, -- JSON TeamSyncResult of the last sync (or its error)
  joined_at      TEXT NOT NULL
);

-- Incidents changed locally since they were last merged (the sync queue). seq grows with every change, so a
-- sync clears only what it saw. Writes made by the sync itself (while team_importing has its row) do not queue.
-- The triggers delete, then insert (no conflict clause: a writer's own OR IGNORE / UPSERT would override it).
CREATE TABLE team_dirty (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL UNIQUE REFERENCES incidents(id) ON DELETE CASCADE
);
CREATE TABLE team_importing (id INTEGER PRIMARY KEY CHECK (id = 1));
-- Incidents that have been in the repository (their keys never change again).
CREATE TABLE team_known (uid TEXT PRIMARY KEY) WITHOUT ROWID;

-- Same-field conflicts, as the repository holds them (incident.json "conflicts"): the field keeps `kept`,
-- `other` is the value member `other_by` had; resolved by team:resolve.
CREATE TABLE team_conflicts (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  path        TEXT NOT NULL,
  base        TEXT, -- JSON
  kept        TEXT, -- JSON
  kept_by     TEXT NOT NULL DEFAULT '',
  other       TEXT, -- JSON
  other_by    TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (incident_id, path)
);

-- What an artifact's bytes are in the repository: the masked content's hash (or, over the size limit, the
-- original's hash with only the reference travelling), its size and which member holds the original.
CREATE TABLE team_blob_map (
  sha256  TEXT PRIMARY KEY,
  content TEXT NOT NULL,
  stored  TEXT NOT NULL CHECK (stored IN ('repo','reference')),
  size    INTEGER NOT NULL,
  holder  TEXT NOT NULL
) WITHOUT ROWID;

-- Artifacts pulled without their bytes (over the size limit on the machine that has them).
CREATE TABLE team_remote_artifacts (
  uid         TEXT PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  json        TEXT NOT NULL
);
CREATE TRIGGER team_dirty_incidents_insert AFTER INSERT ON incidents WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.id);
END;
CREATE TRIGGER team_dirty_incidents_update AFTER UPDATE OF seq, key, title, service, severity, failure_class, root_cause_origin, summary, impact, hypothesis, mitigation, mitigation_verified_at, resolution, lessons, phase, is_drill, detected_at, started_at, closed_at ON incidents WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.id);
END;
CREATE TRIGGER team_dirty_timeline_events_insert AFTER INSERT ON timeline_events WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_timeline_events_update AFTER UPDATE OF kind, body, phase, occurred_at, edited_at, deleted_at, source_key ON timeline_events WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_findings_insert AFTER INSERT ON findings WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_findings_update AFTER UPDATE ON findings WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_findings_delete AFTER DELETE ON findings WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = OLD.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT OLD.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = OLD.incident_id);
END;
CREATE TRIGGER team_dirty_action_items_insert AFTER INSERT ON action_items WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_action_items_update AFTER UPDATE ON action_items WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_action_items_delete AFTER DELETE ON action_items WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = OLD.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT OLD.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = OLD.incident_id);
END;
CREATE TRIGGER team_dirty_artifacts_insert AFTER INSERT ON artifacts WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_artifacts_update AFTER UPDATE ON artifacts WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_documents_insert AFTER INSERT ON documents WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_documents_update AFTER UPDATE ON documents WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_incident_roles_insert AFTER INSERT ON incident_roles WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_incident_roles_update AFTER UPDATE ON incident_roles WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_incident_roles_delete AFTER DELETE ON incident_roles WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = OLD.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT OLD.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = OLD.incident_id);
END;
CREATE TRIGGER team_dirty_checklist_items_insert AFTER INSERT ON checklist_items WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_checklist_items_delete AFTER DELETE ON checklist_items WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = OLD.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT OLD.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = OLD.incident_id);
END;
CREATE TRIGGER team_dirty_phase_entries_insert AFTER INSERT ON phase_entries WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_phase_entries_update AFTER UPDATE ON phase_entries WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_drills_insert AFTER INSERT ON drills WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;
CREATE TRIGGER team_dirty_drills_update AFTER UPDATE ON drills WHEN NOT EXISTS (SELECT 1 FROM team_importing)
BEGIN
  DELETE FROM team_dirty WHERE incident_id = NEW.incident_id;
  INSERT INTO team_dirty (incident_id) SELECT NEW.incident_id WHERE EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id);
END;

-- The uid trigger's own UPDATE (and the author stamp) must not count as a change of a drill: the drill
-- revision triggers of 0004 are re-made with the columns they are about.
DROP TRIGGER drills_revision_incident;
CREATE TRIGGER drills_revision_incident AFTER UPDATE OF seq, key, title, service, severity, failure_class, root_cause_origin, summary, impact,
  hypothesis, mitigation, mitigation_verified_at, resolution, lessons, phase, is_drill, detected_at, started_at, closed_at, created_at, updated_at, revision
  ON incidents WHEN NEW.is_drill = 1
BEGIN
  UPDATE drills SET revision = revision + 1 WHERE incident_id = NEW.id;
END;
DROP TRIGGER drills_revision_event_update;
CREATE TRIGGER drills_revision_event_update AFTER UPDATE OF incident_id, kind, body, phase, occurred_at, captured_at, edited_at, deleted_at, source_key ON timeline_events
BEGIN
  UPDATE drills SET revision = revision + 1 WHERE incident_id = NEW.incident_id;
END;
