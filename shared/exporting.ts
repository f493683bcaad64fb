// Types for documents, generated stubs, exports to git and incident bundles. Pure TypeScript.
import type { SecretHitDetail } from './api/errors';

export const STUB_KINDS = ['test', 'runbook', 'postmortem'] as const;
export type StubKind = (typeof STUB_KINDS)[number];

/** A generated file, path relative to the export root (repo or --out folder). */
export interface StubFile {
  path: string;
  kind: StubKind;
  content: string;
}

export const DOC_KINDS = ['postmortem', 'runbook'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

export interface DocState {
  kind: DocKind;
  /** The user's document (what is shown and exported). */
  content: string;
  /** The generated text the content was last based on. */
  generated: string;
  /** True when the user has edited the document since it was generated. */
  edited: boolean;
  updatedAt: string | null;
}

export interface DocConflict {
  section: string;
  user: string;
  generated: string;
}

export interface DocRegenerated extends DocState {
  /** Sections the user edited that the generator would now write differently: shown for the user to accept. */
  conflicts: DocConflict[];
}

export interface ExportPaths {
  runbooksDir: string;
  testsDir: string;
  postmortemsDir: string;
}
export const DEFAULT_EXPORT_PATHS: ExportPaths = { runbooksDir: 'runbooks', testsDir: 'tests/regression', postmortemsDir: 'postmortems' };

export type ExportFileStatus = 'new' | 'modified' | 'unchanged' | 'conflict';

export interface ExportFilePlan {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  kind: StubKind;
  content: string;
  /** What the repository has at that path now (null when absent). */
  existing: string | null;
  /** What we wrote there at our last export (null when never exported). */
  lastExported: string | null;
  status: ExportFileStatus;
}

export interface ExportPreview {
  repo: string;
  head: string;
  branch: string;
  /** A free branch name to offer when `branch` exists already. */
  suggestedBranch: string | null;
  paths: ExportPaths;
  files: ExportFilePlan[];
  /** Reasons the export would be refused; empty when it can go ahead. */
  refusals: { code: string; message: string; path?: string }[];
  /**
   * Every secret the scan found in the files to write (file, line, rule); `allowed` when the caller
   * overrode that hit deliberately (allowSecrets, with a reason). Any hit not allowed refuses the export.
   */
  secrets: (SecretHitDetail & { allowed: boolean })[];
}

export interface ExportRecord {
  id: number;
  repo: string;
  branch: string;
  commit: string;
  files: { path: string; sha256: string }[];
  createdAt: string;
}

export const BUNDLE_FORMAT = 'postmortem-workbench/incident-bundle';
export const BUNDLE_VERSION = 1;
