// Covariates the model reads that the records do not give, and so take the model's default on every
// record, and the records' columns that look like one of them but are not read. A renally impaired
// patient's data set with its dialysis flag in a column HD (Goti 2018 reads DIAL, default 0) ran
// off-dialysis without a word: typical CL 1.1557 L/h for 0.8090 on dialysis, optimize's 1250 mg
// q48h for 750 mg (AUC24 ~772 where the target was 400–600). The web tool's status line said "DIAL
// not in the file: set to its default 0" and `population` named the inputs left at their defaults;
// the data-set paths (estimate, forecast, optimize, simulate) said nothing. One rule for all of them.

import { isTextModelFile, type Model } from './model.js';
import { STANDARD_COLUMNS } from './standard-columns.js';
import { dialysisFlags, dialysisName } from './covariate-flags.js';

export const COVARIATE_DEFAULT_CODE = 'W_COVARIATE_DEFAULT' as const;
export const COLUMN_NOT_READ_CODE = 'W_COLUMN_NOT_READ' as const;

const RECORD_ITEMS: ReadonlySet<string> = new Set<string>(STANDARD_COLUMNS);

/**
 * The inputs the model reads with a default that `given` does not give (a covariate, not a record
 * item or a random effect), with that default; those without one are refused where they are read.
 */
export function defaultedInputs(model: Pick<Model, 'inputs' | 'slots' | 'omega' | 'iov'>, given: (name: string) => boolean): { readonly name: string; readonly value: number }[] {
  const effects = new Set([...(model.omega?.names ?? []), ...(model.iov?.names ?? [])]);
  return model.inputs.flatMap((name) => {
    if (RECORD_ITEMS.has(name) || effects.has(name) || given(name)) return [];
    const value = model.slots.defaults[model.slots.inputs.indexOf(name)] as number | undefined;
    return value === undefined || Number.isNaN(value) ? [] : [{ name, value }];
  });
}

/**
 * The model's covariate a column not read stands for, by its name: the same name in other letter
 * case, or a dialysis flag (HD, CRRT, HEMODIALYSIS for DIAL); undefined where none.
 */
function lookalikeOf(model: Pick<Model, 'file'>, column: string, absent: readonly string[]): string | undefined {
  const same = absent.find((n) => n.toUpperCase() === column.toUpperCase());
  if (same !== undefined) return same;
  if (!dialysisName(column)) return undefined;
  return dialysisFlags(model).find((f) => absent.includes(f));
}

/**
 * Whether the model file says its default of `name` is the value the model is used at, as the
 * covariate's description "fixes"/"fixed at" it (Colin 2019: CANC and HEEL, "PKPDsim fixes 0"): a
 * data set without the column is the usual case, not an oversight.
 */
export function usualDefault(model: Pick<Model, 'file'>, name: string, value: number): boolean {
  if (isTextModelFile(model.file)) return false;
  const m = /\bfix(?:es|ed)?\s+(?:(?:at|to)\s+)?(-?\d+(?:\.\d+)?)\b/i.exec(model.file.covariates?.[name]?.description ?? '');
  return m !== null && Number(m[1]) === value;
}

/**
 * W_COVARIATE_DEFAULT for each covariate the model reads that no record gives (nor an override),
 * naming the default every record takes, and W_COLUMN_NOT_READ for a column the model does not read
 * named like one of them. Messages without a file (the caller's list names it).
 */
export function defaultedCovariateProblems(
  model: Pick<Model, 'inputs' | 'slots' | 'omega' | 'iov' | 'file' | 'name'>,
  records: readonly { readonly items: Readonly<Record<string, number>> }[],
  overrides?: Readonly<Record<string, number>>,
): { readonly code: typeof COVARIATE_DEFAULT_CODE | typeof COLUMN_NOT_READ_CODE; readonly message: string }[] {
  if (records.length === 0) return [];
  const overridden = (n: string): boolean => overrides !== undefined && Object.hasOwn(overrides, n);
  // only the inputs that would take their default are looked for, each until a record gives it (as
  // a key of its items, what Object.keys lists): the column names of every record were an array per
  // record, 730,000 of them for 2,000 W-gp subjects (14 % of simulate()'s time), though a model that
  // reads no covariate with a default needs none
  const open = defaultedInputs(model, overridden).map((d) => d.name);
  if (open.length === 0) return [];
  const given = new Set<string>();
  for (let i = 0; i < records.length && given.size < open.length; i++) {
    const items = (records[i] as { readonly items: Readonly<Record<string, number>> }).items;
    for (const n of open) if (!given.has(n) && Object.prototype.propertyIsEnumerable.call(items, n)) given.add(n);
  }
  const blankPatients = blankPatientProblems(model, records, open.filter((n) => given.has(n)));
  // a column of the name in another case is refused where the records are read
  // (refusePartlyMissingItems): a warning that every record took the default would say the run went on
  const firstKeys = Object.keys((records[0] as { readonly items: Readonly<Record<string, number>> }).items);
  const refused = (n: string): boolean => firstKeys.some((k) => k !== n && k.toUpperCase() === n.toUpperCase());
  // a loop, not filter(): see dialysisFlags (covariate-flags.ts)
  const defaulted: ReturnType<typeof defaultedInputs> = [];
  for (const d of defaultedInputs(model, (n) => given.has(n) || overridden(n))) if (!refused(d.name)) defaulted.push(d);
  if (defaulted.length === 0) return blankPatients;
  // every column, for the look-alikes of what was not given (the warning's case alone)
  const columns = new Set<string>();
  for (const r of records) for (const k of Object.keys(r.items)) columns.add(k);
  const read = new Set(model.inputs);
  const absent = defaulted.map((d) => d.name);
  const lookalikes = [...columns]
    .filter((c) => !read.has(c) && !RECORD_ITEMS.has(c))
    .flatMap((c) => {
      const name = lookalikeOf(model, c, absent);
      return name === undefined ? [] : [{ column: c, name }];
    });
  const valueOf = (n: string): number => (defaulted.find((d) => d.name === n) as { value: number }).value;
  return [
    ...defaulted.filter(({ name, value }) => !usualDefault(model, name, value)).map(({ name, value }) => ({
      code: COVARIATE_DEFAULT_CODE,
      message: `${name} is not in the records: set to its default ${value} on every record (model ${model.name} reads it); give a column ${name} where the patient's value is another`,
    })),
    ...lookalikes.map(({ column, name }) => ({
      code: COLUMN_NOT_READ_CODE,
      message: `column ${column} is not read: model ${model.name} reads ${name}, which the records do not give, so every record took ${name} ${valueOf(name)} whatever ${column} says; if ${column} is ${name}, name the column ${name}`,
    })),
    ...blankPatients,
  ];
}

/**
 * W_COVARIATE_DEFAULT for a patient whose cells of a column the model reads (`names`, each with a
 * default) are all blank: it runs at the default as a data set without the column does, which was
 * warned while this was not (goti_dial2.csv's ID 2, DIAL "." on every row, ran off dialysis: IPRED
 * 6.3067 at 12 h for 8.3850 at DIAL 1). One warning per covariate, naming the first such ID and how
 * many more; a default the model file says it is used at (usualDefault) is not warned.
 */
function blankPatientProblems(model: Pick<Model, 'inputs' | 'slots' | 'omega' | 'iov' | 'file' | 'name'>, records: readonly { readonly items: Readonly<Record<string, number>> }[], names: readonly string[]): { readonly code: typeof COVARIATE_DEFAULT_CODE; readonly message: string }[] {
  if (names.length === 0) return [];
  const idOf = (r: { readonly items: Readonly<Record<string, number>> }): unknown => (r as { readonly ID?: unknown }).ID ?? r.items.ID;
  const out: { code: typeof COVARIATE_DEFAULT_CODE; message: string }[] = [];
  for (const d of defaultedInputs(model, (n) => !names.includes(n))) {
    if (usualDefault(model, d.name, d.value)) continue;
    // per ID, in order of first record: whether any of its records gives the value
    const valued = new Map<unknown, boolean>();
    for (const r of records) {
      const v = r.items[d.name];
      const id = idOf(r);
      if (!valued.get(id)) valued.set(id, v !== undefined && !Number.isNaN(v));
    }
    const blank = [...valued].filter(([, has]) => !has).map(([id]) => id);
    if (blank.length === 0) continue;
    const more = blank.length > 1 ? ` (and ${blank.length - 1} more ID${blank.length > 2 ? 's' : ''})` : '';
    out.push({
      code: COVARIATE_DEFAULT_CODE,
      message: `${d.name} is blank on every record of ID ${String(blank[0])}${more}: set to its default ${d.value} on them (model ${model.name} reads it), as if the column were absent; give the patient's ${d.name}`,
    });
  }
  return out;
}

/** defaultedCovariateProblems as text, the code first, naming `file` where given. */
export function defaultedCovariateWarnings(
  model: Pick<Model, 'inputs' | 'slots' | 'omega' | 'iov' | 'file' | 'name'>,
  records: readonly { readonly items: Readonly<Record<string, number>> }[],
  file?: string,
  overrides?: Readonly<Record<string, number>>,
): string[] {
  return defaultedCovariateProblems(model, records, overrides).map((w) => `${w.code}: ${file === undefined ? '' : `${file}: `}${w.message}`);
}
