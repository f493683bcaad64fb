// Schema files: JSON Schema (`properties`), Table Schema (`fields`), a `columns` list or a flat
// {column: dtype} map → columns with normalised dtypes, nullability and declaration lines.
import { jsonProblem } from '../detect';
import { Problems, looseDecoder, strictDecoder } from './common';
import type { ColumnDtype, ParsedColumn, ParsedDataset } from './types';

const LF = 10;

/** Normalises a dtype name from pandas / numpy / JSON Schema / Arrow / SQL to a ColumnDtype. */
export function normalizeDtype(raw: string, format?: string): ColumnDtype {
  const t = raw.toLowerCase().trim();
  if (format && /date|time/.test(format.toLowerCase())) return 'datetime';
  if (/^(bool|boolean)$/.test(t)) return 'bool';
  if (/^(u?int(8|16|32|64)?|integer|long|short|byte|bigint|smallint|tinyint)(\[.*\])?$/.test(t)) return 'int';
  if (/^(float(16|32|64)?|double|number|real|numeric|decimal.*|halffloat)$/.test(t)) return 'float';
  if (/date|time/.test(t)) return 'datetime';
  return 'string';
}

function lineAt(text: string, idx: number): number {
  let line = 1;
  for (let i = 0; i < idx; i++) if (text.charCodeAt(i) === LF) line++;
  return line;
}

/** 1-based line where a column is declared: as a key (`"name":`), else as a value (`"name": "col"`), else anywhere. */
function lineOfKey(text: string, key: string): number | undefined {
  const q = JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const asKey = new RegExp(`${q}\\s*:`).exec(text);
  if (asKey) return lineAt(text, asKey.index);
  const asValue = new RegExp(`:\\s*${q}`).exec(text);
  if (asValue) return lineAt(text, asValue.index + asValue[0].length - JSON.stringify(key).length);
  const idx = text.indexOf(JSON.stringify(key));
  return idx < 0 ? undefined : lineAt(text, idx);
}

/** Parses a schema: JSON Schema (`properties`), Table Schema (`fields`), `columns` list, or a flat {column: dtype} map. */
export function parseSchema(bytes: Uint8Array): ParsedDataset {
  const problems = new Problems();
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    text = looseDecoder.decode(bytes);
    problems.add('encoding', 'invalid UTF-8: shown with replacement characters (�)');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    problems.add('empty', 'empty file');
    return { format: 'schema', rowCount: null, columns: [], problems: problems.finish() };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // One JSON error locator for every engine (JSON.parse on Node 20 often gives no position).
    const p = jsonProblem(text, e);
    problems.add('json', `invalid JSON: ${(e as Error).message}`, p.line, p.column);
    return { format: 'schema', rowCount: null, columns: [], problems: problems.finish() };
  }
  const columns: ParsedColumn[] = [];
  const add = (name: string, rawType: unknown, extra: { format?: string; nullable?: boolean } = {}) => {
    let types = Array.isArray(rawType) ? rawType.map(String) : rawType === undefined || rawType === null ? [] : [String(rawType)];
    let nullable = extra.nullable;
    if (types.includes('null')) {
      nullable = true;
      types = types.filter((t) => t !== 'null');
    }
    const sourceType = types.join('|') || 'any';
    columns.push({ name, dtype: normalizeDtype(types[0] ?? 'string', extra.format), sourceType, nullable, line: lineOfKey(text, name) });
  };
  const obj = doc as Record<string, unknown>;
  const fieldList = (list: unknown[]) => {
    for (const f of list) {
      if (!f || typeof f !== 'object') continue;
      const r = f as Record<string, unknown>;
      const name = r.name ?? r.column ?? r.field;
      if (typeof name !== 'string') continue;
      const nullable =
        typeof r.nullable === 'boolean'
          ? r.nullable
          : r.constraints && typeof (r.constraints as Record<string, unknown>).required === 'boolean'
            ? !(r.constraints as Record<string, unknown>).required
            : undefined;
      add(name, r.type ?? r.dtype ?? r.data_type, { format: typeof r.format === 'string' ? r.format : undefined, nullable });
    }
  };
  if (Array.isArray(doc)) fieldList(doc);
  else if (obj && typeof obj === 'object') {
    const props = (obj.properties ??
      ((obj.items as Record<string, unknown> | undefined)?.properties as unknown)) as Record<string, unknown> | undefined;
    const schemaFields = (obj.schema as Record<string, unknown> | undefined)?.fields;
    if (props && typeof props === 'object') {
      const required = Array.isArray(obj.required) ? (obj.required as string[]) : undefined;
      for (const [name, spec] of Object.entries(props)) {
        const s = (spec ?? {}) as Record<string, unknown>;
        let type = s.type;
        if (type === undefined && Array.isArray(s.anyOf)) type = (s.anyOf as Record<string, unknown>[]).map((x) => x.type);
        add(name, type, {
          format: typeof s.format === 'string' ? s.format : undefined,
          nullable: required ? !required.includes(name) : undefined,
        });
      }
    } else if (Array.isArray(obj.fields)) fieldList(obj.fields);
    else if (Array.isArray(schemaFields)) fieldList(schemaFields);
    else if (Array.isArray(obj.columns)) fieldList(obj.columns);
    else if (Object.values(obj).every((v) => typeof v === 'string')) for (const [name, t] of Object.entries(obj)) add(name, t);
    else problems.add('schema', 'unrecognised schema: expected JSON Schema "properties", "fields", "columns" or a {column: dtype} map');
  }
  return { format: 'schema', rowCount: null, columns, problems: problems.finish() };
}
