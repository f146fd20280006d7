// Global setup of the browser tests: builds the web tool into dist/web (so the tests never run a
// stale bundle), unless DOSEWISE_WEB_PREBUILT=1 says the caller has just built it.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  if (process.env.DOSEWISE_WEB_PREBUILT === '1' && existsSync(`${root}dist/web/index.html`)) return;
  await build({ configFile: `${root}vite.config.ts`, logLevel: 'warn' });
}
