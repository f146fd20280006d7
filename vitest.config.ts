import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // real-browser tests need Chromium: npm run test:browser (vitest.browser.config.ts)
    exclude: ['test/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
    // removing an installed package's scratch folder (test/package) took over 10 s, the default, on a loaded machine
    hookTimeout: 120_000,
    pool: 'forks',
    // model texts run interpreted in tests unless compiled on purpose: no detached compilers beside them
    // clock-time charts are read in the process's zone (W_CLOCK_DST): tests are written for UTC and
    // must not depend on the zone of the machine that runs them
    env: { DOSEWISE_BACKGROUND_COMPILE: '0', TZ: 'UTC' },
  },
});
