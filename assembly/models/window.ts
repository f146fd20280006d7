// The segment the solver is integrating, as the time a model text's equations read. Equations that
// switch at a time (t compared with a record-level quantity) switch at a segment end: the event
// table stops the solver there (src/regimen/compile.ts). But a step's last stage lands on the end
// exactly, where `t < 100.5` already reads the next segment's side, and the next segment's first
// stage on its start, where `t <= 100` still reads the last one's: each segment must see its own
// side. So inside a segment the time the user kernel reads is held a few ulps inside its ends
// (2^-48 relative: 0.36 ps at 100 h), which moves a smooth function of t by nothing measurable.
// Outside a segment (steady-state Jacobians, observations) the window is open.

let lo: f64 = -Infinity;
let hi: f64 = Infinity;

export function openWindow(t0: f64, t1: f64): void {
  const eps = max<f64>(max<f64>(abs<f64>(t0), abs<f64>(t1)), 1.0) * 3.552713678800501e-15; // 2^-48
  if (t1 - t0 > 2.0 * eps) {
    lo = t0 + eps;
    hi = t1 - eps;
  } else {
    lo = t0 + 0.5 * (t1 - t0);
    hi = lo;
  }
}

export function closeWindow(): void {
  lo = -Infinity;
  hi = Infinity;
}

/** t held inside the open segment. */
// @ts-ignore: decorator
@inline
export function windowTime(t: f64): f64 {
  return t < lo ? lo : t > hi ? hi : t;
}
