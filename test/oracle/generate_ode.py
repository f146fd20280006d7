#!/usr/bin/env python3
"""Independent ODE oracle fixtures for the dosewise engine.

What this computes
------------------
Reference solutions, produced with SciPy only (no dosewise code), for the
nonlinear / non-analytic models the engine must integrate numerically:

  * mm         one-compartment PK with Michaelis-Menten (+ optional linear)
               elimination, optional first-order absorption depot
  * tmdd       full target-mediated drug disposition (Mager & Jusko 2001)
  * tmdd-qss   quasi-steady-state TMDD approximation (total drug/receptor)
  * effect     two-compartment linear PK + effect compartment + sigmoid Emax
  * linear-3cmt-oral
               three-compartment linear PK with depot; reference computed
               EXACTLY with scipy.linalg.expm on the input-augmented system
               (independent of any ODE integrator), cross-checked against
               solve_ivp
  * claret     tumour-growth model (Claret 2009 form) with a time-varying
               exposure term, driven by a piecewise-constant DOSE covariate

Numerics
--------
* solve_ivp(method="Radau", rtol=1e-12, atol=1e-40 * scale) where ``scale``
  is the largest dose amount / initial state of the case (the atol actually
  used is recorded per case).  atol is effectively zero, i.e. pure relative
  error control, because with atol = 1e-14*scale the solvers disagree by up
  to O(1) at reported points where a state has decayed far below the dose
  scale (TMDD free drug reaches ~1e-15); see ATOL_FACTOR below.
* Integration is piecewise: the solver is restarted at every discontinuity
  (bolus times, infusion start/stop times, covariate change times). Boluses
  are added to the state at the start of a segment; infusion rates are
  constant inside a segment.
* Output times are produced with ``t_eval`` inside each segment.
* Convention at a discontinuity: values are RIGHT-continuous, i.e. an output
  time that coincides with a bolus reports the state AFTER the bolus has
  been applied (NONMEM ordering "dose record before observation record").
  An infusion starting at t contributes nothing at t itself.
* Self-check: every case is re-solved with LSODA and DOP853 at the same
  tolerances, and with Radau at the looser atol = 1e-14*scale; the maximum
  relative difference |a-b| / max(|a|,|b|) against the stored solution is
  printed and recorded in the case's "selfcheck" block, separately for the
  observed quantity and for all states.  linear-3cmt-oral stores the exact
  expm solution and is checked against Radau, LSODA and DOP853; the Claret
  cases are additionally checked against their closed-form solution.

How to rerun
------------
    python3 test/oracle/generate_ode.py            # writes test/oracle/ode-fixtures.json
    python3 test/oracle/generate_ode.py --out X    # write elsewhere

Runtime is a few seconds to a minute. Output is deterministic for a given
SciPy/NumPy build (versions are recorded in the JSON).

JSON layout (indent 1, floats printed with Python repr, i.e. shortest
round-trip representation):

{
 "generator": "test/oracle/generate_ode.py",
 "scipy": "<version>", "numpy": "<version>", "python": "<version>",
 "conventions": {...},
 "cases": [
  {"name", "kind", "depot": bool,
   "parameters": {NAME: value},
   "doses": [{"time", "cmt", "amt", "rate"}],   # cmt 1-based in state order;
                                                # rate 0 = bolus, >0 = zero-order
                                                # infusion lasting amt/rate
   "state_names": [...],
   "initial_state": [...],                      # state at t=0 before any dose
   "times": [...],
   "states": [[... all states ...] per time],
   "observed": [... per time],
   "observed_is": "description",
   "method": "...", "rtol": ..., "atol": ...,
   "selfcheck": {...}}
 ]
}
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import warnings

import numpy as np
import scipy
from scipy.integrate import solve_ivp
from scipy.linalg import expm

RTOL = 1e-12
# atol = ATOL_FACTOR * scale.  The brief asked for 1e-14*scale; with that
# setting Radau, LSODA and DOP853 disagree by up to O(1) relative at reported
# points where a state has decayed far below the dose scale (TMDD free drug
# ~1e-15, post-saturation MM tail), so the oracle would be wrong exactly where
# nonlinear models are hardest.  1e-40*scale is effectively pure relative
# error control; the 1e-14*scale solution is still computed and its distance
# from the stored one is recorded in each case's selfcheck.
ATOL_FACTOR = 1e-40
BRIEF_ATOL_FACTOR = 1e-14
GENERATOR = "test/oracle/generate_ode.py"


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def make_times(segments, extras=()):
    """Union of regular grids [(start, stop, step), ...] and extra times.

    Values are rounded to 10 decimals so that grid points are the exact
    decimal literals a test author would write (0.25, 0.5, ...).
    """
    ts = set()
    for start, stop, step in segments:
        n = int(math.floor((stop - start) / step + 1e-9))
        for i in range(n + 1):
            ts.add(round(start + i * step, 10))
    for t in extras:
        ts.add(round(float(t), 10))
    return sorted(ts)


def dose(time, cmt, amt, rate=0.0):
    return {"time": float(time), "cmt": int(cmt), "amt": float(amt), "rate": float(rate)}


def repeated(first, interval, count, cmt, amt, rate=0.0):
    return [dose(first + i * interval, cmt, amt, rate) for i in range(count)]


def breakpoints(doses, times, extra=()):
    bp = {0.0, float(times[-1])}
    for d in doses:
        bp.add(d["time"])
        if d["rate"] > 0:
            bp.add(d["time"] + d["amt"] / d["rate"])
    bp.update(float(x) for x in extra)
    return sorted(b for b in bp if 0.0 <= b <= times[-1])


def infusion_rates(doses, n_states, t_lo, t_hi):
    """Constant infusion input per state on the open segment (t_lo, t_hi)."""
    u = np.zeros(n_states)
    mid = 0.5 * (t_lo + t_hi)
    for d in doses:
        if d["rate"] > 0:
            end = d["time"] + d["amt"] / d["rate"]
            if d["time"] <= mid < end:
                u[d["cmt"] - 1] += d["rate"]
    return u


def boluses_at(doses, n_states, t):
    b = np.zeros(n_states)
    for d in doses:
        if d["rate"] == 0 and d["time"] == t:
            b[d["cmt"] - 1] += d["amt"]
    return b


def solve_piecewise(rhs, y0, doses, times, method, rtol, atol, extra_bp=()):
    """Integrate rhs(t, y, u) piecewise, restarting at each discontinuity.

    Returns an array (len(times), n_states) of right-continuous states.
    """
    times = np.asarray(times, dtype=float)
    n = len(y0)
    y = np.array(y0, dtype=float)
    out = np.full((len(times), n), np.nan)
    bps = breakpoints(doses, times, extra_bp)
    for i, t0 in enumerate(bps):
        y = y + boluses_at(doses, n, t0)
        last = i == len(bps) - 1
        if last:
            mask = times == t0
            out[mask] = y
            break
        t1 = bps[i + 1]
        mask = (times >= t0) & (times < t1)
        u = infusion_rates(doses, n, t0, t1)
        teval = np.concatenate([times[mask], [t1]])
        sol = solve_ivp(lambda t, yy: rhs(t, yy, u), (t0, t1), y, method=method,
                        t_eval=teval, rtol=rtol, atol=atol)
        if not sol.success:
            raise RuntimeError(f"{method} failed on [{t0}, {t1}]: {sol.message}")
        out[mask] = sol.y[:, :-1].T
        y = sol.y[:, -1].copy()
    assert not np.isnan(out).any(), "some output time not covered"
    return out


def max_rel(a, b):
    """max |a-b| / max(|a|,|b|) elementwise, with 0/0 counted as 0."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    den = np.maximum(np.abs(a), np.abs(b))
    diff = np.abs(a - b)
    r = np.where(den > 0, diff / np.where(den > 0, den, 1.0), 0.0)
    return float(np.max(r))


# ---------------------------------------------------------------------------
# models: each returns (state_names, y0, rhs(t, y, u), observe(t, Y) -> obs)
# ---------------------------------------------------------------------------

def model_mm(p, depot):
    V, VMAX, KM = p["V"], p["VMAX"], p["KM"]
    k10 = p.get("CL", 0.0) / V
    KA = p.get("KA", 0.0)

    if depot:
        def rhs(t, y, u):
            ad, a = y
            c = a / V
            return [u[0] - KA * ad,
                    u[1] + KA * ad - VMAX * c / (KM + c) - k10 * a]
        names = ["depot", "central"]
    else:
        def rhs(t, y, u):
            a = y[0]
            c = a / V
            return [u[0] - VMAX * c / (KM + c) - k10 * a]
        names = ["central"]

    def observe(t, Y):
        return Y[:, -1] / V
    return names, [0.0] * len(names), rhs, observe


def model_tmdd(p, depot):
    V, KEL, KON, KOFF, KINT, KSYN, KDEG = (p[k] for k in
                                            ("V", "KEL", "KON", "KOFF", "KINT", "KSYN", "KDEG"))
    KA = p.get("KA", 0.0)
    R0 = KSYN / KDEG
    off = 1 if depot else 0

    def rhs(t, y, u):
        ad = y[0] if depot else 0.0
        a, r, pc = y[off], y[off + 1], y[off + 2]
        c = a / V
        bind = KON * c * r - KOFF * pc          # concentration/time
        d = [u[off] + KA * ad - KEL * a - bind * V,
             u[off + 1] + KSYN - KDEG * r - bind,
             u[off + 2] + bind - KINT * pc]
        if depot:
            return [u[0] - KA * ad] + d
        return d

    names = (["depot"] if depot else []) + ["A_free", "R_free", "P_complex"]
    y0 = ([0.0] if depot else []) + [0.0, R0, 0.0]

    def observe(t, Y):
        return Y[:, off] / V
    return names, y0, rhs, observe


def qss_free(ctot, rtot, kss):
    """Free drug concentration of the QSS model, cancellation-free form.

    C = 0.5*((Ctot-Rtot-KSS) + sqrt((Ctot-Rtot-KSS)^2 + 4*KSS*Ctot)); when
    x = Ctot-Rtot-KSS < 0 the algebraically identical
    C = 2*KSS*Ctot / (sqrt(x^2 + 4*KSS*Ctot) - x) avoids cancellation.
    """
    x = ctot - rtot - kss
    s = math.sqrt(x * x + 4.0 * kss * ctot)
    if x >= 0:
        return 0.5 * (x + s)
    den = s - x
    return 0.0 if den == 0 else 2.0 * kss * ctot / den


def model_tmdd_qss(p, depot):
    V, KEL, KSS, KINT, KSYN, KDEG = (p[k] for k in ("V", "KEL", "KSS", "KINT", "KSYN", "KDEG"))
    KA = p.get("KA", 0.0)
    off = 1 if depot else 0

    def rhs(t, y, u):
        ad = y[0] if depot else 0.0
        atot, rtot = y[off], y[off + 1]
        ctot = atot / V
        c = qss_free(ctot, rtot, KSS)
        d = [u[off] + KA * ad - KEL * c * V - KINT * (ctot - c) * V,
             u[off + 1] + KSYN - KDEG * rtot - (KINT - KDEG) * (ctot - c)]
        if depot:
            return [u[0] - KA * ad] + d
        return d

    names = (["depot"] if depot else []) + ["A_total", "R_total"]
    y0 = ([0.0] if depot else []) + [0.0, KSYN / KDEG]

    def observe(t, Y):
        return np.array([qss_free(row[off] / V, row[off + 1], KSS) for row in Y])
    return names, y0, rhs, observe


def model_effect(p, depot):
    CL, V, Q, V2, KE0 = p["CL"], p["V"], p["Q"], p["V2"], p["KE0"]
    E0, EMAX, EC50, GAM = p["E0"], p["EMAX"], p["EC50"], p["GAMMA"]
    KA = p.get("KA", 0.0)
    k10, k12, k21 = CL / V, Q / V, Q / V2
    off = 1 if depot else 0

    def rhs(t, y, u):
        ad = y[0] if depot else 0.0
        ac, ap, ce = y[off], y[off + 1], y[off + 2]
        d = [u[off] + KA * ad - (k10 + k12) * ac + k21 * ap,
             u[off + 1] + k12 * ac - k21 * ap,
             u[off + 2] + KE0 * (ac / V - ce)]
        if depot:
            return [u[0] - KA * ad] + d
        return d

    names = (["depot"] if depot else []) + ["central", "peripheral", "effect_Ce"]

    def observe(t, Y):
        ce = np.maximum(Y[:, off + 2], 0.0)
        ceg = ce ** GAM
        return E0 + EMAX * ceg / (EC50 ** GAM + ceg)
    return names, [0.0] * len(names), rhs, observe


def linear3_matrix(p):
    CL, V, Q, V2, Q3, V3, KA = (p[k] for k in ("CL", "V", "Q", "V2", "Q3", "V3", "KA"))
    k10, k12, k21, k13, k31 = CL / V, Q / V, Q / V2, Q3 / V, Q3 / V3
    # state order: depot, central, p1, p2
    return np.array([
        [-KA, 0.0, 0.0, 0.0],
        [KA, -(k10 + k12 + k13), k21, k31],
        [0.0, k12, -k21, 0.0],
        [0.0, k13, 0.0, -k31],
    ])


def model_linear3(p, depot):
    K = linear3_matrix(p)

    def rhs(t, y, u):
        return K @ y + u

    def observe(t, Y):
        return Y[:, 1] / p["V"]
    return ["depot", "central", "peripheral1", "peripheral2"], [0.0] * 4, rhs, observe


def solve_linear_expm(K, y0, doses, times):
    """Exact piecewise solution of y' = K y + u via expm of [[K, u], [0, 0]]."""
    times = np.asarray(times, dtype=float)
    n = K.shape[0]
    y = np.array(y0, dtype=float)
    out = np.full((len(times), n), np.nan)
    bps = breakpoints(doses, times)
    for i, t0 in enumerate(bps):
        y = y + boluses_at(doses, n, t0)
        if i == len(bps) - 1:
            out[times == t0] = y
            break
        t1 = bps[i + 1]
        u = infusion_rates(doses, n, t0, t1)
        M = np.zeros((n + 1, n + 1))
        M[:n, :n] = K
        M[:n, n] = u
        z = np.append(y, 1.0)
        idx = np.nonzero((times >= t0) & (times < t1))[0]
        for j in idx:
            out[j] = (expm(M * (times[j] - t0)) @ z)[:n]
        y = (expm(M * (t1 - t0)) @ z)[:n]
    assert not np.isnan(out).any()
    return out


def claret_dose(t, schedule):
    """Piecewise-constant DOSE covariate: list of (lo, hi, value), (lo, hi]."""
    for lo, hi, val in schedule:
        if lo < t <= hi:
            return val
    return schedule[-1][2] if t > schedule[-1][1] else schedule[0][2]


def model_claret(p):
    """Returns (state_names, y0, rhs(t, y, dose_value))."""
    KG, KS0, GAM = p["KG"], p["KS0"], p["GAMMA"]

    def rhs(t, y, dval):
        return [KG * y[0] - KS0 * math.exp(-GAM * t) * math.log(dval) * y[0]]
    return ["tumour_size"], [p["BASE"]], rhs


def claret_analytic(p, schedule, times):
    """Closed form: d ln A/dt = KG - KS0 ln(DOSE) e^{-GAMMA t}."""
    KG, KS0, GAM, BASE = p["KG"], p["KS0"], p["GAMMA"], p["BASE"]
    cuts = sorted({lo for lo, _, _ in schedule} | {hi for _, hi, _ in schedule})
    res = []
    for t in times:
        lnA = math.log(BASE) + KG * t
        pts = [0.0] + [c for c in cuts if 0.0 < c < t] + [t]
        for a, b in zip(pts[:-1], pts[1:]):
            dv = claret_dose(0.5 * (a + b), schedule)
            lnA -= KS0 * math.log(dv) * (math.exp(-GAM * a) - math.exp(-GAM * b)) / GAM
        res.append(math.exp(lnA))
    return np.array(res)


def solve_claret(p, schedule, times, method, rtol, atol):
    names, y0, rhs = model_claret(p)
    times = np.asarray(times, dtype=float)
    cuts = sorted({c for lo, hi, _ in schedule for c in (lo, hi)
                   if 0.0 < c < times[-1]})
    bps = sorted({0.0, float(times[-1])} | set(cuts))
    y = np.array(y0, dtype=float)
    out = np.full((len(times), 1), np.nan)
    for i, t0 in enumerate(bps):
        if i == len(bps) - 1:
            out[times == t0] = y
            break
        t1 = bps[i + 1]
        # DOSE is constant inside a segment (segments split at change points)
        dval = claret_dose(0.5 * (t0 + t1), schedule)
        mask = (times >= t0) & (times < t1)
        sol = solve_ivp(lambda t, yy: rhs(t, yy, dval), (t0, t1), y, method=method,
                        t_eval=np.concatenate([times[mask], [t1]]), rtol=rtol, atol=atol)
        assert sol.success, sol.message
        out[mask] = sol.y[:, :-1].T
        y = sol.y[:, -1].copy()
    return out


# ---------------------------------------------------------------------------
# case definitions
# ---------------------------------------------------------------------------

MODELS = {"mm": model_mm, "tmdd": model_tmdd, "tmdd-qss": model_tmdd_qss,
          "effect": model_effect, "linear-3cmt-oral": model_linear3}

OBSERVED_IS = {
    "mm": "central concentration C = A_central / V",
    "tmdd": "free drug concentration C = A_free / V",
    "tmdd-qss": "free drug concentration C from the QSS closed form of (A_total/V, R_total, KSS)",
    "effect": "response E = E0 + EMAX*Ce^GAMMA / (EC50^GAMMA + Ce^GAMMA)",
    "linear-3cmt-oral": "central concentration C = A_central / V",
    "claret": "tumour size A",
}


def cases():
    cs = []

    # --- Michaelis-Menten -------------------------------------------------
    mm_base = {"V": 50.0, "VMAX": 100.0, "KM": 5.0, "CL": 0.0}
    cs.append(dict(
        name="mm-iv-bolus", kind="mm", depot=False, parameters=dict(mm_base),
        doses=[dose(0, 1, 1000)],
        times=make_times([(0, 2, 0.25), (2, 48, 1)], [0.1, 3.3, 7.77, 13.5, 19.01, 26.2, 33.333, 41.9])))
    cs.append(dict(
        name="mm-oral-multiple", kind="mm", depot=True,
        parameters={"KA": 1.0, "V": 50.0, "VMAX": 50.0, "KM": 2.0, "CL": 1.0},
        doses=repeated(0, 12, 6, 1, 500),
        times=make_times([(0, 2, 0.25), (2, 96, 2)],
                         [0.1, 11.99, 12.01, 12.5, 23.99, 24.25, 36.7, 59.999, 60.5, 61, 71.3, 85.15])))
    cs.append(dict(
        name="mm-infusion", kind="mm", depot=False, parameters=dict(mm_base),
        doses=[dose(0, 1, 1000, 500), dose(24, 1, 1000, 500)],
        times=make_times([(0, 3, 0.25), (3, 48, 1)], [0.1, 1.99, 2.01, 23.9, 24.5, 25.99, 26.01, 30.7, 39.25])))
    cs.append(dict(
        name="mm-saturated", kind="mm", depot=False,
        parameters={"V": 50.0, "VMAX": 100.0, "KM": 0.5, "CL": 0.0},
        doses=[dose(0, 1, 5000)],
        times=make_times([(0, 2, 0.25), (2, 56, 2), (47, 53, 0.5)], [0.1, 9.5, 25.3, 45.1, 55])))

    # --- full TMDD ----------------------------------------------------------
    tm = {"V": 3.0, "KEL": 0.1, "KON": 0.5, "KOFF": 0.05, "KINT": 0.2, "KSYN": 1.0, "KDEG": 0.25}
    tmdd_times = make_times([(0, 2, 0.25), (2, 24, 2), (24, 168, 4)],
                            [0.05, 0.1, 3.3, 7.7, 13.1, 30.5, 50.25, 71.9, 72.1, 73, 75, 99.5, 121.3, 150.7])
    cs.append(dict(name="tmdd-iv", kind="tmdd", depot=False, parameters=dict(tm),
                   doses=[dose(0, 1, 30)], times=tmdd_times))
    cs.append(dict(name="tmdd-stiff", kind="tmdd", depot=False,
                   parameters=dict(tm, KON=100.0, KOFF=1.0),
                   doses=[dose(0, 1, 10), dose(72, 1, 100)], times=tmdd_times))
    cs.append(dict(name="tmdd-oral", kind="tmdd", depot=True, parameters=dict(tm, KA=0.5),
                   doses=repeated(0, 24, 5, 1, 200),
                   times=make_times([(0, 2, 0.25), (4, 168, 4)],
                                    [0.1, 3, 5, 23.99, 24.5, 25, 47.9, 49, 71, 95.99, 96.5, 98, 101.1, 130.3])))
    cs.append(dict(name="tmdd-high-R0", kind="tmdd", depot=False, parameters=dict(tm, KSYN=5.0),
                   doses=[dose(0, 1, 30)], times=tmdd_times,
                   note="R0 = KSYN/KDEG = 20, a 5x larger target sink than tmdd-iv: free C falls from 10 "
                        "to ~0.09 within 1 h (tmdd-iv: ~5.1), and total drug A_free + V*P_complex declines "
                        "FASTER than in tmdd-iv (24.9 vs 26.3 at 1 h, 6.2 vs 8.1 at 8 h) because bound drug "
                        "is internalised at KINT 0.2 > KEL 0.1"))

    # --- QSS TMDD -----------------------------------------------------------
    qs = {"V": 3.0, "KEL": 0.1, "KSS": 0.6, "KINT": 0.2, "KSYN": 1.0, "KDEG": 0.25}
    cs.append(dict(name="tmdd-qss-iv", kind="tmdd-qss", depot=False, parameters=dict(qs),
                   doses=[dose(0, 1, 30), dose(72, 1, 30)], times=tmdd_times))
    cs.append(dict(name="tmdd-qss-infusion", kind="tmdd-qss", depot=False, parameters=dict(qs),
                   doses=[dose(0, 1, 60, 30)],
                   times=make_times([(0, 3, 0.25), (3, 24, 1), (24, 120, 4)],
                                    [0.1, 1.99, 2.01, 5.5, 17.3, 30.7, 61.1, 99.9])))

    # --- effect compartment ------------------------------------------------
    cs.append(dict(
        name="effect-emax-iv", kind="effect", depot=False,
        parameters={"CL": 5.0, "V": 20.0, "Q": 3.0, "V2": 40.0, "KE0": 0.7,
                    "E0": 10.0, "EMAX": 80.0, "EC50": 2.0, "GAMMA": 2.5},
        doses=repeated(0, 12, 4, 1, 200, 200),
        times=make_times([(0, 2, 0.25), (2, 60, 1)],
                         [0.1, 0.99, 1.01, 1.5, 12.5, 12.99, 13.01, 24.1, 36.5, 37.5, 47.3])))

    # --- linear three-compartment oral (expm reference) --------------------
    cs.append(dict(
        name="linear-3cmt-oral", kind="linear-3cmt-oral", depot=True,
        parameters={"CL": 3.0, "V": 20.0, "Q": 5.0, "V2": 30.0, "Q3": 1.0, "V3": 100.0, "KA": 0.9},
        doses=sorted(repeated(0, 8, 9, 1, 100) + [dose(30, 2, 50, 25)], key=lambda d: (d["time"], d["cmt"])),
        times=make_times([(0, 2, 0.25), (2, 96, 2)],
                         [0.1, 7.99, 8.01, 29.99, 30.5, 31, 31.99, 32.01, 33, 55.5, 64.1, 65, 79.3])))

    # --- Claret tumour growth ------------------------------------------------
    cl = {"BASE": 70.0, "KG": 0.6, "KS0": 0.4, "GAMMA": 0.8}
    claret_times = make_times([(0, 1, 0.1)], [0.05, 0.25, 0.33, 0.401, 0.45, 0.499, 0.55, 0.77, 0.95])
    cs.append(dict(name="claret-constant-dose", kind="claret", depot=False,
                   parameters=dict(cl, DOSE=10.0), doses=[], times=claret_times,
                   dose_covariate=[{"from_exclusive": 0.0, "to_inclusive": 1.0, "DOSE": 10.0}],
                   schedule=[(-math.inf, math.inf, 10.0)]))
    cs.append(dict(name="claret-dose-change", kind="claret", depot=False,
                   parameters=dict(cl, DOSE=10.0), doses=[], times=claret_times,
                   dose_covariate=[{"from_exclusive": 0.0, "to_inclusive": 0.4, "DOSE": 10.0},
                                   {"from_exclusive": 0.4, "to_inclusive": 0.5, "DOSE": 5.0},
                                   {"from_exclusive": 0.5, "to_inclusive": 1.0, "DOSE": 10.0}],
                   schedule=[(-math.inf, 0.4, 10.0), (0.4, 0.5, 5.0), (0.5, math.inf, 10.0)],
                   note="DOSE is a time-varying covariate: 5 on (0.4, 0.5], 10 elsewhere; "
                        "parameters.DOSE is the baseline value"))
    return cs


# ---------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------

def case_scale(c, y0):
    amts = [d["amt"] for d in c["doses"]] + [abs(v) for v in y0] + [1.0]
    return max(amts)


def run_case(c):
    times = np.asarray(c["times"], dtype=float)
    name = c["name"]
    result = {k: c[k] for k in ("name", "kind", "depot", "parameters", "doses")}
    if "dose_covariate" in c:
        result["dose_covariate"] = c["dose_covariate"]
    if "note" in c:
        result["note"] = c["note"]

    if c["kind"] == "claret":
        p = c["parameters"]
        sched = c["schedule"]
        names, y0, _ = model_claret(p)
        scale = case_scale(c, y0)
        atol = ATOL_FACTOR * scale
        Y = solve_claret(p, sched, times, "Radau", RTOL, atol)
        obs = Y[:, 0]
        checks = {}
        for m in ("LSODA", "DOP853"):
            Ym = solve_claret(p, sched, times, m, RTOL, atol)
            checks[m] = {"observed": max_rel(obs, Ym[:, 0]), "states": max_rel(Y, Ym)}
        Yb = solve_claret(p, sched, times, "Radau", RTOL, BRIEF_ATOL_FACTOR * scale)
        checks["Radau_atol_1e-14_scale"] = {"observed": max_rel(obs, Yb[:, 0]), "states": max_rel(Y, Yb)}
        ya = claret_analytic(p, sched, times)
        checks["analytic"] = {"observed": max_rel(obs, ya), "states": max_rel(Y[:, 0], ya)}
        method = "Radau"
    else:
        names, y0, rhs, observe = MODELS[c["kind"]](c["parameters"], c["depot"])
        scale = case_scale(c, y0)
        atol = ATOL_FACTOR * scale
        checks = {}
        if c["kind"] == "linear-3cmt-oral":
            Y = solve_linear_expm(linear3_matrix(c["parameters"]), y0, c["doses"], times)
            method = "expm"
            alts = ("Radau", "LSODA", "DOP853")
        else:
            Y = solve_piecewise(rhs, y0, c["doses"], times, "Radau", RTOL, atol)
            method = "Radau"
            alts = ("LSODA", "DOP853")
        obs = observe(times, Y)
        runs = [(m, m, atol) for m in alts]
        runs.append(("Radau_atol_1e-14_scale", "Radau", BRIEF_ATOL_FACTOR * scale))
        for label, m, at in runs:
            Ym = solve_piecewise(rhs, y0, c["doses"], times, m, RTOL, at)
            checks[label] = {"observed": max_rel(obs, observe(times, Ym)), "states": max_rel(Y, Ym)}

    assert np.all(np.isfinite(Y)) and np.all(np.isfinite(obs)), name
    result.update({
        "state_names": names,
        "initial_state": [float(v) for v in y0],
        "times": [float(t) for t in times],
        "states": [[float(v) for v in row] for row in Y],
        "observed": [float(v) for v in obs],
        "observed_is": OBSERVED_IS[c["kind"]],
        "method": method,
        "rtol": RTOL,
        "atol": atol,
        "selfcheck": {"max_rel_diff_vs": checks},
    })
    desc = "  ".join(f"{k} {v['observed']:.1e}/{v['states']:.1e}" for k, v in checks.items())
    print(f"{name:21s} n={len(times):2d} [{method}] max rel diff obs/states vs: {desc}")
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "ode-fixtures.json"))
    args = ap.parse_args(argv)

    warnings.simplefilter("error", RuntimeWarning)  # fail loudly on overflow/NaN
    results = [run_case(c) for c in cases()]
    doc = {
        "generator": GENERATOR,
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "description": "Independent SciPy reference solutions for nonlinear PK/PD models "
                       "(see the generator's docstring for equations and numerics).",
        "conventions": {
            "cmt": "1-based index into state_names",
            "rate": "0 = bolus; >0 = zero-order infusion of amt at rate, duration amt/rate",
            "discontinuities": "solver restarted at every dose, infusion start/end and covariate change",
            "same_time_dose_and_output": "right-continuous: output at a bolus time includes the bolus",
            "initial_state": "state at t=0 before any dose (TMDD receptor starts at KSYN/KDEG)",
            "selfcheck": "max over times of |a-b|/max(|a|,|b|) (0/0 = 0), separately for observed "
                         "and for all states, stored solution vs each alternative solver; "
                         "'Radau_atol_1e-14_scale' = Radau with the looser atol=1e-14*scale",
            "atol": "atol = 1e-40*scale (effectively pure relative control), scale = largest dose "
                    "amount or initial state of the case",
        },
        "cases": results,
    }
    with open(args.out, "w") as fh:
        json.dump(doc, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print(f"wrote {len(results)} cases to {os.path.relpath(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
