// Dependency parsers (pip requirements / pip freeze, poetry.lock, conda environment.yml and
// `conda list --export`, package-lock.json) and the dependency diff. Pure TypeScript.
//   types.ts     entries and parse results      versions.ts  names, versions, specifiers, markers
//   pip.ts       requirements / pip freeze      poetry.ts    poetry.lock
//   conda.ts     conda environments              npm.ts       package-lock.json
//   diff.ts      the diff over parsed entries
import type { ArtifactKind, DiffResult, ParseProblem } from '../types';
import { parseCondaEnv } from './conda';
import { diffDeps } from './diff';
import { parsePackageLock, parsePackageLockPair } from './npm';
import { parseRequirements } from './pip';
import { parsePoetryLock } from './poetry';
import type { DepParse } from './types';

export type { Clause, DepEntry, DepParse, Ecosystem } from './types';
export { classifyBump, compareVersions, formatClauses, isNumericLib, normalizeMarker, normalizePyName, parseSpecifier, pinRank, type BumpLevel } from './versions';
export { parseRequirement, parseRequirements } from './pip';
export { parsePoetryLock } from './poetry';
export { parseCondaEnv, parseCondaSpec } from './conda';
export { parsePackageLock, parsePackageLockPair } from './npm';
export { diffDeps, type DepDiffOptions } from './diff';

export type DepKind = Extract<ArtifactKind, 'requirements' | 'poetry-lock' | 'conda-env' | 'package-lock'>;

export function parseDeps(kind: DepKind, text: string): DepParse {
  switch (kind) {
    case 'requirements':
      return parseRequirements(text);
    case 'poetry-lock':
      return parsePoetryLock(text);
    case 'conda-env':
      return parseCondaEnv(text);
    case 'package-lock':
      return parsePackageLock(text);
  }
}

/**
 * Semantic diff of two dependency files of one kind. On a fatal parse error of either side the
 * result has the problems and `fatal: true` so the caller can fall back to a text diff.
 */
export function diffDependencyTexts(kind: DepKind, before: string, after: string): DiffResult & { fatal?: boolean } {
  // package-lock: the packages the same on both sides are left out before the diff (see parsePackageLockPair).
  const [pb, pa] = kind === 'package-lock' ? parsePackageLockPair(before, after) : [parseDeps(kind, before), parseDeps(kind, after)];
  const problems: ParseProblem[] = [
    ...pb.problems.map((p) => ({ ...p, side: 'before' as const })),
    ...pa.problems.map((p) => ({ ...p, side: 'after' as const })),
  ];
  if (pb.fatal || pa.fatal) return { kind, changes: [], problems, noSemanticChange: false, fatal: true };
  const changes = diffDeps(pb, pa);
  return { kind, changes, problems, noSemanticChange: changes.length === 0 };
}
