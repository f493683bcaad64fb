// Bounds on hostile input, shared by every host and engine. Pure TypeScript; no recursion (the point
// is to refuse what would blow the stack).

/** Deepest nesting an API call's input may have (objects and arrays); deeper gets VALIDATION (HTTP 400). */
export const MAX_INPUT_DEPTH = 64;
/** Deepest nesting a JSON or YAML artifact is parsed to; deeper is reported as a problem, not parsed. */
export const MAX_DOCUMENT_DEPTH = 200;
/** The `yaml` library's alias-expansion limit (billion-laughs guard). */
export const MAX_YAML_ALIAS_COUNT = 100;

/** The path (dotted) of the first value nested deeper than `limit`, or null. Iterative. */
export function tooDeep(value: unknown, limit = MAX_INPUT_DEPTH): string | null {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth >= limit) return path || '(input)';
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, depth: depth + 1, path: path ? `${path}.${i}` : String(i) }));
    else for (const [k, x] of Object.entries(v as Record<string, unknown>)) stack.push({ v: x, depth: depth + 1, path: path ? `${path}.${k}` : k });
  }
  return null;
}

/**
 * Where a JSON text (or YAML's flow style, with `yaml`) nests deeper than `limit` (brackets outside
 * strings and comments), as offset, line and column (1-based), or null. One pass, no parse.
 */
export function jsonTooDeep(text: string, limit = MAX_DOCUMENT_DEPTH, yaml = false): { offset: number; line: number; column: number } | null {
  let depth = 0;
  let inString = 0; // the quote character that opened it
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (inString === 34 && c === 92) i++; // backslash: skip the escaped character
      else if (c === inString) {
        if (inString === 39 && text.charCodeAt(i + 1) === 39) i++; // '' inside a single-quoted YAML string
        else inString = 0;
      }
      continue;
    }
    if (c === 34 || (yaml && c === 39)) inString = c;
    else if (yaml && c === 35 && (i === 0 || /\s/.test(text[i - 1]))) {
      // A YAML comment runs to the end of the line.
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    }
    else if (c === 123 || c === 91) {
      if (++depth > limit) {
        let line = 1;
        let lineStart = 0;
        for (let j = 0; j < i; j++) {
          if (text.charCodeAt(j) === 10) {
            line++;
            lineStart = j + 1;
          }
        }
        return { offset: i, line, column: i - lineStart + 1 };
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return null;
}

/**
 * A file name as shown and stored: NFC, no control characters, no bidirectional or invisible
 * formatting characters (a "gnp.exe" shown as "exe.png"), no path separators or ".." runs, no leading
 * or trailing dots and spaces, at most 200 characters. Never empty.
 */
export function sanitizeFileName(name: string, fallback = 'upload'): string {
  let s = String(name ?? '').normalize('NFC');
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  s = s.replace(/[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '');
  s = s.replace(/[\\/:*?"<>|]/g, '_');
  while (s.includes('..')) s = s.replace(/\.\.+/g, '.');
  s = s.replace(/^[\s.]+|[\s.]+$/g, '');
  if (s.length > 200) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : '';
    s = s.slice(0, 200 - ext.length) + ext;
  }
  return s || fallback;
}
