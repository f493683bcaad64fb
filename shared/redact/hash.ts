// Hashes of secret values: a short keyed fingerprint for "changed" messages, and a salted slow hash
// that generated regression tests pin. Pure JS (@noble/hashes), so it runs in workers and the browser.
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';

// Drawn on first use: randomBytes at import would load WebCrypto in every process that imports this.
let fingerprintKey: Uint8Array | undefined;

/**
 * The key of fingerprint(). Main sets the database's own key (stored in it, never exported), so the
 * same value has the same fingerprint in every diff of that database; without it a random key per
 * process is used (fingerprints then compare only within one run, e.g. one `pmw diff`).
 */
export function setFingerprintKey(hex: string): void {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('a fingerprint key is 32 bytes as 64 hex digits');
  fingerprintKey = hexToBytes(hex.toLowerCase());
}

/** Run fn with a fingerprint key in force (workers: one key per request), then restore the previous one. */
export function withFingerprintKey<T>(hex: string | undefined, fn: () => T): T {
  if (!hex) return fn();
  const prev = fingerprintKey;
  setFingerprintKey(hex);
  try {
    return fn();
  } finally {
    fingerprintKey = prev;
  }
}

/** A fresh random 32-byte key, hex. */
export function newFingerprintKey(): string {
  return bytesToHex(randomBytes(32));
}

/**
 * Short fingerprint of a secret value: 8 hex digits of HMAC-SHA256 under the database's key. It tells
 * "same value" from "changed" without revealing the value; without the key (which never leaves the
 * machine) a guessed password cannot be checked against it.
 */
export function fingerprint(value: string): string {
  return bytesToHex(hmac(sha256, (fingerprintKey ??= randomBytes(32)), utf8ToBytes(value))).slice(0, 8);
}

export const SALTED_HASH_ALGORITHM = 'pbkdf2-sha256';
/** PBKDF2 iterations of the hash pinned in generated tests (~0.2 s in JS, ~0.03 s in CPython's hashlib). */
export const SALTED_HASH_ITERATIONS = 100_000;

export interface SaltedHash {
  algorithm: typeof SALTED_HASH_ALGORITHM;
  iterations: number;
  /** 16 random bytes, hex. */
  salt: string;
  /** 32 bytes, hex. */
  hash: string;
}

/** PBKDF2-HMAC-SHA256 of the value (UTF-8) with a random salt: what `hashlib.pbkdf2_hmac('sha256', …)` recomputes. */
export function saltedHash(value: string, opts: { salt?: string; iterations?: number } = {}): SaltedHash {
  const salt = opts.salt ?? bytesToHex(randomBytes(16));
  const iterations = opts.iterations ?? SALTED_HASH_ITERATIONS;
  const hash = bytesToHex(pbkdf2(sha256, utf8ToBytes(value), hexToBytes(salt), { c: iterations, dkLen: 32 }));
  return { algorithm: SALTED_HASH_ALGORITHM, iterations, salt, hash };
}
