// Artifact kind detection (file name + content sniffing) and tolerant UTF-8 decoding.
// Pure TypeScript: runs in Node, worker threads and the browser (no node built-ins).
import type { ArtifactKind, ParseProblem } from './types';

// shared/ compiles against lib ES2022 without DOM typings; TextDecoder/TextEncoder exist in every
// runtime we target (Node ≥ 11, workers, browsers), so declare the small part we use, module-scoped.
interface TextDecoderLike {
  decode(input?: Uint8Array): string;
}
interface TextEncoderLike {
  encode(input?: string): Uint8Array;
}
declare const TextDecoder: {
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoderLike;
};
declare const TextEncoder: { new (): TextEncoderLike };

let strictUtf8: TextDecoderLike | null = null;
let lenientUtf8: TextDecoderLike | null = null;
let encoder: TextEncoderLike | null = null;

/** UTF-8 encode (TextEncoder). */
export function utf8Encode(s: string): Uint8Array {
  encoder ??= new TextEncoder();
  return encoder.encode(s);
}

export interface DecodedText {
  text: string;
  problems: ParseProblem[];
  /** Which byte-order mark was stripped, if any. */
  bom?: 'utf-8' | 'utf-16le' | 'utf-16be';
}

/**
 * Decode bytes as text. A UTF-8 BOM is stripped; UTF-16 (with BOM) is decoded as such. Invalid UTF-8
 * is decoded with U+FFFD replacement characters and a warning naming the first invalid byte's offset,
 * line and column.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  const problems: ParseProblem[] = [];
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le', { ignoreBOM: false }).decode(bytes.subarray(2)), problems, bom: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be', { ignoreBOM: false }).decode(bytes.subarray(2)), problems, bom: 'utf-16be' };
  }
  let bom: DecodedText['bom'];
  let body = bytes;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bom = 'utf-8';
    body = bytes.subarray(3);
  }
  strictUtf8 ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    const text = strictUtf8.decode(body);
    return bom ? { text, problems, bom } : { text, problems };
  } catch {
    lenientUtf8 ??= new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
    const text = lenientUtf8.decode(body);
    const bad = firstInvalidUtf8(body);
    const off = bad + (bom ? 3 : 0);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < bad; i++) {
      if (body[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = bad - lineStart + 1;
    problems.push({
      message: `invalid UTF-8 at byte offset ${off} (line ${line}, column ${column}, byte 0x${(body[bad] ?? 0)
        .toString(16)
        .padStart(2, '0')}); invalid sequences are shown as \uFFFD`,
      line,
      column,
    });
    return bom ? { text, problems, bom } : { text, problems };
  }
}

/** Offset of the first byte that starts an invalid UTF-8 sequence, or -1 when the input is valid. */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i;
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Heuristic: binary when there are NUL bytes (outside UTF-16) or many control bytes in the first 8 KB. */
export function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === 0) return true;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) control++;
  }
  if (control / n > 0.1) return true;
  // Mostly invalid UTF-8 in the sample → binary (a few bad bytes in text stay text).
  const sample = bytes.subarray(0, n);
  let bad = 0;
  let off = 0;
  while (off < sample.length && bad < 64) {
    const rel = firstInvalidUtf8(sample.subarray(off));
    if (rel < 0) break;
    // A truncated multi-byte sequence at the sample's end is not evidence.
    if (off + rel >= sample.length - 3 && n < bytes.length) break;
    bad++;
    off += rel + 1;
  }
  return bad > 8 && bad / n > 0.01;
}

const MAGIC: Array<[number[], string]> = [
  [[0x1f, 0x8b], 'gzip'],
  [[0x50, 0x4b, 0x03, 0x04], 'zip'],
  [[0x7f, 0x45, 0x4c, 0x46], 'elf'],
  [[0x89, 0x50, 0x4e, 0x47], 'png'],
  [[0x80, 0x02], 'pickle'],
  [[0x80, 0x03], 'pickle'],
  [[0x80, 0x04], 'pickle'],
  [[0x80, 0x05], 'pickle'],
  [[0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], 'npy'],
  [[0x89, 0x48, 0x44, 0x46], 'hdf5'],
];

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  if (bytes.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[i] !== sig[i]) return false;
  return true;
}

export function isParquet(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x50, 0x41, 0x52, 0x31]); // "PAR1"
}

function baseName(name: string): string {
  const s = name.replace(/\\/g, '/');
  return s.slice(s.lastIndexOf('/') + 1).toLowerCase();
}

function extOf(base: string): string {
  const i = base.lastIndexOf('.');
  return i > 0 ? base.slice(i + 1) : '';
}

const DTYPE_RE =
  /^(u?int(8|16|32|64)?|float(16|32|64)?|double|bool(ean)?|str(ing)?|object|category|categorical|datetime(64)?(\[[a-z]+(,\s*[^\]]+)?\])?|timestamp.*|date|time|decimal.*|number|integer|null|binary|bytes|large_string|utf8|varchar.*|text|boolean|long|short|byte|complex(64|128)?|timedelta(64)?(\[[a-z]+\])?|Int(8|16|32|64)|UInt(8|16|32|64)|Float(32|64)|list.*|struct.*)$/i;

/** JSON value → json / model-metadata / schema / package-lock. */
export function classifyJson(value: unknown): ArtifactKind {
  if (value === null || typeof value !== 'object') return 'json';
  if (Array.isArray(value)) {
    // [{name, type}] column lists are schemas.
    if (
      value.length > 0 &&
      value.every(
        (v) => v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, unknown>).name === 'string' &&
          (typeof (v as Record<string, unknown>).type === 'string' || typeof (v as Record<string, unknown>).dtype === 'string'),
      )
    )
      return 'schema';
    return 'json';
  }
  const o = value as Record<string, unknown>;
  if (o.format === 'pmw-env-fingerprint') return 'env-fingerprint';
  if (typeof o.lockfileVersion === 'number' && (o.packages || o.dependencies)) return 'package-lock';
  if (typeof o.apiVersion === 'string' && typeof o.kind === 'string') return 'kubernetes';
  if (isModelMetadataObject(o)) return 'model-metadata';
  for (const v of Object.values(o)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && isModelMetadataObject(v as Record<string, unknown>, false)) return 'model-metadata';
  }
  if (typeof o.$schema === 'string' && /json-schema/.test(o.$schema)) return 'schema';
  if ((o.type === 'object' || o.type === undefined) && o.properties && typeof o.properties === 'object' && !Array.isArray(o.properties)) {
    const props = Object.values(o.properties as Record<string, unknown>);
    if (props.length > 0 && props.every((p) => p && typeof p === 'object' && ('type' in (p as object) || '$ref' in (p as object) || 'anyOf' in (p as object) || 'oneOf' in (p as object))))
      return 'schema';
  }
  if (Array.isArray(o.fields) && o.fields.length > 0 && o.fields.every((f) => f && typeof f === 'object' && typeof (f as Record<string, unknown>).name === 'string'))
    return 'schema';
  for (const k of ['columns', 'schema', 'dtypes']) {
    const c = o[k];
    if (c && typeof c === 'object' && !Array.isArray(c) && isDtypeMap(c as Record<string, unknown>)) return 'schema';
  }
  if (isDtypeMap(o)) return 'schema';
  return 'json';
}

function isDtypeMap(o: Record<string, unknown>): boolean {
  const vals = Object.values(o);
  if (vals.length === 0) return false;
  return vals.every((v) => typeof v === 'string' && DTYPE_RE.test(v.trim()));
}

const FEATURE_KEYS = ['feature_order', 'feature_names', 'feature_names_in_', 'input_features', 'features', 'feature_columns'];
const SCALER_KEYS = /^(scaler|scalers|scaler_params|normali[sz]ation|normali[sz]er|standard_scaler|standardization|preprocessing|preprocessor|min_max_scaler|minmax_scaler|feature_stats)$/i;

function isModelMetadataObject(o: Record<string, unknown>, loose = true): boolean {
  if (Array.isArray(o.feature_order)) return true;
  for (const k of Object.keys(o)) if (SCALER_KEYS.test(k) && o[k] && typeof o[k] === 'object') return true;
  if (loose) {
    const hasFeatures = FEATURE_KEYS.some((k) => Array.isArray(o[k]));
    const modelish = ['model', 'model_name', 'model_version', 'model_type', 'framework', 'target', 'label', 'estimator', 'algorithm'].some((k) => k in o);
    if (hasFeatures && modelish) return true;
    if (Array.isArray(o.feature_names_in_)) return true;
  }
  return false;
}

const REQ_LINE = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*(\(?\s*(===|==|~=|!=|<=|>=|<|>)\s*[^\s,;]+(\s*,\s*(===|==|~=|!=|<=|>=|<|>)\s*[^\s,;]+)*\s*\)?)?\s*(;.*)?$/;
const REQ_URL_LINE = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@\s*\S+/;
const ENV_LINE = /^\s*(export\s+|declare\s+-x\s+)?[A-Za-z_][A-Za-z0-9_.]*=(?!=)/;
const CONDA_EXPORT_LINE = /^[A-Za-z0-9_][A-Za-z0-9._-]*=[^=\s]+=[^=\s]+$/;
const LOG_LINE =
  /^(\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\[?\d{2}:\d{2}:\d{2}|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\[?(DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL|TRACE)\b|[IWEF]\d{4} \d{2}:\d{2}:\d{2})/;
/** A container image reference, possibly with a `FROM`, `image:` or list-item prefix. */
export const IMAGE_REF_RE =
  /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

function meaningfulLines(text: string, max = 400): string[] {
  const out: string[] = [];
  let start = 0;
  while (start <= text.length && out.length < max) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    if (line && !line.startsWith('#')) out.push(line);
    start = end + 1;
  }
  return out;
}

function share(lines: string[], re: RegExp): number {
  if (lines.length === 0) return 0;
  let n = 0;
  for (const l of lines) if (re.test(l)) n++;
  return n / lines.length;
}

function imageLine(l: string): boolean {
  const s = l.replace(/^(FROM\s+(--platform=\S+\s+)?|image:\s*|-\s+)/i, '').replace(/\s+AS\s+\S+$/i, '').replace(/^["']|["']$/g, '');
  return IMAGE_REF_RE.test(s) && (s.includes('/') || s.includes(':') || s.includes('@'));
}

function looksLikeRequirements(lines: string[], namedLikeRequirements = false): boolean {
  if (lines.length === 0) return false;
  let ok = 0;
  let versioned = 0;
  for (const l of lines) {
    const s = l.replace(/\s+#.*$/, '').replace(/\s+--hash=\S+/g, '').replace(/\s*\\$/, '');
    if (/^(-r|-c|-e|--requirement|--constraint|--editable|--index-url|--extra-index-url|--find-links|-f|-i|--hash|--no-binary|--only-binary|--pre|--trusted-host)\b/.test(s)) {
      ok++;
      continue;
    }
    if (REQ_URL_LINE.test(s)) {
      ok++;
      versioned++;
      continue;
    }
    if (REQ_LINE.test(s)) {
      ok++;
      if (/(===|==|~=|!=|<=|>=|<|>)/.test(s)) versioned++;
    }
  }
  // An unpinned list ("numpy\ntorch") is still requirements when the file is named so.
  return ok / lines.length >= 0.9 && (versioned > 0 || namedLikeRequirements);
}

/** A YAML text whose documents are Kubernetes objects: top-level apiVersion: group/version and kind: Name. */
export function looksLikeKubernetes(text: string): boolean {
  return /^apiVersion:\s*["']?[a-z0-9.-]*\/?v\d+[a-z0-9]*["']?\s*(#.*)?$/m.test(text) && /^kind:\s*["']?[A-Z][A-Za-z0-9]*["']?\s*(#.*)?$/m.test(text);
}

/** Detect the artifact kind from the file name and a sniff of the content. */
export function detectKind(name: string, bytes: Uint8Array): ArtifactKind {
  const base = baseName(name || '');
  const ext = extOf(base);
  if (isParquet(bytes) || ((ext === 'parquet' || ext === 'pq') && bytes.length === 0)) return 'parquet';
  if (ext === 'parquet' || ext === 'pq') return looksBinary(bytes) ? 'binary' : 'text';
  if (MAGIC.some(([sig]) => startsWith(bytes, sig)) || looksBinary(bytes)) return 'binary';

  if (base === 'poetry.lock') return 'poetry-lock';
  if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') return 'package-lock';
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  if (ext === 'log') return 'log';
  if (base === '.env' || ext === 'env' || base.startsWith('.env.')) return 'env';
  if (/^(requirements|constraints)([-_.].*)?\.(txt|in)$/.test(base) || /[-_.]requirements\.(txt|in)$/.test(base) || base === 'pip-freeze.txt')
    return 'requirements';

  // Sniff the content (first 256 KB is plenty).
  const head = bytes.length > 262144 ? bytes.subarray(0, 262144) : bytes;
  const text = decodeText(head).text;
  const trimmed = text.trimStart();

  if (ext === 'json' || ((trimmed.startsWith('{') || trimmed.startsWith('[')) && !['yaml', 'yml', 'txt'].includes(ext))) {
    if (bytes.length === 0) return 'json';
    try {
      return classifyJson(JSON.parse(bytes.length > head.length ? decodeText(bytes).text : text));
    } catch {
      if (ext === 'json') return 'json';
    }
  }
  if (ext === 'yaml' || ext === 'yml') {
    if (/^dependencies:\s*$/m.test(text) && (/^channels:/m.test(text) || /^name:/m.test(text) || /^\s+-\s+pip:\s*$/m.test(text) || /^(environment|conda)/.test(base)))
      return 'conda-env';
    return looksLikeKubernetes(text) ? 'kubernetes' : 'yaml';
  }
  if (bytes.length === 0) return 'text';
  // poetry.lock saved under another name (poetry-<commit>.lock, lock-before.txt…): TOML [[package]] tables.
  if (/^\[\[package\]\]\s*$/m.test(text) && /^name = "/m.test(text) && /^version = "/m.test(text)) return 'poetry-lock';

  const lines = meaningfulLines(text);
  if (/^#\s*platform:/m.test(text) && share(lines, CONDA_EXPORT_LINE) >= 0.9) return 'conda-env';
  if (share(lines, CONDA_EXPORT_LINE) >= 0.95 && lines.length >= 3 && share(lines, /^[A-Z_][A-Z0-9_]*=/) < 0.5) return 'conda-env';
  if (lines.length > 0 && share(lines, ENV_LINE) >= 0.9) return 'env';
  if (lines.length > 0 && lines.every(imageLine) && !/^(requirements|constraints)/.test(base)) return 'image-ref';
  if (/(requirements|freeze|constraints)/.test(base) || ext === 'txt' || ext === 'in' || ext === '') {
    if (looksLikeRequirements(lines, /(requirements|constraints)/.test(base))) return 'requirements';
  }
  if (lines.length > 0 && share(lines, LOG_LINE) >= 0.5) return 'log';
  if (/^(apiVersion|kind):\s*\S/m.test(text) && ext === '') return looksLikeKubernetes(text) ? 'kubernetes' : 'yaml';
  if (/^---\s*$/m.test(text) && /^[A-Za-z_][\w-]*:\s/m.test(text) && ext === '') return 'yaml';
  return 'text';
}

/**
 * Locate the first JSON syntax error (JSON.parse in current V8 does not always say where).
 * Returns null when the text is valid JSON.
 */
export function locateJsonError(text: string): { offset: number; message: string } | null {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const fail = (message: string): never => {
    throw { offset: i, message };
  };
  const describe = () => (i >= n ? 'end of input' : `'${text[i]}'`);
  const str = () => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i++;
            fail('invalid \\u escape in string');
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          fail('invalid escape in string');
        }
        continue;
      }
      if (c < 32) fail('control character in string');
      i++;
    }
    fail('unterminated string');
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') fail(`unexpected ${describe()}`);
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 5000) fail('nesting too deep');
    ws();
    if (i >= n) fail('unexpected end of input (expected a value)');
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`unexpected ${describe()} (expected a property name in double quotes)`);
        str();
        ws();
        if (text[i] !== ':') fail(`unexpected ${describe()} (expected ':')`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`unexpected ${describe()} (expected ',' or '}')`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`unexpected ${describe()} (expected ',' or ']')`);
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    fail(`unexpected ${describe()} (expected a value)`);
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value(0);
    ws();
    if (i < n) fail(`unexpected ${describe()} after the JSON value`);
    return null;
  } catch (e) {
    if (e && typeof e === 'object' && 'offset' in e) return e as { offset: number; message: string };
    return { offset: i, message: String(e) };
  }
}

/** A ParseProblem (line, column) for a JSON.parse error. */
export function jsonProblem(text: string, err: unknown): ParseProblem {
  const raw = String((err as Error)?.message ?? err).split('\n')[0];
  const loc = locateJsonError(text);
  if (!loc) return { message: `JSON: ${raw}` };
  let line = 1;
  let ls = 0;
  for (let i = 0; i < loc.offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      ls = i + 1;
    }
  const column = loc.offset - ls + 1;
  return { message: `JSON: ${loc.message} (line ${line}, column ${column})`, line, column };
}

