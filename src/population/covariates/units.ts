// A population's covariate file and the model both may say what unit a covariate is in (the file's
// `covariates.CRCL.unit`, the model file's `covariates.CRCL.unit`). Values are handed to the model
// as sampled, so two different units are a wrong number for every subject (CRCL in mL/min read by a
// model in L/h: clearance 16.7 times too high, the run exiting 0): refused, never converted, since
// the file may be meant for another model and a silent conversion would hide which.

import { DosewiseError } from '../../errors.js';
import { compareUnits, isCovariateUnit } from '../../model/units.js';
import { declaredCovariateUnit, implausibleValueProblem, patientAgeWarning, patientHeightUnitWarning, suspectUnitProblem } from '../../model/covariate-flags.js';
import { ageCovariates } from '../../model/age-body.js';
import { VIABLE_PMA_WEEKS } from '../../clinical/growth-standards.js';
import { normalCdf, truncatedStandardNormal, truncateStandardNormal } from '../../stats/normal.js';
import { Errors } from '../../errors.js';
import { isTextModelFile, type Model } from '../../model/model.js';
import { describedSexCoding, formatSexCoding, sexCodingConflict, unreadSexConflict } from './coding.js';
import { covariateUnit, lognormalLogParams, parseCovariateSpec, type CovariateSpec, type DistributionCovariate } from './spec.js';

/** Where the two units were written, for the message; without them the message names the fields. */
export interface CovariateUnitSources {
  /** The covariate file as the user gave it. */
  readonly covariatesFile?: string;
  /** The model file (a library model's path), as the user can open it. */
  readonly modelFile?: string;
}

/**
 * Refuses (E_MODEL, naming the covariate, both units, both files and the factor where the two units
 * are of one dimension) a covariate whose unit in the covariate specification differs from the unit
 * the model file declares for it. Units written differently but equal (`L/h`, `L/hour`, `l/h`) pass;
 * a covariate only one of the two gives a unit for is not checked. A derived covariate without a
 * unit that is one call of a clinical function is in that function's unit, refused alike against a
 * unit of another size or kind, and not checked against a unit dosewise cannot read.
 */
export function refuseCovariateUnitMismatch(spec: unknown, model: Pick<Model, 'file' | 'name'>, sources: CovariateUnitSources = {}): void {
  if (spec === undefined) return;
  const parsed = parseCovariateSpec(spec);
  for (const [name, entry] of Object.entries(parsed.covariates)) {
    if ('resample' in entry) continue;
    // a derived covariate without a unit of its own is in its function's (CRCL = crcl_cg(…) is in
    // mL/min: into a model reading CRCL in L/h it was 16.7 times too high without a word), and an
    // alias of one covariate (SCRX = SCRL) is in that covariate's
    const implied = (entry.unit === undefined || entry.unit.trim() === '') && 'derived' in entry ? covariateUnit(parsed.covariates, name)?.unit : undefined;
    const given = implied ?? entry.unit;
    const wanted = declaredCovariateUnit(model, name);
    if (given === undefined || wanted === undefined || given.trim() === '' || wanted.trim() === '') continue;
    const cmp = compareUnits(given, wanted);
    if (cmp.same) continue;
    // a function's unit is left unchecked only against a unit dosewise cannot read (not refused on a
    // spelling); of another kind (WT = bsa_mosteller(…) in m² read as kg) it is as wrong as written
    if (implied !== undefined && cmp.factor === undefined && !(isCovariateUnit(given) && isCovariateUnit(wanted))) continue;
    const path = `covariates.${name}.unit`;
    const file = sources.covariatesFile;
    const modelPlace = sources.modelFile !== undefined ? `model ${model.name} (${sources.modelFile}, ${path})` : `model ${model.name} (its ${path})`;
    const convert =
      cmp.factor !== undefined
        ? `: 1 ${given} = ${cmp.factor} ${wanted}, so every subject's ${name} would be read ${cmp.factor > 1 ? `${cmp.factor} times too low` : `${Number((1 / cmp.factor).toPrecision(6))} times too high`}. Give ${name} in ${wanted} (its values × ${cmp.factor}) or use a model that reads ${name} in ${given}`
        : `, a unit of another kind or one dosewise cannot convert: give ${name} in ${wanted}, or use a model that reads ${name} in ${given}`;
    const here = implied !== undefined ? `${name} = ${(entry as { derived: string }).derived} is in ${given}` : `${name} is in ${given} here`;
    const lead = file !== undefined ? `${file}, ${path}: ${here}` : `model ${path}: ${implied !== undefined ? `in the covariate specification, ${here}` : `the covariate specification gives ${name} in ${given}`}`;
    const message = `${lead}, but ${modelPlace} reads ${name} in ${wanted}${convert}; dosewise does not convert covariates (got ${JSON.stringify(given)})`;
    throw new DosewiseError('E_MODEL', message, { path, value: given, ...(file !== undefined ? { file } : {}) });
  }
  refuseSexCodingMismatch(parsed, model, sources);
  // after the units: a unit written otherwise than the model's is the plainer refusal
  refuseImplausibleDistributions(parsed, model, sources);
}

/**
 * Refuses a covariate whose description in the covariate specification writes a sex coding that
 * contradicts the one the model file's description of the same covariate writes. SEX described
 * "0 = male, 1 = female" ran into busulfan_mccune_2014 (SEX "1 = male, 0 = female") with exit 0,
 * every woman given the male fat-free mass and every man the female one. Values are handed to
 * the model as sampled, so the two descriptions cannot both be right; dosewise does not recode.
 * A covariate only one of the two describes, or whose descriptions write no coding, is not checked.
 */
export function refuseSexCodingMismatch(spec: CovariateSpec, model: Pick<Model, 'file' | 'name'>, sources: CovariateUnitSources = {}): void {
  if (isTextModelFile(model.file)) return;
  const declared = model.file.covariates ?? {};
  for (const [name, entry] of Object.entries(spec.covariates)) {
    if ('resample' in entry || !Object.hasOwn(declared, name)) continue;
    const theirs = declared[name]?.description;
    const mine = describedSexCoding(entry.description);
    const wanted = describedSexCoding(theirs);
    const path = `covariates.${name}.description`;
    const file = sources.covariatesFile;
    const modelPlace = sources.modelFile !== undefined ? `model ${model.name} (${sources.modelFile}, ${path})` : `model ${model.name} (its ${path})`;
    const refuse = (why: string): never => {
      if (file === undefined) throw Errors.model(path, why, entry.description);
      throw new DosewiseError('E_MODEL', `${file}, ${path}: ${why} (got ${JSON.stringify(entry.description)})`, { path, value: entry.description, file });
    };
    // "Female vs male: 1 vs 0" says a coding dosewise cannot compare with the model's: refused, not
    // passed as if it agreed
    const unread = mine === undefined && wanted !== undefined ? unreadSexConflict(entry.description, wanted) : undefined;
    if (unread !== undefined && wanted !== undefined)
      refuse(
        `${name} is described ${JSON.stringify(entry.description)} here, which is no coding dosewise reads: ${unread}, where ${modelPlace} reads it ${JSON.stringify(theirs)} (${formatSexCoding(wanted)}). ` +
          `The sampled values are handed to the model as they are; write the description as a plain coding (${formatSexCoding(wanted)} if that is how ${name} is sampled) and dosewise checks it against the model's`,
      );
    if (mine === undefined || wanted === undefined) continue;
    const conflict = sexCodingConflict(mine, wanted, 'here', 'in the model');
    if (conflict === undefined) continue;
    // a value the two read as different sexes: the subjects who draw it are computed as the other sex
    const swapped = [...mine].some(([v, sex]) => wanted.get(v) !== undefined && wanted.get(v) !== sex);
    const fix = `sample ${name} coded as the model reads it (${formatSexCoding(wanted)})`;
    const why =
      `${name} is described ${JSON.stringify(entry.description)} here (${formatSexCoding(mine)}), but ${modelPlace} describes it ${JSON.stringify(theirs)} (${formatSexCoding(wanted)}): ${conflict}. ` +
      `The sampled values are handed to the model as they are, so ${swapped ? 'subjects would be computed as the other sex' : 'subjects would be computed with a value the model does not read as their sex'}; ${fix}`;
    refuse(why);
  }
}

/** The median of a sampled distribution as drawn (truncation included): the sampler's value at z = 0, u = ½. */
export function distributionMedian(c: DistributionCovariate): number {
  switch (c.dist) {
    case 'normal': {
      if (c.lower === undefined && c.upper === undefined) return c.mean;
      const tr = truncatedStandardNormal(((c.lower ?? -Infinity) - c.mean) / c.sd, ((c.upper ?? Infinity) - c.mean) / c.sd);
      return c.mean + c.sd * truncateStandardNormal(tr, 0);
    }
    case 'lognormal': {
      const { mu, sdlog } = lognormalLogParams(c);
      const lo = c.lower === undefined || c.lower === 0 ? -Infinity : (Math.log(c.lower) - mu) / sdlog;
      const hi = c.upper === undefined ? Infinity : (Math.log(c.upper) - mu) / sdlog;
      return Math.exp(mu + sdlog * truncateStandardNormal(truncatedStandardNormal(lo, hi), 0));
    }
    case 'uniform':
      return (c.lower + c.upper) / 2;
    case 'categorical':
      return NaN;
  }
}

export function describeDistribution(c: DistributionCovariate): string {
  const bounds = 'lower' in c && (c.lower !== undefined || c.upper !== undefined) && c.dist !== 'uniform' ? `, bounds [${c.lower ?? '-∞'}, ${c.upper ?? '∞'}]` : '';
  switch (c.dist) {
    case 'normal':
      return `normal(mean ${c.mean}, sd ${c.sd}${bounds})`;
    case 'lognormal':
      return `lognormal(median ${c.median ?? c.geometricMean}, ${c.cv !== undefined ? `cv ${c.cv}` : `sdlog ${c.sdlog}`}${bounds})`;
    case 'uniform':
      return `uniform(${c.lower}, ${c.upper})`;
    case 'categorical':
      return `categorical(values [${c.values.join(', ')}], p [${c.p.join(', ')}])`;
  }
}

/**
 * A sampled creatinine or height whose distribution is in the other usual unit than the model file
 * declares: the check a regimen's, a data set's and --set's values get (implausibleValueProblem).
 * Colin 2019 (SCR in mg/dL) ran SCR lognormal(median 80) (µmol/L) to a trough mean of 7.8e57, and
 * tacrolimus (HT in m) HT normal(172, 9) (cm) to CL 1253.5 L/h for 851.6, both exiting 0. The rule:
 * a normal, lognormal or uniform is refused when its median (as drawn, bounds included) is
 * implausible, so that at least half of the subjects would be: a plausible population's tail draws
 * (SCR lognormal(median 0.9 mg/dL, sdlog 1) beyond 40 mg/dL, 1 in 10⁴) are not refused. A
 * categorical is refused when any value it gives a probability is implausible, each value being
 * written by the user.
 */
export function refuseImplausibleDistributions(spec: CovariateSpec, model: Pick<Model, 'file' | 'name'>, sources: CovariateUnitSources = {}): void {
  const refuse = (path: string, why: string, value: number): never => {
    const file = sources.covariatesFile;
    if (file === undefined) throw Errors.model(path, why, value);
    throw new DosewiseError('E_MODEL', `${file}, ${path}: ${why} (got ${value})`, { path, value, file });
  };
  for (const [name, e] of Object.entries(spec.covariates)) {
    if (!('dist' in e)) continue;
    if (implausibleValueProblem(model, name, -Infinity) === undefined && implausibleValueProblem(model, name, Infinity) === undefined) continue;
    const unit = declaredCovariateUnit(model, name) ?? '';
    const dist = describeDistribution(e);
    if (e.dist === 'categorical') {
      e.values.forEach((v, i) => {
        const why = (e.p[i] as number) > 0 ? implausibleValueProblem(model, name, v) : undefined;
        if (why !== undefined)
          refuse(`covariates.${name}.values[${i}]`, `${name} is sampled as ${dist}, and model ${model.name} reads ${name} in ${unit}: ${why}; give ${name} in ${unit}`, v);
      });
      continue;
    }
    const median = distributionMedian(e);
    const why = implausibleValueProblem(model, name, median);
    if (why !== undefined)
      refuse(
        `covariates.${name}`,
        `${name} is sampled as ${dist}, whose median is ${+median.toPrecision(6)}, and model ${model.name} reads ${name} in ${unit}: ${why}; at least half of the subjects would be drawn so. Give the distribution of ${name} in ${unit}`,
        +median.toPrecision(6),
      );
  }
  refuseChildUnitDistributions(spec, model, refuse);
  refuseUnviablePmaDistributions(spec, model, refuse);
}

/** The share of draws below a PMA no live-born infant has, from which a distribution is refused (a tail under it is not). */
const PMA_FLOOR_SHARE = 0.01;

/** The probability that distribution `c` (bounds included) draws below `x`. */
function shareBelow(c: DistributionCovariate, x: number): number {
  const cut = (lo: number, hi: number, at: number): number => (hi <= lo ? 0 : Math.min(1, Math.max(0, (at - lo) / (hi - lo))));
  switch (c.dist) {
    case 'uniform':
      return cut(c.lower, c.upper, x);
    case 'normal': {
      const z = (v: number | undefined, inf: number): number => (v === undefined ? inf : normalCdf((v - c.mean) / c.sd));
      return cut(z(c.lower, 0), z(c.upper, 1), normalCdf((x - c.mean) / c.sd));
    }
    case 'lognormal': {
      const { mu, sdlog } = lognormalLogParams(c);
      const z = (v: number | undefined, inf: number): number => (v === undefined || v <= 0 ? inf : normalCdf((Math.log(v) - mu) / sdlog));
      return x <= 0 ? 0 : cut(z(c.lower, 0), z(c.upper, 1), normalCdf((Math.log(x) - mu) / sdlog));
    }
    case 'categorical':
      return c.values.reduce((p, v, i) => p + (v < x ? (c.p[i] as number) : 0), 0);
  }
}

/**
 * A postmenstrual age drawn below the youngest live birth (pmaFloorProblem) for 1 % of the
 * subjects or more: PMA uniform(1, 6) weeks (postnatal ages) ran Colin 2019 with an age-typical
 * creatinine of ~30 mg/dL and clearances thousands of times an infant's, exiting 0; a median
 * above the floor (uniform(10, 40)) still drew 40 % of its subjects so. The fix is a bound.
 */
function refuseUnviablePmaDistributions(spec: CovariateSpec, model: Pick<Model, 'file' | 'name'>, refuse: (path: string, why: string, value: number) => never): void {
  for (const a of ageCovariates(model)) {
    const e = spec.covariates[a.name];
    if (a.kind !== 'pma' || e === undefined || !('dist' in e)) continue;
    const floor = (VIABLE_PMA_WEEKS * 168) / a.hoursPerUnit;
    const share = shareBelow(e, floor);
    if (!(share >= PMA_FLOOR_SHARE)) continue;
    refuse(
      `covariates.${a.name}`,
      `${a.name} is sampled as ${describeDistribution(e)}, and model ${model.name} reads ${a.name} in ${a.unit}: ${+(share * 100).toPrecision(3)} % of the subjects would be drawn below ${+floor.toPrecision(6)} ${a.unit}, the youngest postmenstrual age of a live-born infant (PMA = gestational age at birth + postnatal age: postnatal ages, or ages in years?). Give the distribution of ${a.name} in ${a.unit}, with a lower bound of ${+floor.toPrecision(6)} at least ("lower": ${+floor.toPrecision(6)})`,
      +distributionMedian(e).toPrecision(6),
    );
  }
}

/**
 * W_PMA_UNIT / W_AGE_UNIT and W_HEIGHT_UNIT of a sampled population's typical subject (every
 * distribution at its median, as refuseChildUnitDistributions judges it): WT lognormal(median 70)
 * beside PMA uniform(30, 40) (years typed into weeks), and HT in inches, ran without a word.
 */
export function typicalSubjectAgeWarnings(spec: unknown, model: Pick<Model, 'file' | 'name' | 'inputs'>): string[] {
  if (spec === undefined) return [];
  const parsed = parseCovariateSpec(spec);
  const typical = typicalSubject(parsed);
  // with a height in inches (HT normal(37, 1.5) "cm" beside WT 14 and AGE 3), as a data set's row is told
  const ws = [patientAgeWarning(model, typical), patientHeightUnitWarning(model, typical)].filter((w): w is string => w !== undefined);
  if (ws.length === 0) return [];
  const shown = Object.entries(typical)
    .filter(([n]) => model.inputs.includes(n))
    .map(([n, v]) => `${n} ${+v.toPrecision(4)}`)
    .join(', ');
  return ws.map((w) => `the typical subject (every distribution at its median: ${shown}): ${w}`);
}

/**
 * The typical subject of a specification: each sampled covariate at its median as drawn, a
 * categorical at a value drawn at least half the time (none otherwise); derived and resampled
 * covariates are not in it.
 */
function typicalSubject(spec: CovariateSpec): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, e] of Object.entries(spec.covariates)) {
    if (!('dist' in e)) continue;
    if (e.dist !== 'categorical') out[name] = distributionMedian(e);
    else {
      const i = e.p.findIndex((p) => p >= 0.5);
      if (i >= 0) out[name] = e.values[i] as number;
    }
  }
  return out;
}

/**
 * The child rule of a data set's rows and --set (a creatinine above 5 mg/dL or a weight above 300 kg
 * beside a PMA under 60 weeks or an age under 18 years is in another unit: suspectUnitProblem)
 * applied to a sampled population's typical subject, every distribution at its median: the medians
 * of the distributions are all each subject's values could be judged by before sampling, the same
 * for any number of workers. Neonates with SCR lognormal(median 7) "mg/dL" (mg/L) ran to a median
 * AUC24 of 49,270 for 90 mg/day, band recommending 0.3–0.9 mg q8h; WT lognormal(median 650) "kg"
 * (grams) at PMA 24–30 weeks ran with no word. A population whose median age is an adult's is not
 * judged by this rule.
 */
function refuseChildUnitDistributions(spec: CovariateSpec, model: Pick<Model, 'file' | 'name'>, refuse: (path: string, why: string, value: number) => never): void {
  const typical = typicalSubject(spec);
  for (const [name, v] of Object.entries(typical)) {
    const refusal = suspectUnitProblem(model, name, v, typical)?.refuse;
    if (refusal === undefined) continue;
    // the value as the message shows it, and without the refusal's own "Give … in …"
    const shown = Object.fromEntries(Object.entries(typical).map(([k, x]) => [k, +x.toPrecision(4)]));
    const why = (suspectUnitProblem(model, name, shown[name] as number, shown)?.refuse ?? refusal).replace(/\. Give \S+ in [^.]*$/, '');
    const e = spec.covariates[name] as DistributionCovariate;
    const unit = declaredCovariateUnit(model, name) ?? '';
    refuse(
      `covariates.${name}`,
      `${name} is sampled as ${describeDistribution(e)}, and model ${model.name} reads ${name} in ${unit}; the typical subject (every distribution at its median) has ${name} ${+v.toPrecision(6)}: ${why}. Give the distribution of ${name} in ${unit}`,
      +v.toPrecision(6),
    );
  }
}
