-- Issue 8: secrets never leave the machine unmasked.
-- The key of the fingerprints shown for changed secrets ("fingerprint 1a2b3c4d → 5e6f7a8b"): one per
-- database, random, never exported (bundles and exports carry fingerprints, not the key), so a guessed
-- value cannot be checked against a fingerprint anywhere else.
CREATE TABLE redaction_key (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  key_hex    TEXT NOT NULL CHECK (length(key_hex) = 64),
  created_at TEXT NOT NULL
);

-- Diffs cached before redaction existed may hold secrets in clear: drop them (they are recomputed).
DELETE FROM diff_cache;
