// The error catalogue: every code is declared once, in src/errors.ts, with what it means; library
// code (everything outside src/cli) never raises command-line errors, whose messages name options.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClinicalInputError, DerivedEvaluationError, DosewiseError, ERROR_CODES, Errors, ReportError } from '../../../src/errors.js';

const repo = resolve(import.meta.dirname, '../../..');
const src = join(repo, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : /\.ts$/.test(d.name) && !d.name.endsWith('.d.ts') ? [join(dir, d.name)] : [],
  );
}

const files = sources(src).map((f) => ({ path: relative(repo, f).split('\\').join('/'), text: readFileSync(f, 'utf8') }));

describe('error catalogue', () => {
  it('no file outside src/cli raises a command-line error', () => {
    const offenders = files
      .filter((f) => !f.path.startsWith('src/cli/'))
      .flatMap((f) =>
        f.text
          .split('\n')
          .map((line, i) => ({ line, at: `${f.path}:${i + 1}` }))
          .filter(({ line }) => /\bErrors\.cli\b|['"]E_CLI['"]/.test(line) && f.path !== 'src/errors.ts')
          .map(({ at }) => at),
      );
    expect(offenders).toEqual([]);
  });

  it('library messages name API fields, not command-line options', () => {
    const offenders = files
      .filter((f) => !f.path.startsWith('src/cli/') && !f.path.startsWith('src/web/'))
      .flatMap((f) =>
        f.text
          .split('\n')
          .map((line, i) => ({ line, at: `${f.path}:${i + 1}` }))
          .filter(({ line }) => /Errors\.\w+\([^)]*`[^`]*--[a-z]/.test(line))
          .map(({ at }) => at),
      );
    expect(offenders).toEqual([]);
  });

  it('every code is unique and documented', () => {
    const catalogue = readFileSync(join(src, 'errors.ts'), 'utf8');
    const block = catalogue.slice(catalogue.indexOf('export const ERROR_CODES'), catalogue.indexOf('} as const satisfies'));
    const declared = [...block.matchAll(/^\s+(E_[A-Z_]+):/gm)].map((m) => m[1]);
    expect(new Set(declared).size).toBe(declared.length);
    expect(declared.sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, meaning] of Object.entries(ERROR_CODES)) expect(meaning.trim().length, code).toBeGreaterThan(10);
    // every code written anywhere in src is one of the catalogue
    const used = new Set(files.flatMap((f) => [...f.text.matchAll(/['"](E_[A-Z][A-Z_]*)['"]/g)].map((m) => m[1]!)));
    for (const code of used) expect(Object.keys(ERROR_CODES), `${code} is used but not in ERROR_CODES`).toContain(code);
  });

  it('the special errors are dosewise errors with their own codes', () => {
    const clinical = new ClinicalInputError('ageYears', 12, 'must be ≥ 18');
    const report = new ReportError('log scale');
    const derived = new DerivedEvaluationError('ckdepi: bad');
    for (const e of [clinical, report, derived]) expect(e).toBeInstanceOf(DosewiseError);
    expect([clinical.code, report.code, derived.code]).toEqual(['E_CLINICAL', 'E_REPORT', 'E_DERIVED']);
    expect(clinical.message).toBe('clinical input ageYears: must be ≥ 18 (got 12)');
    expect(clinical.place.path).toBe('ageYears');
    expect(Errors.option('n', 'n: expected a positive integer (got 0)', 0).place).toEqual({ path: 'n', value: 0 });
  });
});
