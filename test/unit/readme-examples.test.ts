// Every fenced example of README.md and of docs/*.md (the reference moved out of the README on
// 2026-12-07) runs: `dosewise …` shell commands as bin/dosewise.js runs them
// (the built CLI, at small sizes), the TypeScript API example against the built package entry, the model file through
// defineModel, the model text through the model-text compiler, and the shown error message is the
// one the compiler gives. A block that is deliberately not run carries the HTML comment
// `<!-- readme-test: not run: REASON -->` on the line before its fence, and must be listed below
// with the same reason, so a new example cannot slip past unrun.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineModel } from '../../src/model/model.js';
import { compileModelText } from '../../src/model/text/index.js';
import { FUNCTION_NAMES } from '../../src/model/expression.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

interface Block {
  /** The file, relative to the repository: README.md or docs/NAME.md. */
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly body: string;
  readonly notRun?: string;
}

/** Fenced blocks (also indented ones inside list items), with their not-run marker if any. */
function blocks(file: string, markdown: string): Block[] {
  const out: Block[] = [];
  const re = /^( *)```(\w*)\n([\s\S]*?)^\1```/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const indent = (m[1] as string).length;
    const line = markdown.slice(0, m.index).split('\n').length;
    const before = markdown.slice(0, m.index).trimEnd().split('\n').pop() ?? '';
    const marker = /<!--\s*readme-test: not run: (.+?)\s*-->/.exec(before);
    const body = (m[3] as string).split('\n').map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n');
    out.push({ file, line, lang: m[2] as string, body, ...(marker ? { notRun: marker[1] as string } : {}) });
  }
  return out;
}

/** Blocks not run, by their first line, and why: the file's marker must give the same reason. */
const NOT_RUN: Record<string, string> = {
  'npm ci && npm start': 'builds everything and runs the full 100,000-patient study; npm test runs this very suite',
  'node bin/dosewise.js <command> --help': 'a usage pattern with a placeholder, not a command',
  '# Slurm job array': 'a cluster job script (10 million subjects, placeholder files m.json and r.json); sharding and merging are tested in test/unit/population/cli.test.ts',
  'statement  = "model" STRING': 'a grammar, not a program',
  '// main.js (index.html': 'a browser app; test/browser/vite-app.test.ts builds this very block with Vite and runs it in Chromium',
  'npm install dosewise': 'installs from the registry; test/package/pack.test.ts installs the packed tarball instead',
  '// vite.config.js': 'a Vite configuration; test/browser/vite-app.test.ts serves the example app with it',
  // its stderr line first; test/unit/design/advice-readme-output.test.ts runs the command and compares
  'dosewise: warning: W_COVARIATE_DEFAULT: examples/advice-vancomycin.csv': 'the output of the command above, as printed',
};

/** Shell words of one command line: single and double quotes, no expansions. */
function words(line: string, where: string): string[] {
  if (/[$`|;&<>*]/.test(line.replace(/'[^']*'/g, ''))) throw new Error(`${where}: shell syntax the examples test does not run: ${line}`);
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? (m[3] as string));
  return out;
}

/** The commands of a shell block: continuation lines joined, comments dropped. */
function commands(body: string): string[] {
  return body
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l && !l.startsWith('#'));
}

/**
 * `dosewise ARGS` as bin/dosewise.js runs it (the bundled dist/cli/main.js), in this process so
 * that a dozen commands cost no dozen Node start-ups: stdout and stderr captured, the exit code.
 */
async function dosewise(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const main = (await import(pathToFileURL(join(ROOT, 'dist/cli/main.js')).href)) as { run(argv: string[], out: (s: string) => void): Promise<number> };
  let stdout = '';
  let stderr = '';
  const orig = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main.run(['node', 'dosewise', ...args], (chunk) => void (stdout += chunk));
    return { code, stdout, stderr };
  } finally {
    process.stderr.write = orig;
  }
}

/** Runs the functions given to it at most n at a time. */
function limit(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

// sizes: enough to exercise every option, small enough that the whole file runs in seconds
const SMALL_N = 2000;
const SMALL_DRAWS = 200;
const SMALL_REPLICATES = 20;

/** The example's arguments at small size, with outputs under `tmp`. */
function smallArgs(args: readonly string[], tmp: string): string[] {
  const out = [...args];
  for (let i = 0; i < out.length - 1; i++) {
    const next = out[i + 1] as string;
    if (out[i] === '--n') out[i + 1] = String(Math.min(Number(next), SMALL_N));
    if (out[i] === '--draws') out[i + 1] = String(Math.min(Number(next), SMALL_DRAWS));
    if (out[i] === '--replicates') out[i + 1] = String(Math.min(Number(next), SMALL_REPLICATES));
    if (out[i] === '--out' || out[i] === '--report') out[i + 1] = join(tmp, next);
  }
  return out;
}

/** README.md and the reference it links to, docs/*.md (not docs/api/, the generated TypeDoc). */
const FILES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const texts = FILES.map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));
const all = texts.flatMap(({ file, text }) => blocks(file, text));
/** Where a block is, for messages and titles: `docs/cli.md:52`. */
const at = (b: Block): string => `${b.file}:${b.line}`;
const tmp = mkdtempSync(join(tmpdir(), 'dosewise-readme-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// the TypeScript examples run from this scratch folder, not from the repository (as from an app's
// folder: they read examples/… relative to the working directory, which only worked in the package's
// own); the package is found by name, as an app installs it, for import.meta.resolve('dosewise/…')
mkdirSync(join(tmp, 'node_modules'));
symlinkSync(ROOT, join(tmp, 'node_modules', 'dosewise'), 'dir');

describe('README and docs examples', () => {
  it('every block not run is marked in its file and justified here with the same reason', () => {
    const marked = all.filter((b) => b.notRun !== undefined);
    const listed = Object.entries(NOT_RUN);
    for (const b of marked) {
      const entry = listed.find(([first]) => b.body.trimStart().startsWith(first));
      expect(entry, `${at(b)}: marked not run but not listed in this test`).toBeDefined();
      expect(b.notRun, at(b)).toBe(entry?.[1]);
    }
    // every reason listed here is used (an example shown both in the README and in docs/ is marked in both)
    for (const [first] of listed) expect(marked.some((b) => b.body.trimStart().startsWith(first)), `not-run entry '${first}' matches no block`).toBe(true);
    console.info(`README.md and docs/*.md: ${all.length} fenced blocks, ${marked.length} not run: ${marked.map(at).join(', ')}`);
  });

  it('every other block has a runner (sh, ts, json, text)', () => {
    for (const b of all) if (b.notRun === undefined) expect(['sh', 'ts', 'json', 'text'], `${at(b)}: \`\`\`${b.lang}`).toContain(b.lang);
  });

  // the commands run one after the other, started before their tests; each test awaits its own
  interface Job {
    readonly title: string;
    readonly where: string;
    readonly argv: string[];
    result?: Promise<{ stdout: string; stderr: string } | { failed: string }>;
  }
  const jobs: Job[] = [];
  for (const b of all.filter((x) => x.lang === 'sh' && x.notRun === undefined))
    for (const [k, cmd] of commands(b.body).entries()) {
      const where = at(b);
      jobs.push({ title: `${at(b)}, command ${k + 1}: ${cmd.slice(0, 90)}`, where, argv: words(cmd, where) });
    }
  beforeAll(() => {
    const queue = limit(1);
    for (const job of jobs) {
      if (job.argv[0] !== 'dosewise') continue;
      const args = smallArgs(job.argv.slice(1), tmp);
      job.result = queue(async () => {
        const r = await dosewise(args);
        return r.code === 0 ? r : { failed: `dosewise ${args.join(' ')} exited with ${r.code}\n${r.stderr}${r.stdout.slice(0, 2000)}` };
      });
    }
  });
  for (const job of jobs) {
    it(job.title, async () => {
      expect(job.argv[0], `${job.where}: only dosewise commands are run; mark the block <!-- readme-test: not run: … --> otherwise`).toBe('dosewise');
      expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'dist/ is missing: npm run build').toBe(true);
      const res = await job.result;
      if (!res || 'failed' in res) throw new Error(`${job.where}: ${res?.failed ?? 'not run'}`);
      // a result on stdout or in the output folder
      const args = smallArgs(job.argv.slice(1), tmp);
      const outIdx = args.indexOf('--out');
      if (outIdx >= 0) expect(existsSync(args[outIdx + 1] as string), `${job.where}: --out written`).toBe(true);
      else expect(res.stdout.trim().length, `${job.where}: prints a result`).toBeGreaterThan(0);
    });
  }

  for (const b of all.filter((x) => x.lang === 'ts' && x.notRun === undefined)) {
    it(`${at(b)}: the TypeScript API example runs against the built package entry`, async () => {
      const entry = join(ROOT, 'dist/src/index.js');
      expect(existsSync(entry), 'dist/ is missing: npm run build').toBe(true);
      expect(b.body, `${at(b)}: imports from 'dosewise'`).toMatch(/from 'dosewise'/);
      const js = ts.transpileModule(b.body.replace(/from 'dosewise'/g, `from '${pathToFileURL(entry).href}'`), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      const file = join(tmp, `${b.file.replace(/[/.]/g, '-')}-${b.line}.mjs`);
      writeFileSync(file, js);
      await run(process.execPath, [file], { cwd: tmp });
    });
  }

  it('every name the README and docs import from dosewise is exported by the package entry', async () => {
    const names = new Set<string>();
    for (const { text } of texts) for (const m of text.matchAll(/import \{([^}]*)\} from 'dosewise'/g)) for (const n of (m[1] as string).split(',')) names.add(n.trim().replace(/^type\s+/, ''));
    // names the API prose presents as functions of the package
    for (const n of ['estimate', 'runStudy', 'shrinkage', 'forecast', 'compileModel', 'Engine']) names.add(n);
    const api = (await import('../../src/index.js')) as Record<string, unknown>;
    for (const n of names) expect(api[n], `dosewise exports ${n}`).toBeDefined();
  });

  it('every name the README and docs import from dosewise/browser is exported by the browser entry', async () => {
    const names = new Set<string>();
    for (const { text } of texts) for (const m of text.matchAll(/import \{([^}]*)\} from 'dosewise\/browser'/g)) for (const n of (m[1] as string).split(',')) names.add(n.trim().replace(/^type\s+/, ''));
    expect(names.size).toBeGreaterThan(0);
    const api = (await import('../../src/browser/index.js')) as Record<string, unknown>;
    for (const n of names) expect(api[n], `dosewise/browser exports ${n}`).toBeDefined();
  });

  for (const b of all.filter((x) => x.lang === 'json' && x.notRun === undefined)) {
    it(`${at(b)}: the model file is accepted by defineModel`, () => {
      const model = defineModel(JSON.parse(b.body) as Parameters<typeof defineModel>[0]);
      expect(model.nStates).toBeGreaterThan(0);
    });
  }

  for (const b of all.filter((x) => x.lang === 'text' && x.notRun === undefined)) {
    const error = /^(\S+\.model):(\d+):(\d+): (.*)$/m.exec(b.body);
    if (error) {
      it(`${at(b)}: the error shown is the compiler's own message`, () => {
        const [, file, line, col] = error;
        const shown = b.body.split('\n').find((l) => /^\s*\d+ \| /.test(l)) as string;
        const lineText = shown.replace(/^\s*\d+ \| /, '');
        // a model whose line `line` is the line shown, declaring what the message does not complain about
        const text = ['theta K = 1', 'compartment A', lineText].join('\n');
        expect(Number(line)).toBe(3);
        expect(() => compileModelText(text, file)).toThrow(b.body.trimEnd());
        expect(Number(col)).toBeGreaterThan(0);
      });
    } else {
      it(`${at(b)}: the model text compiles`, () => {
        const compiled = compileModelText(b.body);
        expect(compiled).toBeDefined();
      });
    }
  }
});

// The prose names functions as `name()` too: `optimizeBandingIntervals()` was presented as a way to
// stay on the calling thread, but no entry exported it. Every such name is exported by an entry, or
// is listed here as not the package's API, with why.
const NOT_API: Readonly<Record<string, string>> = Object.fromEntries([
  ...FUNCTION_NAMES.map((n) => [n, "the model language's arithmetic"]),
  ...['lag', 'F', 'bioavailability', 'rate', 'duration', 'residual', 'A', 'ETA', 'bsa_mosteller', 'egfr_ckdepi2021', 'crcl_cg', 'quantile'].map((n) => [n, 'the model language, NM-TRAN or R: a function of a model text or data set']),
  ...['Array.from', 'JSON.stringify', 'require', 'import.meta.resolve', 'map', 'filter', 'slice', 'join', 'split', 'names.map', 'Number'].map((n) => [n, "JavaScript's own (CommonJS, module resolution, the array builtins a benchmark note names)"]),
  ...['done'].map((n) => [n, 'an internal function a benchmark note names (bfgs exits)']),
  ...['mrgsim', 'data_set', 'rxSolve', 'fill_nan'].map((n) => [n, "another tool's function (mrgsolve, rxode2)"]),
  ...['O'].map((n) => [n, 'big-O notation']),
  ...['worker.terminate', 'terminate', 'close', 'onProgress'].map((n) => [n, 'a method of a returned worker or pool, or a callback the caller gives']),
  ...['simulateShared'].map((n) => [n, 'the internal fast path a benchmark row measures']),
  ...['process.resourceUsage', 'v8.setFlagsFromString'].map((n) => [n, "Node's own"]),
]);

describe('README and docs prose', () => {
  it('every function the prose names as `name()` is exported by an entry (or is listed as not the API)', async () => {
    const entries = (await Promise.all([import('../../src/index.js'), import('../../src/browser/index.js'), import('../../src/engine/model-text.js')])) as Record<string, unknown>[];
    const methods = (['Regimen', 'Engine'] as const).flatMap((c) => Object.getOwnPropertyNames((entries[0]?.[c] as { prototype: object }).prototype));
    const missing: string[] = [];
    for (const { file, text } of texts)
      for (const m of text.matchAll(/`([A-Za-z_][A-Za-z0-9_.]*)\(/g)) {
        const name = m[1] as string;
        const head = name.split('.')[0] as string;
        if (name in NOT_API || methods.includes(name) || entries.some((e) => head in e)) continue;
        missing.push(`${name} (${file}:${text.slice(0, m.index).split('\n').length})`);
      }
    expect(missing, 'named as API functions but exported by no entry').toEqual([]);
  });
});
