#!/usr/bin/env python3
"""Steps and right-hand-side evaluations of SciPy's integrators on W-ode's typical TMDD subject.

The full TMDD model of bench/scipy/ode.py (typical parameters, no IIV), 500 mg into the central
compartment every 12 h x 28, restarted at each dose, rtol 1e-8, atol 1e-10; the implicit methods get
the Jacobian. Prints one line per method: steps, rhs evaluations, wall seconds. The README's W-ode
TMDD row quotes these counts: how many steps any method needs on this problem.

Usage: python3 bench/scipy/tmdd-steps.py
"""

import time

from scipy.integrate import solve_ivp

from ode import TMDD, tmdd_model  # the same model as the W-ode peer benchmark

f_odeint, jac_odeint, Y0, _, _ = tmdd_model(TMDD)


def f(t, y):
    return f_odeint(y, t)


def jac(t, y):
    return jac_odeint(y, t)


for method in ["RK45", "DOP853", "Radau", "BDF", "LSODA"]:
    y = Y0.copy()
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
