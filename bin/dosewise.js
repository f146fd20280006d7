#!/usr/bin/env node
// Entry point of the dosewise command: the bundled command in dist/cli/ (`npm run build` makes it
// from the compiled sources in dist/src/; vite.cli.config.ts says why it is bundled).
import { existsSync } from 'node:fs';
const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('dosewise: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv);
