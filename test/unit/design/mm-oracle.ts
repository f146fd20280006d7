// The Michaelis–Menten test model of the design tests, and an independent oracle of its steady
// state: dA/dt = R(t) − VMAX·C/(KM + C), C = A/V, a 1-h infusion of `dose` (mg) every `tau` h.

/** One-compartment Michaelis–Menten elimination, VMAX = 100·e^η mg/h, KM 10 mg/L, V = 50·WT/70 L. */
export const MM_MODEL = {
  dosewise: 2,
  name: 'mm test',
  structure: { kind: 'michaelis-menten', compartments: 1, depot: false },
  covariates: { WT: { unit: 'kg' } },
  parameters: { V: { expr: '50*(WT/70)*exp(ETA_V)', unit: 'L' }, VMAX: { expr: '100*exp(ETA_VM)', unit: 'mg/h' }, KM: { value: 10, unit: 'mg/L' } },
  omega: { etas: ['ETA_V', 'ETA_VM'], diagonal: [0.04, 0.09] },
  residual: { model: 'proportional', proportional: 0.1 },
  observe: { unit: 'mg/L' },
};

/**
 * AUC24 at the periodic steady state: the amount at the start of an interval is the fixed point of
 * the one-interval map (RK4 at 1/`perHour` h), found by bisection; the AUC is the trapezoid of the
 * same steps, × 24/tau.
 */
export function mmSteadyStateAuc(o: { readonly dose: number; readonly vmax: number; readonly km: number; readonly v: number; readonly tau: number; readonly perHour?: number }): number {
  const perHour = o.perHour ?? 2000;
  const h = 1 / perHour;
  const steps = Math.round(o.tau * perHour);
  const dA = (a: number, rate: number): number => rate - (o.vmax * (a / o.v)) / (o.km + a / o.v);
  const cycle = (a0: number): { end: number; auc: number } => {
    let a = a0;
    let auc = 0;
    for (let s = 0; s < steps; s++) {
      const rate = s < perHour ? o.dose : 0;
      const k1 = dA(a, rate);
      const k2 = dA(a + (h / 2) * k1, rate);
      const k3 = dA(a + (h / 2) * k2, rate);
      const k4 = dA(a + h * k3, rate);
      const next = a + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
      auc += ((a + next) / 2 / o.v) * h;
      a = next;
    }
    return { end: a, auc };
  };
  let lo = 0;
  let hi = 1e7;
  for (let k = 0; k < 80 && hi - lo > 1e-10 * hi; k++) {
    const mid = (lo + hi) / 2;
    if (cycle(mid).end > mid) lo = mid;
    else hi = mid;
  }
  return (cycle((lo + hi) / 2).auc * 24) / o.tau;
}
