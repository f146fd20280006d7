// dosewise calc: the race-free renal-function and body-size calculators of src/clinical from the
// command line. Inputs are NAME=VALUE pairs named as in the API, with their units in the name
// (scrMgDl=1.2 ageYears=60 sex=male), so a command and an API call read the same; the calculator
// checks every field and names the one it refuses.

import { decimalArg } from './args.js';
import type { Command } from 'commander';
import { Errors } from '../errors.js';
import {
  adjustedBodyWeightWithWarnings,
  bodyMassIndex,
  bsaDuBois,
  bsaMosteller,
  crclCockcroftGault,
  egfrBedsideSchwartzWithWarnings,
  egfrCkdEpi2021Cr,
  egfrCkdEpi2021CrCysWithWarnings,
  idealBodyWeightDevineWithWarnings,
  leanBodyWeightJanmahasatianWithWarnings,
  scrMgDlFromUmolL,
} from '../clinical/index.js';
import { ClinicalInputError, CREATININE_UMOL_L_PER_MG_DL, PLAUSIBLE, readScrUmolL } from '../clinical/validate.js';
import { heightUnitWarning } from '../model/covariate-flags.js';

interface Calculator {
  readonly title: string | ((input: Record<string, unknown>) => string);
  readonly unit: string;
  readonly inputs: string;
  /** The value, or the value with the library's warnings and further fields. */
  readonly run: (input: Record<string, unknown>) => number | { value: number; extra?: Record<string, unknown>; warnings?: readonly string[] };
}

/** Every calculator, by its command-line name. */
const CALCULATORS: Readonly<Record<string, Calculator>> = {
  egfr: {
    title: (i) => `eGFR, CKD-EPI 2021 ${i.cystatinCMgL === undefined ? 'creatinine' : 'creatinine–cystatin C'} equation (no race coefficient)`,
    unit: 'mL/min/1.73 m²',
    inputs: 'scrMgDl (or scrUmolL) ageYears sex [cystatinCMgL]',
    run: (i) => (i.cystatinCMgL === undefined ? egfrCkdEpi2021Cr(i as never) : egfrCkdEpi2021CrCysWithWarnings(i as never)),
  },
  'egfr-schwartz': {
    title: 'eGFR, bedside Schwartz (children, 1 to 17 years)',
    unit: 'mL/min/1.73 m²',
    inputs: 'scrMgDl (or scrUmolL) heightCm ageYears',
    run: (i) => egfrBedsideSchwartzWithWarnings(i as never),
  },
  crcl: {
    title: 'creatinine clearance, Cockcroft–Gault',
    unit: 'mL/min',
    inputs: 'scrMgDl (or scrUmolL) ageYears sex weightKg weightBasis=total|ideal|adjusted|lean [heightCm]',
    run: (i) => {
      const r = crclCockcroftGault(i as never);
      return { value: r.crclMlMin, extra: { weightBasis: r.weightBasis, weightBasisRequested: r.weightBasisRequested, weightKgUsed: r.weightKgUsed }, warnings: r.warnings };
    },
  },
  'bsa-mosteller': { title: 'body-surface area, Mosteller', unit: 'm²', inputs: 'heightCm weightKg', run: (i) => bsaMosteller(i as never) },
  'bsa-dubois': { title: 'body-surface area, Du Bois', unit: 'm²', inputs: 'heightCm weightKg', run: (i) => bsaDuBois(i as never) },
  bmi: { title: 'body-mass index', unit: 'kg/m²', inputs: 'heightCm weightKg', run: (i) => bodyMassIndex(i as never) },
  ibw: { title: 'ideal body weight, Devine', unit: 'kg', inputs: 'heightCm sex', run: (i) => idealBodyWeightDevineWithWarnings(i as never) },
  lbw: { title: 'lean body weight, Janmahasatian', unit: 'kg', inputs: 'heightCm weightKg sex', run: (i) => leanBodyWeightJanmahasatianWithWarnings(i as never) },
  abw: { title: 'adjusted body weight (IBW + 0.4 × (TBW − IBW))', unit: 'kg', inputs: 'heightCm weightKg sex', run: (i) => adjustedBodyWeightWithWarnings(i as never) },
};

/** NAME=VALUE pairs as the calculators' input object: numbers where the value is one, text otherwise. */
export function calcInput(pairs: readonly string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const p of pairs) {
    const m = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(p.trim());
    if (!m) throw Errors.cli(`calc: ${JSON.stringify(p)}: expected NAME=VALUE, e.g. scrMgDl=1.2 or sex=female`);
    const [, name, raw] = m as unknown as [string, string, string];
    if (name in input) throw Errors.cli(`calc: ${name} given twice`);
    const v = raw.trim();
    // decimal numerals only: Number() also reads 0x10 as 16 and "" as 0
    const x = decimalArg(v);
    input[name] = Number.isFinite(x) ? x : v;
  }
  // a creatinine in µmol/L is converted here, so every calculator sees mg/dL; its limits are checked
  // first, in µmol/L, so that a refusal names the field and the value the user gave
  if (input.scrUmolL !== undefined) {
    if (input.scrMgDl !== undefined) throw Errors.cli('calc: give scrMgDl or scrUmolL, not both');
    readScrUmolL(input);
    input.scrMgDl = scrMgDlFromUmolL({ scrUmolL: input.scrUmolL } as never);
    delete input.scrUmolL;
  }
  return input;
}

export interface CalcResult {
  readonly calculator: string;
  readonly title: string;
  readonly value: number;
  readonly unit: string;
  readonly inputs: Record<string, unknown>;
  readonly [extra: string]: unknown;
}

/** Runs calculator `name` on NAME=VALUE pairs. */
export function calc(name: string, pairs: readonly string[]): CalcResult {
  const c = CALCULATORS[name];
  if (!c) throw Errors.cli(`calc: unknown calculator ${JSON.stringify(name)} (known: ${Object.keys(CALCULATORS).join(', ')})`);
  // an input the calculator does not read is a typo or a wrong calculator, not something to skip
  const known = new Set((c.inputs.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((w) => !['or', 'total', 'ideal', 'adjusted', 'lean'].includes(w)));
  for (const p of pairs) {
    const given = /^\s*([A-Za-z][A-Za-z0-9]*)=/.exec(p)?.[1];
    // race has a refusal of its own, which says why (no race coefficients)
    if (given !== undefined && given !== 'race' && !known.has(given)) throw Errors.cli(`calc ${name}: ${given} is not one of its inputs (${c.inputs})`);
  }
  const inputs = calcInput(pairs);
  // a creatinine the user gave in µmol/L is in µmol/L: calcInput's conversion is not a suspect unit
  const scrInUmolL = pairs.some((p) => /^\s*scrUmolL=/.test(p));
  // the command's own refusals first, which name its inputs (scrUmolL) where the library's cannot
  const unit = unitWarnings(inputs, scrInUmolL);
  // a creatinine converted from µmol/L is no unit slip: a child's above 5 mg/dL is then its own
  const r = c.run(scrInUmolL && name === 'egfr-schwartz' ? { ...inputs, scrAboveChildMaxConfirmed: true } : inputs);
  const { value, extra = {}, warnings: own = [] } = typeof r === 'number' ? { value: r } : r;
  const title = typeof c.title === 'function' ? c.title(inputs) : c.title;
  // the formulas' own warnings (Devine below 5 ft, a weight above the total weight, an adult formula
  // on a child's body) come from the library, so the API says what this command says
  const warnings = [...unit, ...own];
  return { calculator: name, title, value, unit: c.unit, inputs, ...extra, ...(warnings.length > 0 ? { warnings } : {}) };
}

/**
 * Values inside the calculators' limits that are more likely in another unit (the limits' reasons:
 * PLAUSIBLE.suspectScrMgDl, suspectWeightKg, heightUnitBmi): scrMgDl=30 (µmol/L) gave a Schwartz
 * eGFR of 1.51 for 133.9, heightCm=70 (inches) a BSA of 1.25 m² for 1.99. A child's creatinine
 * above childMaxScrMgDl is refused. A creatinine given as scrUmolL is not suspected: it was
 * converted here (scrUmolL=600 at 12 years was refused as "a value in another unit").
 */
function unitWarnings(inputs: Record<string, unknown>, scrInUmolL: boolean): string[] {
  const { scrMgDl: scr, ageYears: age, weightKg: wt, heightCm: ht } = inputs;
  const out: string[] = [];
  if (typeof scr === 'number' && !scrInUmolL && scr > PLAUSIBLE.childMaxScrMgDl) {
    const read = `scrMgDl ${+scr.toPrecision(4)} read as ${+scr.toPrecision(4)} mg/dL; in µmol/L it is ${+(scr / CREATININE_UMOL_L_PER_MG_DL).toPrecision(4)} mg/dL`;
    if (typeof age === 'number' && age < 18) throw new ClinicalInputError('scrMgDl', scr, `is above ${PLAUSIBLE.childMaxScrMgDl} mg/dL at ageYears ${age} (a child): a value in another unit? ${read}; give µmol/L as scrUmolL`);
    if (scr > PLAUSIBLE.suspectScrMgDl) out.push(`W_SCR_UNIT: ${read}; if it is in µmol/L, give it as scrUmolL`);
  }
  if (typeof wt === 'number' && wt > PLAUSIBLE.suspectWeightKg) out.push(`W_WEIGHT_UNIT: weightKg ${wt}: ${wt} kg? in grams it is ${+(wt / 1000).toPrecision(6)} kg; give kg`);
  const bmi = typeof wt === 'number' && typeof ht === 'number' ? wt / (ht / 100) ** 2 : NaN;
  const tall = typeof ht === 'number' ? heightUnitWarning('heightCm', ht, `weightKg ${String(wt)}`, bmi, 0.01) : undefined;
  if (tall !== undefined) out.push(tall);
  return out;
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(3));

/** Adds `dosewise calc` to a program (main.ts registers it). */
export function registerCalc(program: Command, stdout: (s: string) => void): void {
  program
    .command('calc')
    .description('renal function and body size without race coefficients: eGFR (CKD-EPI 2021, bedside Schwartz), Cockcroft–Gault CrCL, BSA, BMI, IBW, LBW, adjusted weight')
    .argument('<calculator>', Object.keys(CALCULATORS).join(' | '))
    .argument('<NAME=VALUE...>', 'inputs named as in the API, units in the name (scrMgDl, scrUmolL, ageYears, sex, heightCm, weightKg, cystatinCMgL, weightBasis)')
    .option('--json', 'print {calculator, title, value, unit, inputs, ...} as JSON')
    .addHelpText(
      'after',
      `
Calculators and their inputs:
${Object.entries(CALCULATORS)
  .map(([n, c]) => `  ${n.padEnd(14)} ${c.inputs}  (${c.unit})`)
  .join('\n')}

Examples:
  dosewise calc egfr scrMgDl=1.2 ageYears=60 sex=male
  dosewise calc crcl scrUmolL=90 ageYears=72 sex=female weightKg=58 weightBasis=total --json
  dosewise calc bsa-mosteller heightCm=170 weightKg=70
`,
    )
    .action((name: string, pairs: string[], a: { json?: boolean }) => {
      const r = calc(name, pairs);
      for (const w of (r.warnings as string[] | undefined) ?? []) process.stderr.write(`dosewise: warning: ${w}\n`);
      if (a.json) stdout(`${JSON.stringify(r)}\n`);
      else {
        // the basis used, as the library names it (the total weight where the basis's formula lies above it)
        const extra = 'weightKgUsed' in r ? ` (${String(r.weightBasis)} weight ${fmt(r.weightKgUsed as number)} kg)` : '';
        stdout(`${r.title}: ${fmt(r.value)} ${r.unit}${extra}\n`);
      }
    });
}
