// W-gp — the general simulate() path: 2,000 W-b subjects, EACH WITH ITS OWN RECORDS (28 explicit
// dose records and 337 observation records per ID, CL/V/KA as data items on every record, as a
// data file gives them), through simulate() with the analytic method and with dopri5. The ODE
// figure is compared with the shared-regimen path (W-b's one compiled table, each subject its own
// parameter set) on the same subjects; both paths must give the same predictions.

import { layoutByDesign, resolveMethod, simulate } from '../src/engine/simulate.js';
import { engine } from '../src/engine/load.js';
import { solverSetup } from '../src/engine/problem.js';
import { solveDesigns } from '../src/engine/design-solve.js';
import type { DesignLayout } from '../src/engine/design-groups.js';
import type { DataRecord } from '../src/regimen/record.js';
import { Chunker, type Figure, type Population, type RunContext, type Workload, WB, must, relErr, timeTasks, wbPopulation } from './common.js';

export const N_GP = 2_000;
export const TARGET_GP_ANALYTIC = 100_000;
export const TARGET_GP_ODE_RATIO = 1.5;

/** Each subject's records as a data file gives them: doses and observations in time order, items on every row. */
export function gpRecords(pop: Population): DataRecord[] {
  const out: DataRecord[] = [];
  let row = 1;
  for (let s = 0; s < pop.n; s++) {
    const id = s + 1;
    const own: DataRecord[] = [];
    const items = (): Record<string, number> => ({ CL: pop.cl[s] as number, V: pop.v[s] as number, KA: pop.ka[s] as number });
    const rec = (time: number, evid: number, amt: number, cmt: number): DataRecord => ({ row: 0, ID: id, TIME: time, EVID: evid, AMT: amt, CMT: cmt, RATE: 0, ADDL: 0, II: 0, SS: 0, DV: 0, MDV: evid === 0 ? 0 : 1, items: items() });
    for (let d = 0; d < WB.nDoses; d++) own.push(rec(d * WB.tau, 1, WB.dose, 1));
    for (let t = 0; t <= WB.tEnd; t++) own.push(rec(t, 0, 0, 2));
    // a dose before the observation at its time, as W-b's ADDL doses act before the records at theirs
    own.sort((a, b) => a.TIME - b.TIME || b.EVID - a.EVID);
    for (const r of own) out.push({ ...r, row: row++ });
  }
  return out;
}

/** A layout by design with arrays of its own. */
function copyLayout(d: DesignLayout): DesignLayout {
  const ev = d.events;
  return {
    ...d,
    base: d.base.slice(),
    design: d.design.slice(),
    parBase: d.parBase.slice(),
    params: d.params.slice(),
    events: { n: ev.n, time: ev.time.slice(), type: ev.type.slice(), cmt: ev.cmt.slice(), amt: ev.amt.slice(), rate: ev.rate.slice(), ii: ev.ii.slice(), dur: ev.dur.slice(), phase: ev.phase.slice(), count: ev.count.slice(), par: ev.par.slice(), out: ev.out.slice() },
  };
}

/** Output rows of the observations of a subject's own records (its dose records are rows too). */
function observationRows(records: readonly DataRecord[], s: number, perSubject: number): number[] {
  const rows: number[] = [];
  for (let i = s * perSubject; i < (s + 1) * perSubject; i++) if ((records[i] as DataRecord).EVID === 0) rows.push(i);
  return rows;
}

export const wgp: Workload = {
  id: 'w-gp',
  // the records' reading is memory-bound and its collections scale with the heap: in the full run's
  // process, after the other workloads, the same calls took 2.3× as long (bench notes in the README)
  isolated: true,
  title: `W-gp general simulate() path, ${N_GP.toLocaleString('en-US')} W-b subjects each with own records (analytic, dopri5 vs shared regimen), one thread`,
  async run(_ctx: RunContext) {
    const pop = wbPopulation(N_GP);
    const model = pop.model;
    const records = gpRecords(pop);
    const perSubject = records.length / N_GP;
    const eng = engine();
    const opts = (method: 'analytic' | 'dopri5') => ({ method, amounts: false, rtol: WB.rtol, atol: WB.atol }) as const;
    const shared = new Chunker(pop, 'dopri5');
    const sharedAnalytic = new Chunker(pop, 'analytic');

    // both paths give the same predictions (every observation of every subject) before anything is timed
    const check: Record<string, number> = {};
    for (const [m, chunker] of [['analytic', sharedAnalytic], ['dopri5', shared]] as const) {
      const general = simulate(model, records, opts(m)).ipred;
      let worst = 0;
      chunker.runAll(eng, N_GP, N_GP, (_from, obs) => {
        for (let s = 0; s < N_GP; s++) {
          const rows = observationRows(records, s, perSubject);
          rows.forEach((r, k) => (worst = Math.max(worst, relErr(general[r] as number, obs[s * pop.nOut + (pop.obsRows[k] as number)] as number))));
        }
      });
      if (!(worst <= 1e-8)) throw new Error(`W-gp check failed (${m}): general and shared-regimen paths differ by ${worst.toExponential(2)} > 1e-8`);
      check[`${m}_max_rel_diff_vs_shared`] = worst;
    }

    // the engine call alone, on a copy of simulate()'s layout (its staging arrays are reused by every call)
    const design = layoutByDesign(model, records, opts('analytic'));
    if (!design) throw new Error('W-gp: the records were not laid out by design');
    const layout = copyLayout(design);
    const solver = solverSetup(model, resolveMethod(model, 'analytic'), WB.rtol, WB.atol);
    const t = timeTasks(
      [
        ['analytic', () => simulate(model, records, opts('analytic'))],
        ['analytic layout', () => layoutByDesign(model, records, opts('analytic'))],
        ['analytic engine call', () => solveDesigns(layout, solver, false, eng)],
        ['dopri5', () => simulate(model, records, opts('dopri5'))],
        ['dopri5 shared', () => shared.runAll(eng, N_GP, N_GP)],
      ],
      { iterations: 5, timeMs: 0, warmupIterations: 1, warmupTimeMs: 0, clock: 'cpu' },
    );
    // page faults per simulate() call: fresh result memory faulted in (src/engine/freed-pages.ts)
    const f0 = process.resourceUsage().minorPageFault;
    for (let i = 0; i < 5; i++) simulate(model, records, opts('analytic'));
    const faultsPerCall = (process.resourceUsage().minorPageFault - f0) / 5;
    const ta = must(t.get('analytic'), 'analytic timing');
    const tl = must(t.get('analytic layout'), 'layout timing');
    const te = must(t.get('analytic engine call'), 'engine call timing');
    const td = must(t.get('dopri5'), 'dopri5 timing');
    const tds = must(t.get('dopri5 shared'), 'shared dopri5 timing');
    const perS = (ms: number): number => N_GP / (ms / 1000);
    const ratio = td.medianMs / tds.medianMs;
    const figures: Figure[] = [
      {
        key: 'wgp.analytic.subjects_per_s',
        label: `simulate() analytic, ${N_GP.toLocaleString('en-US')} IDs × ${perSubject} own records`,
        value: perS(ta.medianMs),
        unit: 'subjects/s',
        target: { min: TARGET_GP_ANALYTIC, text: '≥ 100,000/s' },
        note:
          `records → layout by design (read, evaluate, compile each design once) alone ${Math.round(perS(tl.medianMs)).toLocaleString('en-US')}/s ` +
          `(${((tl.medianMs / N_GP) * 1e3).toFixed(1)} µs/subject); the engine call alone (copy in, analytic walk, copy out; ${layout.designs.length} design(s)) ` +
          `${Math.round(perS(te.medianMs)).toLocaleString('en-US')}/s (${((te.medianMs / N_GP) * 1e3).toFixed(1)} µs/subject); ` +
          `${faultsPerCall.toFixed(1)} page faults per call (the ${((N_GP * perSubject * 8) / 1e6).toFixed(1)} MB result is ${Math.round((N_GP * perSubject * 8) / 4096)} pages)`,
      },
      {
        key: 'wgp.dopri5.subjects_per_s',
        label: `simulate() dopri5 (rtol 1e-8, atol 1e-10), same IDs`,
        value: perS(td.medianMs),
        unit: 'subjects/s',
      },
      {
        key: 'wgp.dopri5.shared.subjects_per_s',
        label: 'dopri5 shared-regimen path (one table, own parameter sets), same subjects',
        value: perS(tds.medianMs),
        unit: 'subjects/s',
      },
      {
        key: 'wgp.dopri5.ratio_to_shared',
        label: 'dopri5: general path time / shared-regimen path time',
        value: ratio,
        unit: '×',
        target: { max: TARGET_GP_ODE_RATIO, text: '≤ 1.5×' },
      },
    ];
    return {
      id: 'w-gp',
      title: this.title,
      figures,
      details: {
        n: N_GP,
        records_per_subject: perSubject,
        seed: WB.seed,
        check,
        page_faults_per_simulate: faultsPerCall,
        timings_ms: { analytic: ta, analytic_layout: tl, analytic_engine_call: te, dopri5: td, dopri5_shared: tds },
        ns_per_subject: {
          analytic: (ta.medianMs * 1e6) / N_GP,
          analytic_layout: (tl.medianMs * 1e6) / N_GP,
          analytic_engine_call: (te.medianMs * 1e6) / N_GP,
          dopri5: (td.medianMs * 1e6) / N_GP,
          dopri5_shared: (tds.medianMs * 1e6) / N_GP,
        },
      },
    };
  },
};
