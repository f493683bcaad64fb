// Text imports of the Python templates: `import text from './x.py?raw'`. Vite and Vitest support
// `?raw` natively; the esbuild bundles use the plugin in scripts/esbuild-raw.mjs.
declare module '*.py?raw' {
  const text: string;
  export default text;
}
