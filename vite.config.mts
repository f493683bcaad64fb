// Renderer build: Vite + React. Root renderer/, output dist/renderer (served by the web host and
// loaded from the app's own files by Electron, hence the relative base).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: join(here, 'renderer'),
  base: './',
  plugins: [react()],
  // Monaco's workers (renderer/monaco/setup.ts, `?worker` imports) are ES modules served from 'self'.
  worker: { format: 'es' },
  build: {
    outDir: join(here, 'dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // No source maps in builds that ship or are served (PMW_SOURCEMAPS=1 for development).
    sourcemap: process.env.PMW_SOURCEMAPS === '1',
    // No inline <script> or modulepreload polyfill: the CSP allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // Monaco's lazy chunk is ~2.6 MB by itself; the entry chunk stays ~0.5 MB (checked by an e2e).
    chunkSizeWarningLimit: 3000,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
