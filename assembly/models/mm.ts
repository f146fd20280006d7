// One-compartment PK with saturable (Michaelis-Menten) plus linear elimination.
// States: [depot?] central amount A. p[0]=k10 p[5]=ka p[6]=V p[7]=VMAX (amount/time) p[8]=KM (conc).
// see: Wagner JG, J Pharmacokinet Biopharm 1973;1:103-121 (Michaelis-Menten elimination in PK)

// @ts-ignore: decorator
@inline
export function mmRhs(depot: i32, y: usize, p: usize, dy: usize): void {
  const c = <usize>depot << 3;
  const a = load<f64>(y + c);
  const v = load<f64>(p, 48);
  const vmax = load<f64>(p, 56);
  const km = load<f64>(p, 64);
  const conc = a / v;
  let da = -vmax * conc / (km + conc) - load<f64>(p, 0) * a;
  if (depot) {
    const ka = load<f64>(p, 40);
    const ad = load<f64>(y);
    store<f64>(dy, -ka * ad);
    da += ka * ad;
  }
  store<f64>(dy + c, da);
}

export function mmJac(depot: i32, n: i32, y: usize, p: usize, J: usize): void {
  const c = <usize>depot << 3;
  const a = load<f64>(y + c);
  const v = load<f64>(p, 48);
  const vmax = load<f64>(p, 56);
  const km = load<f64>(p, 64);
  const conc = a / v;
  const den = km + conc;
  // d/dA [VMAX*C/(KM+C)] = VMAX*KM/(KM+C)^2 * dC/dA
  const dcc = -vmax * km / (den * den * v) - load<f64>(p, 0);
  if (depot) {
    const ka = load<f64>(p, 40);
    store<f64>(J, -ka);
    store<f64>(J + (<usize>n << 3), ka); // J[1][0]
    store<f64>(J + (<usize>n << 3), dcc, 8); // J[1][1]
  } else {
    store<f64>(J, dcc);
  }
}
