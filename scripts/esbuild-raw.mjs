// esbuild plugin: `import text from './file.py?raw'` bundles the file's text as a string, as Vite and
// Vitest do natively (the Python templates of shared/generators/templates).
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export const rawTextPlugin = {
  name: 'pmw-raw-text',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: resolve(args.resolveDir || dirname(args.importer), args.path.slice(0, -'?raw'.length)),
      namespace: 'pmw-raw',
    }));
    b.onLoad({ filter: /.*/, namespace: 'pmw-raw' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
      watchFiles: [args.path],
    }));
  },
};
