// Public types of the dataset engine: inputs, parsed columns, profiles, baselines and the per-column
// summaries the comparison works on. Plain data only (structured-cloneable).
import type { ParseProblem } from '../types';

export type DatasetKind = 'csv' | 'parquet' | 'schema';
export type ColumnDtype = 'int' | 'float' | 'bool' | 'datetime' | 'string';

export interface DatasetInput {
  name: string;
  bytes: Uint8Array;
}

export interface DatasetOptions {
  /** Called now and then while parsing (bytes or rows done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Return true to abandon the work; the call then throws an Error whose name is 'AbortError'. */
  shouldCancel?: () => boolean;
}

/** Numeric storage: one value per row, NaN = null. Datetimes are epoch milliseconds (UTC). */
export interface NumericData {
  kind: 'numeric';
  values: Float64Array;
  /** Summary path only: `values` holds just the non-null values (row order lost) and this many were null. */
  nullCount?: number;
  /** Summary path only: true when no value is ±Infinity (so no value needs filtering). */
  allFinite?: boolean;
}
/** Categorical storage: one dictionary code per row, −1 = null. */
export interface CategoricalData {
  kind: 'categorical';
  codes: Int32Array;
  dict: string[];
}

/** Summary path only: category counts instead of per-row codes; counts[0] = nulls, counts[k + 1] = dict[k]. */
export interface CountsData {
  kind: 'counts';
  counts: Int32Array;
  dict: string[];
}

export interface ParsedColumn {
  name: string;
  dtype: ColumnDtype;
  /** Type as written by the source (parquet physical/logical type, schema dtype string). */
  sourceType?: string;
  /** Schema only: whether the schema allows nulls (undefined when it does not say). */
  nullable?: boolean;
  /** Schema only: 1-based line of the column's declaration. */
  line?: number;
  data?: NumericData | CategoricalData | CountsData;
  /** Values of this column in the dataset's row sample (same rows for every column): numbers (NaN =
   * null) for numeric and datetime columns, text (null = missing; booleans as true/false) otherwise. */
  sample?: Float64Array | (string | null)[];
}

export interface ParsedDataset {
  format: 'csv' | 'tsv' | 'parquet' | 'schema';
  delimiter?: string;
  /** null for a schema (no rows). */
  rowCount: number | null;
  columns: ParsedColumn[];
  problems: ParseProblem[];
  /** 1-based line of the header (CSV). */
  headerLine?: number;
  /** Rows equal to an earlier row (CSV: the same record bytes; Parquet: the same values). */
  duplicateRows?: number;
  /** How many rows the per-column samples hold (evenly spaced over the file). */
  sampleSize?: number;
}

export interface Quantiles {
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
}

export interface ColumnProfile {
  name: string;
  /** 0-based position. */
  position: number;
  dtype: ColumnDtype;
  sourceType?: string;
  nullable?: boolean;
  /** Total rows. */
  rows: number;
  /** Non-null values (pandas' describe "count"). */
  count: number;
  nullCount: number;
  nullRate: number;
  distinct: number;
  /** Numeric and datetime (epoch ms): finite values only. */
  min?: number;
  max?: number;
  /** Numeric only; std is the sample standard deviation (ddof 1, like pandas). */
  mean?: number;
  std?: number;
  quantiles?: Quantiles;
  /** Datetime only: ISO 8601 of min/max. */
  minIso?: string;
  maxIso?: string;
  /** Categorical columns, and numeric columns with ≤ 20 distinct values: most frequent first (≤ 10). */
  topCategories?: { value: string; count: number }[];
  /** Heuristic: unique values in a column named like an id (skipped by drift and range checks). */
  identifier?: boolean;
  /** Heuristic: string column where most values are unique (free text); skipped by category/drift checks. */
  highCardinality?: boolean;
}

export interface DatasetProfile {
  format: ParsedDataset['format'];
  delimiter?: string;
  rowCount: number | null;
  columns: ColumnProfile[];
  problems: ParseProblem[];
}

/** Baseline of one column, for generated tests (expected dtype, null-rate ceiling, range, categories). */
export interface ColumnBaseline {
  name: string;
  position: number;
  dtype: ColumnDtype;
  nullable: boolean;
  /** Observed null rate in the last-known-good sample. */
  nullRate: number | null;
  /** Suggested ceiling: observed + max(0.02, 3·√(p(1−p)/n)), rounded up to 0.01, at most 1. */
  nullRateCeiling: number | null;
  min?: number;
  max?: number;
  quantiles?: Quantiles;
  /** Full category set of a categorical column (≤ 100 distinct in change params; ≤ 10 from datasetBaseline(profile)). */
  categories?: string[];
}

export interface DatasetBaseline {
  columns: string[];
  dtypes: Record<string, ColumnDtype>;
  rowCount: number | null;
  perColumn: Record<string, ColumnBaseline>;
}

/** What profiling and drift need of one column. Plain data (structured-cloneable, transferable buffers). */
export interface ColumnSummary {
  name: string;
  position: number;
  dtype: ColumnDtype;
  sourceType?: string;
  nullable?: boolean;
  line?: number;
  rows: number;
  nullCount: number;
  /** numeric/datetime: finite non-null values, ascending */
  sorted?: Float64Array;
  /** ±Infinity values (counted as non-null, excluded from `sorted`) */
  infCount: number;
  /** categorical: distinct values and their counts, most frequent first */
  values?: string[];
  counts?: number[];
  identifier: boolean;
  highCardinality: boolean;
  /** numeric: distinct finite values, mean and sum of squared deviations (computed once) */
  distinct?: number;
  mean?: number;
  sumSq?: number;
  /** The column in the dataset's row sample: numbers (NaN = null), or codes into `values` (−1 = null). */
  sample?: Float64Array | Int32Array;
}

/** A parsed and summarised dataset sample; compute one per side (possibly in two workers), then compare. */
export interface DatasetSummary {
  format: ParsedDataset['format'];
  delimiter?: string;
  rowCount: number | null;
  headerLine?: number;
  columns: ColumnSummary[];
  problems: ParseProblem[];
  /** Rows equal to an earlier row (undefined for a schema). */
  duplicateRows?: number;
  /** Rows in the per-column samples. */
  sampleSize?: number;
}
