// The dependency files' diff engine (requirements, poetry.lock, conda, package-lock.json) as its own bundle
// (dist/main/cli-diff-deps.cjs) that the `pmw diff` bundle loads on first use, like ./diff-engines.ts:
// a lockfile diff (run in process, see ./diff.ts) loads this alone, not every other engine.
export { diffDependencyTexts } from '../../shared/diff/deps';
