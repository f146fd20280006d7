// Turns each subject's random numbers into covariates. The numbers come from elsewhere (a
// counter-based RNG: subject i's depend only on (seed, i)) as two row-major matrices, one row per
// subject: standard normals z and uniforms u. Every covariate owns fixed columns of those rows:
//
//   normal, lognormal          one normal each, in declaration order (correlated ones mixed by the
//                              Cholesky factor of the correlation matrix, within the subject's row)
//   uniform, categorical       one uniform each, in declaration order
//   resample source            one uniform per source (the row index), shared by its columns
//   derived                    none (a function of covariates declared before it)
//
// so a subject's covariates depend only on its own row: chunking and subject order never matter.
// Truncated distributions use the inverse distribution function on the truncated range (no
// rejection), so each value consumes exactly its one number. fill() allocates nothing per subject.

import { readFileSync } from 'node:fs';
import { DosewiseError, Errors } from '../../errors.js';
import type { Compiled } from '../../model/expression.js';
import { implausibleBody, PLAUSIBLE } from '../../clinical/validate.js';
import { compileDerived, DERIVED_FUNCTIONS, type DerivedNotes, type PreparedDerived } from './derived.js';
import { DEVINE_MIN_HEIGHT_CM } from '../../clinical/body-size.js';
import { truncatedStandardNormal, truncateStandardNormal, type TruncatedStandardNormal } from '../../stats/normal.js';
import {
  COVARIATE_NAME,
  choleskyLower,
  formatPath,
  lognormalLogParams,
  parseCovariateSpec,
  refuseRace,
  resolveCovariates,
  type CovariateSpec,
} from './spec.js';
import { parseCovariateTable, type CovariateTable } from './table.js';
import { describeDistribution, distributionMedian } from './units.js';
import { ClinicalInputError } from '../../errors.js';

export interface CovariateSamplerOptions {
  /** Reads a resampling table by the path written in the spec. Default: the file, relative to the working directory. */
  readonly readText?: (path: string) => string;
  /** The covariate file the specification was read from, named where a draw from it is refused. */
  readonly file?: string;
}

/** Where a covariate's random numbers sit in a subject's rows. */
export interface CovariateSlot {
  readonly name: string;
  readonly kind: 'normal' | 'lognormal' | 'uniform' | 'categorical' | 'resample' | 'derived';
  /** Column in the subject's row of z (normal, lognormal). */
  readonly normal?: number;
  /** Column in the subject's row of u (uniform, categorical, resample). */
  readonly uniform?: number;
}

export interface CovariateSampler {
  /** Covariate names in output order (declaration order; a resampling source contributes its columns). */
  readonly names: readonly string[];
  /** Standard normals each subject consumes (columns of z). */
  readonly normalsPerSubject: number;
  /** Uniforms in (0, 1) each subject consumes (columns of u). */
  readonly uniformsPerSubject: number;
  readonly layout: readonly CovariateSlot[];
  /**
   * Fills subjects 0..nSubj-1 of this batch: `out[c][i]` = covariate `names[c]` of subject i, from
   * row i of `z` (nSubj × normalsPerSubject, row-major) and of `u` (nSubj × uniformsPerSubject).
   * `firstSubject` (0-based index of row 0 in the whole population) only numbers subjects in errors;
   * `label` names a subject that is none of the population's ("the median subject") instead.
   */
  fill(nSubj: number, z: Float64Array, u: Float64Array, out: Float64Array[], firstSubject?: number, label?: string): void;
  /**
   * What the subjects filled since the last call (the population's: not a labelled one such as the
   * median subject) had computed outside the range a formula was made for; clears the counts. A
   * chunk's notes are merged with {@link mergeCovariateNotes} and said by {@link covariateNoteWarnings}.
   */
  takeNotes(): CovariateNotes;
}

/** Counts of a run's subjects whose derived covariates were extrapolated, by covariate (plain JSON: it crosses to the main thread). */
export interface CovariateNotes {
  /** Subjects filled. */
  readonly subjects: number;
  /** Derived covariate → subjects whose ibw_devine had a height below 152.4 cm, and the lowest such height. */
  readonly devine: Readonly<Record<string, { readonly subjects: number; readonly lowestHeightCm: number }>>;
}

/** The notes of two sets of subjects together (either may be missing). */
export function mergeCovariateNotes(a: CovariateNotes | undefined, b: CovariateNotes | undefined): CovariateNotes | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const devine: Record<string, { subjects: number; lowestHeightCm: number }> = { ...a.devine };
  for (const [k, v] of Object.entries(b.devine)) {
    const had = devine[k];
    devine[k] = had === undefined ? v : { subjects: had.subjects + v.subjects, lowestHeightCm: Math.min(had.lowestHeightCm, v.lowestHeightCm) };
  }
  return { subjects: a.subjects + b.subjects, devine };
}

/**
 * The warnings a run's covariate notes give, one per derived covariate: Devine's ideal weight
 * below 60 in (152.4 cm) is a straight line continued past the heights it was fitted on (a 106-cm
 * girl: 3.50 kg), which `dosewise calc ibw` says and a population said nowhere.
 */
export function covariateNoteWarnings(notes: CovariateNotes | undefined): string[] {
  if (notes === undefined) return [];
  const out: string[] = [];
  for (const [name, d] of Object.entries(notes.devine)) {
    if (d.subjects === 0) continue;
    const of = `${d.subjects.toLocaleString('en-US')} of ${notes.subjects.toLocaleString('en-US')} subjects`;
    out.push(
      `covariates.${name}: ibw_devine was computed from a height below ${DEVINE_MIN_HEIGHT_CM} cm (60 in) for ${of} (lowest ${+d.lowestHeightCm.toPrecision(5)} cm): there the Devine ideal body weight is extrapolated (2.3 kg less per inch under 60), outside the heights it was made for`,
    );
  }
  return out;
}

/** One covariate (or resampling source) of one subject: reads zc / u[uo + …], writes row[…]. */
type Step = (row: Float64Array, zc: Float64Array, u: Float64Array, uo: number) => void;

function readTable(readText: (path: string) => string, label: string, path: string, columns: readonly string[] | undefined): CovariateTable {
  let text: string;
  try {
    text = readText(path);
  } catch (e) {
    if (e instanceof DosewiseError) throw e;
    throw Errors.io(path, `cannot read the covariate table of covariates.${label}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const table = parseCovariateTable(text, { file: path, columns });
  if (columns === undefined) {
    for (const c of table.columns) {
      const at = ['covariates', label, 'resample'];
      if (!COVARIATE_NAME.test(c)) {
        throw Errors.model(formatPath(at), `table column "${c}" cannot be a covariate name (a letter, then letters, digits or _); list the wanted columns in "columns"`, c);
      }
      refuseRace(at, c);
    }
  }
  return table;
}

/** A body-size call of a derived expression whose height and weight are covariates by name. */
interface BodyArguments {
  readonly fn: string;
  readonly ht: string;
  readonly wt: string;
  readonly htSlot: number;
  readonly wtSlot: number;
  /** Whether both have units declared (then checked as cm and kg when the spec was read). */
  readonly declared: boolean;
}

/** The clinical calls of `prepared` that read a height and a weight given as bare covariate names. */
function bodyArguments(prepared: PreparedDerived, slotOf: (name: string) => number, unitOf: (name: string) => string | undefined): BodyArguments[] {
  const out: BodyArguments[] = [];
  for (const site of prepared.calls.values()) {
    const params = DERIVED_FUNCTIONS[site.fn]?.params ?? [];
    const h = site.args[params.indexOf('ht_cm')];
    const w = site.args[params.indexOf('wt_kg')];
    if (h?.k !== 'var' || w?.k !== 'var') continue;
    const htSlot = slotOf(h.name);
    const wtSlot = slotOf(w.name);
    if (htSlot < 0 || wtSlot < 0) continue;
    const declared = [h.name, w.name].every((n) => (unitOf(n) ?? '').trim() !== '');
    out.push({ fn: site.fn, ht: h.name, wt: w.name, htSlot, wtSlot, declared });
  }
  return out;
}

/** The refusal of a virtual subject whose drawn height and weight make no body, or undefined. */
function impossibleBody(bodies: readonly BodyArguments[], row: Float64Array, who: string): string | undefined {
  for (const b of bodies) {
    const ht = row[b.htSlot] as number;
    const wt = row[b.wtSlot] as number;
    // a height alone out of bounds (normal(120, 30) without bounds draws below 20 cm once in 2,300):
    // the clinical refusal asks "a value in metres?"
    if (b.declared && Number.isFinite(ht) && (ht < PLAUSIBLE.minHeightCm || ht > PLAUSIBLE.maxHeightCm)) {
      const side = ht < PLAUSIBLE.minHeightCm ? `shorter than any body (≥ ${PLAUSIBLE.minHeightCm} cm)` : `taller than any body (≤ ${PLAUSIBLE.maxHeightCm} cm)`;
      return `${who}: ${b.ht} ${+ht.toPrecision(6)} cm was drawn, ${side}; its unit being cm as ${b.fn} reads it, the distribution of ${b.ht} draws bodies no patient has. Bound it (lower, upper within ${PLAUSIBLE.minHeightCm}–${PLAUSIBLE.maxHeightCm} cm)`;
    }
    const body = implausibleBody(ht, wt);
    if (!body) continue;
    const bound = body.side === 'below' ? `below any body (≥ ${PLAUSIBLE.minBmi})` : `above any body (≤ ${PLAUSIBLE.maxBmi})`;
    const cause = b.declared
      ? `their units being cm and kg as ${b.fn} reads them, the distributions draw bodies no patient has`
      : `the distributions draw bodies no patient has (or, their units not declared, ${b.ht} is not in cm or ${b.wt} not in kg: declare them in covariates.<NAME>.unit)`;
    return (
      `${who}: ${b.ht} ${+ht.toPrecision(6)} cm and ${b.wt} ${+wt.toPrecision(6)} kg were drawn, a body-mass index of ${+body.bmi.toPrecision(3)} kg/m², ${bound}; ` +
      `${cause}, and ${b.fn}(${b.ht}, ${b.wt}) is not computed for such a body. Correlate ${b.ht} and ${b.wt} ("correlation": { "names": ["${b.ht}", "${b.wt}"], "matrix": [[1, r], [r, 1]] }) or narrow their bounds (lower, upper)`
    );
  }
  return undefined;
}

/**
 * Refuses a derived covariate's calculator input that is a draw of a distribution, as such: SCR
 * lognormal(median 0.9 mg/dL, sdlog 1) drew 0.0588 at subject 207, which crcl_cg refused as "a
 * value in another unit (mmol/L?)", naming "model covariates.CRCL.derived". The units were checked
 * when the specification was read; a tail draw is the distribution's, and its bound the fix. (Not
 * for the median subject, whose values are no tail.)
 */
function refuseTailDraw(err: unknown, row: Float64Array, spec: CovariateSpec, slotOf: (name: string) => number, derived: string, who: string, file: string | undefined): void {
  const clinical = err instanceof Error && err.cause instanceof ClinicalInputError ? err.cause : err;
  // only a refusal that guesses at a unit ("a value in another unit (mmol/L?)") sends the user astray
  if (!(clinical instanceof ClinicalInputError) || typeof clinical.value !== 'number' || !clinical.message.includes('?')) return;
  const value = clinical.value;
  const name = Object.keys(spec.covariates).find((n) => row[slotOf(n)] === value && 'dist' in (spec.covariates[n] as object));
  const e = name === undefined ? undefined : spec.covariates[name];
  if (name === undefined || e === undefined || !('dist' in e) || e.dist === 'categorical') return;
  const bound = value < distributionMedian(e) ? 'lower' : 'upper';
  const limit = clinical.message.split(/; | \(got /)[0] ?? clinical.message;
  const path = `covariates.${name}`;
  const why = `${who} drew ${name} ${+value.toPrecision(3)} from the ${e.dist} in ${file ?? 'the covariate specification'} (${describeDistribution(e)}), which ${derived.trim()} does not take (${limit}): a tail draw of the distribution, not a value in another unit. Bound it with ${bound} (${path}.${bound})`;
  if (file === undefined) throw Errors.model(path, why, value);
  throw new DosewiseError('E_MODEL', `${file}, ${path}: ${why} (got ${value})`, { path, value, file });
}

/**
 * Builds the sampler of a covariate specification (raw JSON or a parsed {@link CovariateSpec}).
 * Resampling tables are read and checked here, once.
 *
 * @example
 * const s = covariateSampler({ covariates: { WT: { dist: 'lognormal', median: 70, cv: 0.2 } } });
 * const out = [new Float64Array(2)];
 * s.fill(2, Float64Array.of(0, 1), new Float64Array(0), out); // out[0] ≈ [70, 70·e^0.198]
 */
export function covariateSampler(spec: unknown, options: CovariateSamplerOptions = {}): CovariateSampler {
  const parsed: CovariateSpec = parseCovariateSpec(spec);
  const readText = options.readText ?? ((p: string) => readFileSync(p, 'utf8'));

  const tables = new Map<string, CovariateTable>();
  for (const [label, e] of Object.entries(parsed.covariates)) {
    if ('resample' in e) tables.set(label, readTable(readText, label, e.resample, e.columns));
  }
  const resolved = resolveCovariates(parsed, (label) => (tables.get(label) as CovariateTable).columns);
  const names = resolved.names;
  const slotOf = (name: string): number => names.indexOf(name);

  const steps: Step[] = [];
  const layout: CovariateSlot[] = [];
  // per derived covariate: its calculators' notes for the subject being filled, and the counts
  const noted: { readonly label: string; readonly notes: DerivedNotes; subjects: number; lowest: number }[] = [];
  let filled = 0;
  const normalIndex = new Map<string, number>();
  let nz = 0;
  let nu = 0;
  let subject = 0; // 1-based number of the subject being filled, for messages
  let label: string | undefined; // or what the subject is, when it is not one of the population's
  const who = (): string => label ?? `virtual subject ${subject}`;
  // the row each resampling table gave the subject being filled (0-based), by the table's label: a
  // refusal of a value computed from it names the table's row, which the user can open
  const drawnRows = new Map<string, number>();
  const drawnFrom = (reads: readonly string[]): string => {
    const rows: string[] = [];
    for (const [source, r] of drawnRows) {
      const t = tables.get(source) as CovariateTable;
      if (!t.columns.some((c) => reads.includes(c))) continue;
      const values = t.columns.map((c, k) => `${c} ${(t.values[k] as Float64Array)[r] as number}`).join(', ');
      rows.push(`row ${r + 1} of ${t.file ?? 'its table'} (resampled by covariates.${source}: ${values})`);
    }
    return rows.length > 0 ? `, drawing ${rows.join(' and ')}` : '';
  };
  // whether the values are a subject's draws (not the median subject's)
  const drawn = (): boolean => label === undefined;

  for (const [label, e] of Object.entries(parsed.covariates)) {
    if ('resample' in e) {
      const t = tables.get(label) as CovariateTable;
      const j = nu++;
      const slots = Int32Array.from(t.columns, slotOf);
      const cols = t.values;
      const nRows = t.rows;
      for (const c of t.columns) layout.push({ name: c, kind: 'resample', uniform: j });
      steps.push((row, _zc, u, uo) => {
        let r = Math.floor((u[uo + j] as number) * nRows);
        if (r >= nRows) r = nRows - 1;
        drawnRows.set(label, r);
        for (let c = 0; c < slots.length; c++) row[slots[c] as number] = (cols[c] as Float64Array)[r] as number;
      });
      continue;
    }
    const s = slotOf(label);
    if ('derived' in e) {
      const prepared = resolved.derived.get(label) as PreparedDerived;
      const notes: DerivedNotes = { devineLowestCm: Infinity };
      const count = { label, notes, subjects: 0, lowest: Infinity };
      const f: Compiled = compileDerived(prepared, slotOf, notes);
      if ([...prepared.calls.values()].some((c) => c.fn === 'ibw_devine')) noted.push(count);
      const path = formatPath(['covariates', label, 'derived']);
      // named by the covariate file where it is known ("model covariates.CRCL.derived" named a file
      // the user never wrote), with the table rows the subject drew
      const refusal = (why: string, value?: number): DosewiseError => {
        const text = `${why.replace(/^([^:]*)/, (w) => `${w}${drawnFrom(prepared.reads)}`)}`;
        if (options.file === undefined) return Errors.model(path, text, value);
        return new DosewiseError('E_MODEL', `${options.file}, ${path}: ${text}${value === undefined ? '' : ` (got ${value})`}`, { path, file: options.file, ...(value === undefined ? {} : { value }) });
      };
      const bodies = bodyArguments(prepared, slotOf, (name) => {
        const c = parsed.covariates[name];
        return c && !('resample' in c) ? c.unit : undefined;
      });
      layout.push({ name: label, kind: 'derived' });
      steps.push((row) => {
        let v: number;
        try {
          v = f(row);
        } catch (err) {
          // a drawn height and weight that make no body: the units were checked against the
          // functions' when the spec was read, so the unit hint of the clinical refusal ("a height in
          // mm?") would send the user after the wrong thing; the distribution is what is wrong
          const body = impossibleBody(bodies, row, who());
          if (body !== undefined) throw refusal(body);
          if (drawn()) refuseTailDraw(err, row, parsed, slotOf, e.derived, who(), options.file);
          throw refusal(`${who()}: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (!Number.isFinite(v)) throw refusal(`${who()}: "${e.derived}" is not a finite number`, v);
        row[s] = v;
      });
      continue;
    }
    switch (e.dist) {
      case 'normal': {
        const k = nz++;
        normalIndex.set(label, k);
        layout.push({ name: label, kind: 'normal', normal: k });
        const { mean, sd } = e;
        if (e.lower === undefined && e.upper === undefined) {
          steps.push((row, zc) => {
            row[s] = mean + sd * (zc[k] as number);
          });
        } else {
          const lo = e.lower ?? -Infinity;
          const hi = e.upper ?? Infinity;
          const tr: TruncatedStandardNormal = truncatedStandardNormal((lo - mean) / sd, (hi - mean) / sd);
          steps.push((row, zc) => {
            const x = mean + sd * truncateStandardNormal(tr, zc[k] as number);
            row[s] = x < lo ? lo : x > hi ? hi : x;
          });
        }
        break;
      }
      case 'lognormal': {
        const k = nz++;
        normalIndex.set(label, k);
        layout.push({ name: label, kind: 'lognormal', normal: k });
        const { mu, sdlog } = lognormalLogParams(e);
        if ((e.lower === undefined || e.lower === 0) && e.upper === undefined) {
          steps.push((row, zc) => {
            row[s] = Math.exp(mu + sdlog * (zc[k] as number));
          });
        } else {
          const lo = e.lower ?? 0;
          const hi = e.upper ?? Infinity;
          const tr = truncatedStandardNormal(lo === 0 ? -Infinity : (Math.log(lo) - mu) / sdlog, (Math.log(hi) - mu) / sdlog);
          steps.push((row, zc) => {
            const x = Math.exp(mu + sdlog * truncateStandardNormal(tr, zc[k] as number));
            row[s] = x < lo ? lo : x > hi ? hi : x;
          });
        }
        break;
      }
      case 'uniform': {
        const j = nu++;
        layout.push({ name: label, kind: 'uniform', uniform: j });
        const { lower, upper } = e;
        const width = upper - lower;
        steps.push((row, _zc, u, uo) => {
          const x = lower + (u[uo + j] as number) * width;
          row[s] = x > upper ? upper : x;
        });
        break;
      }
      case 'categorical': {
        const j = nu++;
        layout.push({ name: label, kind: 'categorical', uniform: j });
        const values = Float64Array.from(e.values);
        const total = e.p.reduce((a, b) => a + b, 0);
        const cum = new Float64Array(e.p.length);
        let acc = 0;
        let last = 0; // the last value with p > 0 takes whatever rounding leaves at the top
        e.p.forEach((p, i) => {
          acc += p;
          cum[i] = acc / total;
          if (p > 0) last = i;
        });
        steps.push((row, _zc, u, uo) => {
          const x = u[uo + j] as number;
          let i = 0;
          while (i < last && x >= (cum[i] as number)) i++;
          row[s] = values[i] as number;
        });
        break;
      }
    }
  }

  // correlation: zc[g[r]] = Σ_{c ≤ r} L[r][c] · z[g[c]] within the subject's row
  const corr = parsed.correlation;
  const m = corr ? corr.names.length : 0;
  const group = Int32Array.from(corr?.names ?? [], (n) => normalIndex.get(n) as number);
  const L = corr ? (choleskyLower(corr.matrix) as Float64Array) : new Float64Array(0);

  const nNames = names.length;
  const row = new Float64Array(nNames);
  const zc = new Float64Array(nz);

  const fill = (nSubj: number, z: Float64Array, u: Float64Array, out: Float64Array[], firstSubject = 0, name?: string): void => {
    label = name;
    if (!Number.isInteger(nSubj) || nSubj < 0) throw new RangeError(`covariates: nSubj must be a non-negative integer (got ${nSubj})`);
    if (z.length < nSubj * nz) throw new RangeError(`covariates: z holds ${z.length} normals, need ${nSubj} × ${nz}`);
    if (u.length < nSubj * nu) throw new RangeError(`covariates: u holds ${u.length} uniforms, need ${nSubj} × ${nu}`);
    if (out.length !== nNames) throw new RangeError(`covariates: out has ${out.length} columns, expected ${nNames} (${names.join(', ')})`);
    for (let c = 0; c < nNames; c++) {
      if ((out[c] as Float64Array).length < nSubj) throw new RangeError(`covariates: out column ${names[c]} is shorter than ${nSubj}`);
    }
    for (let i = 0; i < nSubj; i++) {
      subject = firstSubject + i + 1;
      const zo = i * nz;
      const uo = i * nu;
      for (let k = 0; k < nz; k++) {
        const x = z[zo + k] as number;
        if (!Number.isFinite(x)) throw new RangeError(`covariates: normal ${k} of ${who()} is ${x}`);
        zc[k] = x;
      }
      for (let j = 0; j < nu; j++) {
        const x = u[uo + j] as number;
        if (!(x >= 0 && x <= 1)) throw new RangeError(`covariates: uniform ${j} of ${who()} is ${x}, outside (0, 1)`);
      }
      for (let r = 0; r < m; r++) {
        let acc = 0;
        for (let c = 0; c <= r; c++) acc += (L[r * m + c] as number) * (z[zo + (group[c] as number)] as number);
        zc[group[r] as number] = acc;
      }
      for (let k = 0; k < noted.length; k++) (noted[k] as (typeof noted)[number]).notes.devineLowestCm = Infinity;
      for (let t = 0; t < steps.length; t++) (steps[t] as Step)(row, zc, u, uo);
      for (let c = 0; c < nNames; c++) (out[c] as Float64Array)[i] = row[c] as number;
      // a probe subject (the median one, named by a label) is none of the population's
      if (name !== undefined) continue;
      filled++;
      for (let k = 0; k < noted.length; k++) {
        const n = noted[k] as (typeof noted)[number];
        const h = n.notes.devineLowestCm;
        if (h === Infinity) continue;
        n.subjects++;
        if (h < n.lowest) n.lowest = h;
      }
    }
  };

  const takeNotes = (): CovariateNotes => {
    const devine: Record<string, { subjects: number; lowestHeightCm: number }> = {};
    for (const n of noted) {
      if (n.subjects > 0) devine[n.label] = { subjects: n.subjects, lowestHeightCm: n.lowest };
      n.subjects = 0;
      n.lowest = Infinity;
    }
    const notes = { subjects: filled, devine };
    filled = 0;
    return notes;
  };

  return { names, normalsPerSubject: nz, uniformsPerSubject: nu, layout, fill, takeNotes };
}
