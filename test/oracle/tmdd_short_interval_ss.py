"""Periodic (SS = 1) troughs of the full TMDD model of examples/occupancy-tmdd.model.json (V 3,
KEL 0.005, KON 0.5, KOFF 0.05, KINT 0.04, KDEG 0.02, KSYN = R0*KDEG) dosed every hour, where
KEL*tau = 0.005 makes I - M' nearly singular in the drug's direction: references for
test/unit/tmdd-short-interval-ss.test.ts. Each cycle by LSODA at rtol 1e-12; the periodic state by
fsolve on the cycle map from a state near it; the dose for 99 % occupancy at trough (free trough
9.9 nmol/L, KD 0.1) by brentq on the periodic free trough.
Run: python3 test/oracle/tmdd_short_interval_ss.py > test/oracle/tmdd-short-interval-ss.json
"""
import json
import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq, fsolve

BASE = dict(V=3.0, KEL=0.005, KON=0.5, KOFF=0.05, KINT=0.04, KDEG=0.02)
TAU = 1.0


def rhs(ksyn):
    V, kel, kon, koff, kint, kdeg = (BASE[k] for k in ('V', 'KEL', 'KON', 'KOFF', 'KINT', 'KDEG'))

    def f(t, y):
        A, R, P = y
        b = kon * (A / V) * R - koff * P
        return [-kel * A - b * V, ksyn - kdeg * R - b, b - kint * P]
    return f


def cycle(f, dose, y0, tau=TAU):
    y = np.array(y0, float)
    y[0] += dose
    return solve_ivp(f, (0, tau), y, method='LSODA', rtol=1e-12, atol=1e-14).y[:, -1]


def trough(r0, dose, tau=TAU):
    f = rhs(r0 * BASE['KDEG'])
    y = np.array([dose / (BASE['KEL'] * tau), r0, 0.0])
    for _ in range(3):
        y = cycle(f, dose, y, tau)
    y = fsolve(lambda z: cycle(f, dose, z, tau) - z, y, xtol=1e-13)
    assert np.abs(cycle(f, dose, y, tau) - y).max() < 1e-10
    return y


out = {'troughs': [], 'occupancy99': []}
for r0, doses in ((1.0, [0.1, 0.15, 0.2, 0.3, 0.35, 0.4]), (10.0, [0.3, 0.5])):
    for d in doses:
        out['troughs'].append({'R0': r0, 'dose': d, 'state': [float(v) for v in trough(r0, d)]})
for r0 in (1.0, 10.0):
    d = brentq(lambda d: trough(r0, d)[0] / BASE['V'] - 9.9, 0.1, 2.0, xtol=1e-12)
    out['occupancy99'].append({'R0': r0, 'dose': d})
# 90 % at q0.1h, R0 1 (free trough 0.9 nmol/L): refused as a negative root before
d = brentq(lambda d: trough(1.0, d, 0.1)[0] / BASE['V'] - 0.9, 0.001, 0.1, xtol=1e-13)
out['occupancy90q01'] = {'R0': 1.0, 'dose': d}
print(json.dumps(out, indent=1))
