#!/usr/bin/env node
// Nothing of the old README was lost when its reference sections moved to docs/ (2026-12-07): every
// non-blank line of README.md as it stood at 33f673d (the last commit before the split) appears, as
// a whole line, in README.md or in one of docs/*.md (not docs/api/, the generated TypeDoc).
// Compared as written, except: a heading's level (sections were promoted one level in their own
// file), a relative link's target (`](ARCHITECTURE.md)` is `](../ARCHITECTURE.md)` in docs/), and
// the lines listed in UPDATED below, changed on purpose after the move (each with why).
//
//   node scripts/docs-lines-check.mjs [REF]     (REF: the old README's commit, default 33f673d)
//
// Exit 0 when every line is found; 1 with the missing lines listed otherwise.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REF = process.argv[2] ?? '33f673d';

/** Old lines changed on purpose after the move: the line's start, and why. */
const UPDATED = {
  'Sizes (measured by `test/package/pack.test.ts`, 2026-12-07, at 77e9c7a':
    'the tarball and install sizes re-measured once the package ships docs/*.md (package.json "files"); the old figures are kept in the paragraph\'s list of earlier figures',
  'installs as 7.1 MiB (the built JavaScript':
    'the same sentence: the installed size re-measured',
  'library and the examples; no source maps':
    'the same sentence: docs/*.md named among what is installed',
  'These figures were 2.04 MiB, 6.7 MiB':
    'the same paragraph: the figures before docs/*.md shipped (2.18 MiB, 7.1 MiB) put first in the list of earlier figures',
  '| `src/engine/` | the WASM engine: loading, memory layout':
    'a pointer to a section the move put in another file, now a link to it (benchmarks.md, "Fresh pages")',
  'smaller error (W-ode, below). The TMDD text of this README':
    'a pointer to a section the move put in another file, now a link to it (model-texts.md, the TMDD text)',
  'its start in 1,800 runs at rtol 1e-4 to 0.1: the README had it above':
    'the same history, told of the documentation instead of the README',
  '  round with it (see "Worker pool scaling").':
    'a pointer to a section that never existed, now to W-sim\'s scaling row in benchmarks.md',
  '  subject (WT 98th, AGE 2nd percentile), where all together cancel; the examples\' own':
    'the examples\' grids not warned are the fixed-dose one; examples/wb-regimen.json (the README\'s population example, hourly) is warned',
  '  grids are within 1e-4 and 1-h infusions on an hourly grid':
    'the same sentence',
  '- `structure`: a built-in name (above)':
    'a pointer to a section the move put in another file, now a link to it (cli.md, simulate)',
  '  outputs too (`output DVID ... = expression`, `residual(DVID) ...`; see "Model texts")':
    'a pointer to a section the move put in another file, now a link to it',
  '  otherwise (see the stiff method under `--method`)':
    'a pointer to a section the move put in another file, now a link to it (cli.md, simulate)',
  'fresh array — in chunks of about 1,000 subjects that is twice the throughput, W-b below)':
    'a pointer to a section the move put in another file, now a link to it (benchmarks.md)',
  'the engine and the estimation code once: W-map below ran':
    'a pointer to a section the move put in another file, now a link to it (benchmarks.md)',
  '  the sample range. Population summaries use the DDSketch (above)':
    'a pointer to a section the move put in another file, now a link to it (cli.md, population)',
  'from the patient\'s **current state**: the history (doses and levels, MAP-estimated as above)':
    'a pointer to a section the move put in another file, now a link to it (bayes.md)',
  '| W-e | scaling 1 → 2 workers (2026-12-06, later':
    'one "latest full bench run" only: the 1.36× run is the one before the 1.33× run',
  '| W-map-ode | MAP per patient, Michaelis–Menten oral ODE':
    'a pointer to a section the move put in another file, now a link to it (bayes.md, cost of the global search)',
  '| W-map-ode (5 compartments) |':
    'a pointer to a section the move put in another file, now a link to it (bayes.md, cost of the global search)',
  '| W-map | the same 10,000 patients again on the same pool':
    'the ×1.74 run is an earlier full bench run, not the latest',
  '| W-ode | full TMDD (IIV on KEL, V, KINT)':
    'a pointer to a section the move put in another file, now a link to it (model-texts.md, the TMDD text)',
  'Where targets are missed, and why:':
    'now a heading, so that the README can link to it',
  '  restricted to the built-in models, it made the README\'s TMDD text':
    'a pointer to a section the move put in another file, now a link to it (model-texts.md, the TMDD text)',
  'Browser figures are under "Browser benchmarks" above.':
    'the section is in browser.md: the line is now the link to it',
};

/** A line as compared: heading marks and relative link targets dropped, trailing blanks ignored. */
function normal(line) {
  return line
    .replace(/^#{1,6} /, '')
    .replace(/\]\((?!https?:)[^)]*\)/g, ']()')
    .trimEnd();
}

const old = execFileSync('git', ['show', `${REF}:README.md`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n');
const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const present = new Set();
for (const f of files) for (const l of readFileSync(join(ROOT, f), 'utf8').split('\n')) present.add(normal(l));

const missing = [];
const updated = [];
old.forEach((line, i) => {
  if (line.trim() === '' || present.has(normal(line))) return;
  const why = Object.entries(UPDATED).find(([start]) => line.startsWith(start));
  if (why) updated.push(`  line ${i + 1}: ${line.slice(0, 80)}… (${why[1]})`);
  else missing.push(`  line ${i + 1}: ${line.slice(0, 160)}`);
});

const lines = old.filter((l) => l.trim() !== '').length;
console.log(`${REF}:README.md: ${lines} non-blank lines, ${lines - missing.length - updated.length} found in ${files.join(', ')}`);
if (updated.length > 0) console.log(`${updated.length} updated on purpose:\n${updated.join('\n')}`);
if (missing.length > 0) {
  console.log(`${missing.length} missing:\n${missing.join('\n')}`);
  process.exit(1);
}
console.log('every line is there');
