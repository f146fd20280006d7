#!/usr/bin/env node
// Entry point of the dosewise command (compiled sources in dist/; `npm run build` makes them).
import { existsSync } from 'node:fs';
const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('dosewise: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv);
