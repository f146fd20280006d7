"""Periodic states of a Michaelis-Menten elimination scaled by a 24-h sawtooth (1 + 0.3*(t mod 24)/24),
dosed q24h from TIME 5 (test/unit/model-text/sawtooth-mm-steady-state.test.ts). The cycle map is
integrated piecewise between the sawtooth's jumps (t = 24, 48, ...), so no step crosses one, and its
fixed point found by brentq. At saturation one cycle removes at most VMAX * 24 * 1.15 = 590.64 mg, so
no periodic state exists from there on. Run: python3 test/oracle/sawtooth_mm_steady_state.py > test/oracle/sawtooth-mm-steady-state.json"""
import json
import math

from scipy.integrate import solve_ivp
from scipy.optimize import brentq

V, VMAX, KM, AMP = 20.0, 21.4, 1.5, 0.3
R = dict(rtol=1e-12, atol=1e-12, method='DOP853')


def f(t, y):
    return [-VMAX * (1 + AMP * (t - 24 * math.floor(t / 24)) / 24) * y[0] / (KM * V + y[0])]


def adv(a, t1, t2):
    ts = [t1] + [k * 24 for k in range(int(t1 // 24) + 1, int(t2 // 24) + 1) if t1 < k * 24 < t2] + [t2]
    for u, v in zip(ts[:-1], ts[1:]):
        a = solve_ivp(f, (u, v), [a], **R).y[0, -1]
    return a


def periodic(dose, t0=5.0, ii=24.0):
    g = lambda a: adv(a, t0, t0 + ii) + dose - a
    lo, hi = dose, dose * 10
    while g(hi) > 0:
        hi *= 4
    a = brentq(g, lo, hi, xtol=1e-13, rtol=1e-15)
    return {'dose': dose, 'atDose': a, 'at6': adv(a, 5, 6), 'at29': adv(a, 5, 29)}


out = {
    'saturatedRemoval24h': VMAX * 24 * (1 + AMP / 2),
    'states': [periodic(d) for d in (400.0, 580.0, 590.0, 590.5, 590.6)],
}
print(json.dumps(out, indent=1))
