#!/usr/bin/env python3
"""Steps and right-hand-side evaluations of SciPy's integrators on W-ode's typical TMDD subject.

The full TMDD model of bench/scipy/ode.py (typical parameters, no IIV), 500 mg into the central
compartment every 12 h x 28, restarted at each dose, rtol 1e-8, atol 1e-10; the implicit methods get
the Jacobian. Prints one line per method: steps, rhs evaluations, wall seconds. The README's W-ode
TMDD row quotes these counts: how many steps any method needs on this problem.

Usage: python3 bench/scipy/tmdd-steps.py
"""

import time

import numpy as np
from scipy.integrate import solve_ivp

V, KEL, KON, KOFF, KINT, KSYN, KDEG = 3.0, 0.1, 0.5, 0.05, 0.2, 1.0, 0.25


def f(_t, y):
    a, r, pc = y
    b = KON * (a / V) * r - KOFF * pc
    return [-KEL * a - b * V, KSYN - KDEG * r - b, b - KINT * pc]


def jac(_t, y):
    a, r, _pc = y
    return [[-KEL - KON * r, -KON * a, KOFF * V], [-KON * r / V, -KDEG - KON * a / V, KOFF], [KON * r / V, KON * a / V, -KOFF - KINT]]


for method in ["RK45", "DOP853", "Radau", "BDF", "LSODA"]:
    y = np.array([0.0, KSYN / KDEG, 0.0])
    steps = rhs = 0
    t0 = time.perf_counter()
    for k in range(28):
        y[0] += 500.0
        implicit = method in ("Radau", "BDF", "LSODA")
        s = solve_ivp(f, (12.0 * k, 12.0 * k + 12.0), y, method=method, rtol=1e-8, atol=1e-10, **({"jac": jac} if implicit else {}))
        steps += len(s.t) - 1
        rhs += s.nfev
        y = s.y[:, -1]
    print(f"{method}: {steps} steps, {rhs} rhs, {time.perf_counter() - t0:.2f} s")
