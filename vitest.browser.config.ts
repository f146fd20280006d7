// Real-browser tests (test/browser): build the web tool, serve it, drive Debian's chromium with
// playwright-core. Separate from vitest.config.ts so `npm test` needs no browser.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/build-web.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    env: { DOSEWISE_BROWSER_TESTS: '1' },
  },
});
