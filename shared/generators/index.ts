// Generators: findings → pytest regression tests, runbooks, postmortems (issue 4). Pure TypeScript.
export * from './params';
export * from './types';
export * from './slug';
export * from './pytest'; // also re-exports pyLiteral / pyString / pyNumber / pyComment
export * from './runbook';
export * from './postmortem';
