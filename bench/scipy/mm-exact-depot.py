#!/usr/bin/env python3
"""W-ode's Michaelis–Menten oral model with the depot integrated or in closed form: work against accuracy.

SciPy's DOP853 (solve_ivp, restarted at each dose, rtol as given, atol 1e-10) on the mm-oral model of
bench/scipy/ode.py, W-b regimen (500 mg every 12 h x 28 into the depot, hourly outputs 0..336 h):
* 2 states: depot and central integrated together (the engine's way), the error norm over both;
* 1 state: the depot in closed form between doses, Ad(t) = Ad0 e^(-KA (t - t0)), the integrator
  carrying the central amount alone with KA Ad(t) as a known input (the lever issue 13 names).
Subjects: IIV on VMAX, KM, KA as W-ode (numpy default_rng(7), not the engine's draws). Accuracy:
largest and median 99th-percentile relative error of the concentrations (|C| > 1e-9) against the
2-state solve at rtol 1e-13. Prints one line per variant: the README's W-ode row quotes them.

Usage: python3 bench/scipy/mm-exact-depot.py [n_subjects, default 40]
"""

import math
import sys

import numpy as np
from scipy.integrate import solve_ivp

from ode import DOSE, MM, MM_IIV, N_DOSES, T_END, TAU

N_SUBJECTS = int(sys.argv[1]) if len(sys.argv) > 1 else 40
rng = np.random.default_rng(7)
SUBJECTS = []
for _ in range(N_SUBJECTS):
    z = rng.standard_normal(3)
    p = dict(MM)
    for k, name in enumerate(["VMAX", "KM", "KA"]):
        p[name] = MM[name] * math.exp(math.sqrt(MM_IIV[name]) * z[k])
    SUBJECTS.append(p)
SEGMENTS = [(TAU * k, TAU * (k + 1) if k + 1 < N_DOSES else T_END) for k in range(N_DOSES)]


def run(p, states, rtol, atol=1e-10):
    v, vmax, km, ka, k10 = p["V"], p["VMAX"], p["KM"], p["KA"], p["CL"] / p["V"]
    ad, a, out, nfev = 0.0, 0.0, [], 0
    for t0, t1 in SEGMENTS:
        ad += DOSE
        t_eval = np.arange(t0, t1 + 1e-9, 1.0)
        if states == 2:
            r = solve_ivp(lambda t, y: [-ka * y[0], ka * y[0] - k10 * y[1] - vmax * y[1] / (km * v + y[1])],
                          (t0, t1), [ad, a], method="DOP853", rtol=rtol, atol=atol, t_eval=t_eval)
            ad, a, central = r.y[0, -1], r.y[1, -1], r.y[1]
        else:
            ad0 = ad
            r = solve_ivp(lambda t, y: [ka * ad0 * math.exp(-ka * (t - t0)) - k10 * y[0] - vmax * y[0] / (km * v + y[0])],
                          (t0, t1), [a], method="DOP853", rtol=rtol, atol=atol, t_eval=t_eval)
            a, ad, central = r.y[0, -1], ad0 * math.exp(-ka * (t1 - t0)), r.y[0]
        nfev += r.nfev
        out.extend((central[:-1] if t1 < T_END else central) / v)
    return np.array(out), nfev


REFS = [run(p, 2, 1e-13, 1e-15)[0] for p in SUBJECTS]
for states, rtol in [(2, 1e-8), (1, 1e-8), (1, 3e-9), (1, 1e-9), (1, 3e-10), (2, 1e-9)]:
    worst, p99s, nfev = 0.0, [], 0
    for p, ref in zip(SUBJECTS, REFS):
        x, n = run(p, states, rtol)
        m = np.abs(ref) > 1e-9
        rel = np.abs((x[m] - ref[m]) / ref[m])
        worst = max(worst, rel.max())
        p99s.append(np.percentile(rel, 99))
        nfev += n
    print(f"{states} state(s), rtol {rtol:g}: rhs per subject {nfev / N_SUBJECTS:.0f}, "
          f"max rel. error {worst:.2e}, median 99th percentile {np.median(p99s):.2e}", flush=True)
