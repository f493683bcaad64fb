// The diff engines other than plain text, as their own bundle (dist/main/cli-diff-engines.cjs) that the
// `pmw diff` bundle loads on first use (lazyEngines in scripts/build.mjs turns the imports of these
// modules there into loaders): a plain-text diff compiles and initialises none of them. The dependency
// files' engine is its own bundle (./diff-deps.ts): a lockfile diff in CI loads only that one.
export { diffConfigTexts } from '../../shared/diff/config';
export { diffEnvTexts } from '../../shared/diff/env';
export { diffImageRefTexts } from '../../shared/diff/imageref';
export { diffLogTexts } from '../../shared/diff/logs';
export { diffModelMetadataTexts } from '../../shared/diff/modelmeta';
export { diffDataset } from '../../shared/diff/dataset';
export { diffFingerprintTexts } from '../../shared/diff/fingerprint';
