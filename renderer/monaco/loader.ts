// Lazy Monaco: the only way the renderer reaches the editor. The dynamic import keeps Monaco (≈ several
// MB with its workers) out of the first bundle; it is fetched from the app's own files when the first
// diff opens, and once only.
import type * as MonacoApi from 'monaco-editor/esm/vs/editor/editor.api';

export type Monaco = typeof MonacoApi;

let pending: Promise<Monaco> | null = null;

export function loadMonaco(): Promise<Monaco> {
  pending ??= import('./setup').then(
    (m) => m.monaco,
    (e) => {
      pending = null; // let a later attempt retry (e.g. after a rebuild)
      throw e;
    },
  );
  return pending;
}

/** Monaco language id for an artifact kind (only the languages setup.ts registers). */
export function monacoLanguage(kind: string, name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'markdown';
  if (lower.endsWith('.py')) return 'python';
  if (lower.endsWith('.sh') || lower.endsWith('.bash')) return 'shell';
  if (lower.endsWith('.toml') || lower.endsWith('.ini') || lower.endsWith('.cfg') || lower.endsWith('.lock')) return kind === 'package-lock' ? 'json' : 'ini';
  switch (kind) {
    case 'json':
    case 'schema':
    case 'model-metadata':
    case 'package-lock':
      return 'json';
    case 'yaml':
    case 'kubernetes':
    case 'conda-env':
      return 'yaml';
    case 'poetry-lock':
      return 'ini'; // TOML: close enough for highlighting
    case 'env':
      return 'shell';
    default:
      return 'plaintext';
  }
}
