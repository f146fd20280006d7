// Exact propagation of linear mammillary models (1-3 compartments, optional first-order depot)
// with zero-order inputs: x(t+dt) = Φ(dt)·x(t) + Γ(dt)·R, Φ(dt) = exp(K·dt), Γ(dt) = ∫₀^dt exp(K·s) ds.
//
// Method, chosen so that no step subtracts two large numbers to get a small one, whatever the
// rate constants (stiff CL/Q/V over many decades, KA ≈ k):
// - Disposition rates μ_j (eigenvalues of −K without the depot) come from the characteristic
//   polynomial written in the rate constants, whose coefficients are sums of positive products
//   (no cancellation), by Newton iterations that converge monotonically (from 0 to the smallest
//   root, from the root sum to the largest); the middle root follows from Vieta.
// - Projectors P_j = u_j w_jᵀ/(w_jᵀu_j) use the mammillary eigenvectors u = (1, k1i/δ_i),
//   w = (1, ki1/δ_i), δ_i = ki1 − μ_j; central→central entries of Φ and Γ are then sums of positive
//   terms; δ_i near 0 comes from the secular equation where that beats the subtraction.
// - The depot column uses divided differences of the exponential, f[−μ_j, −ka] and f[0, −μ_j, −ka],
//   evaluated in forms that stay accurate for ka = μ_j, so KA ≈ k needs no special path.
// - Integrals and steady-state sums use expm1 (1 − e^{−μτ} for a half-life ≫ τ keeps its digits).
// Cost per step: 2n² multiply-adds once Φ, Γ are cached for that dt.
// Fallback: two disposition rates within MIN_REL_GAP of each other (a near-decoupled peripheral
// whose rate matches another) make the projectors ill-conditioned; there, and for any non-finite
// intermediate, Φ and Γ come from exp([[K·dt, I·dt], [0, 0]]) = [[Φ, Γ], [0, I]] (Van Loan 1978,
// IEEE TAC 23:395, Thm 1), an essentially non-negative matrix whose exponential expmNonneg computes
// without cancellation (every entry ≥ 0), and steady states from LU solves with K and Γ(τ).
// Peripherals with one rate (k21 = k31) decouple a mode exactly (identicalPoles); nearly equal ones
// take Φ, Γ from that exponential for step lengths where it beats the projectors (see spectral), and
// so do three compartments whose δ is ill-conditioned (MAX_DELTA_COND: a weakly coupled peripheral
// whose own rate lies near a disposition rate of the rest), their periodic steady states then by LU
// solves. Three compartments' constant-input steady states come from mass balance (mammillaryEquilibrium).

import { ld, st, zero, copy, expmNonneg, expmGeneral, isMetzler, solve } from "../linalg";
import { P, LIN_MAX } from "../abi";

const MAXN: i32 = LIN_MAX;
const K = memory.data(8 * MAXN * MAXN, 16);
// constant input c of an affine user model (f = K·x + c), added to the zero-order inputs
const CONSTV = memory.data(8 * MAXN, 16);
const RC = memory.data(8 * MAXN, 16);
let hasConst: bool = false;
let metzler: bool = true;
const MU = memory.data(8 * 3, 16);
// disposition projectors P_j (nd×nd each, index 0 = central)
const PROJ = memory.data(8 * 3 * 9, 16);
// four (2·MAXN)² scratch matrices: the Van Loan block, its exponential, and steady-state solves
const PIECE: usize = <usize>(8 * 4 * MAXN * MAXN);
const SCR = memory.data(8 * 4 * 4 * MAXN * MAXN, 16);
const NSLOT: i32 = 6;
const SLOT_DT = memory.data(8 * NSLOT, 16);
const SLOT_PHI = memory.data(8 * NSLOT * MAXN * MAXN, 16);
const SLOT_GAM = memory.data(8 * NSLOT * MAXN * MAXN, 16);
// 1 where the slot's Γ has its depot column (filled on first use: see ensureDepotGamma)
const SLOT_GDEP = memory.data(8 * NSLOT, 16);
let nextSlot: i32 = 0;
let n: i32 = 0;
let nd: i32 = 0;
let dep: i32 = 0;
let kaL: f64 = 0.0;
let fallback: bool = false;
// three compartments with k21 = k31 (identicalPoles): c1, c2, p − μ_lo and μ_hi − μ_lo
let identical: bool = false;
let idC1: f64 = 0.0;
let idC2: f64 = 0.0;
let idDlo: f64 = 0.0;
let idGap: f64 = 0.0;
// three compartments with nearly equal k21, k31 (see spectral): a slot whose ‖K‖₁·c·dt² ≤ 1 takes Φ, Γ
// from the exponential (error ~ε·‖K·dt‖ per step) rather than the projectors (~ε/(c·dt) per step)
let nearPoles: bool = false;
let nearC: f64 = 0.0;
// three compartments whose δ = k_i1 − μ_j could only be had to ~MAX_DELTA_COND·ε or worse (see spectral):
// a slot whose ‖K‖₁·dt ≤ illNorm takes Φ, Γ from the exponential (its periodic steady states then from LU solves)
let illCond: bool = false;
let illNorm: f64 = 0.0;
// periodic steady states of such a system over τ with ‖K‖₁·τ ≤ illNormSS come from LU solves with the
// exponential's Γ(τ) whichever path the steps take (see linearPeriodicSteadyState)
let illNormSS: f64 = 0.0;
// rate constants of a system loaded by linearLoad (mammillary): constant-input steady states in closed form
let mammillary: bool = false;
let mK10: f64 = 0.0;
let mK12: f64 = 0.0;
let mK21: f64 = 0.0;
let mK13: f64 = 0.0;
let mK31: f64 = 0.0;
// the periodic steady state's right-hand side, kept across the LU solves (see linearPeriodicSteadyState)
const BSS = memory.data(8 * MAXN, 16);
// 1 where the slot's Φ came from the exponential (its Γ then from the Van Loan block)
const SLOT_EXPM = memory.data(8 * NSLOT, 16);
/** ‖K‖₁ of the loaded system (max column sum of |K|): with the step, what the fallback exponential's rounding grows with. */
let knorm: f64 = 0.0;
/**
 * Above this ‖K‖₁·dt the fallback exponential (scaling and squaring: rounding grows like ‖K·dt‖·ε,
 * the slow modes carrying it) can be off by more than ~1e-6: a model text with KA = 1e7/h observed
 * 1e6 h after its dose read 0.369319 for 0.367512 (0.49 %), and 2.4e-4 at 1e5 h. Measured
 * 5e-17–5e-16 × ‖K·dt‖, so 2^32 ≈ 4.3e9 (‖K‖₁ counts a flow twice: out of one state, into another)
 * keeps what passes below ~1e-6.
 */
const LOSSY_NORM: f64 = 4294967296.0;
let loadedFrom: usize = 0;

// Relative gap of two disposition rates below which the projectors (entries ~ 1/gap) would lose
// more than ~1e-13 of the peak; measured by the fuzz test in test/property/analytic-stability.test.ts.
const MIN_REL_GAP: f64 = 1e-3;

/**
 * Largest relative error (in units of ε) of a δ_i = k_i1 − μ_j the projectors may rest on. Above it a
 * peripheral's own rate lies near a disposition rate of the rest of the system (a weakly coupled
 * peripheral, K13 ≲ 1e-7/h, whose K31 is 0.1–1 % from the slow rate of the central/peripheral-1
 * block): its row of P_j is then a difference of large terms off by ~cond·ε each, and A3 read
 * 1.805213597e-05 for 1.805247593e-05 (2.9e-2 relative at K13 = 1e-9, gap 0.1 %) with 0.1 % gaps
 * between the rates that MIN_REL_GAP lets through (test/property/analytic-conditioning.test.ts).
 * In a seeded sample of 90 systems the well-separated ones stayed ≤ 10 (Φ within 3e-12 entry by
 * entry); from 30 on entries of Φ were off by 1e-11 to 1e-7.
 */
const MAX_DELTA_COND: f64 = 20.0;

/*
 * With an ill-conditioned δ (cond > MAX_DELTA_COND), the exponential takes steps with ‖K‖₁·dt up to
 * cond². Neither path is best for every amount: the exponential's rounding, ~ε·‖K·dt‖, lands on the
 * central amount too, the projectors' only on the weak peripheral, but without bound: a limit of
 * 30·cond (tried) kept a stiff model's IPRED at 1.2e-12 of its peak where cond² gives 4.1e-10 (K 0.05,
 * K12 2000, K21 100, cond 972, 10,000 doses q12h), and left the weak peripheral 9.8e-6 of its own peak
 * off (K 1e-5, K12 100, K13 1e-9, K31 0.5 % from the slow rate; cond² 2.1e-12). cond² keeps every
 * amount within 5e-10 of its peak on test/property/analytic-guard-regressions.test.ts.
 */

/** Number of states of a linear layout; 0 if invalid. */
export function linearStates(ncmt: i32, depot: i32): i32 {
  if (ncmt < 1 || ncmt > 3) return 0;
  return ncmt + (depot != 0 ? 1 : 0);
}

/** Forget the cached parameter set (call when parameter memory is rewritten). */
export function linearInvalidate(): void {
  loadedFrom = 0;
}

/** Smallest positive root of μ³ − a2μ² + a1μ − a0 (all roots real, non-negative): Newton from 0 climbs monotonically. */
function smallestRoot(a2: f64, a1: f64, a0: f64): f64 {
  let x = 0.0;
  for (let it = 0; it < 200; it++) {
    const f = ((x - a2) * x + a1) * x - a0;
    const d = (3.0 * x - 2.0 * a2) * x + a1;
    if (!(f < 0.0) || !(d > 0.0)) break;
    const nx = x - f / d;
    if (!(nx > x)) break;
    x = nx;
  }
  return x;
}

/** Largest root of the same cubic: Newton from the root sum a2 descends monotonically. */
function largestRoot(a2: f64, a1: f64, a0: f64): f64 {
  let x = a2;
  for (let it = 0; it < 200; it++) {
    const f = ((x - a2) * x + a1) * x - a0;
    const d = (3.0 * x - 2.0 * a2) * x + a1;
    if (!(f > 0.0) || !(d > 0.0)) break;
    const nx = x - f / d;
    if (!(nx < x)) break;
    x = nx;
  }
  return x;
}

/**
 * Loads parameter set p (its P.k10 … P.ka) unless it is already loaded.
 * Returns false if K has a non-finite entry.
 */
export function linearLoad(ncmt: i32, depot: i32, p: usize): bool {
  if (p == loadedFrom) return true;
  const k10 = ld(p, P.k10), k12 = ld(p, P.k12), k21 = ld(p, P.k21), k13 = ld(p, P.k13), k31 = ld(p, P.k31), ka = ld(p, P.ka);
  n = linearStates(ncmt, depot);
  nd = ncmt;
  dep = depot != 0 ? 1 : 0;
  kaL = ka;
  zero(K, n * n);
  const c = dep;
  if (depot != 0) {
    st(K, 0, -ka);
    st(K, c * n + 0, ka);
  }
  const kout = k10 + (ncmt >= 2 ? k12 : 0.0) + (ncmt >= 3 ? k13 : 0.0);
  st(K, c * n + c, -kout);
  if (ncmt >= 2) {
    st(K, c * n + c + 1, k21);
    st(K, (c + 1) * n + c, k12);
    st(K, (c + 1) * n + c + 1, -k21);
  }
  if (ncmt >= 3) {
    st(K, c * n + c + 2, k31);
    st(K, (c + 2) * n + c, k13);
    st(K, (c + 2) * n + c + 2, -k31);
  }
  for (let i = 0; i < n * n; i++) if (!isFinite(ld(K, i))) return false;
  hasConst = false;
  metzler = true;
  mammillary = true;
  mK10 = k10;
  mK12 = k12;
  mK21 = k21;
  mK13 = k13;
  mK31 = k31;
  fallback = !spectral(ncmt, k10, k12, k21, k13, k31);
  knorm = norm1(K, n);
  for (let s = 0; s < NSLOT; s++) st(SLOT_DT, s, -1.0);
  lastDt = -1.0;
  loadedFrom = p;
  return true;
}

/** max_j Σ_i |a_ij| of the n×n matrix a. */
function norm1(a: usize, n: i32): f64 {
  let m = 0.0;
  for (let j = 0; j < n; j++) {
    let c = 0.0;
    for (let i = 0; i < n; i++) c += Math.abs(ld(a, i * n + j));
    m = Math.max(m, c);
  }
  return m;
}

/**
 * Whether propagating the loaded system over dt would lose accuracy: the fallback exponential
 * (Φ and Γ from exp(K·dt), not the closed forms) with ‖K‖₁·dt above LOSSY_NORM. The caller refuses
 * (Status.ExactLossy) rather than return a number off by more than ~1e-6.
 */
export function linearLossy(dt: f64): bool {
  return fallback && knorm * dt > LOSSY_NORM;
}

/** Whether parameter set p is the one loaded (so a caller can skip building its matrix). */
export function linearLoaded(p: usize): bool {
  return p != 0 && p == loadedFrom;
}

/**
 * Loads an affine system x' = Kc·x + c (nStates × nStates, row-major; c may be all zero) for
 * parameter set p: a user model whose right-hand side is linear in its states. Φ and Γ then come
 * from the Van Loan exponential (non-negative when Kc is essentially non-negative, as every mass
 * balance is), steady states from LU solves. Returns false if an entry is not finite.
 */
export function linearLoadMatrix(nStates: i32, kc: usize, c: usize, p: usize): bool {
  if (p == loadedFrom) return true;
  if (nStates < 1 || nStates > MAXN) return false;
  n = nStates;
  nd = nStates;
  dep = 0;
  kaL = 0.0;
  copy(K, kc, n * n);
  copy(CONSTV, c, n);
  hasConst = false;
  for (let i = 0; i < n * n; i++) if (!isFinite(ld(K, i))) return false;
  for (let i = 0; i < n; i++) {
    const v = ld(CONSTV, i);
    if (!isFinite(v)) return false;
    if (v != 0.0) hasConst = true;
  }
  metzler = isMetzler(K, n);
  mammillary = false;
  fallback = true;
  nearPoles = false;
  illCond = false;
  identical = false;
  knorm = norm1(K, n);
  for (let s = 0; s < NSLOT; s++) st(SLOT_DT, s, -1.0);
  lastDt = -1.0;
  loadedFrom = p;
  return true;
}

/** rate + c into RC (the affine model's constant input joins the zero-order inputs). */
function withConst(rate: usize, hasRate: bool): usize {
  for (let i = 0; i < n; i++) st(RC, i, (hasRate ? ld(rate, i) : 0.0) + ld(CONSTV, i));
  return RC;
}

/** Disposition rates and projectors; false where they cannot be trusted (the caller falls back). */
function spectral(ncmt: i32, k10: f64, k12: f64, k21: f64, k13: f64, k31: f64): bool {
  identical = false;
  nearPoles = false;
  illCond = false;
  // peripheral i (1-based): pole pi = k_i1, coupling ci = k_1i
  const p1 = k21, c1 = k12, p2 = k31, c2 = k13;
  if (ncmt == 1) {
    st(MU, 0, k10);
  } else if (ncmt == 2) {
    // μ² − (k10+k12+k21)μ + k10·k21; the discriminant written as a sum of non-negative terms
    const s = k10 + k12 + k21;
    const dk = k10 - k21;
    const big = 0.5 * (s + Math.sqrt(dk * dk + k12 * (k12 + 2.0 * (k10 + k21))));
    st(MU, 0, big > 0.0 ? (k10 * k21) / big : 0.0); // Vieta: no cancellation in (s − √·)/2
    st(MU, 1, big);
  } else if (p1 == p2 && c1 + c2 > 0.0) {
    return identicalPoles(k10, c1, c2, p1);
  } else {
    // poles closer than ~√(c·p) put a disposition rate between them whose δ1, δ2 both carry the
    // rate's rounding, ε·p, by either form: the projector's central entries are then off by ~ε·p/c,
    // a step's transfer c·dt by ε/(c·dt), repeated every step (Q3 = Q·(1 + 1e-8): 1.1e-6 after
    // 3,000 doses). Measured bad up to 0.13·√(c·p) apart, clean from 0.45. The exponential's
    // rounding grows with ‖K·dt‖ instead, so fillSlot picks between the two per step length.
    const pmax = Math.max(p1, p2), cmax = Math.max(c1, c2);
    if (Math.abs(p1 - p2) <= 0.25 * Math.min(pmax, Math.sqrt(cmax * pmax))) {
      nearPoles = true;
      nearC = cmax;
    }
    const a2 = k10 + k12 + k13 + k21 + k31;
    const a1 = k10 * k21 + k10 * k31 + k12 * k31 + k13 * k21 + k21 * k31;
    const a0 = k10 * k21 * k31;
    const lo = smallestRoot(a2, a1, a0);
    const hi = largestRoot(a2, a1, a0);
    st(MU, 0, lo);
    st(MU, 1, lo > 0.0 ? a0 / (lo * hi) : a1 / hi);
    st(MU, 2, hi);
  }
  for (let j = 0; j < nd; j++) {
    const mj = ld(MU, j);
    if (!isFinite(mj) || mj < 0.0) return false;
    for (let i = j + 1; i < nd; i++) {
      const mi = ld(MU, i);
      if (Math.abs(mi - mj) <= MIN_REL_GAP * Math.max(mi, mj)) return false;
    }
  }
  // projectors
  let worstCond = 0.0;
  for (let j = 0; j < nd; j++) {
    const mu = ld(MU, j);
    const pr = PROJ + <usize>(j * 9) * 8;
    if (nd == 1) {
      st(pr, 0, 1.0);
      continue;
    }
    let d1 = p1 - mu;
    let d2 = nd >= 3 ? p2 - mu : 1.0;
    // a rate next to a pole: δ from the secular equation k10 − μ − μ·Σ ci/δi = 0 where that
    // loses fewer digits than the subtraction (their condition numbers compared)
    // δ1's secular form reads δ2 by the subtraction, δ2's reads δ1 as chosen: each weighs the
    // other's error (a weakly coupled peripheral 2 whose δ2 is ~ε·p2/δ2 off must not leak into δ1)
    d1 = betterDelta(d1, p1, mu * c1, k10, mu, nd >= 3 ? (mu * c2) / d2 : 0.0, nd >= 3 ? p2 / Math.abs(d2) : 0.0);
    if (nd >= 3) {
      worstCond = Math.max(worstCond, deltaCond);
      d2 = betterDelta(d2, p2, mu * c2, k10, mu, (mu * c1) / d1, deltaCond);
      worstCond = Math.max(worstCond, deltaCond);
    }
    const u1 = c1 / d1, w1 = p1 / d1;
    const u2 = nd >= 3 ? c2 / d2 : 0.0, w2 = nd >= 3 ? p2 / d2 : 0.0;
    const inv = 1.0 / (1.0 + u1 * w1 + u2 * w2);
    if (!isFinite(inv) || !isFinite(u1 * w1) || !isFinite(u2 * w2)) return false;
    const m = nd;
    st(pr, 0, inv);
    st(pr, 1, w1 * inv);
    st(pr, m, u1 * inv);
    st(pr, m + 1, u1 * w1 * inv);
    if (nd >= 3) {
      st(pr, 2, w2 * inv);
      st(pr, m + 2, u1 * w2 * inv);
      st(pr, 2 * m, u2 * inv);
      st(pr, 2 * m + 1, u2 * w1 * inv);
      st(pr, 2 * m + 2, u2 * w2 * inv);
    }
  }
  // nearly equal poles have their own rule (fillSlot); their δ are ill-conditioned by construction
  illCond = nd >= 3 && !nearPoles && worstCond > MAX_DELTA_COND;
  // the projectors' entries go as 1/δ², off by ~cond·ε each and differenced: ~cond²·ε per step, where
  // the exponential's rounding is ~‖K·dt‖·ε (a stiff model stepping 12 h at ‖K‖₁ = 3e4, cond 22,
  // read 1.7e-8 of the peak after 10,000 doses by the exponential, < 1e-11 by the projectors); and
  // that rounding reaches the central amount, which the projectors keep (see the note above MAX_DELTA_COND's use)
  illNorm = Math.min(worstCond * worstCond, LOSSY_NORM);
  illNormSS = Math.min(worstCond * worstCond, LOSSY_NORM);
  return true;
}

/**
 * Three compartments whose peripherals have one pole p (k21 = k31, e.g. Q/V2 = Q3/V3): c2·A2 − c1·A3
 * decays on its own at exactly p, with projector (0, 1, −1)ᵀ(0, c2, −c1)/(c1 + c2), and A1 with
 * A2 + A3 is a two-compartment system (k12 = c1 + c2, k21 = p) whose modes split between the
 * peripherals as c1 : c2. The generic eigenvectors would need δ = p − μ at the rate that equals p,
 * i.e. rounding alone (a 1e-6/h peripheral read 1507.672527 and 1507.672242 for 1507.672384 after
 * 16,000 doses); here every δ is of the two-compartment system, exact to rounding.
 */
function identicalPoles(k10: f64, c1: f64, c2: f64, p: f64): bool {
  const cs = c1 + c2;
  const s = k10 + cs + p;
  const dk = k10 - p;
  const big = 0.5 * (s + Math.sqrt(dk * dk + cs * (cs + 2.0 * (k10 + p))));
  const lo = big > 0.0 ? (k10 * p) / big : 0.0;
  st(MU, 0, lo);
  st(MU, 1, p);
  st(MU, 2, big);
  if (!isFinite(big) || !isFinite(lo) || lo < 0.0 || !(p >= 0.0)) return false;
  if (Math.abs(big - lo) <= MIN_REL_GAP * big) return false;
  const a1 = c1 / cs, a2 = c2 / cs;
  identical = true;
  idC1 = c1;
  idC2 = c2;
  // hi − lo of the two-compartment system, without the subtraction
  idGap = Math.sqrt(dk * dk + cs * (cs + 2.0 * (k10 + p)));
  for (let j = 0; j < 3; j += 2) {
    const mu = ld(MU, j);
    const d = betterDelta(p - mu, p, mu * cs, k10, mu, 0.0, 0.0);
    if (j == 0) idDlo = d;
    const u = cs / d, w = p / d;
    const inv = 1.0 / (1.0 + u * w);
    if (!isFinite(inv) || !isFinite(u * w)) return false;
    const pr = PROJ + <usize>(j * 9) * 8;
    st(pr, 0, inv);
    st(pr, 1, w * inv);
    st(pr, 2, w * inv);
    st(pr, 3, a1 * u * inv);
    st(pr, 4, a1 * u * w * inv);
    st(pr, 5, a1 * u * w * inv);
    st(pr, 6, a2 * u * inv);
    st(pr, 7, a2 * u * w * inv);
    st(pr, 8, a2 * u * w * inv);
  }
  const pm = PROJ + <usize>9 * 8;
  zero(pm, 9);
  st(pm, 4, a2);
  st(pm, 5, -a1);
  st(pm, 7, -a2);
  st(pm, 8, a1);
  return true;
}

/** Relative error (in units of ε) of the δ betterDelta last returned. */
let deltaCond: f64 = 0.0;

/**
 * δ = p − μ (given as `direct`) or μ·c/(k10 − μ − other), whichever is better conditioned;
 * `otherCond` is the relative error (in ε) of the δ that `other` was computed from.
 */
function betterDelta(direct: f64, p: f64, muc: f64, k10: f64, mu: f64, other: f64, otherCond: f64): f64 {
  const den = k10 - mu - other;
  const condDirect = p / Math.abs(direct);
  const ao = Math.abs(other);
  const condSecular = (Math.max(k10, Math.max(mu, ao)) + ao * otherCond) / Math.abs(den);
  deltaCond = Math.min(condSecular, condDirect);
  return condSecular < condDirect ? muc / den : direct;
}

/** ∫₀^t e^{−μs} ds = (1 − e^{−μt})/μ, accurate for μt → 0. */
// @ts-ignore: decorator
@inline function integ(mu: f64, t: f64): f64 {
  const x = mu * t;
  return x == 0.0 ? t : -Math.expm1(-x) / mu;
}

/** Divided difference f[x, y] of f(z) = e^{zt} (x, y ≤ 0): e^{max·t}·expm1(Δt)/Δ, accurate for x = y. */
function dd1(x: f64, y: f64, t: f64): f64 {
  const hi = Math.max(x, y);
  const d = Math.min(x, y) - hi;
  const e = Math.exp(hi * t);
  return d * t == 0.0 ? e * t : (e * Math.expm1(d * t)) / d;
}

/** dd1 with e^{x·t} and e^{y·t} already at hand. */
// @ts-ignore: decorator
@inline function dd1e(x: f64, y: f64, t: f64, ex: f64, ey: f64): f64 {
  const e = x >= y ? ex : ey;
  const d = x >= y ? y - x : x - y;
  return d * t == 0.0 ? e * t : (e * Math.expm1(d * t)) / d;
}

/**
 * Fills the depot column of Γ in `slot` (∫₀^dt e^{−ka·s} ds, and the integrated depot → disposition
 * response ka·P_j·e1 times f[0, −μ, −ka]) when an input into the depot first needs it; most steps never do.
 */
function ensureDepotGamma(slot: i32): void {
  if (ld(SLOT_GDEP, slot) != 0.0) return;
  const dt = ld(SLOT_DT, slot);
  const gam = SLOT_GAM + <usize>(slot * MAXN * MAXN) * 8;
  st(gam, 0, integ(kaL, dt));
  for (let j = 0; j < nd; j++) {
    const f2 = kaL * dd2(-ld(MU, j), -kaL, dt);
    const pr = PROJ + <usize>(j * 9) * 8;
    for (let a = 0; a < nd; a++) {
      const q = (1 + a) * n;
      st(gam, q, ld(gam, q) + f2 * ld(pr, a * nd));
    }
  }
  st(SLOT_GDEP, slot, 1.0);
}

/** Divided difference f[0, x, y] of f(z) = e^{zt} (x, y ≤ 0), accurate when the points coincide. */
function dd2(x: f64, y: f64, t: f64): f64 {
  const lo = Math.min(x, y), mid = Math.max(x, y);
  if (-lo * t <= 1.0) {
    // Σ_k t^{k+2} h_k(x, y)/(k+2)!, h_k the complete homogeneous polynomial: |x|t, |y|t ≤ 1, so 24 terms reach 1e-25
    let h = 1.0, xk = 1.0, term = (t * t) / 2.0, sum = term;
    for (let k = 1; k < 24; k++) {
      xk *= x;
      h = y * h + xk;
      term *= t / <f64>(k + 2);
      sum += term * h;
    }
    return sum;
  }
  // the widest gap (0 to lo) as denominator: with |lo|·t > 1 the difference keeps its leading digits
  return (dd1(0.0, mid, t) - dd1(mid, lo, t)) / -lo;
}

/**
 * Φ and Γ entries of identicalPoles' system that the projector sums would get by cancellation, as
 * divided differences of the exponential (all terms positive): the central ↔ peripheral ones are
 * those of the two-compartment system, p·f[−μlo, −μhi] and ci·f[−μlo, −μhi] (Γ: f[0, −μlo, −μhi]),
 * and the peripheral block is e^{−p·dt} on the diagonal plus ci·p·f[−μlo, −μhi, −p] in row i (the
 * Laplace numerator of Φr11 − e^{−pt} is c·p). Every entry is then within ~1 ulp, where the
 * projector sum for the peripheral pair (three terms of ~1, one of them −a1·e^{−p·dt}), repeated
 * every step, left 1.4e-12 after 20,000 doses; the two peripherals' entries are the same
 * operations on c1 and c2.
 */
function identicalEntries(phi: usize, gam: usize, dt: f64): void {
  const c = dep;
  const lo = ld(MU, 0), p = ld(MU, 1), hi = ld(MU, 2);
  const f1 = dd1(-lo, -hi, dt);
  const g1 = dd2(-lo, -hi, dt);
  // f[−lo, −p, −hi] = e^{−lo·dt}·f[0, lo − p, lo − hi]: dd2 needs non-positive points, lo is the smallest
  const f3 = Math.exp(-lo * dt) * dd2(-idDlo, -idGap, dt);
  // a slow pole's diagonal as 1 + (expm1 + the rest): one rounding, where exp then + would be two,
  // and its half-ulp repeats every step (A2 at 16,000 doses: 5.8e-13 with exp, 2.7e-13 without)
  const x = -p * dt;
  const slow = x > -0.6931471805599453;
  const ep = slow ? Math.expm1(x) : Math.exp(x);
  const base = slow ? 1.0 : 0.0;
  const r0 = c * n + c, r1 = (c + 1) * n + c, r2 = (c + 2) * n + c;
  st(phi, r0 + 1, p * f1);
  st(phi, r0 + 2, p * f1);
  st(phi, r1, idC1 * f1);
  st(phi, r2, idC2 * f1);
  st(phi, r1 + 1, base + (ep + idC1 * p * f3));
  st(phi, r1 + 2, idC1 * p * f3);
  st(phi, r2 + 1, idC2 * p * f3);
  st(phi, r2 + 2, base + (ep + idC2 * p * f3));
  st(gam, r0 + 1, p * g1);
  st(gam, r0 + 2, p * g1);
  st(gam, r1, idC1 * g1);
  st(gam, r2, idC2 * g1);
}

function fillSlot(slot: i32, dt: f64): void {
  const phi = SLOT_PHI + <usize>(slot * MAXN * MAXN) * 8;
  const gam = SLOT_GAM + <usize>(slot * MAXN * MAXN) * 8;
  const nn = n * n;
  const expm =
    !fallback && ((nearPoles && knorm * nearC * dt * dt <= 1.0 && knorm * dt <= LOSSY_NORM) || (illCond && knorm * dt <= illNorm));
  st(SLOT_EXPM, slot, expm ? 1.0 : 0.0);
  if (!fallback && !expm) {
    zero(phi, nn);
    zero(gam, nn);
    const c = dep;
    const exka = dep != 0 ? Math.exp(-kaL * dt) : 0.0;
    for (let j = 0; j < nd; j++) {
      const mu = ld(MU, j);
      const ex = Math.exp(-mu * dt);
      const g = integ(mu, dt);
      const pr = PROJ + <usize>(j * 9) * 8;
      for (let a = 0; a < nd; a++) {
        for (let b = 0; b < nd; b++) {
          const v = ld(pr, a * nd + b);
          const q = (c + a) * n + c + b;
          st(phi, q, ld(phi, q) + ex * v);
          st(gam, q, ld(gam, q) + g * v);
        }
      }
      if (dep != 0) {
        // depot → disposition: ka·P_j·e1 times f[−μ, −ka] (Φ); Γ's column waits for a depot input
        const f1 = kaL * dd1e(-mu, -kaL, dt, ex, exka);
        for (let a = 0; a < nd; a++) {
          const q = (c + a) * n;
          st(phi, q, ld(phi, q) + f1 * ld(pr, a * nd));
        }
      }
    }
    if (dep != 0) st(phi, 0, exka);
    if (identical) identicalEntries(phi, gam, dt);
    st(SLOT_GDEP, slot, 0.0);
  } else {
    // Φ alone from exp(K·dt) (n × n); Γ, which needs the 2n × 2n block, waits for an input
    const a = SCR;
    for (let i = 0; i < nn; i++) st(a, i, ld(K, i) * dt);
    if (metzler) expmNonneg(phi, a, n);
    else expmGeneral(phi, a, n);
    st(SLOT_GDEP, slot, 0.0);
  }
  st(SLOT_DT, slot, dt);
}

/**
 * Fallback: fills Γ(dt) of `slot` from exp([[K·dt, I·dt], [0, 0]]) = [[Φ, Γ], [0, I]] (Van Loan)
 * when an input (a rate, or an affine model's constant) first needs it. Φ stays the one from
 * exp(K·dt), so a result never depends on whether Γ was needed before.
 */
function ensureFallbackGamma(slot: i32): void {
  if (ld(SLOT_GDEP, slot) != 0.0) return;
  vanLoanGamma(SLOT_GAM + <usize>(slot * MAXN * MAXN) * 8, ld(SLOT_DT, slot));
  st(SLOT_GDEP, slot, 1.0);
}

/** Γ(dt) into gam (n×n) from the Van Loan block's exponential (scratch: SCR's first two pieces). */
function vanLoanGamma(gam: usize, dt: f64): void {
  const m = 2 * n;
  const big = SCR, out = SCR + PIECE;
  zero(big, m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) st(big, i * m + j, ld(K, i * n + j) * dt);
    st(big, i * m + n + i, dt);
  }
  if (metzler) expmNonneg(out, big, m);
  else expmGeneral(out, big, m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) st(gam, i * n + j, ld(out, i * m + n + j));
  }
}

/** Whether the loaded system has a constant input (an affine user model). */
export function linearHasConst(): bool {
  return hasConst;
}

let lastDt: f64 = -1.0;
let lastSlot: i32 = 0;

function slotFor(dt: f64): i32 {
  // profiles on a grid reuse one dt: check the last hit before scanning
  if (dt == lastDt) return lastSlot;
  for (let s = 0; s < NSLOT; s++) {
    if (ld(SLOT_DT, s) == dt) {
      lastDt = dt;
      lastSlot = s;
      return s;
    }
  }
  const s = nextSlot;
  nextSlot = (nextSlot + 1) % NSLOT;
  fillSlot(s, dt);
  lastDt = dt;
  lastSlot = s;
  return s;
}

/**
 * The slot a step over dt (≠ 0) under these inputs reads, with the Γ columns those inputs need filled.
 * A caller that steps many times over one dt with its inputs unchanged (a run of observations) looks
 * it up once: a later lookup of another dt may refill it, so the slot holds only until then.
 */
// @ts-ignore: decorator
@inline export function linearStepSlot(dt: f64, rate: usize, hasRate: bool): i32 {
  const s = slotFor(dt);
  if (fallback || ld(SLOT_EXPM, s) != 0.0) {
    if (hasRate || hasConst) ensureFallbackGamma(s);
  } else if (hasRate && dep != 0 && ld(rate, 0) != 0.0) ensureDepotGamma(s);
  return s;
}

// @ts-ignore: decorator
@inline export function linearSlotPhi(s: i32): usize {
  return SLOT_PHI + <usize>(s * MAXN * MAXN) * 8;
}

// @ts-ignore: decorator
@inline export function linearSlotGam(s: i32): usize {
  return SLOT_GAM + <usize>(s * MAXN * MAXN) * 8;
}

/** Number of states of the loaded system (what linearAdvance propagates). */
export function linearSize(): i32 {
  return n;
}

/**
 * The input vector linearAdvance adds for `rate`: rate itself, or (an affine model) rate + c in
 * scratch that holds until the next call; with c the input is always on (see linearHasConst).
 */
export function linearInput(rate: usize, hasRate: bool): usize {
  return hasConst ? withConst(rate, hasRate) : rate;
}

/** x ← Φ(dt)·x + Γ(dt)·rate (rate may be 0 = no input). tmp: n doubles of scratch. */
export function linearAdvance(x: usize, dt: f64, rate: usize, hasRate: bool, tmp: usize): void {
  if (dt == 0.0) return;
  const s = linearStepSlot(dt, rate, hasRate);
  if (hasConst) propagate(x, SLOT_PHI + <usize>(s * MAXN * MAXN) * 8, SLOT_GAM + <usize>(s * MAXN * MAXN) * 8, withConst(rate, hasRate), true, n, tmp);
  else propagate(x, SLOT_PHI + <usize>(s * MAXN * MAXN) * 8, SLOT_GAM + <usize>(s * MAXN * MAXN) * 8, rate, hasRate, n, tmp);
}

/** x ← Φ·x + Γ·rate for given n×n matrices (the one place this product is written, for bitwise-equal paths). */
// @ts-ignore: decorator
@inline export function propagate(x: usize, phi: usize, gam: usize, rate: usize, hasRate: bool, n: i32, tmp: usize): void {
  if (n == 2) {
    // the common one-compartment oral case, unrolled (2·2 multiply-adds per step)
    const x0 = ld(x, 0), x1 = ld(x, 1);
    let y0 = ld(phi, 0) * x0 + ld(phi, 1) * x1;
    let y1 = ld(phi, 2) * x0 + ld(phi, 3) * x1;
    if (hasRate) {
      const r0 = ld(rate, 0), r1 = ld(rate, 1);
      y0 += ld(gam, 0) * r0 + ld(gam, 1) * r1;
      y1 += ld(gam, 2) * r0 + ld(gam, 3) * r1;
    }
    st(x, 0, y0);
    st(x, 1, y1);
    return;
  }
  for (let i = 0; i < n; i++) {
    let v = 0.0;
    for (let k = 0; k < n; k++) v += ld(phi, i * n + k) * ld(x, k);
    if (hasRate) for (let k = 0; k < n; k++) v += ld(gam, i * n + k) * ld(rate, k);
    st(tmp, i, v);
  }
  copy(x, tmp, n);
}

/**
 * Copies Γ(dt) = ∫₀^dt exp(K·s) ds into dst (n×n). Without `depotInput` the depot column may be
 * left out (zeros): pass true whenever a zero-order input into the depot can occur.
 */
export function linearGamma(dst: usize, dt: f64, depotInput: bool = true): void {
  if (dt == 0.0) {
    zero(dst, n * n);
    return;
  }
  const s = slotFor(dt);
  if (fallback || ld(SLOT_EXPM, s) != 0.0) ensureFallbackGamma(s);
  else if (depotInput && dep != 0) ensureDepotGamma(s);
  copy(dst, SLOT_GAM + <usize>(s * MAXN * MAXN) * 8, n * n);
}

/** Copies Φ(dt) into dst (n×n). */
export function linearPhi(dst: usize, dt: f64): void {
  if (dt == 0.0) {
    zero(dst, n * n);
    for (let i = 0; i < n; i++) st(dst, i * n + i, 1.0);
    return;
  }
  const s = slotFor(dt);
  copy(dst, SLOT_PHI + <usize>(s * MAXN * MAXN) * 8, n * n);
}

/**
 * Solves K·x = −rate (the steady state of a constant infusion). Returns false if K is singular.
 * Spectral: x = Σ P_j·r/μ_j (depot: r_d/ka, feeding ka·x_d into the central compartment).
 */
export function linearConstantInputSteadyState(x: usize, rate: usize): bool {
  if (mammillary && nd == 3) return mammillaryEquilibrium(x, rate);
  if (fallback) {
    const a = SCR + 3 * PIECE;
    const r = hasConst ? withConst(rate, true) : rate;
    copy(a, K, n * n);
    for (let i = 0; i < n; i++) st(x, i, -ld(r, i));
    return solve(a, x, n, 1);
  }
  const r = SCR + 3 * PIECE;
  copy(r, rate, n);
  if (dep != 0) {
    st(x, 0, ld(r, 0) / kaL);
    st(r, 1, ld(r, 1) + ld(r, 0));
  }
  return spectralSolve(x, r, 0.0);
}

/**
 * The equilibrium of three mammillary compartments under constant inputs, by mass balance: the depot
 * passes R_d/KA on, everything that enters leaves through k10 (x_1 = ΣR/k10), and each peripheral
 * balances x_1·k1i + R_i = ki1·x_i. Sums of non-negative terms and one division each, whatever the
 * conditioning; an LU solve of K lost ε·‖K‖/k10 (K = 1e-6, K12 = 1000: A1 4.9e-8 off, and refused
 * with "no equilibrium" at K = 1e-9), the projectors' Σ P_j·r/μ_j agree with this to ~1e-15.
 * False where there is no equilibrium (k10 = 0, or an inflow into a compartment with no outflow).
 */
function mammillaryEquilibrium(x: usize, rate: usize): bool {
  const c = dep;
  let total = 0.0;
  for (let i = 0; i < n; i++) total += ld(rate, i);
  if (dep != 0) {
    const rd = ld(rate, 0);
    if (rd != 0.0 && !(kaL > 0.0)) return false;
    st(x, 0, rd == 0.0 ? 0.0 : rd / kaL);
  }
  if (!(mK10 > 0.0)) return false;
  const x1 = total / mK10;
  st(x, c, x1);
  for (let i = 1; i < 3; i++) {
    const inflow = x1 * (i == 1 ? mK12 : mK13) + ld(rate, c + i);
    const out = i == 1 ? mK21 : mK31;
    if (inflow != 0.0 && !(out > 0.0)) return false;
    st(x, c + i, inflow == 0.0 ? 0.0 : inflow / out);
  }
  for (let i = 0; i < n; i++) if (!isFinite(ld(x, i))) return false;
  return true;
}

/**
 * Solves (I − Φ(τ))·x = b in place (the state at the start of a dosing cycle at steady state, b the
 * state one cycle after starting from zero). Returns false if I − Φ(τ) is singular (no elimination).
 * Spectral: (I − Φ(τ))⁻¹ = Σ P_j/(1 − e^{−μ_j τ}) with 1 − e^{−μτ} = −expm1(−μτ), exact for μτ ≪ 1.
 */
export function linearPeriodicSteadyState(x: usize, tau: f64): bool {
  // an ill-conditioned δ takes the LU solves up to ‖K‖₁·τ = cond², as its steps take the exponential:
  // the projectors' Σ P_j/(1 − e^{−μ_j τ}) multiplies the projectors' error by 1/(μτ)
  // of the slow mode (K 1e-5, K12 100, K21 1, K31 0.5 % off, SS q24h: the weak peripheral 7.7e-10 of
  // its peak, 4.6e-11 by LU; such a 1/(μτ) ≈ 4e5 leaves either path ~1e-9 at worst, by K31's last digits)
  const expSlot = illCond && ld(SLOT_EXPM, slotFor(tau)) != 0.0;
  if (fallback || expSlot || (illCond && knorm * tau <= illNormSS)) {
    // I − Φ(τ) = −K·Γ(τ): two solves without the cancellation of 1 − e^{−μτ}
    const a = SCR + 3 * PIECE;
    copy(BSS, x, n);
    copy(a, K, n * n);
    for (let i = 0; i < n * n; i++) st(a, i, -ld(a, i));
    if (!solve(a, x, n, 1)) return false;
    if (fallback || expSlot) linearGamma(a, tau);
    else vanLoanGamma(a, tau);
    if (!solve(a, x, n, 1)) return false;
    if (mammillary && nd == 3) pinPeriodic(x);
    return true;
  }
  const r = SCR + 3 * PIECE;
  copy(r, x, n);
  if (dep != 0) {
    // no input to the depot in the cycle: its periodic amount is 0, whatever KA (at KA = 0 the
    // division was 0/0 and an SS dose into the central compartment "had no steady state")
    const xd = ld(r, 0) == 0.0 ? 0.0 : ld(r, 0) / -Math.expm1(-kaL * tau);
    if (!isFinite(xd)) return false;
    st(x, 0, xd);
    // the depot's periodic amount feeds the disposition block over one cycle: + Φ_Dd(τ)·x_d
    const s = slotFor(tau);
    const phi = SLOT_PHI + <usize>(s * MAXN * MAXN) * 8;
    for (let a = 0; a < nd; a++) st(r, 1 + a, ld(r, 1 + a) + ld(phi, (1 + a) * n) * xd);
  }
  return spectralSolve(x, r, tau);
}

/**
 * The LU solves leave rounding of either sign, ~ε·‖K‖ of the largest amount, in every state: the
 * depot of a 3cmt-oral model dosed SS into the central compartment read −1.4e-24 and −3.4e-22 where
 * its periodic amount is exactly 0 (the spectral branch pins it). A state with nothing put into it
 * over the cycle (b_i = 0) and no inflow (the depot; a peripheral with k1i = 0) is exactly 0; and as
 * (I − Φ)⁻¹ = Σ_k Φᵏ with Φ = e^{Kτ} ≥ 0 entrywise (K essentially non-negative), b ≥ 0 gives x ≥ 0,
 * so a negative amount there is rounding of a true value ≥ 0 and is clamped to 0.
 */
function pinPeriodic(x: usize): void {
  const c = dep;
  let nonneg = true;
  for (let i = 0; i < n; i++) if (ld(BSS, i) < 0.0) nonneg = false;
  if (dep != 0 && ld(BSS, 0) == 0.0) st(x, 0, 0.0);
  if (mK12 == 0.0 && ld(BSS, c + 1) == 0.0) st(x, c + 1, 0.0);
  if (mK13 == 0.0 && ld(BSS, c + 2) == 0.0) st(x, c + 2, 0.0);
  if (nonneg) for (let i = 0; i < n; i++) if (ld(x, i) < 0.0) st(x, i, 0.0);
}

/** x_D ← Σ_j P_j·r_D·w(μ_j) over the disposition block, w = 1/μ (τ = 0) or 1/(1 − e^{−μτ}). */
function spectralSolve(x: usize, r: usize, tau: f64): bool {
  const c = dep;
  for (let a = 0; a < nd; a++) st(x, c + a, 0.0);
  for (let j = 0; j < nd; j++) {
    const mu = ld(MU, j);
    const w = tau == 0.0 ? 1.0 / mu : 1.0 / -Math.expm1(-mu * tau);
    if (!isFinite(w)) return false;
    const pr = PROJ + <usize>(j * 9) * 8;
    for (let a = 0; a < nd; a++) {
      let v = 0.0;
      for (let b = 0; b < nd; b++) v += ld(pr, a * nd + b) * ld(r, c + b);
      st(x, c + a, ld(x, c + a) + w * v);
    }
  }
  for (let a = 0; a < nd; a++) if (!isFinite(ld(x, c + a))) return false;
  return true;
}
