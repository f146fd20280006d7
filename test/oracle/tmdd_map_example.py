# Reference for examples/user-models/tmdd-map.model on examples/user-models/tmdd-patient.csv (the
# README's model text and its `dosewise estimate` example): the full TMDD (Mager & Jusko 2001) with
# KELi = KEL*exp(ETA_KEL) (WT at its default 70), 30 nmol at 0 and 24 h, proportional error 0.1,
# ETA_KEL variance 0.09. The levels were made once from the model at ETA_KEL = 0.3 times fixed
# factors (1.04, 0.95, 1.02), rounded to 4 significant digits. MAP: scipy minimize_scalar of
# -2 log posterior (without constants) with the ODE in Radau at rtol 1e-12, atol 1e-14. The csv
# carries WT 70 on every row (the default), so that estimate says no W_COVARIATE_DEFAULT.
# Run: python3 test/oracle/tmdd_map_example.py > test/oracle/tmdd-map-example.json
import json
import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import minimize_scalar

V, KEL, KON, KOFF, KINT, KSYN, KDEG = 3, 0.1, 0.5, 0.05, 0.2, 1, 0.25
DOSES = [(0.0, 30.0), (24.0, 30.0)]
TIMES = [2.0, 8.0, 30.0]


def rhs(k):
    def f(t, y):
        a, r, p = y
        b = KON * (a / V) * r - KOFF * p
        return [-k * a - b * V, KSYN - KDEG * r - b, b - KINT * p]
    return f


def pred(eta):
    k = KEL * np.exp(eta)
    y = np.array([0.0, KSYN / KDEG, 0.0])
    t = 0.0
    out = []
    events = sorted([(d, 'dose', a) for d, a in DOSES] + [(s, 'obs', 0) for s in TIMES], key=lambda e: (e[0], e[1] == 'obs'))
    for te, kind, amt in events:
        if te > t:
            s = solve_ivp(rhs(k), (t, te), y, method='Radau', rtol=1e-12, atol=1e-14)
            y = s.y[:, -1]
            t = te
        if kind == 'dose':
            y = y.copy()
            y[0] += amt
        else:
            out.append(y[0] / V)
    return np.array(out)


def data():
    f = pred(0.3) * np.array([1.04, 0.95, 1.02])
    return [float(f'{v:.4g}') for v in f]


DV = data()


def ofv(eta):
    f = pred(eta)
    y = np.array(DV)
    var = (0.1 * f) ** 2
    return float(np.sum(np.log(var) + (y - f) ** 2 / var) + eta ** 2 / 0.09)


r = minimize_scalar(ofv, bracket=(-1, 0, 1), tol=1e-12)
print(json.dumps({'dv': DV, 'times': TIMES, 'eta': float(r.x), 'ofv_no_const': float(r.fun), 'ipred': [float(v) for v in pred(r.x)]}, indent=1))
