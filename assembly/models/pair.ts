// Right-hand sides of two subjects at once, one f64x2 lane each (dop853Pair): states interleaved
// (element i of the first subject at y + 16i, of the second at y + 16i + 8), parameter sets likewise
// (slot j at pp + 16j). Each lane does its model's scalar operations in their order (WASM has no
// fused multiply-add), so a lane's derivative is bitwise the scalar rhs's (rhs.ts).
import { Kind, P, PMm, PTmdd } from "../abi";
import { USER_PAIR, userRhsPair } from "./user";

/** Whether the kind has a two-lane right-hand side; others are evaluated one lane at a time. */
export function pairRhsKind(kind: i32): bool {
  return kind == Kind.Linear || kind == Kind.MichaelisMenten || kind == Kind.Tmdd || (kind == Kind.User && USER_PAIR);
}

// @ts-ignore: decorator
@inline
function par(pp: usize, slot: i32): v128 {
  return v128.load(pp + (<usize>slot << 4));
}

/** dy = f(t, y; p) + rate for both lanes (pairRhsKind kinds only; t: both lanes' times); `rate` (n doubles, shared) may be 0. */
// @ts-ignore: decorator
@inline
export function rhsPair(kind: i32, ncmt: i32, depot: i32, n: i32, tA: f64, tB: f64, y: usize, pp: usize, rate: usize, dy: usize): void {
  if (kind == Kind.User) userRhsPair(tA, tB, y, pp, dy);
  else if (kind == Kind.Linear) linearPair(ncmt, depot, y, pp, dy);
  else if (kind == Kind.MichaelisMenten) mmPair(depot, y, pp, dy);
  else tmddPair(depot, y, pp, dy);
  if (rate) {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 4;
      v128.store(dy + o, f64x2.add(v128.load(dy + o), f64x2.splat(load<f64>(rate + (<usize>i << 3)))));
    }
  }
}

/** linear.ts rhs, two lanes. */
// @ts-ignore: decorator
@inline
function linearPair(ncmt: i32, depot: i32, y: usize, pp: usize, dy: usize): void {
  const c = <usize>depot << 4;
  const ac = v128.load(y + c);
  let dac = f64x2.mul(f64x2.neg(par(pp, P.k10)), ac);
  if (depot) {
    const ka = par(pp, P.ka);
    const ad = v128.load(y);
    v128.store(dy, f64x2.mul(f64x2.neg(ka), ad));
    dac = f64x2.add(dac, f64x2.mul(ka, ad));
  }
  if (ncmt >= 2) {
    const flux = f64x2.sub(f64x2.mul(par(pp, P.k12), ac), f64x2.mul(par(pp, P.k21), v128.load(y + c, 16)));
    dac = f64x2.sub(dac, flux);
    v128.store(dy + c, flux, 16);
    if (ncmt == 3) {
      const flux2 = f64x2.sub(f64x2.mul(par(pp, P.k13), ac), f64x2.mul(par(pp, P.k31), v128.load(y + c, 32)));
      dac = f64x2.sub(dac, flux2);
      v128.store(dy + c, flux2, 32);
    }
  }
  v128.store(dy + c, dac);
}

/** mm.ts rhs, two lanes. */
// @ts-ignore: decorator
@inline
function mmPair(depot: i32, y: usize, pp: usize, dy: usize): void {
  const c = <usize>depot << 4;
  const a = v128.load(y + c);
  let lin = f64x2.mul(f64x2.neg(par(pp, P.k10)), a);
  if (depot) {
    const ka = par(pp, P.ka);
    const ad = v128.load(y);
    v128.store(dy, f64x2.mul(f64x2.neg(ka), ad));
    lin = f64x2.add(lin, f64x2.mul(ka, ad));
  }
  const sat = f64x2.div(f64x2.mul(par(pp, PMm.VMAX), a), f64x2.add(f64x2.mul(par(pp, PMm.KM), par(pp, PMm.V)), a));
  v128.store(dy + c, f64x2.sub(lin, sat));
}

/** tmdd.ts rhs, two lanes. */
// @ts-ignore: decorator
@inline
function tmddPair(depot: i32, y: usize, pp: usize, dy: usize): void {
  const o = <usize>depot << 4;
  const a = v128.load(y + o);
  const r = v128.load(y + o, 16);
  const pc = v128.load(y + o, 32);
  const v = par(pp, PTmdd.V);
  const bind = f64x2.sub(f64x2.mul(f64x2.mul(par(pp, PTmdd.KON), f64x2.div(a, v)), r), f64x2.mul(par(pp, PTmdd.KOFF), pc));
  let da = f64x2.sub(f64x2.mul(f64x2.neg(par(pp, P.k10)), a), f64x2.mul(bind, v));
  if (depot) {
    const ka = par(pp, P.ka);
    const ad = v128.load(y);
    v128.store(dy, f64x2.mul(f64x2.neg(ka), ad));
    da = f64x2.add(da, f64x2.mul(ka, ad));
  }
  v128.store(dy + o, da);
  v128.store(dy + o, f64x2.sub(f64x2.sub(par(pp, PTmdd.KSYN), f64x2.mul(par(pp, PTmdd.KDEG), r)), bind), 16);
  v128.store(dy + o, f64x2.sub(bind, f64x2.mul(par(pp, PTmdd.KINT), pc)), 32);
}
