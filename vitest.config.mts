import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    // Timing-sensitive files run afterwards, alone (see scripts/test.mjs).
    exclude: process.env.PMW_SERIAL ? [] : ['test/unit/**/*.serial.test.ts', '**/node_modules/**'],
    environment: 'node',
    // Tests spawn bin/pmw.cjs, which runs the prebuilt bundles: (re)build them first when stale.
    globalSetup: ['test/build-once.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
