// ESLint (run by `npm test`, static step; `npx eslint .` by hand): the React hooks rules for the
// renderer, no import cycles anywhere, no `any` in the services. Syntax-only (no type information) so it stays fast.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

export default [
  { ignores: ['dist/**', 'node_modules/**', '.tmp/**', '.native/**', 'release/**', 'build/**', 'test/fixtures/**', '**/*.d.ts'] },
  {
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts', 'main/**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true }, sourceType: 'module' } },
    plugins: { 'import-x': importX, '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })] },
    rules: {
      // Type-only imports are not followed (they vanish at build time); keep shared types in their own modules anyway.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Services and the composition root read typed rows (main/store/rows.ts), never `any` (issue 10).
    files: ['main/services/**/*.ts', 'main/app.ts', 'main/store/rows.ts', 'main/store/teamRows.ts', 'main/store/incidentRef.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
];
