// One redaction module for everything that leaves the store (issue 8). Pure, synchronous TypeScript:
// runs in main, workers, the renderer, generators and the CLI; no node built-ins.
//
//   redactText(text, {fingerprints?})   a whole text (any artifact kind): secret shapes anywhere
//                                       (AKIA…[masked], postgres://svc:••••@db:5432/x, Bearer ••••, PEM
//                                       bodies), values of secret-bearing names (password=, token:,
//                                       "api_key": …, --password x, env `- name:`/`value:` pairs),
//                                       Kubernetes Secret data; line count is kept
//   redactDetailed(text)                the same, plus where: [{line, rule}] and the masked substrings
//   isSecretName(name)                  does a key / variable / header / flag name hold secrets?
//   maskValue(value, key?)              one value given its key (the whole value under a secret name)
//   hasSecret(value, key?)              would maskValue change it?
//   redactDeep(value)                   every string of a JSON-like value; secret-named keys masked whole
//   fingerprint(value)                  8 hex digits (keyed HMAC-SHA256) for "changed" messages
//   saltedHash(value)                   PBKDF2-SHA256 with a random salt, for generated regression tests
//   scanText(text, fileName?)           the export gate: [{line, rule}] of every unmasked secret
//   mayHoldSecrets(texts)               for many texts at once: could redaction change each? (one scan)
//   needsContext(text)                  could line-by-line redaction differ from whole-text redaction?
//   needsContextNarrow(text)            the same with the YAML block-scalar hint narrowed to `key: |` lines (excerpts of long texts)
//
// Detection: our shape and name rules (./shapes.ts, ./names.ts, ./assignments.ts) give exact spans so
// the non-secret part stays visible; secretlint's rules (./secretlint.ts) run over the result as a
// safety net and in the scan. See docs/ARCHITECTURE.md ("Secrets").
export { MASK, MASKED_SUFFIX, hasSecret, maskValue, maskValueDetailed, mayHoldSecrets, needsContext, needsContextNarrow, redactDetailed, redactText, type MaskedValue, type RedactOptions, type Redaction } from './core';
export { redactDeep } from './deep';
export { SALTED_HASH_ALGORITHM, SALTED_HASH_ITERATIONS, fingerprint, newFingerprintKey, saltedHash, setFingerprintKey, withFingerprintKey, type SaltedHash } from './hash';
export { isPlaceholderValue, isSecretName, nameWords } from './names';
export { scanText, type ScanHit } from './scan';
export { SHAPE_RULES, credentialLike } from './shapes';
export { SECRETLINT_RULE_IDS } from './secretlint';
