// The kernel contract as data: model kinds, status codes, event types, solver methods, metric
// codes, observation modes and the parameter slots of every kind. The AssemblyScript kernels and
// the TypeScript host must agree on every number here, so both assembly/abi.generated.ts and
// src/abi.generated.ts are written from this one description (npm run asbuild runs this script
// before asc; test/unit/abi.test.ts fails when a committed file differs from a fresh generation).
//
//   node scripts/gen-abi.mjs           writes both files
//   node scripts/gen-abi.mjs --check   exits 1 if either committed file is out of date
//
// Changing a number changes the binary contract: bump ABI_VERSION with it (checked when the
// module loads, so a stale compiled engine is refused rather than misread).

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ABI_VERSION = 2;

/** Kernel outcome. Kernels never throw (an AssemblyScript throw traps); they return one of these. */
const STATUS = [
  ['Ok', 0, '', 'ok'],
  ['StepTooSmall', 1, 'adaptive step fell below the floor: the problem is too stiff or singular for the method', 'step size fell below its floor (try the rosenbrock solver, or check the parameters)'],
  ['MaxSteps', 2, 'step budget exhausted in one segment', 'step budget exhausted within one segment'],
  ['NonFinite', 3, 'a state became NaN or infinite', 'a state became NaN or infinite (check the parameters)'],
  ['SteadyStateNotReached', 4, 'dose iteration did not converge to a periodic solution', 'dose iteration did not reach a periodic steady state'],
  ['SingularSteadyState', 5, '(I - Phi(tau)) is singular: the model has no elimination', 'no steady state exists (the model has no elimination)'],
  ['BadModel', 6, 'unknown model kind or compartment layout', 'unknown model kind or compartment layout'],
];

/** Model kinds (structure of the right-hand side). */
const KIND = [
  ['Linear', 1, '1-3 compartment mammillary, optional depot; analytic or ODE'],
  ['MichaelisMenten', 2, '1 compartment, optional depot, Vmax/Km elimination plus optional linear k10'],
  ['Tmdd', 3, 'full target-mediated disposition (Mager & Jusko 2001)'],
  ['TmddQss', 4, 'quasi-steady-state TMDD (Gibiansky et al. 2008)'],
  ['Effect', 5, 'linear PK + effect compartment, sigmoid Emax response'],
  ['Claret', 6, 'Claret tumour growth inhibition (Claret et al. 2009)'],
  ['User', 7, 'compiled from a model text (assembly/models/user.ts is replaced at compile time)'],
];

/** Event types of the flat event table walked by the driver. */
const EV = [
  ['Obs', 0, 'write an output row (state after every earlier event at this time)'],
  ['Bolus', 1, 'add amt to cmt'],
  ['Rate', 2, "add rate (may be negative) to cmt's zero-order input"],
  ['Reset', 3, 'state to its initial value, all inputs off'],
  ['SteadyState', 4, 'replace (ss=1) or add to (ss=2) the state by the periodic solution'],
  ['Params', 5, 'no state change; marks a parameter-set boundary (NOCB/LOCF) for the ODE segmenter'],
];

/** Solver choice. */
const METHOD = [
  ['Analytic', 0, ''],
  ['Dopri5', 1, ''],
  ['Rosenbrock', 2, ''],
];

/** Exposure metric of assembly/metrics.ts; the third field is its name in src/population/metrics.ts. */
const METRIC = [
  ['Auc', 0, 'auc'],
  ['Cmax', 1, 'cmax'],
  ['Cmin', 2, 'cmin'],
  ['Cavg', 3, 'cavg'],
  ['TimeAbove', 4, 'timeabove'],
  ['FracIn', 5, 'fracin'],
  ['ValueAt', 6, 'value'],
  ['Tmax', 7, 'tmax'],
  ['Trough', 8, 'trough'],
];

/** What the driver writes for an observation row (parameter slot P.obsMode). */
const OBS_MODE = [
  ['Amount', 0, 'y[P.obsIndex] / P.scale, read by the driver without model dispatch (the common case)'],
  ['Effect', 1, 'sigmoid Emax response of the effect-site concentration (Effect only)'],
  ['Free', 2, 'free concentration: QSS closed form (TmddQss), A/V (Tmdd, MichaelisMenten), central/V (Effect)'],
  ['User', 3, "the user model's observation expression (User only)"],
];

/**
 * Doubles per parameter set of the built-in kinds. The linear rate constants sit at 0..5 for every
 * kind with a linear block, so the effect and non-linear kinds reuse the linear right-hand side
 * and put their own values from 6; the observation fields sit at 13..15 for every kind, so the
 * driver reads them without dispatching on the kind.
 */
const PAR_STRIDE = 16;
/** A user model's per-record values fill 0..12, skip the observation fields and go on from PAR_STRIDE. */
const USER_PARAM_SLOTS = 13;

/**
 * Subjects per block of the population fast path (simulateShared): the host sizes its work buffer
 * as SHARED_BLOCK·(n + 2·nDt·n²) doubles. 64 keeps a block's states and output rows in cache.
 */
const SHARED_BLOCK = 64;

/** Slots every kind shares. */
const P = [
  ['k10', 0, 'elimination rate constant (KEL of the TMDD kinds)'],
  ['k12', 1, ''],
  ['k21', 2, ''],
  ['k13', 3, ''],
  ['k31', 4, ''],
  ['ka', 5, 'absorption from the depot'],
  ['obsIndex', 13, 'observed state (0-based) for ObsMode.Amount'],
  ['obsMode', 14, 'an ObsMode'],
  ['scale', 15, 'divides the observed amount (volume × unit factor)'],
];

/** Each kind's own slots, named as the model parameters they hold. */
const KIND_SLOTS = [
  ['PMm', 'MichaelisMenten', [['V', 6], ['VMAX', 7, 'amount/time'], ['KM', 8, 'concentration']]],
  ['PTmdd', 'Tmdd', [['V', 6], ['KON', 7], ['KOFF', 8], ['KINT', 9], ['KSYN', 10], ['KDEG', 11]]],
  // KSS takes KON's slot; slot 8 is unused so that KINT, KSYN, KDEG stay where full TMDD has them
  ['PTmddQss', 'TmddQss', [['V', 6], ['KSS', 7], ['KINT', 9], ['KSYN', 10], ['KDEG', 11]]],
  ['PEffect', 'Effect', [['V', 6], ['KE0', 7], ['E0', 8], ['EMAX', 9], ['EC50', 10], ['GAMMA', 11]]],
  ['PClaret', 'Claret', [['BASE', 6], ['KG', 7], ['KS0', 8], ['GAMMA', 9], ['DOSE', 10]]],
];

function check() {
  const unique = (name, rows) => {
    const codes = rows.map((r) => r[1]);
    if (new Set(codes).size !== codes.length) throw new Error(`${name}: duplicate code`);
  };
  for (const [name, rows] of Object.entries({ STATUS, KIND, EV, METHOD, METRIC, OBS_MODE, P })) unique(name, rows);
  const slot = (table, key) => KIND_SLOTS.find((k) => k[0] === table)[2].find((r) => r[0] === key)?.[1];
  // the kernels read these through one table for several kinds (assembly/models/rhs.ts)
  for (const key of ['KSYN', 'KDEG']) if (slot('PTmdd', key) !== slot('PTmddQss', key)) throw new Error(`${key}: PTmdd and PTmddQss differ`);
  for (const t of ['PMm', 'PTmddQss', 'PEffect']) if (slot(t, 'V') !== slot('PTmdd', 'V')) throw new Error(`${t}.V: not PTmdd.V (ObsMode.Free reads one V slot)`);
  for (const [name, , rows] of KIND_SLOTS) {
    unique(name, rows);
    for (const [slot, i] of rows) {
      if (!(i > 5 && i < USER_PARAM_SLOTS)) throw new Error(`${name}.${slot}: slot ${i} outside 6..12`);
    }
  }
}

const HEADER = '// Generated by scripts/gen-abi.mjs from the ABI description there; do not edit (npm run asbuild regenerates it).\n';

function asEnum(doc, name, rows, comment = (r) => r[2]) {
  const lines = doc ? [`/** ${doc} */`] : [];
  lines.push(`export const enum ${name} {`);
  for (const r of rows) {
    const c = comment(r);
    lines.push(`  ${r[0]} = ${r[1]},${c ? ` // ${c}` : ''}`);
  }
  lines.push('}');
  return lines.join('\n');
}

function tsObject(doc, name, rows, comment = (r) => r[2]) {
  const lines = doc ? [`/** ${doc} */`] : [];
  lines.push(`export const ${name} = {`);
  for (const r of rows) {
    const c = comment(r);
    lines.push(`  ${r[0]}: ${r[1]},${c ? ` // ${c}` : ''}`);
  }
  lines.push('} as const;');
  return lines.join('\n');
}

export function generate() {
  check();
  const strideDoc = 'Doubles per parameter set of the built-in kinds: linear rate constants at 0..5 (shared by every kind with a linear block, so the other kinds reuse its right-hand side), each kind\'s own values from 6, the observation fields at 13..15 (read by the driver without dispatching on the kind).';
  const sharedDoc = 'Subjects per block of the population fast path: the host sizes its work buffer as SHARED_BLOCK·(n + 2·nDt·n²) doubles.';
  const userDoc = 'Slots of per-record values a user model fills before the observation fields; its further values follow from PAR_STRIDE.';
  const as = [
    HEADER,
    `export const ABI_VERSION: i32 = ${ABI_VERSION};`,
    '',
    asEnum('Kernel outcome. Kernels never throw (an AssemblyScript throw traps); they return one of these.', 'Status', STATUS),
    '',
    asEnum('Model kinds (structure of the right-hand side).', 'Kind', KIND),
    '',
    asEnum('Event types of the flat event table walked by the driver.', 'Ev', EV),
    '',
    asEnum('Solver choice.', 'Method', METHOD),
    '',
    asEnum('Exposure metric types (assembly/metrics.ts).', 'Metric', METRIC, () => ''),
    '',
    asEnum('Observation mode, parameter slot P.obsMode.', 'ObsMode', OBS_MODE),
    '',
    `/** ${strideDoc} */`,
    `export const BASE_PAR_STRIDE: i32 = ${PAR_STRIDE};`,
    `/** ${userDoc} */`,
    `export const USER_PARAM_SLOTS: i32 = ${USER_PARAM_SLOTS};`,
    `/** ${sharedDoc} */`,
    `export const SHARED_BLOCK: i32 = ${SHARED_BLOCK};`,
    '',
    asEnum('Parameter slots every kind shares (byte offset: slot << 3).', 'P', P),
    ...KIND_SLOTS.flatMap(([name, kind, rows]) => ['', asEnum(`Parameter slots of Kind.${kind} (after the shared P slots).`, name, rows)]),
    '',
  ].join('\n');
  const ts = [
    HEADER,
    `export const ABI_VERSION = ${ABI_VERSION};`,
    '',
    tsObject('Kernel outcome (assembly/abi.generated.ts).', 'Status', STATUS),
    'export type StatusCode = (typeof Status)[keyof typeof Status];',
    '',
    '/** What each status means, for messages. */',
    'export const STATUS_TEXT: Readonly<Record<number, string>> = {',
    ...STATUS.map((r) => `  ${r[1]}: '${r[3].replace(/\\/g, '\\\\').replace(/'/g, "\\'")}',`),
    '};',
    '',
    tsObject('Model kinds (structure of the right-hand side).', 'Kind', KIND),
    '',
    tsObject('Event types of the flat event table walked by the driver.', 'Ev', EV),
    '',
    tsObject('Solver choice.', 'Method', METHOD),
    '',
    tsObject('Exposure metric types of the kernel.', 'Metric', METRIC, () => ''),
    '',
    '/** Kernel metric type of each metric name. */',
    'export const METRIC_CODE = {',
    ...METRIC.map((r) => `  ${r[2]}: Metric.${r[0]},`),
    '} as const;',
    '',
    tsObject('Observation mode, parameter slot P.obsMode.', 'ObsMode', OBS_MODE),
    '',
    `/** ${strideDoc} */`,
    `export const BASE_PAR_STRIDE = ${PAR_STRIDE};`,
    `/** ${userDoc} */`,
    `export const USER_PARAM_SLOTS = ${USER_PARAM_SLOTS};`,
    `/** ${sharedDoc} */`,
    `export const SHARED_BLOCK = ${SHARED_BLOCK};`,
    '',
    tsObject('Parameter slots every kind shares.', 'P', P),
    ...KIND_SLOTS.flatMap(([name, kind, rows]) => ['', tsObject(`Parameter slots of Kind.${kind} (after the shared P slots).`, name, rows)]),
    '',
  ].join('\n');
  return { as, ts };
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUTS = { as: join(root, 'assembly', 'abi.generated.ts'), ts: join(root, 'src', 'abi.generated.ts') };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = generate();
  if (process.argv.includes('--check')) {
    let stale = false;
    for (const k of ['as', 'ts']) {
      let have = '';
      try {
        have = readFileSync(OUTPUTS[k], 'utf8');
      } catch {
        // a missing file is stale too
      }
      if (have !== out[k]) {
        console.error(`${OUTPUTS[k]} differs from scripts/gen-abi.mjs: run node scripts/gen-abi.mjs`);
        stale = true;
      }
    }
    process.exit(stale ? 1 : 0);
  }
  for (const k of ['as', 'ts']) {
    let have = '';
    try {
      have = readFileSync(OUTPUTS[k], 'utf8');
    } catch {
      // written below
    }
    // unchanged files keep their timestamps, so builds that watch them do not rerun
    if (have !== out[k]) writeFileSync(OUTPUTS[k], out[k]);
  }
}
