// The kernel contract as data: model kinds, status codes, event types, solver methods, metric
// codes, observation modes and the parameter slots of every kind. The AssemblyScript kernels and
// the TypeScript host must agree on every number here, so both assembly/abi.generated.ts and
// src/abi.generated.ts are written from this one description (npm run asbuild runs this script
// before asc; test/unit/abi.test.ts fails when a committed file differs from a fresh generation).
//
// The built-in models (BUILTINS) are listed here too, so the same run writes the kernel dispatch
// (assembly/models/dispatch.generated.ts) and the TypeScript registry of their descriptors
// (src/model/builtins/index.generated.ts).
//
//   node scripts/gen-abi.mjs           writes the generated files
//   node scripts/gen-abi.mjs --check   exits 1 if a committed one is out of date
//
// Changing a number changes the binary contract: bump ABI_VERSION with it (checked when the
// module loads, so a stale compiled engine is refused rather than misread).

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ABI_VERSION = 8;

/** Kernel outcome. Kernels never throw (an AssemblyScript throw traps); they return one of these. */
const STATUS = [
  ['Ok', 0, '', 'ok'],
  ['StepTooSmall', 1, 'adaptive step fell below the floor: the problem is too stiff or singular for the method', 'step size fell below its floor (try the rosenbrock solver, or check the parameters)'],
  ['MaxSteps', 2, 'step budget exhausted in one segment', 'step budget exhausted within one segment'],
  ['NonFinite', 3, 'a state became NaN or infinite', 'a state became NaN or infinite (check the parameters)'],
  ['SteadyStateNotReached', 4, 'dose iteration did not converge to a periodic solution', 'dose iteration did not reach a periodic steady state (none exists where the dose rate exceeds the largest elimination rate)'],
  ['SingularSteadyState', 5, '(I - Phi(tau)) is singular: the model has no elimination', 'no steady state exists (no elimination, or elimination saturated below the dose rate)'],
  ['BadModel', 6, 'unknown model kind or compartment layout', 'unknown model kind or compartment layout'],
  ['ExactLossy', 7, 'exact propagation refused: the matrix exponential over this step would lose accuracy (norm of K times dt above 2^32)', 'exact propagation would lose accuracy here: a rate constant this fast over a time this long (‖K‖·Δt above 4.3e9) leaves rounding errors above ~1e-6 in the slower states; give method: \'rosenbrock\''],
  ['SteadyStateNoisy', 8, 'dose iteration stalled within the integrator error without an accurate periodic state (I - M\' ill-conditioned there, or a residual left)', 'dose iteration did not pin a periodic steady state: its steps stalled within the solver\'s own error, where the cycle map is too noisy (or the state too ill-conditioned) to bound the steady state, and none may exist (the dose rate exceeding the largest elimination rate); a tighter rtol may pin it (near saturation, where that state is ill-conditioned, one already at 1e-10 or below can stall on the rounding of the cycle map itself: rtol 1e-8 or 1e-9 may pin it there), and where the model switches on t at a time the solver cannot stop at (floor or ceil of t, t·t), give the doses themselves instead of SS, or write the switch as a comparison of t with a parameter or number, which the solver stops at'],
  ['SteadyStateNegative', 9, 'the periodic state found has an amount below 0 in a state that stays >= 0 over a cycle: a non-physical root', 'the steady-state solve found a negative amount: a periodic state below 0 in a compartment that stays ≥ 0 over a cycle from the state before the dose, and that the doses repeated from that state were not seen to approach, is a root of the equations, not a steady state; none may exist (the dose rate exceeding the largest elimination rate), or the doses lead to another state, or approach it neither within 3,000 cycles nor steadily enough to extrapolate: give the doses themselves instead of SS'],
];

/**
 * The built-in models, one entry each: its Kind code, the module name of its kernel
 * (assembly/models/<module>.ts) and of its descriptor (src/model/builtins/<module>.ts), and its own
 * parameter slots (after the shared P slots, named as the model parameters they hold). From this
 * list the script also writes the kernel dispatch (assembly/models/dispatch.generated.ts) and the
 * TypeScript registry (src/model/builtins/index.generated.ts), so a new built-in model is its kernel
 * file, its descriptor file and one entry here.
 *
 * A kernel module exports states(ncmt, depot) (0 for a layout it does not have), rhs(ncmt, depot,
 * t, y, p, dy) and jac(ncmt, depot, n, t, y, p, J), all @inline; optionally init(depot, p, y)
 * (state before any dose, else 0), dt(t, y, p, ft) (df/dt: the model depends on t explicitly),
 * free(depot, y, p) (ObsMode.Free) and effect(n, y, p) (ObsMode.Effect).
 */
const BUILTINS = [
  { kind: 'Linear', code: 1, module: 'linear', doc: '1-3 compartment mammillary, optional depot; analytic or ODE' },
  { kind: 'MichaelisMenten', code: 2, module: 'mm', doc: '1 compartment, optional depot, Vmax/Km elimination plus optional linear k10', table: 'PMm', slots: [['V', 6], ['VMAX', 7, 'amount/time'], ['KM', 8, 'concentration']] },
  { kind: 'Tmdd', code: 3, module: 'tmdd', doc: 'full target-mediated disposition (Mager & Jusko 2001)', table: 'PTmdd', slots: [['V', 6], ['KON', 7], ['KOFF', 8], ['KINT', 9], ['KSYN', 10], ['KDEG', 11]] },
  // KSS takes KON's slot; slot 8 is unused so that KINT, KSYN, KDEG stay where full TMDD has them
  { kind: 'TmddQss', code: 4, module: 'tmddqss', doc: 'quasi-steady-state TMDD (Gibiansky et al. 2008)', table: 'PTmddQss', slots: [['V', 6], ['KSS', 7], ['KINT', 9], ['KSYN', 10], ['KDEG', 11]] },
  { kind: 'Effect', code: 5, module: 'effect', doc: 'linear PK + effect compartment, sigmoid Emax response', table: 'PEffect', slots: [['V', 6], ['KE0', 7], ['E0', 8], ['EMAX', 9], ['EC50', 10], ['GAMMA', 11]] },
  { kind: 'Claret', code: 6, module: 'claret', doc: 'Claret tumour growth inhibition (Claret et al. 2009)', table: 'PClaret', slots: [['BASE', 6], ['KG', 7], ['KS0', 8], ['GAMMA', 9], ['DOSE', 10]] },
];

/** Model kinds (structure of the right-hand side): the built-ins, and the compiled model text. */
const KIND = [
  ...BUILTINS.map((b) => [b.kind, b.code, b.doc]),
  ['User', 7, 'compiled from a model text (assembly/models/user.ts is replaced at compile time)'],
];

/** Event types of the flat event table walked by the driver. */
const EV = [
  ['Obs', 0, 'write an output row (state after every earlier event at this time)'],
  ['Bolus', 1, 'add amt to cmt'],
  ['Rate', 2, "add rate (may be negative) to cmt's zero-order input"],
  ['Reset', 3, 'state to its initial value, all inputs off'],
  ['SteadyState', 4, 'ss=1, after a reset: the state becomes the periodic solution'],
  ['Params', 5, 'no state change; marks a parameter-set boundary (NOCB/LOCF) or a time the equations switch at, for the ODE segmenter'],
  ['SteadyStateAdd', 6, "ss=2: add the dose-driven part of the periodic solution (its state less the undosed one's) to the state"],
];

/**
 * Operations of the model-text interpreter (assembly/models/program.ts), emitted by
 * src/model/text/bytecode.ts: 5 i32 words per instruction (op, dst, a, b, c) over f64 registers.
 */
const PROGRAM_OP = [
  ['End', 0, 'end of a program'], ['LoadY', 1, 'dst = y[a]'], ['LoadP', 2, 'dst = p[a]'], ['LoadT', 3, 'dst = t'], ['Const', 4, 'dst = constants[a]'],
  ['Add', 5, 'dst = a + b'], ['Sub', 6, 'dst = a - b'], ['Mul', 7, 'dst = a * b'], ['Div', 8, 'dst = a / b'], ['Neg', 9, 'dst = -a'], ['Not', 10, 'dst = a == 0'],
  ['Select', 11, 'dst = a != 0 ? b : c'], ['Eq', 12, ''], ['Ne', 13, ''], ['Lt', 14, ''], ['Le', 15, ''], ['Gt', 16, ''], ['Ge', 17, ''],
  ['And', 18, 'dst = a != 0 && b != 0'], ['Or', 19, 'dst = a != 0 || b != 0'],
  ['Exp', 20, ''], ['Log', 21, ''], ['Log10', 22, ''], ['Sqrt', 23, ''], ['Abs', 24, ''], ['Floor', 25, ''], ['Ceil', 26, ''],
  ['Min', 27, ''], ['Max', 28, ''], ['Pow', 29, ''], ['Square', 30, 'dst = a * a'], ['Store', 31, 'out[a] = b'], ['Return', 32, 'observe: the value of register a'],
];
/** Sizes of the interpreter's buffers (static data of the shipped engine). */
const PROGRAM_CODE_WORDS = 65536;
const PROGRAM_CONSTANTS = 4096;
const PROGRAM_REGISTERS = 8192;
const programDoc = "Sizes of the model-text interpreter's buffers: code words (i32), constants and registers (f64).";

/** Solver choice. */
const METHOD = [
  ['Analytic', 0, ''],
  ['Dopri5', 1, ''],
  ['Rosenbrock', 2, ''],
  ['Auto', 3, "Dormand-Prince while the problem is not stiff, RODAS4 for the rest of the subject from the segment where Hairer's stiffness test fires"],
  ['Dop853', 4, "Hairer's explicit DOP853, order 8 with 7th-order dense output: fewer steps than Dormand-Prince at tight tolerances"],
  ['AutoDop853', 5, "DOP853 while the problem is not stiff, RODAS4 for the rest of the subject from the segment where dop853.f's stiffness test fires (the MAP objective's default for ODE models)"],
  ['AutoTight', 6, "'auto' at tight tolerances: DOP853 while its steps are held by accuracy; from the segment where they are held by stability, the rest of the subject as Auto (Dormand-Prince, RODAS4 once stiff); RODAS4 where dop853.f's stiffness test fires first"],
  ['Taylor', 7, "Taylor series of high order (coefficients by automatic differentiation, Jorba & Zou 2005) for the Michaelis-Menten built-in kind only"],
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
 * as SHARED_BLOCK·(n + nDt·(2n² + n)) doubles. 64 keeps a block's states and output rows in cache.
 */
const SHARED_BLOCK = 64;

/** Outcome of the dose-banding optimizer (assembly/banding.ts, bandOptimize). */
const BAND_STATUS = [
  ['Ok', 0, ''],
  ['NoSubject', 1, 'no subject has a finite banding value and dose interval'],
  ['TooFewGroups', 2, 'more bands than candidate groups'],
  ['Infeasible', 3, 'no available dose puts any subject within the target (the fixed-dose outcomes are written)'],
];

/** Candidate cuts of the dose-banding optimizer. */
const BAND_CUTS = [
  ['Distinct', 0, 'every boundary between distinct banding values'],
  ['Quantile', 1, 'at most `param` quantiles, when there are more distinct values'],
  ['Step', 2, 'multiples of `param`'],
];

/** Order of the band doses along the banding variable. */
const BAND_ORDER = [
  ['Any', 0, 'any dose in any band (the exact optimum may alternate on sampling noise)'],
  ['Monotone', 1, 'rising or falling with the banding value, whichever puts more subjects in the window (rising on a tie)'],
  ['Rising', 2, 'each band a dose at least that of the band below'],
  ['Falling', 3, 'each band a dose at most that of the band below'],
];

/**
 * bandOptimize()'s record: BAND_HEAD doubles (valid subjects, groups, distinct values, cut mode
 * used, subjects in the window, bands after merging, best single dose index, dose order used), then
 * per dose its subjects within and below the target, then BAND_FIELDS per band (from, to — NaN:
 * open —, min, max, dose index, subjects, within, below).
 */
const BAND_HEAD = 8;
const BAND_FIELDS = 8;
const bandDoc = "bandOptimize()'s record: BAND_HEAD doubles (valid subjects, groups, distinct values, cut mode used, subjects in the window, bands after merging, best single dose index, dose order used), then 2 per dose (within, below), then BAND_FIELDS per band (from, to (NaN: open), min, max, dose index, subjects, within, below).";

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
const KIND_SLOTS = BUILTINS.filter((b) => b.slots).map((b) => [b.table, b.kind, b.slots]);

function check() {
  const unique = (name, rows) => {
    const codes = rows.map((r) => r[1]);
    if (new Set(codes).size !== codes.length) throw new Error(`${name}: duplicate code`);
  };
  for (const [name, rows] of Object.entries({ STATUS, KIND, EV, METHOD, METRIC, OBS_MODE, P })) unique(name, rows);
  for (const key of ['kind', 'module']) {
    const v = BUILTINS.map((b) => b[key]);
    if (new Set(v).size !== v.length) throw new Error(`BUILTINS: duplicate ${key}`);
  }
  for (const b of BUILTINS) if (!/^[a-z][a-z0-9]*$/.test(b.module)) throw new Error(`${b.kind}: module ${b.module} is not a lower-case identifier`);
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

/** Entry points a kernel module must export, and those it may. */
const KERNEL_REQUIRED = ['states', 'rhs', 'jac'];
const KERNEL_OPTIONAL = ['init', 'dt', 'free', 'effect'];

/** The entry points assembly/models/<module>.ts exports (read from its text). */
function kernelExports(module) {
  const file = join(root, 'assembly', 'models', `${module}.ts`);
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file}: missing (the kernel of a BUILTINS entry)`);
  }
  const names = new Set([...text.matchAll(/^export function (\w+)/gm)].map((m) => m[1]));
  for (const n of KERNEL_REQUIRED) if (!names.has(n)) throw new Error(`${file}: does not export function ${n}`);
  return new Set([...KERNEL_REQUIRED, ...KERNEL_OPTIONAL].filter((n) => names.has(n)));
}

/**
 * The AssemblyScript dispatch: one switch per kernel entry point over every built-in kind and the
 * user slot, each case an inline call, so dispatching costs what the hand-written switches did.
 */
function dispatchSource() {
  const mods = BUILTINS.map((b) => ({ ...b, has: kernelExports(b.module) }));
  const inline = ['// @ts-ignore: decorator', '@inline'];
  const sw = (cases, fallback) => [...(cases.length ? ['  switch (kind) {', ...cases, '  }'] : []), `  ${fallback}`, '}'];
  const with_ = (fn) => mods.filter((m) => m.has.has(fn));
  return [
    HEADER,
    '// The model dispatch of assembly/models/rhs.ts: one switch per kernel entry point over the built-in',
    '// kinds of scripts/gen-abi.mjs (BUILTINS) and the user slot, every case an inline call.',
    'import { Kind } from "../abi";',
    ...mods.map((m) => `import * as ${m.module} from "./${m.module}";`),
    'import { userStates, userAutonomous, userRhs, userJac, userDt, userInit } from "./user";',
    '',
    '/** States of the layout (depot 0 or 1), 0 if the kind does not have it. */',
    ...inline,
    'export function kindStates(kind: i32, ncmt: i32, depot: i32): i32 {',
    ...sw([...mods.map((m) => `    case Kind.${m.kind}:\n      return ${m.module}.states(ncmt, depot);`), '    case Kind.User:\n      return userStates(); // 0 in the shipped engine until a kernel\'s code is loaded'], 'return 0;'),
    '',
    '/** Whether f does not depend on t explicitly (the kinds with a dt are the ones that do). */',
    ...inline,
    'export function kindAutonomous(kind: i32): bool {',
    `  return ${[...with_('dt').map((m) => `kind != Kind.${m.kind}`), '(kind != Kind.User || userAutonomous())'].join(' && ')};`,
    '}',
    '',
    '/** dy = f(t, y; p); returns the number of states written (0 for an unknown kind). */',
    ...inline,
    'export function kindRhs(kind: i32, ncmt: i32, depot: i32, t: f64, y: usize, p: usize, dy: usize): i32 {',
    ...sw(
      [
        ...mods.map((m) => `    case Kind.${m.kind}:\n      ${m.module}.rhs(ncmt, depot, t, y, p, dy);\n      return ${m.module}.states(ncmt, depot);`),
        '    case Kind.User:\n      userRhs(t, y, p, dy);\n      return userStates();',
      ],
      'return 0;',
    ),
    '',
    '/** Jacobian entries into the zeroed row-major n x n matrix J. */',
    ...inline,
    'export function kindJac(kind: i32, ncmt: i32, depot: i32, n: i32, t: f64, y: usize, p: usize, J: usize): void {',
    ...sw([...mods.map((m) => `    case Kind.${m.kind}:\n      ${m.module}.jac(ncmt, depot, n, t, y, p, J);\n      break;`), '    case Kind.User:\n      userJac(t, y, p, J);\n      break;'], 'return;'),
    '',
    '/** ft = df/dt for a kind that depends on t explicitly; false for the others (their df/dt is zero). */',
    ...inline,
    'export function kindDt(kind: i32, t: f64, y: usize, p: usize, ft: usize): bool {',
    ...with_('dt').flatMap((m) => [`  if (kind == Kind.${m.kind}) {`, `    ${m.module}.dt(t, y, p, ft);`, '    return true;', '  }']),
    '  if (kind == Kind.User && !userAutonomous()) {',
    '    userDt(t, y, p, ft);',
    '    return true;',
    '  }',
    '  return false;',
    '}',
    '',
    '/** Initial state of the kinds that do not start at zero, into the zeroed y. */',
    ...inline,
    'export function kindInit(kind: i32, ncmt: i32, depot: i32, p: usize, y: usize): void {',
    ...sw([...with_('init').map((m) => `    case Kind.${m.kind}:\n      ${m.module}.init(ncmt, depot, p, y);\n      break;`), '    case Kind.User:\n      userInit(p, y);\n      break;'], 'return;'),
    '',
    '/** Free concentration (ObsMode.Free), NaN for a kind that does not define it. */',
    ...inline,
    'export function kindFree(kind: i32, ncmt: i32, depot: i32, y: usize, p: usize): f64 {',
    ...sw(with_('free').map((m) => `    case Kind.${m.kind}:\n      return ${m.module}.free(ncmt, depot, y, p);`), 'return NaN;'),
    '',
    '/** Effect response (ObsMode.Effect) of an n-state layout, NaN for a kind that does not define it. */',
    ...inline,
    'export function kindEffect(kind: i32, ncmt: i32, depot: i32, n: i32, y: usize, p: usize): f64 {',
    ...sw(with_('effect').map((m) => `    case Kind.${m.kind}:\n      return ${m.module}.effect(ncmt, depot, n, y, p);`), 'return NaN;'),
    '',
  ].join('\n');
}

/** The TypeScript registry: every built-in descriptor with its kernel code, in Kind order. */
function registrySource() {
  const id = (m) => `${m}Model`;
  return [
    HEADER,
    "import { Kind } from '../../abi.generated.js';",
    ...BUILTINS.map((b) => `import { descriptor as ${id(b.module)} } from './${b.module}.js';`),
    '',
    '/** Every built-in model (scripts/gen-abi.mjs, BUILTINS), in Kind order: its descriptor, kernel code and module name. */',
    'export const BUILTINS = [',
    ...BUILTINS.map((b) => `  { ...${id(b.module)}, code: Kind.${b.kind}, module: '${b.module}' },`),
    '] as const;',
    '',
  ].join('\n');
}

export function generate() {
  check();
  const strideDoc = 'Doubles per parameter set of the built-in kinds: linear rate constants at 0..5 (shared by every kind with a linear block, so the other kinds reuse its right-hand side), each kind\'s own values from 6, the observation fields at 13..15 (read by the driver without dispatching on the kind).';
  const sharedDoc = 'Subjects per block of the population fast path: the host sizes its work buffer as SHARED_BLOCK·(n + nDt·(2n² + n)) doubles.';
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
    asEnum('Outcome of the dose-banding optimizer (assembly/banding.ts).', 'BandStatus', BAND_STATUS),
    '',
    asEnum('Candidate cuts of the dose-banding optimizer.', 'BandCuts', BAND_CUTS),
    asEnum('Order of the band doses along the banding variable.', 'BandOrder', BAND_ORDER),
    `/** ${bandDoc} */`,
    `export const BAND_HEAD: i32 = ${BAND_HEAD};`,
    `export const BAND_FIELDS: i32 = ${BAND_FIELDS};`,
    '',
    asEnum('Operations of the model-text interpreter (5 i32 words per instruction: op, dst, a, b, c).', 'ProgramOp', PROGRAM_OP),
    `/** ${programDoc} */`,
    `export const PROGRAM_CODE_WORDS: i32 = ${PROGRAM_CODE_WORDS};`,
    `export const PROGRAM_CONSTANTS: i32 = ${PROGRAM_CONSTANTS};`,
    `export const PROGRAM_REGISTERS: i32 = ${PROGRAM_REGISTERS};`,
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
    tsObject('Outcome of the dose-banding optimizer (assembly/banding.ts).', 'BandStatus', BAND_STATUS),
    '',
    tsObject('Candidate cuts of the dose-banding optimizer.', 'BandCuts', BAND_CUTS),
    tsObject('Order of the band doses along the banding variable.', 'BandOrder', BAND_ORDER),
    `/** ${bandDoc} */`,
    `export const BAND_HEAD = ${BAND_HEAD};`,
    `export const BAND_FIELDS = ${BAND_FIELDS};`,
    '',
    tsObject('Operations of the model-text interpreter (5 i32 words per instruction: op, dst, a, b, c).', 'ProgramOp', PROGRAM_OP),
    `/** ${programDoc} */`,
    `export const PROGRAM_CODE_WORDS = ${PROGRAM_CODE_WORDS};`,
    `export const PROGRAM_CONSTANTS = ${PROGRAM_CONSTANTS};`,
    `export const PROGRAM_REGISTERS = ${PROGRAM_REGISTERS};`,
    '',
  ].join('\n');
  return { as, ts, dispatch: dispatchSource(), registry: registrySource() };
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUTS = {
  as: join(root, 'assembly', 'abi.generated.ts'),
  ts: join(root, 'src', 'abi.generated.ts'),
  dispatch: join(root, 'assembly', 'models', 'dispatch.generated.ts'),
  registry: join(root, 'src', 'model', 'builtins', 'index.generated.ts'),
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = generate();
  if (process.argv.includes('--check')) {
    let stale = false;
    for (const k of Object.keys(OUTPUTS)) {
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
  for (const k of Object.keys(OUTPUTS)) {
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
