#!/usr/bin/env python3
"""Peer benchmark W-b: population simulation of a one-compartment oral model in SciPy.

Workload W-b
------------
* One-compartment model with first-order absorption:
      dAd/dt = -KA*Ad
      dAc/dt =  KA*Ad - (CL/V)*Ac,      C = Ac/V
  typical KA = 1.2 /h, CL = 5 L/h, V = 50 L.
* 500 mg bolus into the depot every 12 h for 14 days: 28 doses at
  t = 0, 12, ..., 324 h.
* Concentrations every hour, t = 0..336 h (337 points).
* Population: log-normal inter-individual variability,
  P_i = P_typ * exp(eta), eta ~ N(0, omega^2) with omega^2(CL) = 0.09,
  omega^2(V) = 0.04, omega^2(KA) = 0.25, drawn with numpy default_rng(seed)
  (one (n, 3) standard-normal draw, columns CL, V, KA).
* Tolerances rtol = 1e-8, atol = 1e-10.

Each solver integrates piecewise between doses, as a PK engine must: the
bolus is added to the depot, the solver is (re)started on [t_k, t_k+12]
(t_eval = the hourly grid of that interval), and the end state seeds the
next interval.  Solvers timed (same subjects for each):
  1. scipy.integrate.odeint         (LSODA from ODEPACK, Fortran loop)
  2. scipy.integrate.solve_ivp RK45 (pure-Python stepper)
  3. scipy.integrate.solve_ivp LSODA

Check value: C(24 h) = 4.27539936 mg/L for the typical parameters (the
dose given at 24 h is in the depot and does not change C(24)).  This is
asserted for every solver and against the closed-form superposition
solution before any timing is done.

Usage
-----
    python3 bench/scipy/wb.py --n 200 [--seed 20240601]

Prints ONE JSON line:
  {"n", "odeint_s_per_subject", "solve_ivp_rk45_s_per_subject",
   "solve_ivp_lsoda_s_per_subject", "check_c24", "seed", "scipy", "numpy"}
Times are wall-clock seconds per subject (time.perf_counter around the loop
over subjects; the RNG draw and the correctness gate are not timed).
check_c24 is odeint's C(24 h) for the typical subject.  n = 200 takes about
30 s in total on a current x86 core (RK45 dominates, ~0.11 s/subject).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time

import numpy as np
import scipy
from scipy.integrate import odeint, solve_ivp

KA_TYP, CL_TYP, V_TYP = 1.2, 5.0, 50.0
OMEGA2 = {"CL": 0.09, "V": 0.04, "KA": 0.25}
DOSE = 500.0
TAU = 12.0
N_DOSES = 28
DOSE_TIMES = [TAU * k for k in range(N_DOSES)]          # 0 .. 324
T_END = 336.0
OBS_TIMES = np.arange(0.0, T_END + 1.0, 1.0)             # 337 points
RTOL, ATOL = 1e-8, 1e-10
CHECK_C24 = 4.27539936

# segment k covers [DOSE_TIMES[k], next dose or T_END]; hourly grid incl. both ends
SEGMENTS = []
for k, t0 in enumerate(DOSE_TIMES):
    t1 = DOSE_TIMES[k + 1] if k + 1 < N_DOSES else T_END
    SEGMENTS.append((t0, t1, np.arange(t0, t1 + 1.0, 1.0)))
assert sum(len(g) - 1 for *_, g in SEGMENTS) + 1 == len(OBS_TIMES)


def simulate_odeint(ka, cl, v):
    ke = cl / v

    def f(y, t):
        ad = y[0]
        return [-ka * ad, ka * ad - ke * y[1]]

    out = np.empty(len(OBS_TIMES))
    y = np.zeros(2)
    i = 0
    for _t0, _t1, grid in SEGMENTS:
        y[0] += DOSE
        sol = odeint(f, y, grid, rtol=RTOL, atol=ATOL)
        m = len(grid) - 1
        out[i:i + m] = sol[:-1, 1]
        i += m
        y = sol[-1].copy()
    out[i] = y[1]
    return out / v


def simulate_solve_ivp(ka, cl, v, method):
    ke = cl / v

    def f(t, y):
        ad = y[0]
        return [-ka * ad, ka * ad - ke * y[1]]

    out = np.empty(len(OBS_TIMES))
    y = np.zeros(2)
    i = 0
    for t0, t1, grid in SEGMENTS:
        y[0] += DOSE
        sol = solve_ivp(f, (t0, t1), y, method=method, t_eval=grid, rtol=RTOL, atol=ATOL)
        if not sol.success:
            raise RuntimeError(sol.message)
        m = len(grid) - 1
        out[i:i + m] = sol.y[1, :-1]
        i += m
        y = sol.y[:, -1].copy()
    out[i] = y[1]
    return out / v


def analytic(ka, cl, v, t):
    """Closed-form superposition of single oral doses (ka != ke)."""
    ke = cl / v
    c = 0.0
    for td in DOSE_TIMES:
        if td <= t:
            dt = t - td
            c += DOSE * ka / (v * (ka - ke)) * (math.exp(-ke * dt) - math.exp(-ka * dt))
    return c


METHODS = [
    ("odeint_s_per_subject", lambda p: simulate_odeint(*p)),
    ("solve_ivp_rk45_s_per_subject", lambda p: simulate_solve_ivp(*p, "RK45")),
    ("solve_ivp_lsoda_s_per_subject", lambda p: simulate_solve_ivp(*p, "LSODA")),
]


def main(argv=None):
    ap = argparse.ArgumentParser(description="SciPy peer benchmark for workload W-b")
    ap.add_argument("--n", type=int, default=200, help="number of subjects")
    ap.add_argument("--seed", type=int, default=20240601, help="numpy default_rng seed")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("--n must be >= 1")

    # ---- correctness gate on the typical subject -----------------------------
    typ = (KA_TYP, CL_TYP, V_TYP)
    i24 = int(np.searchsorted(OBS_TIMES, 24.0))
    exact24 = analytic(*typ, 24.0)
    assert abs(exact24 - CHECK_C24) < 5e-9, exact24
    c24 = {}
    for key, fn in METHODS:
        c = fn(typ)
        assert c.shape == (337,)
        c24[key] = float(c[i24])
        assert abs(c24[key] - CHECK_C24) <= 1e-6 * CHECK_C24, (key, c24[key])
        # whole profile against the closed form
        ref = np.array([analytic(*typ, t) for t in OBS_TIMES])
        rel = np.max(np.abs(c[1:] - ref[1:]) / ref[1:])
        assert rel < 1e-5, (key, rel)

    # ---- population ------------------------------------------------------------
    rng = np.random.default_rng(args.seed)
    eta = rng.standard_normal((args.n, 3)) * np.sqrt([OMEGA2["CL"], OMEGA2["V"], OMEGA2["KA"]])
    cl = CL_TYP * np.exp(eta[:, 0])
    v = V_TYP * np.exp(eta[:, 1])
    ka = KA_TYP * np.exp(eta[:, 2])
    params = [(float(ka[j]), float(cl[j]), float(v[j])) for j in range(args.n)]

    result = {"n": args.n}
    sink = 0.0
    for key, fn in METHODS:
        t0 = time.perf_counter()
        for p in params:
            sink += fn(p)[-1]
        result[key] = (time.perf_counter() - t0) / args.n
    assert math.isfinite(sink)
    result["check_c24"] = c24["odeint_s_per_subject"]
    result["seed"] = args.seed
    result["scipy"] = scipy.__version__
    result["numpy"] = np.__version__
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
