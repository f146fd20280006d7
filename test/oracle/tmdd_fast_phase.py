"""Exact exposures of the illustrative full TMDD model (examples/occupancy-tmdd.model.json) after a
bolus, where target binding is over within ~0.1 h (kon·R0 up to 500/h): for the metric sampling of
nomogram exposures and forecasts on ODE models (test/unit/design/tmdd-fast-phase.test.ts).

The integral of the concentration is a state of the ODE (Radau, rtol 1e-12); the periodic steady
state is the fixed point of one cycle (fsolve after 30 cycles); crossings by brentq on the dense
output. Run: python3 test/oracle/tmdd_fast_phase.py > test/oracle/tmdd-fast-phase.json
"""
import json

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq, fsolve

V, KEL, KON, KOFF, KINT, KDEG = 3.0, 0.005, 0.5, 0.05, 0.04, 0.02
TAU = 168.0


def rhs(t, y, ksyn):
    a, r, p, _ = y
    c = a / V
    b = KON * c * r - KOFF * p
    return [-KEL * a - b * V, ksyn - KDEG * r - b, b - KINT * p, c]


def cycle(y3, dose, ksyn, dense=False):
    y = np.r_[y3, 0.0]
    y[0] += dose
    return solve_ivp(rhs, (0, TAU), y, args=(ksyn,), method="Radau", rtol=1e-12, atol=1e-15, dense_output=dense)


def steady_state(r0, dose):
    ks = r0 * KDEG
    y = np.array([0.0, r0, 0.0])
    for _ in range(30):
        y = cycle(y, dose, ks).y[:3, -1]
    y = fsolve(lambda x: cycle(x, dose, ks).y[:3, -1] - x, y, xtol=1e-13)
    s = cycle(y, dose, ks)
    return {"R0": r0, "dose": dose, "cavg": s.y[3, -1] / TAU, "trough": s.y[0, -1] / V}


def single_dose(r0, dose, level):
    """AUC over [0, 168] and time above `level` after one bolus into the empty model at baseline."""
    ks = r0 * KDEG
    s = solve_ivp(rhs, (0, TAU), [dose, r0, 0.0, 0.0], args=(ks,), method="Radau", rtol=1e-12, atol=1e-15, dense_output=True)
    f = lambda t: s.sol(t)[0] / V - level
    ts = np.linspace(0, TAU, 400001)
    v = f(ts)
    crossings = [brentq(f, ts[j], ts[j + 1], xtol=1e-14) for j in np.where(np.sign(v[:-1]) != np.sign(v[1:]))[0]]
    above = 0.0
    edges = [0.0, *crossings, TAU]
    for a, b in zip(edges[:-1], edges[1:]):
        if f((a + b) / 2) > 0:
            above += b - a
    return {"R0": r0, "dose": dose, "level": level, "auc": s.y[3, -1], "above": above}


print(json.dumps({
    "source": "test/oracle/tmdd_fast_phase.py",
    "model": {"V": V, "KEL": KEL, "KON": KON, "KOFF": KOFF, "KINT": KINT, "KDEG": KDEG},
    "interval": TAU,
    "steadyState": [steady_state(10, 300.0), steady_state(100, 700.0), steady_state(1000, 2500.0)],
    "singleDose": [single_dose(100, 150.0, 1.0)],
}, indent=1))
