// Documents the user has not edited follow the incident: before they are shown, generated or exported,
// regenerate them (lossless: an unedited document has no user text to keep). Edited ones stay as they
// are until the user presses Regenerate and chooses per section.
import type { DocKind, DocState } from '../../shared/exporting';
import { api } from '../data/api';

export async function freshDoc(key: string, kind: DocKind): Promise<DocState> {
  const d = await api.call('doc:get', { key, kind });
  if (d.edited) return d;
  const r = await api.call('doc:regenerate', { key, kind });
  const { conflicts: _conflicts, ...state } = r;
  return state;
}

export async function refreshUntouchedDocs(key: string): Promise<void> {
  await Promise.all((['postmortem', 'runbook'] as const).map((k) => freshDoc(key, k)));
}
