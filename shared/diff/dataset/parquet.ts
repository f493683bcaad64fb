// Parquet reader: bytes in memory → flat typed columns (ParsedDataset), through hyparquet's
// synchronous building blocks (footer metadata, per-column-chunk decoding), so the module stays
// synchronous and runs in workers and the browser. Its only contract with the rest of the engine is
// parseParquet(bytes, opts) → ParsedDataset (NumericData / CategoricalData columns).
import { readColumn } from 'hyparquet/src/column.js';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { parquetMetadata, parquetSchema } from 'hyparquet/src/metadata.js';
import { Problems, abortError, looseDecoder, toArrayBuffer } from './common';
import { TypedColumn, Unsupported, decodeChunk, typedPlan } from './parquet-typed';
import type { ColumnDtype, DatasetOptions, ParsedColumn, ParsedDataset } from './types';

/** True when the bytes look like a Parquet file (PAR1 magic at both ends). */
export function isParquet(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return (
    n >= 12 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x41 &&
    bytes[2] === 0x52 &&
    bytes[3] === 0x31 &&
    bytes[n - 4] === 0x50 &&
    bytes[n - 3] === 0x41 &&
    bytes[n - 2] === 0x52 &&
    bytes[n - 1] === 0x31
  );
}

interface PqSchemaNode {
  children: PqSchemaNode[];
  element: {
    name: string;
    type?: string;
    converted_type?: string;
    logical_type?: { type: string };
    scale?: number;
    repetition_type?: string;
  };
  path: string[];
}

/**
 * Parses Parquet bytes (flat top-level columns; nested columns are skipped with a problem). Columns
 * of the common flat types are decoded page by page into typed arrays (parquet-typed.ts); any other
 * column, or one whose pages use an encoding that module does not read, goes through hyparquet's
 * per-value readColumn (parseParquetValues reads every column that way).
 */
export function parseParquet(bytes: Uint8Array, opts: DatasetOptions = {}): ParsedDataset {
  return parseParquetWith(bytes, opts, true);
}

/** parseParquet through hyparquet's per-value column reader only (the path of unsupported columns). */
export function parseParquetValues(bytes: Uint8Array, opts: DatasetOptions = {}): ParsedDataset {
  return parseParquetWith(bytes, opts, false);
}

function parseParquetWith(bytes: Uint8Array, opts: DatasetOptions, typed: boolean): ParsedDataset {
  const problems = new Problems();
  if (bytes.length === 0) {
    problems.add('empty', 'empty file');
    return { format: 'parquet', rowCount: 0, columns: [], problems: problems.finish() };
  }
  if (!isParquet(bytes)) {
    problems.add('parquet', 'not a Parquet file (PAR1 magic bytes missing)');
    return { format: 'parquet', rowCount: 0, columns: [], problems: problems.finish() };
  }
  let metadata: ReturnType<typeof parquetMetadata>;
  const ab = toArrayBuffer(bytes);
  try {
    metadata = parquetMetadata(ab);
  } catch (e) {
    problems.add('parquet', `Parquet footer could not be read: ${(e as Error).message}`);
    return { format: 'parquet', rowCount: 0, columns: [], problems: problems.finish() };
  }
  const rowCount = Number(metadata.num_rows);
  const tree = parquetSchema(metadata) as unknown as PqSchemaNode;
  const flat = tree.children.filter((ch) => {
    if (ch.children.length > 0 || ch.element.repetition_type === 'REPEATED') {
      problems.add('parquet', `nested column ${ch.element.name} skipped`);
      return false;
    }
    return true;
  });
  const nodeOf = new Map(flat.map((f) => [f.element.name, f]));
  // typed storage where the column's type allows it; otherwise (or after an unsupported page) values
  const typedCols = new Map<string, TypedColumn>();
  if (typed && rowCount > 0)
    for (const node of flat) {
      const plan = typedPlan(node.element);
      if (plan) typedCols.set(node.element.name, new TypedColumn(plan, rowCount));
    }
  const chunks = new Map<string, unknown[][]>();
  for (const ch of flat) if (!typedCols.has(ch.element.name)) chunks.set(ch.element.name, []);
  const groupStarts: number[] = [];
  const readValues = (rgIndex: number, colName: string, list: unknown[][]): boolean => {
    const rg = metadata.row_groups[rgIndex];
    const groupRows = Number(rg.num_rows);
    for (const cc of rg.columns) {
      const meta = cc.meta_data;
      if (!meta || meta.path_in_schema[0] !== colName || meta.path_in_schema.length !== 1) continue;
      const node = nodeOf.get(colName) as PqSchemaNode;
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      try {
        const decoder = {
          pathInSchema: meta.path_in_schema,
          element: node.element,
          schemaPath: [tree, node],
          type: meta.type,
          codec: meta.codec,
          parsers: DEFAULT_PARSERS,
        };
        const reader = { view: new DataView(ab, start, end - start), offset: 0 };
        const { data } = readColumn(
          reader,
          { groupStart: groupStarts[rgIndex], selectStart: 0, selectEnd: groupRows, groupRows },
          decoder as unknown as Parameters<typeof readColumn>[2],
        );
        for (const d of data) list.push(d as unknown as unknown[]);
      } catch (e) {
        problems.add('parquet', `column ${colName} could not be decoded: ${(e as Error).message}`);
        chunks.delete(colName);
        return false;
      }
    }
    return true;
  };
  let groupStart = 0;
  for (let g = 0; g < metadata.row_groups.length; g++) {
    const rg = metadata.row_groups[g];
    groupStarts.push(groupStart);
    const groupRows = Number(rg.num_rows);
    for (const [name, col] of typedCols) {
      const ccs = rg.columns.filter((cc) => cc.meta_data?.path_in_schema[0] === name);
      const meta = ccs.length === 1 && ccs[0].meta_data!.path_in_schema.length === 1 ? ccs[0].meta_data! : null;
      try {
        if (!meta || groupStart + groupRows > rowCount) throw new Unsupported('layout');
        decodeChunk(ab, meta as unknown as Parameters<typeof decodeChunk>[1], col, groupStart, groupRows);
      } catch {
        // the per-value path decodes this column from the first row group on, and reports what it finds
        typedCols.delete(name);
        const list: unknown[][] = [];
        chunks.set(name, list);
        for (let h = 0; h < g; h++) if (!readValues(h, name, list)) break;
      }
    }
    for (const [name, list] of chunks) readValues(g, name, list);
    groupStart += groupRows;
    if (opts.shouldCancel?.()) throw abortError();
    opts.onProgress?.(groupStart, rowCount);
  }
  const columns: ParsedColumn[] = [];
  for (const node of flat) {
    const name = node.element.name;
    const tc = typedCols.get(name);
    if (tc) {
      columns.push(typedColumn(node, tc));
      continue;
    }
    const list = chunks.get(name);
    if (!list) continue;
    columns.push(parquetColumn(node, list, rowCount));
  }
  return { format: 'parquet', rowCount, columns, problems: problems.finish() };
}

function sourceTypeOf(el: PqSchemaNode['element']): string {
  const logical = el.logical_type?.type;
  return [el.type, logical ?? el.converted_type].filter(Boolean).join('/');
}

function typedColumn(node: PqSchemaNode, tc: TypedColumn): ParsedColumn {
  const el = node.element;
  const { dtype } = tc.plan;
  if (tc.values) return { name: el.name, dtype, sourceType: sourceTypeOf(el), data: { kind: 'numeric', values: tc.values } };
  return { name: el.name, dtype, sourceType: sourceTypeOf(el), data: { kind: 'categorical', codes: tc.codes!, dict: tc.dict } };
}

function parquetColumn(node: PqSchemaNode, chunks: unknown[][], rowCount: number): ParsedColumn {
  const el = node.element;
  const logical = el.logical_type?.type;
  const sourceType = sourceTypeOf(el);
  // find the first non-null value to choose the storage
  let sample: unknown = null;
  outer: for (const ch of chunks)
    for (let i = 0; i < ch.length; i++)
      if (ch[i] !== null && ch[i] !== undefined) {
        sample = ch[i];
        break outer;
      }
  const isNumber = typeof sample === 'number' || typeof sample === 'bigint';
  const isDate = sample instanceof Date;
  if (isNumber || isDate || (sample === null && el.type !== 'BYTE_ARRAY' && el.type !== 'BOOLEAN')) {
    const values = new Float64Array(rowCount).fill(NaN);
    let k = 0;
    for (const ch of chunks)
      for (let i = 0; i < ch.length && k < rowCount; i++, k++) {
        const v = ch[i];
        if (v === null || v === undefined) continue;
        values[k] = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.getTime() : Number(v);
      }
    let dtype: ColumnDtype;
    if (isDate || logical === 'DATE' || logical === 'TIMESTAMP' || el.converted_type === 'DATE' || el.converted_type?.startsWith('TIMESTAMP'))
      dtype = 'datetime';
    else if ((el.type === 'INT32' || el.type === 'INT64') && !(el.scale && el.scale > 0) && logical !== 'DECIMAL') dtype = 'int';
    else dtype = 'float';
    return { name: el.name, dtype, sourceType, data: { kind: 'numeric', values } };
  }
  const codes = new Int32Array(rowCount).fill(-1);
  const dict: string[] = [];
  const index = new Map<string, number>();
  let k = 0;
  for (const ch of chunks)
    for (let i = 0; i < ch.length && k < rowCount; i++, k++) {
      const v = ch[i];
      if (v === null || v === undefined) continue;
      const s =
        typeof v === 'string'
          ? v
          : typeof v === 'boolean'
            ? String(v)
            : v instanceof Uint8Array
              ? looseDecoder.decode(v)
              : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
      let c = index.get(s);
      if (c === undefined) {
        c = dict.length;
        dict.push(s);
        index.set(s, c);
      }
      codes[k] = c;
    }
  return { name: el.name, dtype: el.type === 'BOOLEAN' ? 'bool' : 'string', sourceType, data: { kind: 'categorical', codes, dict } };
}
