// One entry point over the three parsers; bad input becomes problems, never an exception.
import { parseCsvImpl } from './csv';
import { parseParquet } from './parquet';
import { parseSchema } from './schema';
import type { DatasetInput, DatasetKind, DatasetOptions, ParsedDataset } from './types';

/** Parses a dataset sample of the given kind. Never throws on bad input (problems are returned). */
export function parseDataset(input: DatasetInput, kind: DatasetKind, opts: DatasetOptions = {}): ParsedDataset {
  return parseDatasetImpl(input, kind, opts, false);
}

export function parseDatasetImpl(input: DatasetInput, kind: DatasetKind, opts: DatasetOptions, compact: boolean): ParsedDataset {
  try {
    if (kind === 'parquet') return parseParquet(input.bytes, opts);
    if (kind === 'schema') return parseSchema(input.bytes);
    return parseCsvImpl(input.bytes, input.name, opts, compact);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    return {
      format: kind === 'csv' ? 'csv' : kind,
      rowCount: kind === 'schema' ? null : 0,
      columns: [],
      problems: [{ message: `could not parse ${kind}: ${(e as Error).message}` }],
    };
  }
}
