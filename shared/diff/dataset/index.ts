// Dataset samples (CSV/TSV, Parquet, schema JSON): parsing, profiling, schema diff and drift (issue 3).
// Pure TypeScript: no node built-ins, no DOM — runs in Node, worker threads and the browser.
//
// One job per module:
//   csv.ts, bytedict.ts  byte-level RFC 4180 tokenizer writing typed columns (papaparse is the test oracle)
//   numbers.ts           number and datetime parsing from bytes (exact fast path)
//   parquet.ts           Parquet → typed columns (hyparquet's synchronous building blocks)
//   parquet-typed.ts     flat column pages decoded straight into typed arrays (no object per value)
//   schema.ts            schema JSON → columns
//   parse.ts             the three parsers behind one call
//   summary.ts           per-column summaries (sorted values / category counts), what crosses a worker
//   profile.ts           profiles and baselines for generated tests
//   drift.ts             Evidently's default drift tests
//   compare.ts           two summaries → typed changes
//   format.ts            numbers and names in messages
//
// CSV strategy: numbers are parsed from the bytes while they are scanned; categorical columns are
// dictionary-encoded by their bytes. Papaparse builds a string per field and an array per row, which is
// several times slower and heavier at 1M × 20 (see test/bench/dataset.bench.mjs), and its type package
// pulls Node's types into shared/; it is used in the tests as an oracle instead.
// Drift: Evidently's defaults (DESIGN §6), statistics in ../stats.

export type {
  CategoricalData,
  ColumnBaseline,
  ColumnDtype,
  ColumnProfile,
  ColumnSummary,
  CountsData,
  DatasetBaseline,
  DatasetInput,
  DatasetKind,
  DatasetOptions,
  DatasetProfile,
  DatasetSummary,
  NumericData,
  ParsedColumn,
  ParsedDataset,
  Quantiles,
} from './types';
export { parseIsoDate } from './numbers';
export { parseCsv } from './csv';
export { isParquet, parseParquet } from './parquet';
export { normalizeDtype, parseSchema } from './schema';
export { parseDataset } from './parse';
export { summarizeDataset, summaryTransferables } from './summary';
export { datasetBaseline, profileDataset, profileParsed, profileSummary } from './profile';
export { DRIFT_DEFAULTS } from './drift';
export { diffDataset, diffDatasetSummaries } from './compare';
