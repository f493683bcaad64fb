// Secrets (issue 8): the database's fingerprint key, revealing an artifact's unmasked text (desktop
// only, logged), and the salted hash a regression test about a secret pins.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Db } from '../store/db';
import { rows } from '../store/rows';
import type { ArtifactService } from './artifacts';
import type { IncidentService } from './incidents';
import type { ParsedInput } from '../../shared/api/contract';
import type { ArtifactContent } from '../../shared/artifacts';
import type { Change } from '../../shared/diff/types';
import { SALTED_HASH_ALGORITHM, SALTED_HASH_ITERATIONS, newFingerprintKey, redactText, type SaltedHash } from '../../shared/redact/index';
import { SECRET_GEN_KIND, secretTestForChange, secretValueAt, type SecretTestParams } from '../../shared/generators/secretTests';

/** The database's fingerprint key (created on first use); a read-only or in-memory store gets a fresh one. */
export function fingerprintKeyOf(db: Db): string {
  try {
    const r = rows<{ key_hex: string }>(db, 'SELECT key_hex FROM redaction_key WHERE id = 1').get();
    if (r) return r.key_hex;
    const key = newFingerprintKey();
    db.prepare('INSERT INTO redaction_key (id, key_hex, created_at) VALUES (1, ?, ?)').run(key, new Date().toISOString());
    return key;
  } catch {
    return newFingerprintKey();
  }
}

export class SecretService {
  constructor(
    private artifacts: ArtifactService,
    private incidents: IncidentService,
  ) {}

  /** artifact:reveal — the unmasked text, with a timeline entry saying who saw which artifact unmasked. */
  reveal(input: ParsedInput<'artifact:reveal'>): ArtifactContent {
    const a = this.artifacts.get(input.key, input.id);
    const content = this.artifacts.content(input.key, input.id, { reveal: true });
    const what = content.masked ? `${content.masked} secret value${content.masked === 1 ? '' : 's'}` : 'no detected secret';
    const reason = input.reason?.trim() ? ` Reason: ${redactText(input.reason.trim())}` : '';
    this.incidents.addEvent({ key: input.key, kind: 'action', body: `Revealed the unmasked text of artifact #${a.id} ${a.name} (${what}) in the desktop app.${reason}` });
    return content;
  }

  /**
   * The secret test for a finding made from `change`: the last-known-good value is read from the
   * before artifact and hashed (PBKDF2, random salt); null when the change is not about a secret or the
   * value cannot be found.
   */
  testFor(key: string, change: Change, beforeId: number | undefined): { genKind: typeof SECRET_GEN_KIND; params: SecretTestParams } | null {
    const loc = secretTestForChange(change);
    if (!loc || !beforeId) return null;
    let text: string | null;
    let kind;
    try {
      const a = this.artifacts.get(key, beforeId);
      kind = a.kind;
      text = this.artifacts.rawText(key, beforeId);
    } catch {
      return null;
    }
    if (text === null) return null;
    const value = secretValueAt(text, kind, loc);
    if (value === null) return null;
    const h = nodeSaltedHash(value);
    return { genKind: SECRET_GEN_KIND, params: { ...loc, ...h } as SecretTestParams };
  }
}

/** shared/redact saltedHash, computed by node's native PBKDF2 (same algorithm and parameters, ~7× faster than pure JS). */
export function nodeSaltedHash(value: string): SaltedHash {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(Buffer.from(value, 'utf8'), salt, SALTED_HASH_ITERATIONS, 32, 'sha256');
  return { algorithm: SALTED_HASH_ALGORITHM, iterations: SALTED_HASH_ITERATIONS, salt: salt.toString('hex'), hash: hash.toString('hex') };
}
