// Safe embedding of values in generated Python source. Pure TypeScript.
//
// pyLiteral(v) writes a Python literal that evaluates (ast.literal_eval-compatible, except the float
// specials) to exactly v: strings in single quotes with every quote, backslash, control character,
// lone surrogate and invisible / bidirectional formatting character escaped ("Trojan Source" safe);
// other Unicode is kept readable (the generated file is UTF-8, Python's default source encoding).

const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]/;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** A Python str literal ('…') for any JS string, including lone surrogates. */
export function pyString(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        // Tags and variation selectors supplement are invisible: escape them.
        out += (cp >= 0xe0000 && cp <= 0xe0fff) || (cp >= 0xf0000) ? `\\U${hex(cp, 8)}` : s.slice(i, i + 2);
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      out += `\\u${hex(c, 4)}`; // lone surrogate: valid in a Python str, not encodable as UTF-8 source
      continue;
    }
    const ch = s[i];
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
    }
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) out += `\\x${hex(c, 2)}`;
    else if (INVISIBLE.test(ch)) out += `\\u${hex(c, 4)}`;
    else out += ch;
  }
  return out + "'";
}

/** A Python number literal; NaN and ±Infinity become float('nan') / float('inf') expressions. */
export function pyNumber(n: number): string {
  if (Number.isNaN(n)) return "float('nan')";
  if (n === Infinity) return "float('inf')";
  if (n === -Infinity) return "float('-inf')";
  if (Object.is(n, -0)) return '-0.0';
  // JS's shortest round-trip text is valid Python: 0.1, 1e-7, 1.5e+300, 12345678901234567000.
  return String(n);
}

/** Encode a JSON-like value (null, boolean, number, string, array, plain object, bigint) as a Python literal. */
export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      return pyNumber(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return pyString(value);
  }
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyString(k)}: ${pyLiteral(v)}`).join(', ')}}`;
  }
  throw new TypeError(`cannot encode a ${typeof value} as a Python literal`);
}

/** Free text made safe for a Python comment: one line, no control or invisible characters. */
export function pyComment(s: string): string {
  return toWellFormed(String(s ?? ''))
    .replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ')
    .replace(new RegExp(INVISIBLE.source, 'g'), '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Free text made safe inside a """docstring""": backslashes and quotes escaped, one line. */
export function pyDocText(s: string): string {
  return pyComment(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Replace lone surrogates with U+FFFD (String.prototype.toWellFormed, ES2024, spelled out). */
export function toWellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** A valid Python identifier fragment: [a-z0-9_], never empty. */
export function pyIdent(s: string): string {
  const id = String(s ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return id || 'x';
}
