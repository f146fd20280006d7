// An example report with every chart and table on realistic vancomycin-like numbers (closed-form
// one-compartment infusion model; no engine needed), for tests and for looking at the output.

import { bandTable, concentrationChart, forestPlot, histogramChart, htmlReport, ptaChart, strategyChart } from '../../../src/report/index.js';

/** Deterministic uniform stream (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u());
}

/** One-compartment, zero-order infusion `tinf` h of `dose` mg every `tau` h, CL L/h, V L: C(t) mg/L. */
export function conc(t: number, dose: number, tau: number, tinf: number, cl: number, v: number, nDoses: number): number {
  const k = cl / v;
  const r = dose / tinf;
  let c = 0;
  for (let n = 0; n < nDoses; n++) {
    const t0 = n * tau;
    if (t <= t0) break;
    const s = t - t0;
    if (s <= tinf) c += (r / cl) * (1 - Math.exp(-k * s));
    else c += (r / cl) * (1 - Math.exp(-k * tinf)) * Math.exp(-k * (s - tinf));
  }
  return c;
}

export function exampleReport(): string {
  const dose = 1000;
  const tau = 12;
  const tinf = 1;
  const nd = 4;
  const u = rng(7);
  // Credible band from a small posterior sample of (CL, V).
  const draws = Array.from({ length: 200 }, () => ({ cl: 3.2 * Math.exp(0.18 * normal(u)), v: 52 * Math.exp(0.12 * normal(u)) }));
  const curve = [];
  for (let t = 0; t <= 48; t += 0.5) {
    const cs = draws.map((d) => conc(t, dose, tau, tinf, d.cl, d.v, nd)).sort((a, b) => a - b);
    curve.push({ t, c: conc(t, dose, tau, tinf, 3.2, 52, nd), lo: cs[Math.floor(0.05 * cs.length)] as number, hi: cs[Math.floor(0.95 * cs.length)] as number });
  }
  const concentration = concentrationChart(
    {
      curve,
      observations: [
        { t: 11.5, c: 12.4, label: 'Trough' },
        { t: 25, c: 31.8, label: 'Peak' },
      ],
      target: { lo: 10, hi: 20, label: 'Trough target 10–20 mg/L' },
      doses: Array.from({ length: nd }, (_, i) => ({ t: i * tau, label: `${dose} mg` })),
    },
    { title: 'Example patient: MAP forecast', timeUnit: 'h', concentrationUnit: 'mg/L', curveLabel: 'MAP prediction', bandLabel: '90% credible band', id: 'conc' },
  );

  const auc: number[] = [];
  for (let i = 0; i < 5000; i++) auc.push((2000 / (3.4 * Math.exp(0.3 * normal(u)))) * 1);
  const histogram = histogramChart({ values: auc }, { title: 'AUC24 under a fixed 1000 mg q12h dose', target: { lo: 400, hi: 600 }, xLabel: 'AUC24', unit: 'mg·h/L', id: 'hist' });

  const strata = ['CrCL < 30', 'CrCL 30–60', 'CrCL 60–90', 'CrCL ≥ 90'];
  const doses = [500, 750, 1000, 1250, 1500, 1750, 2000, 2500, 3000];
  const pta = ptaChart(
    strata.map((label, s) => ({
      label,
      points: doses.map((d) => {
        const p = 1 / (1 + Math.exp(-(d - (600 + 450 * s)) / 180));
        return { dose: d, pta: p, lo: Math.max(0, p - 0.03), hi: Math.min(1, p + 0.03) };
      }),
    })),
    { title: 'PTA (AUC24 ≥ 400) by renal function', xLabel: 'Daily dose', doseUnit: 'mg', target: 0.9, xTicks: doses, id: 'pta' },
  );

  const forest = forestPlot(
    [
      { label: 'Rifampicin (CL × 1.8)', ratio: 0.56, lo: 0.48, hi: 0.65 },
      { label: 'High-fat meal (F)', ratio: 1.08, lo: 0.95, hi: 1.22 },
      { label: 'Fluconazole (CL × 0.7)', ratio: 1.43, lo: 1.2, hi: 1.7 },
      { label: 'Proton-pump inhibitor (F)', ratio: 0.9, lo: 0.76, hi: 1.07 },
      { label: 'Weight-based V <& "quoted"', ratio: 1, lo: 1, hi: 1 },
    ],
    { title: 'Clinical relevance of interactions', id: 'forest' },
  );

  const strategies = strategyChart(
    [
      { label: 'Fixed 1000 mg q12h', fracBelow: 0.31, fracIn: 0.38, fracAbove: 0.31 },
      { label: 'Weight/eGFR bands', fracBelow: 0.2, fracIn: 0.56, fracAbove: 0.24 },
      { label: 'A-priori model-informed', fracBelow: 0.15, fracIn: 0.66, fracAbove: 0.19 },
      { label: 'MAP after one trough', fracBelow: 0.06, fracIn: 0.86, fracAbove: 0.08 },
    ],
    { title: 'Patients within AUC24 400–600 mg·h/L', windowLabel: 'AUC24 400–600 mg·h/L', id: 'strategies' },
  );

  const table = bandTable(
    [
      { from: null, to: 50, dose: 750, n: 12034, fracIn: 0.58, fracBelow: 0.2, fracAbove: 0.22 },
      { from: 50, to: 70, dose: 1000, n: 38012, fracIn: 0.61, fracBelow: 0.19, fracAbove: 0.2 },
      { from: 70, to: 90, dose: 1250, n: 33110, fracIn: 0.6, fracBelow: 0.21, fracAbove: 0.19 },
      { from: 90, to: null, dose: 1500, n: 16844, fracIn: 0.55, fracBelow: 0.25, fracAbove: 0.2 },
    ],
    { by: 'Weight', byUnit: 'kg', doseUnit: 'mg q12h', caption: 'Weight bands (optimised cuts)', overall: { n: 100000, fracIn: 0.594, fracBelow: 0.207, fracAbove: 0.199 } },
  );

  return htmlReport({
    title: 'Vancomycin dosing study',
    subtitle: '100,000 virtual adults · target AUC24 400–600 mg·h/L',
    generatedBy: 'dosewise 0.1.0 (report example)',
    timestamp: '2025-01-01T00:00:00Z',
    sections: [
      { heading: 'Strategies', text: 'Share of patients below, within and above the AUC24 window for each dosing strategy.', svg: strategies },
      { heading: 'Exposure under a fixed dose', text: 'Distribution of AUC24 with the target window shaded.', svg: histogram },
      { heading: 'Dose bands', text: 'Weight bands and their doses.', table },
      { heading: 'Probability of target attainment', svg: pta },
      { heading: 'Example patient', text: 'MAP estimate after one trough level.\n\nThe band is the 90% credible interval.', svg: concentration },
      { heading: 'Interactions', svg: forest },
    ],
  });
}
