// Entry point of the semantic diff engines (issue 3). Pure TypeScript: Node, workers, browser.
import { diffDataset } from './dataset';
import { diffArtifactsWith, type ArtifactInput, type DiffOptions } from './dispatch';
import type { DiffResult } from './types';

export * from './types';
export { detectKind, decodeText } from './detect';
export { lineDiff, diffText, type Hunk } from './text';
export { diffPlacedTextArtifacts, resolvePairKind, sortChanges, type ArtifactInput, type DiffOptions } from './dispatch';
export { placeTextPair, type PlacedTextPair } from './textbytes';

/**
 * Diff two artifacts, dispatching by kind (opts.kind, else each side's kind, else detection).
 * csv / parquet / schema go to the dataset engine; every other kind to the engines in this folder.
 */
export function diffArtifacts(before: ArtifactInput, after: ArtifactInput, opts: DiffOptions = {}): DiffResult {
  return diffArtifactsWith(diffDataset, before, after, opts);
}
