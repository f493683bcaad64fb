// Normalised change fingerprints (issue 12): what a change *means*, stripped of the incident's
// specifics, so two incidents that broke the same way share a string. Kind + subject + direction:
//   dep:numpy:major-up   dep:numpy:1.x→2.x   column-removed:survived   image:digest→tag
//   log:valueerror: could not convert string to float: <str>
// Pure TypeScript; main/services/similar.ts stores them per incident and ranks by rarity.

export const FINGERPRINT_CATEGORIES = ['dependency', 'column', 'data', 'image', 'log', 'config', 'env', 'model', 'other'] as const;
export type FingerprintCategory = (typeof FINGERPRINT_CATEGORIES)[number];

export interface Fingerprint {
  fp: string;
  /** Short human phrase for reasons: "numpy 1.x→2.x", "column Survived removed". */
  label: string;
  category: FingerprintCategory;
}

/** The fields of a diff change a fingerprint reads; anything may be missing in stored evidence. */
interface ChangeLike {
  kind?: unknown;
  subject?: unknown;
  before?: unknown;
  after?: unknown;
  params?: unknown;
}

const MAX_FP = 160;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);
const clip = (s: string, n = MAX_FP) => (s.length > n ? s.slice(0, n) : s);
const squash = (s: string) => s.trim().replace(/\s+/g, ' ');

/** PEP 503 name normalisation; drops the "(python >=3.8)" / "[marker]" suffix the diff adds to split entries. */
export function normalisePackage(subject: string): string {
  const name = subject.replace(/\s*[([].*$/, '').trim();
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function major(v: string | null): string | null {
  if (!v) return null;
  const m = /^[v=~^<>! ]*(\d+)/.exec(v);
  return m ? m[1] : null;
}

function majorMinor(v: string | null): string | null {
  if (!v) return null;
  const m = /^[v=~^<>! ]*(\d+)(?:\.(\d+))?/.exec(v);
  return m ? (m[2] !== undefined ? `${m[1]}.${m[2]}` : m[1]) : null;
}

/**
 * A log error signature without the run's particulars: numbers, hex ids, quoted values, paths and
 * addresses become placeholders, so "OOM at step 1200 on pod scorer-7f9c" and "… step 88 … scorer-2a1b"
 * are the same signature.
 */
export function normaliseSignature(sig: string): string {
  return clip(
    squash(
      sig
        .toLowerCase()
        .replace(/(["'`])(?:(?!\1).){0,200}\1/g, '<str>')
        .replace(/\b[0-9a-f]{8,}\b/g, '<hex>')
        .replace(/0x[0-9a-f]+/g, '<hex>')
        .replace(/(?:[a-z]:)?(?:[\\/][\w.@-]+){2,}/g, '<path>')
        .replace(/-[a-z0-9]{5,10}(?:-[a-z0-9]{5})?\b/g, (w) => (/\d/.test(w) ? '-<id>' : w))
        .replace(/\d+(?:\.\d+)*/g, '<n>'),
    ),
    120,
  );
}

/** A config path without list positions and the manifest's own names. */
function normalisePath(subject: string): string {
  const path = subject.includes(': ') ? subject.slice(subject.indexOf(': ') + 2) : subject;
  return clip(path.toLowerCase().replace(/\[\d+\]/g, '[*]'));
}

function imageName(c: ChangeLike, params: Record<string, unknown>): string | null {
  const p = str(params.image);
  if (p) return p.toLowerCase();
  const raw = str(c.after) ?? str(c.before);
  if (!raw) return null;
  return raw.toLowerCase().replace(/@sha256:[0-9a-f]+$/, '').replace(/:[\w.-]+$/, '').replace(/^docker\.io\/(library\/)?/, '');
}

/** Fingerprints of one change; [] for changes that carry no meaning across incidents (text lines, line endings…). */
export function fingerprintsOf(change: ChangeLike): Fingerprint[] {
  const kind = str(change.kind);
  if (!kind) return [];
  const subject = squash(str(change.subject) ?? '');
  const before = str(change.before);
  const after = str(change.after);
  const params = change.params && typeof change.params === 'object' ? (change.params as Record<string, unknown>) : {};
  const col = (str(params.column) ?? subject).toLowerCase();
  const colLabel = str(params.column) ?? subject;
  const [family, op = ''] = [kind.slice(0, kind.indexOf('.') === -1 ? kind.length : kind.indexOf('.')), kind.slice(kind.indexOf('.') + 1)];
  const one = (fp: string, label: string, category: FingerprintCategory): Fingerprint[] => [{ fp: clip(fp), label: clip(label, 200), category }];

  switch (family) {
    case 'text':
    case 'binary':
      return [];
    case 'dependency': {
      const pkg = normalisePackage(subject);
      if (!pkg) return [];
      if (op === 'major' || op === 'minor' || op === 'patch' || op === 'prerelease' || op === 'local' || op === 'epoch') {
        const dirRaw = str(params.direction) ?? '';
        const dir = dirRaw.startsWith('down') ? 'down' : 'up';
        const base: Fingerprint = { fp: clip(`dep:${pkg}:${op}-${dir}`), label: `${pkg} ${op} ${dir === 'up' ? 'upgrade' : 'downgrade'}`, category: 'dependency' };
        if (op === 'major') {
          const mb = major(before);
          const ma = major(after);
          if (mb && ma) {
            const jump = `${mb}.x→${ma}.x`;
            base.label = `${pkg} ${jump}`;
            return [base, { fp: clip(`dep:${pkg}:${jump}`), label: `${pkg} ${jump}`, category: 'dependency' }];
          }
        }
        if (op === 'minor') {
          const mb = majorMinor(before);
          const ma = majorMinor(after);
          if (mb && ma) base.label = `${pkg} ${mb}→${ma}`;
        }
        return [base];
      }
      if (op.startsWith('option-')) return one(`dep-option:${subject.toLowerCase()}:${op.slice(7)}`, `${subject} ${op.slice(7)}`, 'dependency');
      // added, removed, pin-loosened, pin-tightened, marker-changed, extras-changed, build-changed, source-changed…
      const what = op.replace(/^pin-/, 'pin ').replace(/-changed$/, ' changed');
      return one(`dep:${pkg}:${op}`, `${pkg} ${what}`, 'dependency');
    }
    case 'column': {
      if (op === 'renamed') {
        const b = (before ?? subject).toLowerCase();
        const a = (after ?? '').toLowerCase();
        return one(`column-renamed:${b}→${a}`, `column ${before ?? subject} renamed to ${after ?? '?'}`, 'column');
      }
      if (op === 'dtype') return one(`column-dtype:${col}:${(before ?? '').toLowerCase()}→${(after ?? '').toLowerCase()}`, `column ${colLabel} ${before ?? '?'} → ${after ?? '?'}`, 'column');
      if (op === 'order') return one('column-order', 'column order changed', 'column');
      return one(`column-${op}:${col}`, `column ${colLabel} ${op}`, 'column');
    }
    case 'nulls': {
      const b = Number(before);
      const a = Number(after);
      const dir = Number.isFinite(a) && Number.isFinite(b) && a < b ? 'down' : 'up';
      return one(`nulls-${dir}:${col}`, `${colLabel} null rate ${dir}`, 'data');
    }
    case 'drift':
      return one(`drift:${col}`, `${colLabel} drift`, 'data');
    case 'range':
      return one(`range:${col}`, `${colLabel} range changed`, 'data');
    case 'category':
      return one(`category-${op}:${col}`, `${colLabel} categories ${op === 'new' ? 'added' : op}`, 'data');
    case 'rows': {
      const b = Number(before);
      const a = Number(after);
      if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return [];
      const ratio = a / b;
      if (ratio > 0.5 && ratio < 2) return [];
      return one(`rows:${ratio < 1 ? 'shrunk' : 'grew'}`, `row count ${ratio < 1 ? 'shrank' : 'grew'} sharply`, 'data');
    }
    case 'dataset':
      return one(`dataset-${op}`, `dataset ${op}`, 'data');
    case 'image': {
      const img = imageName(change, params);
      if (op === 'digest-to-tag') {
        const out: Fingerprint[] = [{ fp: 'image:digest→tag', label: 'image pinned by digest replaced by a tag', category: 'image' }];
        if (img) out.push({ fp: clip(`image:${img}:digest→tag`), label: `${img} pinned by digest replaced by a tag`, category: 'image' });
        return out;
      }
      if (op === 'tag-to-digest') return one('image:tag→digest', 'image pinned by digest', 'image');
      if (op === 'tag-changed' && img) {
        const tb = str(params.tagBefore);
        const ta = str(params.tagAfter);
        const mb = major(tb);
        const ma = major(ta);
        const out: Fingerprint[] = [{ fp: clip(`image:${img}:tag-changed`), label: `${img} tag changed`, category: 'image' }];
        if (mb && ma && mb !== ma) out.push({ fp: clip(`image:${img}:${mb}.x→${ma}.x`), label: `${img} ${mb}.x→${ma}.x`, category: 'image' });
        return out;
      }
      return one(`image:${img ?? normalisePath(subject)}:${op}`, `${img ?? 'image'} ${op.replace(/-/g, ' ')}`, 'image');
    }
    case 'log': {
      if (op !== 'new-signature' && op !== 'signature-increased') return [];
      const sig = normaliseSignature(str(params.signature) ?? subject);
      if (!sig) return [];
      const short = sig.length > 60 ? sig.slice(0, 60) + '…' : sig;
      return op === 'new-signature' ? one(`log:${sig}`, `error “${short}”`, 'log') : one(`log-more:${sig}`, `more “${short}”`, 'log');
    }
    case 'env': {
      const name = (str(params.name) ?? subject.split('.').pop() ?? subject).toUpperCase();
      return one(`env:${name}:${op}`, `env var ${name} ${op}`, 'env');
    }
    case 'model':
      return one(`model:${op}${subject && !/order|count/.test(op) ? ':' + subject.toLowerCase() : ''}`, `model ${op.replace(/-/g, ' ')}${subject && !/order|count/.test(op) ? ' ' + subject : ''}`, 'model');
    case 'config':
    case 'k8s': {
      if (op.startsWith('env.')) {
        const name = (str(params.name) ?? subject.split('.').pop() ?? subject).toUpperCase();
        return one(`env:${name}:${op.slice(4)}`, `env var ${name} ${op.slice(4)}`, 'env');
      }
      const flag = str(params.flag);
      if (flag) return one(`config:${op}:${flag.toLowerCase()}`, `${flag} ${op.replace(/^arg-/, '').replace(/-/g, ' ')}`, 'config');
      const path = normalisePath(subject);
      return one(`${family}:${op}:${path}`, `${path} ${op.replace(/-/g, ' ')}`, 'config');
    }
    default:
      return subject ? one(`${kind}:${subject.toLowerCase()}`, `${kind} ${subject}`, 'other') : one(kind, kind, 'other');
  }
}

/** Every distinct fingerprint of a list of changes (first label wins). */
export function fingerprintSet(changes: readonly ChangeLike[]): Fingerprint[] {
  const seen = new Map<string, Fingerprint>();
  for (const c of changes) for (const f of fingerprintsOf(c)) if (!seen.has(f.fp)) seen.set(f.fp, f);
  return [...seen.values()];
}

const CATEGORY_NOUN: Record<FingerprintCategory, [string, string]> = {
  dependency: ['change', 'changes'],
  column: ['schema change', 'schema changes'],
  data: ['data change', 'data changes'],
  image: ['image change', 'image changes'],
  log: ['error signature', 'error signatures'],
  config: ['config change', 'config changes'],
  env: ['environment change', 'environment changes'],
  model: ['model change', 'model changes'],
  other: ['change', 'changes'],
};

/**
 * One reason line per category, the most telling labels first, at most three named:
 * "same numpy 1.x→2.x and pandas 1.x→2.x changes", "same schema change: column Survived removed".
 */
export function sharedReason(category: FingerprintCategory, labels: string[]): string {
  const uniq = [...new Set(labels)];
  const named = uniq.slice(0, 3);
  const rest = uniq.length - named.length;
  const list = (named.length <= 1 ? named.join('') : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`) + (rest > 0 ? ` (+${rest} more)` : '');
  const [one, many] = CATEGORY_NOUN[category];
  const noun = uniq.length === 1 ? one : many;
  return category === 'dependency' ? `same ${list} ${noun}` : `same ${noun}: ${list}`;
}
