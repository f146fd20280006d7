// CLI polish, in process through run(argv, stdout): every subcommand's --help ends with runnable
// examples (paths that exist), --json prints parseable JSON on stdout alone (progress goes to
// stderr), --report DIR writes a self-contained report.html (inline SVG, no network reference),
// and bad input names file, row and field with exit code 1, usage errors exit 2.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { program } from '../../../src/cli/main.js';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosewise-polish-'));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


const COMMANDS = ['simulate', 'population', 'merge', 'estimate', 'forecast', 'optimize', 'pta', 'band', 'nomogram', 'relevance', 'study', 'demo', 'compile'];

const vanco = ['--model', 'vancomycin_goti_2018', '--covariates', 'examples/design-vancomycin-covariates.json'];
const wb = ['--model', 'examples/wb-population.model.json', '--regimen', 'examples/wb-regimen.json'];
const map = ['--model', 'examples/map-wmap.model.json', '--data', 'examples/map-patient.csv'];
const fast = ['--workers', '0', '--no-progress'];

/** Small runs of every command that prints results; `report` marks those with --report. */
const RUNS: Record<string, { args: string[]; report: boolean }> = {
  simulate: { args: ['simulate', '--model', 'test/conformance/dosing-1001.model.json', '--data', 'test/conformance/nmtests/dosing-1001.csv'], report: false },
  population: { args: ['population', ...wb, '--n', '400', '--metric', 'auc24', '--metric', 'cmax', '--window', 'auc24=150:250', ...fast], report: true },
  estimate: { args: ['estimate', ...map], report: false },
  forecast: { args: ['forecast', ...map, '--regimen', 'examples/map-future.json', '--draws', '200', '--target', 'auc24:400:600,trough:5:15', '--no-progress'], report: true },
  optimize: { args: ['optimize', ...map, '--target', 'auc24:400:600', '--doses', '500:2000:250', '--intervals', '12,24', '--infusions', '1', '--draws', '200', '--no-progress'], report: true },
  pta: {
    args: ['pta', ...vanco, '--regimens', 'examples/design-vancomycin-q12h-750.json,examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--strata', 'CRCL:60', '--n', '500', ...fast],
    report: true,
  },
  band: {
    args: ['band', ...vanco, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--by', 'CRCL', '--bands', '3', '--doses', '500:2000:250', '--n', '500', ...fast],
    report: true,
  },
  nomogram: { args: ['nomogram', '--model', 'vancomycin_goti_2018', '--target', 'auc24=500', '--interval', '12', '--infusion', '1', '--grid', 'CRCL=30:150:40', '--grid', 'WT=50:110:30', '--round', '250'], report: true },
  relevance: { args: ['relevance', '--effects', 'examples/relevance-effects.json'], report: true },
  study: { args: ['study', 'vancomycin', '--n', '300', '--seed', '3', ...fast], report: true },
  demo: { args: ['demo'], report: false },
  compile: { args: ['compile', 'examples/user-models/tmdd.model'], report: false },
  // its help's example (it named cohort.model.json and cohort.csv, which the package does not ship)
  shrinkage: { args: ['shrinkage', '--model', 'examples/vpc/model.json', '--data', 'examples/vpc/data.csv', ...fast], report: false },
};

// every command the program has, not COMMANDS: shrinkage's examples read cohort.model.json and
// cohort.csv, which the package does not ship (ENOENT), and no test looked
const ALL_COMMANDS = (await program(() => undefined)).commands.map((c) => c.name());

/** Options whose value a command writes, not reads. */
const OUTPUTS = new Set(['--out', '--report', '--source']);

/**
 * The files a help's examples read: every word (option value or operand, split at commas) with a
 * folder or a file extension in it, whatever its folder (cohort.csv has none), except what the
 * examples write (--out, --report, --source) and read back later (merge out/s1 out/s2).
 */
function exampleInputs(examples: string): string[] {
  const lines = examples.replace(/\\\n/g, ' ').split('\n').filter((l) => /^ {2}dosewise /.test(l));
  const written: string[] = [];
  const read: string[] = [];
  for (const line of lines) {
    const words = (line.replace(/#.*$/, '').match(/'[^']*'|"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^['"]|['"]$/g, '')).slice(2);
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as string;
      if (OUTPUTS.has(w)) {
        written.push(words[++i] as string);
        continue;
      }
      if (w.startsWith('-')) continue;
      for (const part of w.split(',')) {
        // a word with a letter and a folder or an extension (not --shard 1/2)
        if (!/[a-z]/i.test(part) || !/\/|\.(?:json|csv|model|txt|tsv)$/i.test(part)) continue;
        if (part.startsWith('out/')) expect(written, `${part} is read before an example writes it`).toContain(part);
        else read.push(part);
      }
    }
  }
  return read;
}

/** A file of the package: in the repository, and in a folder (or file) that package.json's files ships. */
function shipped(file: string): boolean {
  const files = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] }).files.filter((f) => !f.startsWith('!'));
  return existsSync(join(ROOT, file)) && files.some((f) => (f.endsWith('/') ? file.startsWith(f) : file === f));
}

/** No src/href attribute (or CSS url()) that points to the network. */
function selfContained(html: string): void {
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(html).toContain('<svg');
  expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
  expect(html).not.toMatch(/url\(\s*["']?(?:https?:)?\/\//i);
  expect(html).not.toMatch(/<script|<link\b|<img\b|<iframe/i);
}

describe('--help', () => {
  for (const cmd of [...COMMANDS, '']) {
    it(`dosewise ${cmd || '(no command)'} --help: exit 0, ends with examples whose files exist`, async () => {
      const r = await cli(cmd ? [cmd, '--help'] : ['--help']);
      expect(r.code).toBe(0);
      const at = r.out.lastIndexOf('Example');
      expect(at).toBeGreaterThan(0);
      const examples = r.out.slice(at);
      expect(examples).toMatch(/\n {2}dosewise /);
      // files the package ships (package.json files: examples/, models/): test/ is not installed,
      // and `npx dosewise --help` listed test/conformance/dosing-1001.model.json (ENOENT there)
      expect(examples).not.toMatch(/(?:^|[\s=,])(?:test|src|bench)\//);
      for (const m of examples.matchAll(/(?:examples|models)\/[\w./-]+/g)) expect(existsSync(m[0]), m[0]).toBe(true);
      // and says where they are: an installed package runs them from another folder
      expect(r.out).toContain(`examples/… and models/… are files of the dosewise package, in ${ROOT}`);
      for (const m of examples.matchAll(/--model (\w+)\b(?![./])/g)) {
        const name = m[1] as string;
        const builtin = /^(?:advan\d+|\dcmt-\w+)$/i.test(name);
        expect(builtin || existsSync(join('models', `${name}.json`)), name).toBe(true);
      }
    });
  }

  for (const cmd of [...ALL_COMMANDS, '']) {
    it(`dosewise ${cmd || '(no command)'} --help: every file its examples read is one the package ships`, async () => {
      const r = await cli(cmd ? [cmd, '--help'] : ['--help']);
      const examples = r.out.slice(r.out.lastIndexOf('Example'), r.out.indexOf('examples/… and models/… are files'));
      const read = exampleInputs(examples);
      for (const f of read) expect(shipped(f), `${cmd}: ${f}`).toBe(true);
    });
  }

  it('--version prints the package version, exit 0 (was "unknown option \'--version\'", exit 2)', async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-V']) {
      const r = await cli([flag]);
      expect({ code: r.code, out: r.out, err: r.err }).toEqual({ code: 0, out: `${version}\n`, err: '' });
    }
  });

  it('commands share option names', async () => {
    const help = async (c: string): Promise<string> => (await cli([c, '--help'])).out;
    for (const c of ['population', 'pta', 'band']) {
      const h = await help(c);
      for (const o of ['--model', '--n <N>', '--seed', '--workers', '--covariates', '--json', '--report <dir>', '--no-progress']) expect(h, `${c} ${o}`).toContain(o);
    }
    for (const c of ['estimate', 'forecast', 'optimize']) {
      const h = await help(c);
      for (const o of ['--model', '--data <file>', '--json', '--no-progress']) expect(h, `${c} ${o}`).toContain(o);
    }
    for (const c of ['forecast', 'optimize', 'pta', 'band', 'nomogram', 'relevance', 'population', 'study']) expect(await help(c), c).toContain('--report <dir>');
    for (const c of ['forecast', 'optimize', 'pta', 'band', 'nomogram']) expect(await help(c), c).toContain('--target');
    for (const c of COMMANDS) expect(await help(c), c).toContain('--json');
  });
});

describe('--json', () => {
  for (const [cmd, { args }] of Object.entries(RUNS)) {
    it(`${cmd} --json prints JSON alone on stdout`, async () => {
      const r = await cli([...args, '--json', ...(cmd === 'study' ? ['--report', join(tmp, 'study-json')] : [])]);
      expect(r.err).not.toMatch(/internal error/);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as unknown;
      expect(j).toBeTypeOf('object');
    });
  }

  it('simulate --json: one object per input row with IPRED and A1..An; with --out a summary', async () => {
    const r = await cli([...(RUNS.simulate as { args: string[] }).args, '--json']);
    const rows = JSON.parse(r.out) as Record<string, number | null>[];
    const csv = readFileSync('test/conformance/nmtests/dosing-1001.csv', 'utf8').trim().split('\n');
    expect(rows.length).toBe(csv.filter((l, i) => i > 0 && l.trim() !== '' && !/^\s*[#@]/.test(l)).length);
    const keys = Object.keys(rows[0] as object);
    expect(keys.slice(0, 2)).toEqual(['ID', 'TIME']);
    expect(keys).toContain('IPRED');
    expect(keys).toContain('A1');
    expect(rows.some((x) => typeof x.IPRED === 'number' && x.IPRED > 0)).toBe(true);
    const out = join(tmp, 'sim.csv');
    const s = JSON.parse((await cli([...(RUNS.simulate as { args: string[] }).args, '--out', out, '--json'])).out) as { rows: number; out: string; columns: string[] };
    expect(s.rows).toBe(rows.length);
    expect(s.out).toBe(out);
    expect(s.columns).toContain('IPRED');
    expect(existsSync(out)).toBe(true);
  });

  it('merge --json prints the merged summary', async () => {
    const base = ['population', ...wb, '--n', '300', '--seed', 'm', ...fast];
    expect((await cli([...base, '--shard', '1/2', '--out', join(tmp, 's1')])).code).toBe(0);
    expect((await cli([...base, '--shard', '2/2', '--out', join(tmp, 's2')])).code).toBe(0);
    const r = await cli(['merge', join(tmp, 's1'), join(tmp, 's2'), '--out', join(tmp, 'merged'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { dosewise: string; count: number; metrics: { report: { n: number } }[] };
    expect(j.dosewise).toBe('population-summary');
    expect(j.count).toBe(300);
    expect(j.metrics[0]?.report.n).toBe(300);
  });

  it('progress bars go to stderr: stdout stays pure JSON', async () => {
    const r = await cli(['population', ...wb, '--n', '2000', '--chunk-size', '250', '--workers', '0', '--json']);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.out)).not.toThrow();
    expect(r.err).toMatch(/100% 2000\/2000/);
    expect(r.out).not.toMatch(/%.*\/s\)/);
  });

  it('forecast --target judges the forecast per clause', async () => {
    const r = await cli([...(RUNS.forecast as { args: string[] }).args, '--json']);
    const [f] = JSON.parse(r.out) as { metrics: Record<string, unknown>; target: { clause: string; median_is: string }[] }[];
    expect(Object.keys(f?.metrics ?? {})).toEqual(expect.arrayContaining(['auc24', 'trough']));
    expect(f?.target.map((t) => t.clause)).toEqual(['auc24:400:600', 'trough:5:15']);
    expect(['below', 'within', 'above']).toContain(f?.target[0]?.median_is);
  });
});

describe('--report DIR', () => {
  for (const [cmd, { args, report }] of Object.entries(RUNS)) {
    if (!report) continue;
    it(`${cmd} --report writes a self-contained report.html`, async () => {
      const dir = join(tmp, `report-${cmd}`);
      const r = await cli([...args, '--report', dir]);
      expect(r.err).not.toMatch(/internal error/);
      expect(r.code).toBe(0);
      const file = join(dir, 'report.html');
      expect(existsSync(file)).toBe(true);
      expect(r.out).toContain(`report: ${file}`);
      selfContained(readFileSync(file, 'utf8'));
    });
  }

  it('with --json the path goes to stderr and stdout stays JSON', async () => {
    const dir = join(tmp, 'report-relevance-json');
    const r = await cli([...(RUNS.relevance as { args: string[] }).args, '--json', '--report', dir]);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.out)).not.toThrow();
    expect(r.err).toContain(`report: ${join(dir, 'report.html')}`);
  });

  it('report contents: histograms with the window, PTA curves, forest plot, band table, forecast band', async () => {
    const read = (c: string): string => readFileSync(join(tmp, `report-${c}`, 'report.html'), 'utf8');
    const pop = read('population');
    expect(pop.match(/class="dw-chart dw-histogram"/g)?.length).toBe(2);
    expect(pop).toMatch(/class="dw-target" data-lo="150" data-hi="250"/);
    expect(read('pta')).toMatch(/class="dw-chart dw-pta"/);
    expect(read('pta')).toContain('CRCL &lt; 60');
    expect(read('relevance')).toMatch(/class="dw-chart dw-forest"/);
    const band = read('band');
    expect(band).toMatch(/class="dw-chart dw-strategies"/);
    expect(band).toContain('% in window');
    const fc = read('forecast');
    expect(fc).toMatch(/class="dw-chart dw-concentration"/);
    expect(fc).toMatch(/class="dw-band"/);
    expect(fc).toMatch(/class="dw-target" data-lo="5" data-hi="15"/);
    expect(read('optimize')).toMatch(/class="dw-chart dw-concentration"/);
    expect(read('nomogram')).toMatch(/class="dw-chart dw-lines"/);
  });
});

describe('errors name file, row and field', () => {
  const bad = (name: string, text: string): string => {
    const f = join(tmp, name);
    writeFileSync(f, text);
    return f;
  };

  it('a missing file: exit 1, the file named', async () => {
    const r = await cli(['simulate', '--model', 'advan2', '--data', join(tmp, 'nope.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dosewise: .*nope\.csv: cannot read \(no such file, ENOENT\)/);
    const m = await cli(['estimate', '--model', join(tmp, 'nope.model.json'), '--data', 'examples/map-patient.csv']);
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/nope\.model\.json: cannot read \(no such file, ENOENT\)/);
    const u = await cli(['estimate', '--model', 'no_such_model', '--data', 'examples/map-patient.csv']);
    expect(u.code).toBe(2); // a --model that is no path, library model or built-in is a usage error
    expect(u.err).toMatch(/--model no_such_model: no such file, library model or built-in structure/);
  });

  it('bad JSON: exit 1, line and column', async () => {
    const f = bad('bad.json', '{\n  "doses": [{ "time": 0, "amt": 500 }],\n  "observe": [}\n}\n');
    const r = await cli(['population', '--model', 'examples/wb-population.model.json', '--regimen', f, '--n', '10', ...fast]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.json, line 3, column 15: not valid JSON: Unexpected token '}' \(got "}"\)$/m);
    const m = await cli(['relevance', '--effects', bad('effects.json', '[{"label": "x", "on": "CL", "ratio": 0.5,}]')]);
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/effects\.json, line 1, column 42: not valid JSON/);
  });

  it('a bad field of a JSON regimen: exit 1, the field and the value', async () => {
    const f = bad('neg.json', JSON.stringify({ doses: [{ time: 0, amt: -500 }], observe: [{ times: [1, 2] }] }));
    const r = await cli(['population', ...wb.slice(0, 2), '--regimen', f, '--n', '10', ...fast]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/neg\.json, doses\.0\.amt: .* \(got -500\)/);
  });

  it('a bad CSV row: exit 1, "file, row N, column X: ... (got V)"', async () => {
    const f = bad('bad.csv', 'ID,TIME,EVID,AMT,CMT\n1,0,1,100,1\n1,1,0,abc,1\n');
    const r = await cli(['simulate', '--model', 'advan2', '--data', f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dosewise: .*bad\.csv, row 2, column AMT: not a number \(got "abc"\)/);
    const g = bad('bad2.csv', 'ID,TIME,EVID,AMT,CMT,DV\n1,0,1,100,1,.\n1,2,0,0,2,5\n1,1,0,0,2,4\n');
    const o = await cli(['estimate', ...map.slice(0, 2), '--data', g]);
    expect(o.code).toBe(1);
    expect(o.err).toMatch(/bad2\.csv, row 3, column TIME: times must not decrease within an ID \(got 1 after 2\)/);
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['simulate', '--model', 'advan2'])).code).toBe(2); // required option missing
    expect((await cli(['simulate', '--model', 'advan2', '--data', 'x.csv', '--bogus'])).code).toBe(2); // unknown option
    expect((await cli(['frobnicate'])).code).toBe(2); // unknown command
    const n = await cli(['population', ...wb, '--n', 'many', ...fast]);
    expect(n.code).toBe(2);
    expect(n.err).toMatch(/--n many: expected a positive integer/);
    expect((await cli(['pta', ...vanco, '--regimens', 'examples/design-vancomycin-q12h-750.json', '--target', 'auc24:400:600', '--n', '10', '--workers', 'x'])).code).toBe(2);
    expect((await cli(['band', ...vanco, '--regimen', 'examples/design-vancomycin-q12h-750.json', '--target', 'auc24:400:600', '--by', 'CRCL', '--bands', '2', '--doses', '500', '--n', '-3'])).code).toBe(2);
    expect((await cli(['study', 'vancomycin', '--n', '1.5'])).code).toBe(2);
    expect((await cli(['pta', ...vanco, '--target', 'auc24:400:600', '--n', '10', ...fast])).err).toMatch(/required option '--regimens <files>'/);
    expect((await cli(['band', ...vanco, '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--by', 'CRCL', '--bands', '2', '--doses', '1,x', '--n', '10', ...fast])).code).toBe(2);
  });

  it('pta takes --regimen (repeatable) like the other commands', async () => {
    const r = await cli(['pta', ...vanco, '--regimen', 'examples/design-vancomycin-q12h-750.json', '--regimen', 'examples/design-vancomycin-q12h-1000.json', '--target', 'auc24:400:600', '--n', '200', ...fast, '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { regimens: unknown[] }).regimens).toHaveLength(2);
  });
});

describe('JSON syntax errors: the scanner agrees with JSON.parse', () => {
  it('valid documents have no error offset; invalid ones have one', async () => {
    const { jsonErrorOffset } = await import('../../../src/cli/io.js');
    const fc = await import('fast-check');
    fc.assert(fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => jsonErrorOffset(JSON.stringify(v, null, pretty ? 1 : undefined)) === -1));
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'{}[]",:0123456789.-+eEtrufalsn \n\\') }), (s) => {
        let ok = true;
        try {
          JSON.parse(s);
        } catch {
          ok = false;
        }
        return ok === (jsonErrorOffset(s) === -1);
      }),
      { numRuns: 3000 },
    );
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('"\\x"')).toBe(2);
  });
});
