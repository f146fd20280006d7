#!/usr/bin/env python3
"""Peer benchmark W-ode: non-linear ODE models on the W-b regimen, SciPy LSODA (odeint).

Models (the kernels of dosewise's built-ins, assembly/models/mm.ts and tmdd.ts):
* mm-oral: dAd/dt = -KA Ad; dA/dt = KA Ad - VMAX C/(KM + C) - CL/V A, C = A/V;
  typical V 50, VMAX 50, KM 2, KA 1.2, CL 5; IIV omega^2 VMAX 0.09, KM 0.25, KA 0.25.
* tmdd (full, one compartment): C = A/V, bind = KON C R - KOFF P;
  dA/dt = -KEL A - bind V; dR/dt = KSYN - KDEG R - bind; dP/dt = bind - KINT P; R(0) = KSYN/KDEG;
  typical V 3, KEL 0.1, KON 0.5, KOFF 0.05, KINT 0.2, KSYN 1, KDEG 0.25; IIV omega^2 KEL 0.09,
  V 0.04, KINT 0.09.
Regimen W-b: 500 mg every 12 h x 28 (depot for mm-oral, central for tmdd), hourly output 0..336 h.
odeint (LSODA) is restarted at every dose, rtol 1e-8, atol 1e-10, as a PK engine must.
Draws: numpy default_rng(seed), one (n, 3) standard-normal draw (same IIV, not the same subjects
as dosewise's).

Usage: python3 bench/scipy/ode.py --n 100
Prints ONE JSON line: per model, s_per_subject (wall, perf_counter), steps, rhs and jac
evaluations per subject, and the typical subject's output profile (337 values).
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy as np
import scipy
from scipy.integrate import odeint

DOSE, TAU, N_DOSES, T_END = 500.0, 12.0, 28, 336.0
RTOL, ATOL = 1e-8, 1e-10
DOSE_TIMES = [TAU * k for k in range(N_DOSES)]
SEGMENTS = []
for k, t0 in enumerate(DOSE_TIMES):
    t1 = DOSE_TIMES[k + 1] if k + 1 < N_DOSES else T_END
    SEGMENTS.append(np.arange(t0, t1 + 1.0, 1.0))

MM = {"V": 50.0, "VMAX": 50.0, "KM": 2.0, "KA": 1.2, "CL": 5.0}
MM_IIV = {"VMAX": 0.09, "KM": 0.25, "KA": 0.25}
TMDD = {"V": 3.0, "KEL": 0.1, "KON": 0.5, "KOFF": 0.05, "KINT": 0.2, "KSYN": 1.0, "KDEG": 0.25}
TMDD_IIV = {"KEL": 0.09, "V": 0.04, "KINT": 0.09}


def mm_model(p):
    v, vmax, km, ka, k10 = p["V"], p["VMAX"], p["KM"], p["KA"], p["CL"] / p["V"]

    def f(y, t):
        c = y[1] / v
        return [-ka * y[0], ka * y[0] - vmax * c / (km + c) - k10 * y[1]]

    def jac(y, t):
        c = y[1] / v
        return [[-ka, 0.0], [ka, -vmax * km / (km + c) ** 2 / v - k10]]

    return f, jac, np.zeros(2), 0, lambda y: y[:, 1] / v


def tmdd_model(p):
    v, kel, kon, koff, kint, ksyn, kdeg = (p[k] for k in ("V", "KEL", "KON", "KOFF", "KINT", "KSYN", "KDEG"))

    def f(y, t):
        a, r, pc = y
        bind = kon * (a / v) * r - koff * pc
        return [-kel * a - bind * v, ksyn - kdeg * r - bind, bind - kint * pc]

    def jac(y, t):
        a, r, pc = y
        return [[-kel - kon * r, -kon * a, koff * v], [-kon * r / v, -kdeg - kon * a / v, koff], [kon * r / v, kon * a / v, -koff - kint]]

    return f, jac, np.array([0.0, ksyn / kdeg, 0.0]), 0, lambda y: y[:, 0] / v


def simulate(build, p):
    f, jac, y, cmt, out = build(p)
    y = y.copy()
    rows, nst, nfe, nje = [], 0, 0, 0
    for k, grid in enumerate(SEGMENTS):
        y[cmt] += DOSE
        sol, info = odeint(f, y, grid, Dfun=jac, rtol=RTOL, atol=ATOL, full_output=True, mxstep=100000)
        if info["message"] != "Integration successful.":
            raise RuntimeError(info["message"])
        # an observation at a dose time sees the dose (as dosewise records it): the segment's first
        # row, not the previous segment's last
        rows.append(sol if k == len(SEGMENTS) - 1 else sol[:-1])
        y = sol[-1].copy()
        nst += int(info["nst"][-1])
        nfe += int(info["nfe"][-1])
        nje += int(info["nje"][-1])
    return out(np.vstack(rows)), nst, nfe, nje


def run(build, typ, iiv, n, rng):
    names = list(iiv)
    eta = rng.standard_normal((n, len(names)))
    subjects = []
    for i in range(n):
        p = dict(typ)
        for j, name in enumerate(names):
            p[name] = typ[name] * math.exp(math.sqrt(iiv[name]) * eta[i, j])
        subjects.append(p)
    typical, *_ = simulate(build, typ)
    steps = rhs = jacs = 0
    t0 = time.perf_counter()
    for p in subjects:
        _, s, r, j = simulate(build, p)
        steps += s
        rhs += r
        jacs += j
    dt = time.perf_counter() - t0
    return {"s_per_subject": dt / n, "steps": steps / n, "rhs": rhs / n, "jac": jacs / n, "typical": typical.tolist()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20240601)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    res = {"n": a.n, "mm": run(mm_model, MM, MM_IIV, a.n, rng), "tmdd": run(tmdd_model, TMDD, TMDD_IIV, a.n, rng),
           "scipy": scipy.__version__, "numpy": np.__version__}
    print(json.dumps(res))


if __name__ == "__main__":
    main()
