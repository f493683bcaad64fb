// Dispatch of the semantic diff: detect kinds, call the engine for the kind, merge problems, sort
// changes (critical first, then by position). The dataset engine is injected (index.ts wires in
// ./dataset) so this module can be tested on its own. Pure TypeScript.
//
// Secrets: every result passes through redactDiffResult (shared/redact) before it is returned, and the
// line-based engines (text, logs, every fallback to a text diff) run on redacted texts, so a secret
// never appears in a change, even one whose line only makes sense with its neighbours (PEM bodies,
// Kubernetes Secret data). Text diffs keep a keyed fingerprint in each mask, so a changed secret still
// shows as a changed line.
import type { FailureClass } from '../domain';
import { diffConfigTexts } from './config';
import { diffDependencyTexts, type DepKind } from './deps';
import { decodeText, detectKind } from './detect';
import { diffEnvTexts } from './env';
import { diffFingerprintTexts } from './fingerprint';
import { diffImageRefTexts } from './imageref';
import { diffLogTexts } from './logs';
import { diffModelMetadataTexts } from './modelmeta';
import { diffText } from './text';
import { redactDiffResult } from './redactResult';
import { mayHoldSecrets, redactDetailed, redactText } from '../redact/index';
import { bomChange, diffPlacedText, placeTextPair, sameBytes, type PlacedTextPair } from './textbytes';
import { SEVERITY_RANK, type ArtifactKind, type Change, type DiffResult, type ParseProblem } from './types';

export interface ArtifactInput {
  name: string;
  bytes: Uint8Array;
  kind?: ArtifactKind;
}

/** Signature of the dataset engine (shared/diff/dataset/). */
export type DatasetDiffFn = (
  before: { name: string; bytes: Uint8Array },
  after: { name: string; bytes: Uint8Array },
  kind: 'csv' | 'parquet' | 'schema',
  opts?: { onProgress?: (done: number, total: number) => void },
) => DiffResult;

export interface DiffOptions {
  /** Force one kind for both sides. */
  kind?: ArtifactKind;
  /** Progress of long work (datasets): units done of total (total -1 when unknown). */
  onProgress?: (done: number, total: number) => void;
}

const JSON_FAMILY = new Set<ArtifactKind>(['json', 'model-metadata', 'schema', 'package-lock', 'env-fingerprint']);
/** Kinds a Kubernetes manifest may have been captured as before it was recognised (or as plain text). */
const KUBERNETES_FAMILY = new Set<ArtifactKind>(['kubernetes', 'yaml', 'json', 'text']);
const YAML_FAMILY = new Set<ArtifactKind>(['yaml', 'conda-env']);
const NOT_TEXT = new Set<ArtifactKind>(['binary', 'parquet']);

/** The kind to diff a pair as, or null when the two kinds cannot be compared semantically. */
export function resolvePairKind(b: ArtifactKind, a: ArtifactKind): ArtifactKind | null {
  if (b === a) return b;
  if ((b === 'kubernetes' || a === 'kubernetes') && KUBERNETES_FAMILY.has(b) && KUBERNETES_FAMILY.has(a)) return 'kubernetes';
  if (JSON_FAMILY.has(b) && JSON_FAMILY.has(a)) return b === 'json' ? a : a === 'json' ? b : 'json';
  if (YAML_FAMILY.has(b) && YAML_FAMILY.has(a)) return 'conda-env';
  if (b === 'text' && !NOT_TEXT.has(a)) return a;
  if (a === 'text' && !NOT_TEXT.has(b)) return b;
  return null;
}

/** Sort: severity (critical first), then position in the after file (then before), stable otherwise. */
export function sortChanges(changes: Change[]): Change[] {
  const pos = (c: Change) => c.lineAfter ?? c.lineBefore ?? Number.MAX_SAFE_INTEGER;
  return changes
    .map((c, i) => ({ c, i }))
    .sort((x, y) => SEVERITY_RANK[y.c.severity] - SEVERITY_RANK[x.c.severity] || pos(x.c) - pos(y.c) || x.i - y.i)
    .map((x) => x.c);
}

function binaryDiff(b: Uint8Array, a: Uint8Array): DiffResult {
  let first = 0;
  const n = Math.min(b.length, a.length);
  while (first < n && b[first] === a[first]) first++;
  return {
    kind: 'binary',
    changes: [
      {
        kind: 'binary.changed',
        severity: 'info',
        failureClass: 'packaging',
        subject: 'content',
        before: b.length,
        after: a.length,
        message: `binary content differs: ${b.length.toLocaleString('en-US')} → ${a.length.toLocaleString('en-US')} bytes, first difference at byte ${first}`,
        params: { sizeBefore: b.length, sizeAfter: a.length, firstDifference: first },
      },
    ],
    problems: [],
    noSemanticChange: false,
  };
}

function textEngine(kind: ArtifactKind, before: string, after: string): DiffResult {
  switch (kind) {
    case 'requirements':
    case 'poetry-lock':
    case 'conda-env':
    case 'package-lock': {
      const r = diffDependencyTexts(kind as DepKind, before, after);
      if (r.fatal) {
        const t = redactedTextDiff(before, after, kind, 'packaging');
        const fatal = r.problems.find((p) => p.line !== undefined) ?? r.problems[0];
        return { kind, changes: t.changes, problems: r.problems, noSemanticChange: false, ...(fatal ? { parseError: fatal } : {}) };
      }
      return { kind: r.kind, changes: r.changes, problems: r.problems, noSemanticChange: r.noSemanticChange };
    }
    case 'json':
    case 'yaml':
      return diffConfigTexts(kind, before, after);
    case 'kubernetes': {
      const json = /^\s*[{[]/.test(before) && /^\s*[{[]/.test(after);
      return { ...diffConfigTexts(json ? 'json' : 'yaml', before, after), kind: 'kubernetes' };
    }
    case 'model-metadata':
      return diffModelMetadataTexts(before, after);
    case 'env':
      return diffEnvTexts(before, after);
    case 'env-fingerprint':
      return diffFingerprintTexts(before, after);
    case 'image-ref':
      return diffImageRefTexts(before, after);
    case 'log':
      return diffLogTexts(redactText(before), redactText(after));
    default:
      return redactedTextDiff(before, after, kind);
  }
}

/**
 * The changes with their lines masked (fingerprints in the masks). A string in which nothing was masked
 * goes into `clean`: redaction would return it unchanged (finding secrets does not depend on the
 * fingerprints option), so the chokepoint (redactDiffResult) need not scan it a second time. One scan
 * for redaction hints over all the texts comes first (mayHoldSecrets): a text without one is clean as
 * it is, unscanned. A large diff has thousands of changes, and few of its texts have a hint.
 */
function fingerprintedChanges(changes: Change[], clean: Set<string>): Change[] {
  const texts: string[] = [];
  for (const c of changes) {
    texts.push(c.subject, c.message);
    if (typeof c.before === 'string') texts.push(c.before);
    if (typeof c.after === 'string') texts.push(c.after);
  }
  const hint = mayHoldSecrets(texts);
  let i = 0;
  const t = (v: string) => {
    if (hint[i++]) {
      const r = redactDetailed(v, { fingerprints: true });
      if (!r.secrets.length) clean.add(v);
      return r.text;
    }
    clean.add(v);
    return v;
  };
  return changes.map((c) => {
    if (!hint[i++]) clean.add(c.subject);
    const message = t(c.message);
    const before = typeof c.before === 'string' ? t(c.before) : c.before;
    const after = typeof c.after === 'string' ? t(c.after) : c.after;
    return { ...c, message, before, after };
  });
}

/**
 * The byte path's diff of a placed pair, its shown lines masked and its changes sorted; null where it
 * does not apply (or fails), and the decoding path gives the same result. The byte path diffs the raw
 * lines; the lines it shows are masked here with fingerprints, so a line whose only change is a secret
 * still reads as changed (the decoding path masks before diffing). (unlessContext: the kernel runs
 * needsContext's test on the bytes.)
 */
function byteTextDiff(pair: PlacedTextPair | null, clean: Set<string>): DiffResult | null {
  if (!pair) return null; // no WebAssembly here, or too large for the kernel
  let r: DiffResult | null;
  try {
    r = diffPlacedText(pair, { unlessContext: true });
  } catch {
    return null;
  }
  return r && { ...r, changes: sortChanges(fingerprintedChanges(r.changes, clean)) };
}

/**
 * diffArtifacts(…, { kind: 'text' }) of two files read straight into the text kernel (placeTextPair:
 * `pmw diff` of plain text needs no copy of either file), the same result; null where the byte path
 * does not apply (UTF-16, invalid UTF-8, CR-only text, a line that redaction must read in context):
 * call diffArtifacts on copies of pair.bytes() then.
 */
export function diffPlacedTextArtifacts(pair: PlacedTextPair): DiffResult | null {
  const [a, b] = pair.bytes();
  if (sameBytes(a, b)) return { kind: 'text', changes: [], problems: [], noSemanticChange: true };
  const clean = new Set<string>();
  const r = byteTextDiff(pair, clean);
  return r && redactDiffResult(r, clean);
}

/** A line diff of the two texts after redaction (masks carry fingerprints, so secret changes still show). */
function redactedTextDiff(before: string, after: string, kind: ArtifactKind, failureClass?: FailureClass): DiffResult {
  return diffText(redactText(before, { fingerprints: true }), redactText(after, { fingerprints: true }), { kind, ...(failureClass ? { failureClass } : {}) });
}

/**
 * Diff two artifacts. Kinds come from opts.kind, then each side's kind, then detection. Identical
 * bytes give zero changes; different kinds are compared as text with a ParseProblem saying so.
 * Never throws: an engine failure becomes a ParseProblem (and `parseError`) and a text diff.
 * Every string of the result is redacted (shared/redact).
 */
export function diffArtifactsWith(diffDataset: DatasetDiffFn, before: ArtifactInput, after: ArtifactInput, opts: DiffOptions = {}): DiffResult {
  const clean = new Set<string>();
  return redactDiffResult(diffUnredacted(diffDataset, before, after, opts, clean), clean);
}

/** `clean`: strings of the result already known to redact to themselves (see fingerprintedChanges). */
function diffUnredacted(diffDataset: DatasetDiffFn, before: ArtifactInput, after: ArtifactInput, opts: DiffOptions, clean: Set<string>): DiffResult {
  const kb = opts.kind ?? before.kind ?? detectKind(before.name, before.bytes);
  const ka = opts.kind ?? after.kind ?? detectKind(after.name, after.bytes);
  const paired = resolvePairKind(kb, ka);
  if (sameBytes(before.bytes, after.bytes)) return { kind: paired ?? kb, changes: [], problems: [], noSemanticChange: true };

  if (paired === null || paired === 'binary') {
    if (kb === 'binary' || ka === 'binary' || kb === 'parquet' || ka === 'parquet' || paired === 'binary') {
      const r = binaryDiff(before.bytes, after.bytes);
      if (paired === null) r.problems.push({ message: `the two artifacts are of different kinds (before: ${kb}, after: ${ka}); compared as bytes` });
      return r;
    }
  }
  if (paired === 'csv' || paired === 'parquet' || paired === 'schema') {
    try {
      const r = diffDataset({ name: before.name, bytes: before.bytes }, { name: after.name, bytes: after.bytes }, paired, opts.onProgress ? { onProgress: opts.onProgress } : undefined);
      return { ...r, changes: sortChanges(r.changes) };
    } catch (err) {
      const problems: ParseProblem[] = [{ message: `dataset diff failed: ${String((err as Error)?.message ?? err)}; showing a text diff` }];
      if (paired === 'parquet') return { ...binaryDiff(before.bytes, after.bytes), problems, parseError: problems[0] };
      const t = redactedTextDiff(decodeText(before.bytes).text, decodeText(after.bytes).text, paired, 'data');
      return { kind: paired, changes: sortChanges(t.changes), problems, noSemanticChange: false, parseError: problems[0] };
    }
  }

  // Plain text is diffed on the bytes, decoding only the lines shown; null for UTF-16, invalid UTF-8
  // or CR-only text, which take the decoding path below (same result either way). The shown lines are
  // redacted one by one, which equals whole-text redaction only where no rule needs other lines (a PEM
  // block, a YAML block scalar…): other texts are redacted whole, before the diff, on the path below.
  if (paired === 'text') {
    const r = byteTextDiff(placeTextPair(before.bytes.length, after.bytes.length, (side, into) => into.set(side === 0 ? before.bytes : after.bytes)), clean);
    if (r) return r;
  }
  const db = decodeText(before.bytes);
  const da = decodeText(after.bytes);
  const problems: ParseProblem[] = [
    ...db.problems.map((p) => ({ ...p, side: 'before' as const })),
    ...da.problems.map((p) => ({ ...p, side: 'after' as const })),
  ];
  let result: DiffResult;
  if (paired === null) {
    problems.push({ message: `the two artifacts are of different kinds (before: ${kb}, after: ${ka}); compared as text` });
    result = redactedTextDiff(db.text, da.text, 'text');
  } else {
    try {
      result = textEngine(paired, db.text, da.text);
    } catch (err) {
      const failed: ParseProblem = { message: `${paired} diff failed: ${String((err as Error)?.message ?? err)}; showing a text diff` };
      problems.push(failed);
      result = { ...redactedTextDiff(db.text, da.text, paired), noSemanticChange: false, parseError: failed };
    }
    const bom = paired === 'text' ? bomChange(db.bom, da.bom) : null;
    if (bom) result.changes.unshift(bom);
  }
  return {
    kind: result.kind,
    changes: sortChanges(result.changes),
    problems: [...problems, ...result.problems],
    noSemanticChange: result.noSemanticChange && !(paired === null),
    ...(result.parseError ? { parseError: result.parseError } : {}),
  };
}
