// Playwright config for the Electron e2e tests (Playwright's _electron driver, no browser project).
// Run: npx playwright test -c playwright.electron.config.ts — needs `npm run build` and the Electron
// binary; without the binary every test is skipped with the reason printed.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e-electron',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: '.tmp/test-results/electron',
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
});
