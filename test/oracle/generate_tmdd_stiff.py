#!/usr/bin/env python3
"""SciPy reference solutions for the stiff method (Rodas5P at rtol <= 1e-8) on the full TMDD model.

W-ode's typical TMDD subject (bench/w-ode.ts: V 3, KEL 0.1, KON 0.5, KOFF 0.05, KINT 0.2, KSYN 1,
KDEG 0.25; 500 mg into the central compartment every 12 h), where binding at kon*C ~ 80 /h makes the
problem stiff, and the same with binding ten times faster (KON 5). Six doses (0-60 h); outputs
hourly from 0.5 h (never at a dose time) and 0.05 h and 0.2 h after each dose, inside the binding
transient.

Numerics: solve_ivp(method="Radau", rtol=1e-12, atol=1e-40 * 500) with the analytic Jacobian,
restarted at each dose (the bolus added to the free drug amount), outputs by t_eval; self-check:
the same at rtol 1e-13 and LSODA at rtol 1e-12; the largest relative difference is recorded.

    python3 test/oracle/generate_tmdd_stiff.py     # writes test/oracle/tmdd-stiff-fixtures.json
"""

import json
import sys

import numpy as np
import scipy
from scipy.integrate import solve_ivp

DOSE, TAU, NDOSE = 500.0, 12.0, 6
BASE = {"V": 3.0, "KEL": 0.1, "KON": 0.5, "KOFF": 0.05, "KINT": 0.2, "KSYN": 1.0, "KDEG": 0.25}
CASES = [("tmdd-w-ode-typical", BASE), ("tmdd-w-ode-kon5", {**BASE, "KON": 5.0})]


def model(p):
    v, kel, kon, koff, kint, ksyn, kdeg = (p[k] for k in ("V", "KEL", "KON", "KOFF", "KINT", "KSYN", "KDEG"))

    def f(t, y):
        a, r, pc = y
        bind = kon * (a / v) * r - koff * pc
        return [-kel * a - bind * v, ksyn - kdeg * r - bind, bind - kint * pc]

    def jac(t, y):
        a, r, pc = y
        return [[-kel - kon * r, -kon * a, koff * v], [-kon * r / v, -kdeg - kon * a / v, koff], [kon * r / v, kon * a / v, -koff - kint]]

    return f, jac, np.array([0.0, ksyn / kdeg, 0.0])


def times():
    out = []
    for k in range(NDOSE):
        t0 = TAU * k
        out += [t0 + 0.05, t0 + 0.2] + [t0 + h + 0.5 for h in range(int(TAU))]
    return sorted(set(out))


def solve(p, method, rtol):
    f, jac, y = model(p)
    ts = np.array(times())
    rows = []
    for k in range(NDOSE):
        y = y.copy()
        y[0] += DOSE
        t0, t1 = TAU * k, TAU * (k + 1)
        grid = ts[(ts > t0) & (ts < t1)]
        kw = {"jac": jac} if method in ("Radau", "LSODA") else {}
        s = solve_ivp(f, (t0, t1), y, method=method, rtol=rtol, atol=1e-40 * DOSE, t_eval=np.concatenate([grid, [t1]]), **kw)
        if not s.success:
            raise RuntimeError(s.message)
        rows += list(s.y.T[:-1])
        y = s.y[:, -1]
    return ts, np.array(rows)


def main():
    cases = []
    for name, p in CASES:
        ts, ref = solve(p, "Radau", 1e-12)
        check = {}
        for label, (m, rt) in {"radau_1e-13": ("Radau", 1e-13), "lsoda_1e-12": ("LSODA", 1e-12)}.items():
            _, other = solve(p, m, rt)
            check[label] = float(np.max(np.abs(other - ref) / np.maximum(np.abs(ref), 1e-300)))
        cases.append({
            "name": name, "parameters": p, "doses": [{"time": TAU * k, "cmt": 1, "amt": DOSE} for k in range(NDOSE)],
            "state_names": ["A", "R", "P"], "times": [float(t) for t in ts],
            "states": [[float(x) for x in row] for row in ref], "observed": [float(row[0] / p["V"]) for row in ref],
            "selfcheck_max_rel": check,
        })
        print(name, check, file=sys.stderr)
    out = {"generator": "test/oracle/generate_tmdd_stiff.py", "scipy": scipy.__version__, "numpy": np.__version__,
           "reference": "solve_ivp Radau rtol 1e-12, atol 1e-40*500, analytic Jacobian, restarted at each dose", "cases": cases}
    with open(sys.argv[1] if len(sys.argv) > 1 else "test/oracle/tmdd-stiff-fixtures.json", "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")


main()
