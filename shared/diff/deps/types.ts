// Types of the dependency engines: one entry per package as written, per ecosystem.
import type { ParseProblem } from '../types';

export type Ecosystem = 'pypi' | 'conda' | 'npm';

export interface Clause {
  op: string;
  version: string;
}

export interface DepEntry {
  /** Map key: normalised name (PEP 503 for Python), "pip:" prefix for pip packages inside conda envs, install path for npm. */
  key: string;
  /** Name as written. */
  name: string;
  ecosystem: Ecosystem;
  /** Pinned or locked version, when there is one (==X, conda =X, lockfile version). */
  version?: string;
  /** Normalised specifier, e.g. ">=2.0.0,<3" ("" = any version). Lockfiles: "==<version>". */
  spec: string;
  clauses: Clause[];
  extras: string[];
  /** Normalised PEP 508 marker. */
  marker?: string;
  /** Direct reference (pkg @ url, -e …), conda channel or npm resolved URL. */
  source?: string;
  /** Conda build string. */
  build?: string;
  /** poetry.lock python-versions (used to pair several locked versions of one package). */
  pythonVersions?: string;
  /** 1-based line where the entry is declared, when known. */
  line?: number;
  /** True for lockfile entries (every version is exact; no pin semantics). */
  locked?: boolean;
  /** requirements: the --hash values, sorted. */
  hashes?: string[];
}

/** An option line's value; repeatable options (--extra-index-url, --find-links, --trusted-host) keep every value in order. */
export interface DepOption {
  value: string;
  line: number;
  values?: { value: string; line: number }[];
}

export interface DepParse {
  ecosystem: Ecosystem;
  entries: DepEntry[];
  /** Options and includes (requirements files): "-r base.txt", "--index-url" → value. */
  options: Map<string, DepOption>;
  /** poetry.lock: the Python versions the whole lock supports ([metadata] python-versions). */
  pythonVersions?: { value: string; line?: number };
  problems: ParseProblem[];
  /** Fatal parse error: the diff falls back to text. */
  fatal?: boolean;
}

export function newParse(ecosystem: Ecosystem): DepParse {
  return { ecosystem, entries: [], options: new Map(), problems: [] };
}
