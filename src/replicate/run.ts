// Replicates of a whole data set: every subject with its own records and covariates, new η, κ and ε
// in each replicate (NONMEM's $SIM with SUBPROBLEMS, mrgsim() with data_set(), rxSolve() with
// nStud). Work goes out as tasks of consecutive subjects × consecutive replicates; results come back
// in task order and are handed on one block of replicates at a time, in data order, so memory stays
// flat however many replicates are asked. Subject i of replicate r draws from (seed, r, i) only:
// the output is the same bytes for any number of workers and any chunk size.

import { availableParallelism } from 'node:os';
import { Errors } from '../errors.js';
import { checkCallbacks, optionKeys, refuseUnknownKeys } from '../option-keys.js';
import { checkModel } from '../model/check-model.js';
import type { Model } from '../model/model.js';
import { blqFlag, dataItem, refuseBlqLimit, refuseOtherDvid, type DataRecord } from '../regimen/record.js';
import { refuseLooseItems } from '../regimen/loose-items.js';
import { refuseLookalikeDoseColumns } from '../regimen/lookalike-dose-columns.js';
import { relevantNames } from '../engine/relevant-items.js';
import { compiledWorker } from '../package-path.js';
import { engine as threadEngine } from '../engine/load.js';
import { checkSolverOptions } from '../engine/solver-options.js';
import { inlinePool } from '../pool/inline.js';
import { nodePool } from '../pool/node.js';
import { checkPoolKind, type PoolFor } from '../pool/protocol.js';
import { runChunks } from '../pool/run-chunks.js';
import { seedKey } from '../population/seed.js';
import { shardRange } from '../population/study.js';
import { handleReplicateTask, unpackReplicates, type ReplicateSettings, type ReplicateTask, type ReplicateResult } from './task.js';

import { MAX_REPLICATES } from './limits.js';
import { recordOutput, recordResidual } from '../engine/outputs.js';
import { refuseFlagItems, suspectUnitWarnings } from '../model/covariate-flags.js';
import { fillUnreadBlanks, refuseBlankInputs, refusePartlyMissingItems } from '../model/partly-missing-items.js';
import { itemsReadBy, refuseTextItems } from '../regimen/text-items.js';
import { formatNumber } from '../regimen/nmtran.js';
import { concentrationsFitBetter, defaultLimit, levelsBelowInferredLimit, m1Censored, observationLimit, refuseUnreadFlags } from './censoring.js';
import { resolveMethod, simulate } from '../engine/simulate.js';
import { solverSetup } from '../engine/problem.js';
import { looseToleranceWarnings } from '../engine/loose-tolerance.js';
import { steadyStateWarnings } from '../engine/steady-state-warnings.js';
import { steadyStateRefusals } from '../engine/time-steady-state.js';
import { NO_DOSE_CODE, noDoseWarnings, SS_INFUSION_CODE, steadyInfusionWarnings } from '../regimen/dose-record-warnings.js';
import { COVARIATE_RANGE_CODE, covariateRangeWarnings } from '../regimen/covariate-ranges.js';
import { lloqScaleWarning, logLevelsLookLikeConcentrations } from '../bayes/warnings.js';
import { AMOUNT_LEVEL_CODE, amountObservationWarnings } from '../engine/amount-observations.js';
import { defaultedCovariateWarnings } from '../model/defaulted-inputs.js';
import { codeDoseDuplicates } from '../regimen/dose-duplicates.js';

export { MAX_REPLICATES };
/** Values (records × replicates) a block holds: the memory of a run is about 20 bytes × this. */
const BLOCK_VALUES = 1 << 20;
/** Tasks per worker that a default chunk size aims at. */
const TASKS_PER_WORKER = 4;

export interface ReplicateOptions extends Partial<Pick<ReplicateSettings, 'method' | 'rtol' | 'atol' | 'logDv'>> {
  /** Number of replicates (default 1). */
  readonly replicates?: number;
  /** Seed (string or number, default 1): same seed, same replicates. */
  readonly seed?: string | number;
  /** η drawn from Ω ('random', default) or all zero ('typical'); κ likewise. */
  readonly effects?: 'random' | 'typical';
  /** Individual η per ID (model.omega order), e.g. from `estimate --json`: each subject keeps its η; κ are still drawn. */
  readonly etas?: ReadonlyMap<number, readonly number[]>;
  /** Draw residual error (default true); false gives DV_SIM = IPRED. */
  readonly epsilon?: boolean;
  /** Censor simulated observations below this limit (a record's LLOQ column wins). */
  readonly lloq?: number;
  /** Worker threads (default: one per core); 0 runs on this thread. */
  readonly workers?: number;
  /** Subjects per task (default: about 4 tasks per worker). */
  readonly chunkSize?: number;
  readonly signal?: AbortSignal;
  /** Subject-replicates done and in all. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Data file name, for messages. */
  readonly file?: string;
  /** A pool to use instead of creating one. */
  readonly pool?: PoolFor<ReplicateTask, 'replicate'>;
  /** Shard `index` (0-based) of `count`: only its contiguous range of replicates (numbered as in the whole run). */
  readonly shard?: { readonly index: number; readonly count: number };
  /**
   * Most values (records × replicates) handed over at once (default 2^20): the run holds about
   * 20 bytes × this on the main thread, whatever the number of replicates.
   */
  readonly blockValues?: number;
  /**
   * The caller keeps nothing of a block once `onBlock` has returned (or its promise settled): the
   * block's memory then goes back to the workers for later blocks. Default false: every block is
   * fresh memory the caller may keep. With true, arrays kept past `onBlock` are overwritten or
   * (moved to a worker thread) emptied, so copy what you keep. Fresh memory costs a page fault
   * per 4 KB on first write (about 10 µs each on the virtual machines measured, 40–60 ms per 16 MB
   * block); README, "Worker pool scaling".
   */
  readonly reuseBlocks?: boolean;
}
export const REPLICATE_KEYS = optionKeys<ReplicateOptions>({
  method: true,
  rtol: true,
  atol: true,
  logDv: true,
  replicates: true,
  seed: true,
  effects: true,
  etas: true,
  epsilon: true,
  lloq: true,
  workers: true,
  chunkSize: true,
  signal: true,
  onProgress: true,
  file: true,
  pool: true,
  shard: true,
  blockValues: true,
  reuseBlocks: true,
});

/** Consecutive replicates of the whole data set, in data order: reps × records, replicate-major. */
export interface ReplicateBlock extends ReplicateResult {
  /** 1-based number of the block's first replicate. */
  readonly firstRep: number;
  readonly reps: number;
  /** Records per replicate (the data set's). */
  readonly records: number;
}

export interface ReplicateRun {
  readonly replicates: number;
  readonly subjects: number;
  readonly records: number;
  readonly seed: string;
  readonly effects: 'random' | 'typical' | 'given';
  readonly epsilon: boolean;
  /** Simulated observations (observation records × replicates) and how many of them fell below their LLOQ. */
  readonly observations: number;
  readonly censored: number;
  /** What the user should look at: most simulated observations censored (an LLOQ on another scale than DV). */
  readonly warnings: readonly string[];
  /** How the data were read where a reader could expect otherwise (BLQ rows with MDV 1 simulated as censored observations). */
  readonly notes: readonly string[];
}

/** Censored fraction from which a run warns: the limit is likely on another scale than DV. */
export const CENSORED_WARN_FRACTION = 0.5;

/** Runs of records with the same ID (NONMEM: a new individual wherever ID changes). */
export function subjectRuns(records: readonly DataRecord[]): number[] {
  const starts: number[] = [];
  records.forEach((r, i) => {
    if (i === 0 || r.ID !== (records[i - 1] as DataRecord).ID) starts.push(i);
  });
  starts.push(records.length);
  return starts;
}

export function replicateWorkerFile(): URL {
  return compiledWorker(import.meta.url, 'replicate');
}

let runCounter = 0;

/**
 * Simulates `replicates` replicates of the data set `records` (every ID with its own records), each
 * with new η, κ and ε, and hands them to `onBlock` a block of replicates at a time, in order.
 *
 * @example
 * const { records } = readNmtran(readFileSync('data.csv', 'utf8'));
 * await simulateReplicates(model, records, { replicates: 100, seed: 7 }, (b) => {
 *   b.dv; // b.reps × records simulated DV (NaN off observation records)
 * });
 */
export async function simulateReplicates(model: Model, data: readonly DataRecord[], o: ReplicateOptions, onBlock: (b: ReplicateBlock) => void | Promise<void>): Promise<ReplicateRun> {
  // simulateReplicates({}, {}) failed as a raw TypeError
  checkModel(model, 'simulateReplicates()');
  if (!Array.isArray(data)) throw Errors.optionValue('records', data, 'simulateReplicates(model, records, options, onBlock): records must be an array of records (readNmtran(text).records)', data === null ? 'null' : typeof data === 'object' ? 'an object, not an array' : undefined);
  if (o === undefined || o === null) throw Errors.option('options', 'simulateReplicates(model, records, options, onBlock): the options are required (give {} for the defaults)');
  refuseUnknownKeys(o, REPLICATE_KEYS, 'simulateReplicates()');
  checkCallbacks(o, ['onProgress']);
  if (typeof onBlock !== 'function') throw Errors.optionValue('onBlock', onBlock, 'simulateReplicates(model, records, options, onBlock): expected a function that takes each block of rows');
  const all = o.replicates ?? 1;
  if (!(Number.isInteger(all) && all >= 1 && all <= MAX_REPLICATES)) throw Errors.option('replicates', `replicates: expected an integer from 1 to ${MAX_REPLICATES.toLocaleString('en-US')}`, all);
  // a shard runs replicates lo+1..hi of the whole run: its rows are the whole run's, in order
  const [lo, hi] = shardRange(all, o.shard);
  const R = hi - lo;
  if (o.workers !== undefined && !(Number.isInteger(o.workers) && o.workers >= 0)) throw Errors.option('workers', `workers: expected an integer ≥ 0`, o.workers);
  if (o.chunkSize !== undefined && !(Number.isInteger(o.chunkSize) && o.chunkSize >= 1)) throw Errors.option('chunkSize', 'chunkSize: expected a positive integer', o.chunkSize);
  checkPoolKind(o.pool, 'replicate', 'simulateReplicates()');
  if (o.lloq !== undefined && !Number.isFinite(o.lloq)) throw Errors.option('lloq', 'lloq: expected a finite number', o.lloq);
  if (o.etas && o.effects === 'typical') throw Errors.option('etas', 'etas: individual η and typical subjects exclude each other');
  checkSolverOptions(o);
  if (data.length === 0) throw Errors.record(0, 'ID', undefined, 'the data set has no records');
  // the workers read the items alone: a loose { ...r, CRCL: 20 } ran the items' value without a word
  refuseLooseItems(model, data, 'records', o.file);
  // BLQ rows with MDV 1 (M1 coding) are censored observations, as vpc reads them (one function)
  const notes: string[] = [];
  const records = m1Censored(data, notes);
  // a flag column of another name (BQL, BLOQ, CENS, …) is refused as vpc refuses it (one function):
  // it was not read, and nothing was censored (0 of 160,000 where BLQ gives 1,446), exit 0
  refuseUnreadFlags(records, o.file);
  // a rate, duration or ADDL under another name (INF_RATE, DURATION, N_ADDL) ran as a bolus or one
  // dose in every replicate, as in simulate() (one function)
  refuseLookalikeDoseColumns(records, relevantNames(model), o.file);
  // a seed is a non-empty string or a finite number ({} and [] ran as "[object Object]" and ""):
  // seedKey refuses anything else, naming it
  if (o.seed !== undefined) seedKey(o.seed as string | number);
  const seed = String(o.seed ?? 1);
  const effects = o.etas ? 'given' : (o.effects ?? 'random');
  const epsilon = o.epsilon ?? true;
  if (epsilon && !model.residual && !model.outputs) throw Errors.model('residual', 'simulated observations need a residual error model: give the model one (a VPC compares observations, which carry ε); to simulate without ε, give the API option epsilon: false');
  const settings: ReplicateSettings = { effects, epsilon, lloq: o.lloq ?? NaN, logDv: o.logDv ?? true, method: o.method, rtol: o.rtol, atol: o.atol };

  // every data item of the data set (the columns of the numeric table below)
  const columnSet = new Set<string>();
  for (const r of records) for (const c of Object.keys(r.items)) columnSet.add(c);
  const columns = [...columnSet];
  // observations, and whether DV_SIM is log(concentration) on any of them (exponential error)
  const dvidColumn = !model.outputs && columns.some((c) => c.toUpperCase() === 'DVID');
  let obsPerRep = 0;
  let logScale = false;
  // observations whose DV_SIM is log(IPRED) + σ·ε: none where IPRED ≤ 0 (counted for a warning)
  const logObs: number[] = [];
  records.forEach((r, i) => {
    if (r.EVID !== 0 || r.MDV !== 0) return;
    obsPerRep++;
    // a DVID a model of one output does not have: its DV_SIM would be the drug's, with the drug's error
    if (dvidColumn) refuseOtherDvid(r, o.file);
    if (settings.logDv && recordResidual(model, r, o.file)?.model === 'exponential') {
      logScale = true;
      logObs.push(i);
    }
  });
  const logZero = { count: 0, first: -1, ipred: NaN };
  // the workers read the items as numbers only: a column of text the model reads is refused here
  refuseTextItems(records, itemsReadBy(model), o.file);
  refuseFlagItems(model, records, o.file);
  refusePartlyMissingItems(model, records, o.file);
  // a blank the model reads without a default, named by file and column as simulate names it (the
  // workers said "row 2, parameter WT: …", no file, a data column called a parameter)
  refuseBlankInputs(model, fillUnreadBlanks(model, records), o.file);
  // in concentration units a limit of quantification is > 0 (estimation's rule for BLQ limits):
  // --lloq -1 censored nothing a measurement could give, without a word
  if (o.lloq !== undefined && !logScale && !(o.lloq > 0)) throw Errors.option('lloq', 'lloq: a limit of quantification in concentration units must be > 0 (only a log-scale DV, exponential error, has limits ≤ 0)', o.lloq);
  let censored = 0;

  const starts = subjectRuns(records);
  const S = starts.length - 1;
  const nRec = records.length;
  const nEta = model.omega?.names.length ?? 0;
  let etas: Float64Array | undefined;
  if (o.etas) {
    const given = o.etas;
    etas = new Float64Array(S * nEta);
    for (let p = 0; p < S; p++) {
      const r0 = records[starts[p] as number] as DataRecord;
      const e = given.get(r0.ID);
      if (!e) throw Errors.record(r0.row, 'ID', r0.ID, 'no individual η given for this ID', o.file);
      if (e.length !== nEta || e.some((v) => !Number.isFinite(v))) throw Errors.record(r0.row, 'ID', r0.ID, `expected ${nEta} finite η (${model.omega?.names.join(', ')}), got [${e.join(', ')}]`, o.file);
      etas.set(e, p * nEta);
    }
  }

  // each observation's censoring limit, by vpc's rule (one function): its LLOQ, else the option,
  // else the one limit the BLQ rows of its output give (an LLOQ column filled on the BLQ rows alone
  // censored only those rows: 12.0 % of the simulated observations where the common limit gives 17.5 %)
  const outputOf = (r: DataRecord): number | undefined => (model.outputs ? recordOutput(model, r, o.file)?.dvid : undefined);
  const isObservation = (r: DataRecord): boolean => r.EVID === 0 && r.MDV === 0;
  const groupLimits = new Map<number | undefined, number | undefined>();
  // simulate's rule on the same options (the replicates of a Michaelis–Menten text at rtol 1e-2 were silent)
  const solver = solverSetup(model, resolveMethod(model, o.method), o.rtol, o.atol);
  // simulate's refusals of the steady states name the file as simulate's do (SS 3 in a Michaelis–
  // Menten model read 'row 1, column SS: …' alone from simulate --replicates and vpc, where simulate
  // said 'ss3mm.csv, row 1, column SS: …'); the warnings stay file-less, the command line puts the file first
  steadyStateRefusals(model, records, o.file);
  const dataWarnings: string[] = [...steadyStateWarnings(model, records), ...looseToleranceWarnings(solver.method, solver.rtol)];
  const limits = new Float64Array(nRec).fill(NaN);
  records.forEach((r, i) => {
    if (!isObservation(r)) return;
    const g = outputOf(r);
    if (!groupLimits.has(g)) {
      const inGroup = (x: DataRecord): boolean => isObservation(x) && outputOf(x) === g;
      const limit = defaultLimit(records, inGroup, o.lloq, o.file);
      groupLimits.set(g, limit);
      const low = levelsBelowInferredLimit(records, inGroup, o.lloq, limit, o.file);
      if (low) dataWarnings.push(low);
    }
    limits[i] = observationLimit(r, groupLimits.get(g), o.file);
    // vpc's refusal (one function): DV 0 on a BLQ row without an LLOQ column censored at 0 (555 of
    // 135,000 simulated observations, 0.41 %, where the assay's 0.5 gives 22.2 %) without a word
    if (o.lloq === undefined && blqFlag(r, 'BLQ', o.file)) {
      const own = dataItem(r.items, 'LLOQ');
      refuseBlqLimit(r, limits[i] as number, Number.isFinite(own) ? 'LLOQ' : 'DV', settings.logDv && recordResidual(model, r, o.file)?.model === 'exponential' ? 'log' : 'concentration', o.file, true);
    }
  });
  // a limit on the wrong scale beside log-scale DVs (estimation's W_LLOQ_SCALE, vpc's W_DV_SCALE;
  // one function each): LLOQ 0.5 mg/L beside log DVs censored 35.3 % at e^0.5, warnings []
  if (logScale && o.lloq === undefined) dataWarnings.push(...limitScaleWarnings(model, records, logObs, limits, o));
  // levels of a compartment without a scale are simulated as its amount: the command line alone said
  // so, without the code, and simulateReplicates() and vpc() returned warnings [] (estimate()'s W_LEVEL_AMOUNT)
  dataWarnings.push(...amountObservationWarnings(model, records).map((w) => `${AMOUNT_LEVEL_CODE}: ${w}`));
  // as simulate() says them (one function each): replicates of WT 300 under a model built on 40–150,
  // or of an SS 1, AMT 0, RATE 100 infusion that stops at its record, returned neither; nor did
  // replicates of records none of which is a dose (every prediction the model without drug)
  dataWarnings.push(...noDoseWarnings(model, records).map((w) => `${NO_DOSE_CODE}: ${w}`), ...steadyInfusionWarnings(records, undefined).map((w) => `${SS_INFUSION_CODE}: ${w}`), ...covariateRangeWarnings(model, records).map((w) => `${COVARIATE_RANGE_CODE}: ${w}`));
  // and the rest of simulate()'s data-set warnings, once per run: a weight column named WEIGHT (the
  // model reads WT, default 70) ran every replicate at 70 kg with warnings [], exit 0, where simulate
  // said W_COVARIATE_DEFAULT (a VPC's bin-1 p95 interval 2.671–3.138 for 4.216–5.442 with the column
  // named WT, read as mis-specified variability); likewise W_COLUMN_NOT_READ, a covariate in another
  // unit (W_WEIGHT_UNIT, W_RENAL_UNIT, …) and a dose record copied in code (W_DOSE_DUPLICATE)
  dataWarnings.push(...suspectUnitWarnings(model, records), ...defaultedCovariateWarnings(model, records), ...codeDoseDuplicates(records));
  // censoring happens only with a limit
  const limited = limits.some((x) => Number.isFinite(x));
  // one numeric table of every record; tasks take slices of it (plain loops: this thread builds it
  // before any worker starts, for every record of the data set)
  const k = columns.length;
  const rows = new Float64Array(nRec * k).fill(NaN);
  const fileRows = new Int32Array(nRec);
  for (let i = 0; i < nRec; i++) {
    const r = records[i] as DataRecord;
    const items = r.items;
    for (let j = 0; j < k; j++) {
      const v = items[columns[j] as string];
      if (v !== undefined) rows[i * k + j] = v;
    }
    fileRows[i] = r.row;
  }

  const workers = o.workers ?? availableParallelism();
  const blockValues = o.blockValues ?? BLOCK_VALUES;
  if (!(Number.isInteger(blockValues) && blockValues >= 1)) throw Errors.option('blockValues', 'blockValues: expected a positive integer', blockValues);
  // Tasks: blocks of replicates first (a task of every subject hands back a block in data order as
  // it is, with no copy on this thread), split into runs of subjects only when the replicates
  // alone make too few tasks for the workers. Workers keep the subjects they prepared, so a
  // smaller block costs little more.
  const wanted = Math.max(1, workers) * TASKS_PER_WORKER;
  const repsPerBlock = Math.max(1, Math.min(R, Math.floor(blockValues / nRec), Math.ceil(R / wanted)));
  const blocks = Math.ceil(R / repsPerBlock);
  const rep0 = lo + 1;
  const chunk = o.chunkSize ?? (blocks >= wanted ? S : Math.max(1, Math.ceil(S / Math.ceil(wanted / Math.max(1, blocks)))));
  const chunks = Math.ceil(S / chunk);

  const modelId = `replicate-${process.pid}-${++runCounter}`;
  const key = seedKey(seed);
  // buffers of blocks the caller is done with (reuseBlocks), each sent back with a later task
  const spares: ArrayBuffer[] = [];
  const task = (i: number): ReplicateTask => {
    const b = Math.floor(i / chunks);
    const c = i % chunks;
    const s0 = c * chunk;
    const s1 = Math.min(S, s0 + chunk);
    const r0 = starts[s0] as number;
    const r1 = starts[s1] as number;
    const firstRep = rep0 + b * repsPerBlock;
    return {
      kind: 'replicate',
      modelId,
      model: model.file,
      columns,
      rows: rows.slice(r0 * k, r1 * k),
      starts: Int32Array.from(starts.slice(s0, s1 + 1), (x) => x - r0),
      firstSubject: s0,
      firstRep,
      reps: Math.min(repsPerBlock, hi - firstRep + 1),
      key,
      fileRows: fileRows.slice(r0, r1),
      limits: limits.slice(r0, r1),
      etas: etas?.slice(s0 * nEta, s1 * nEta),
      settings,
      file: o.file,
      into: spares.pop(),
    };
  };

  const pool = o.pool ?? (workers === 0 || S * R < 2 ? inlinePool<ReplicateTask>((t) => handleReplicateTask(t, threadEngine)) : nodePool<ReplicateTask>(replicateWorkerFile(), workers));
  let parts: ReplicateResult[] = [];
  let buffers: ArrayBuffer[] = [];
  try {
    await runChunks(pool, {
      count: blocks * chunks,
      task,
      transfer: (t) => (t.into ? [t.into] : undefined),
      signal: o.signal,
      cancelled: 'replicate simulation cancelled',
      units: (i) => {
        const c = i % chunks;
        const b = Math.floor(i / chunks);
        return (Math.min(S, (c + 1) * chunk) - c * chunk) * Math.min(repsPerBlock, R - b * repsPerBlock);
      },
      onProgress: o.onProgress,
      onResult: async (buf, i) => {
        parts.push(unpackReplicates(buf));
        buffers.push(buf);
        if (i % chunks !== chunks - 1) return;
        const b = Math.floor(i / chunks);
        const firstRep = rep0 + b * repsPerBlock;
        const reps = Math.min(repsPerBlock, hi - firstRep + 1);
        const block = assemble(parts, firstRep, reps, nRec, chunk, starts);
        censored += blockCounts(block.ipred, block.dv, block.blq, reps, nRec, limited, logObs, logZero);
        await onBlock(block);
        if (o.reuseBlocks) spares.push(...buffers);
        parts = [];
        buffers = [];
      },
    });
  } finally {
    if (!o.pool) await pool.close();
  }
  const observations = obsPerRep * R;
  return { replicates: R, subjects: S, records: nRec, seed, effects, epsilon, observations, censored, warnings: [...dataWarnings, ...censoredWarnings(observations, censored, logScale, o.lloq), ...logZeroWarning(logZero, records)], notes };
}

/**
 * What a block adds to the run's counts: its censored values (where a limit exists) and, into z,
 * the log-scale observations left without a value (IPRED ≤ 0, DV_SIM NaN). A function of its own
 * over the block's arrays: inline in onResult, reading them through the block (an object spread
 * from a worker's result) threw its compiled code away on the main thread ("wrong map").
 */
function blockCounts(ipred: Float64Array, dv: Float64Array, blq: Int32Array, reps: number, nRec: number, limited: boolean, logObs: readonly number[], z: { count: number; first: number; ipred: number }): number {
  let censored = 0;
  if (limited) for (let x = 0; x < blq.length; x++) censored += blq[x] as number;
  for (let k = 0; k < reps; k++)
    for (let m = 0; m < logObs.length; m++) {
      const i = logObs[m] as number;
      const x = k * nRec + i;
      if (!((ipred[x] as number) > 0) && Number.isNaN(dv[x] as number)) {
        z.count++;
        if (z.first < 0 || i < z.first) {
          z.first = i;
          z.ipred = ipred[x] as number;
        }
      }
    }
  return censored;
}

/**
 * The scale of the BLQ limits beside log-scale DVs (`logObs`: the observations whose DV_SIM is a log).
 * Where a BLQ row's limit comes from its DV and the quantified DVs look like concentrations (vpc's
 * W_DV_SCALE rule), the limit is a concentration read as a log: W_DV_SCALE. Else estimation's
 * W_LLOQ_SCALE (lloqScaleWarning), over the whole data set.
 */
function limitScaleWarnings(model: Model, records: readonly DataRecord[], logObs: readonly number[], limits: Float64Array, o: ReplicateOptions): string[] {
  const blq = logObs.map((i) => blqFlag(records[i] as DataRecord, 'BLQ', o.file));
  if (!blq.some((b) => b)) return [];
  const fromDv = logObs.find((i, k) => blq[k] && !Number.isFinite(dataItem((records[i] as DataRecord).items, 'LLOQ')));
  if (fromDv !== undefined) {
    const overrides = Object.fromEntries([...(model.omega?.names ?? []), ...(model.iov?.names ?? [])].map((n) => [n, 0]));
    const typical = simulate(model, records, { method: o.method, rtol: o.rtol, atol: o.atol, amounts: false, file: o.file, overrides }).ipred;
    const dvs: number[] = [];
    const preds: number[] = [];
    logObs.forEach((i, k) => {
      if (blq[k]) return;
      dvs.push((records[i] as DataRecord).DV);
      preds.push(typical[i] as number);
    });
    const levels = logLevelsLookLikeConcentrations(dvs, preds) || concentrationsFitBetter(dvs, preds);
    if (levels > 0) {
      const r = records[fromDv] as DataRecord;
      const L = limits[fromDv] as number;
      return [
        `W_DV_SCALE: the ${levels} observed DVs look like concentrations, not their logarithms (the model's exponential error makes DV_SIM log(concentration); the logs of these DVs lie near the typical predictions, the values do not), ` +
          `and the BLQ rows give their limit in DV (first ${o.file ? `${o.file}, ` : ''}row ${r.row}, ID ${r.ID}, TIME ${formatNumber(r.TIME)}: ${formatNumber(L)}): it is read as a log, a concentration of e^${formatNumber(L)} = ${formatNumber(Math.exp(L))}. ` +
          'Take logs of DV (and of the limits) in the data, or simulate concentrations (logDv: false)',
      ];
    }
  }
  const ws = lloqScaleWarning({ records, observations: Int32Array.from(logObs), blq: Uint8Array.from(blq, Number), blqLimit: Float64Array.from(logObs, (i) => limits[i] as number), logScale: new Uint8Array(logObs.length).fill(1) });
  return ws.map((w) => `${w.code}: ${o.file ? `${o.file}, ` : ''}${w.message}`);
}

/**
 * With exponential error DV_SIM is log(IPRED) + σ·ε, which does not exist where IPRED ≤ 0 (a
 * pre-dose sample, a level before the lag time): without an LLOQ to censor it at, DV_SIM has no
 * value there ('.' in the CSV, NaN in Arrow and the API). Said once, with the count, as a gap in a
 * table must not pass for the data's own missing levels.
 */
function logZeroWarning(z: { readonly count: number; readonly first: number; readonly ipred: number }, records: readonly DataRecord[]): string[] {
  if (z.count === 0) return [];
  const r = records[z.first] as DataRecord;
  return [
    `DV_SIM has no value ('.') on ${z.count.toLocaleString('en-US')} simulated observation${z.count === 1 ? '' : 's'} whose IPRED is ≤ 0 (first: row ${r.row}, ID ${r.ID}, TIME ${formatNumber(r.TIME)}, IPRED ${formatNumber(z.ipred)}): ` +
      'with exponential error DV_SIM is log(IPRED) + σ·ε and log 0 does not exist; an LLOQ (the API option lloq, or an LLOQ column) censors them at it instead (BLQ_SIM 1).',
  ];
}

/**
 * An LLOQ is read on the scale of DV, as estimation reads it. With exponential error DV_SIM is
 * log(concentration), so `lloq: 1` censors below a concentration of e¹: said whenever the option
 * meets a log-scale DV. Most simulated observations below their LLOQ is right for a rarely
 * quantified drug, but the usual cause is a limit on another scale than DV: said too, never silently.
 */
/** The start of the warning on an `lloq` option that meets a log-scale DV (vpc passes its data's own limit there, no option). */
export const LLOQ_ON_LOG = 'With exponential error DV_SIM is log(concentration), and an LLOQ (the API option lloq, or the LLOQ column) is read on that scale, as estimation reads it';

function censoredWarnings(observations: number, censored: number, logScale: boolean, lloq: number | undefined): string[] {
  const out: string[] = [];
  const onLog = LLOQ_ON_LOG;
  if (logScale && lloq !== undefined)
    out.push(`${onLog}: lloq ${lloq} censors below a concentration of ${formatNumber(Math.exp(lloq))}${lloq > 0 ? `; for a limit of ${lloq} in concentration units give lloq ${formatNumber(Math.log(lloq))}` : ''}.`);
  if (observations > 0 && censored >= CENSORED_WARN_FRACTION * observations) {
    const pct = ((100 * censored) / observations).toFixed(censored === observations ? 0 : 1);
    const scale = logScale ? (lloq !== undefined ? '' : ` ${onLog}.`) : ' An LLOQ (the API option lloq, or the LLOQ column) is read on the scale of DV.';
    out.push(`${pct} % of the simulated observations (${censored.toLocaleString('en-US')} of ${observations.toLocaleString('en-US')}) fell below their LLOQ and were censored.${scale}`);
  }
  return out;
}
/** One block in data order from its chunks' results (each replicate-major over its own records). */
function assemble(parts: readonly ReplicateResult[], firstRep: number, reps: number, nRec: number, chunk: number, starts: readonly number[]): ReplicateBlock {
  if (parts.length === 1) return { ...(parts[0] as ReplicateResult), firstRep, reps, records: nRec };
  const ipred = new Float64Array(reps * nRec);
  const dv = new Float64Array(reps * nRec);
  const blq = new Int32Array(reps * nRec);
  const S = starts.length - 1;
  parts.forEach((p, c) => {
    const r0 = starts[c * chunk] as number;
    const n = (starts[Math.min(S, (c + 1) * chunk)] as number) - r0;
    for (let k = 0; k < reps; k++) {
      ipred.set(p.ipred.subarray(k * n, (k + 1) * n), k * nRec + r0);
      dv.set(p.dv.subarray(k * n, (k + 1) * n), k * nRec + r0);
      blq.set(p.blq.subarray(k * n, (k + 1) * n), k * nRec + r0);
    }
  });
  return { ipred, dv, blq, firstRep, reps, records: nRec };
}
