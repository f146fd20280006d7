# Oracle for test/unit/bayes/implausible-level-refit.test.ts: which level is implausible, judged
# against the fit without it. Meropenem by continuous infusion (user model: one compartment,
# CL = 7.3 (CRCL/80)^0.6 e^ETA_CL, V = 20 (WT/70) e^ETA_V, omega diag(0.2, 0.1), combined error
# 0.5 mg/L + 15 %), CRCL 40, WT 75; loading 2 g over 0.5 h at 0, 250 mg/h bags, one interrupted
# (24.5-30 h, 32-50.5 h); Css 52 (12 h), 21 (31.5 h, in the interruption), 48 (48 h), and a level
# drawn from the line, 950 (50 h). scipy MAP (BFGS from 0 and a few starts) on -2LL + eta' Omega^-1 eta,
# closed-form one-compartment infusions. Run:
#   python3 test/oracle/implausible_level_refit.py > test/oracle/implausible-level-refit.json
import json
import numpy as np
from scipy.optimize import minimize

DOSES = [(0, 2000, 0.5), (0.5, 6000, 24), (24.5, 1375, 5.5), (32, 4625, 18.5), (48.5, 6000, 24)]
LEVELS = [(3, 12, 52.0), (5, 31.5, 21.0), (7, 48, 48.0), (9, 50, 950.0)]  # (row, time, DV)
CL0 = 7.3 * (40 / 80) ** 0.6
V0 = 20 * 75 / 70
Oi = np.diag([1 / 0.2, 1 / 0.1])


def conc(eta, t):
    cl, v = CL0 * np.exp(eta[0]), V0 * np.exp(eta[1])
    k = cl / v
    c = 0.0
    for (t0, amt, dur) in DOSES:
        if t <= t0:
            continue
        rate = amt / dur
        on = min(t, t0 + dur) - t0  # hours infused by t
        c += rate / cl * (1 - np.exp(-k * on)) * np.exp(-k * (t - t0 - on))
    return c


def var(f):
    return 0.5 ** 2 + (0.15 * f) ** 2


def ofv(eta, levels):
    o = eta @ Oi @ eta
    for (_, t, y) in levels:
        f = conc(eta, t)
        o += (y - f) ** 2 / var(f) + np.log(var(f))
    return o


def fit(levels):
    best = None
    for x0 in ([0, 0], [-2, 0], [1, -0.5], [-3, 0.5]):
        r = minimize(ofv, np.array(x0, float), args=(levels,), method='BFGS', options={'gtol': 1e-9})
        if best is None or r.fun < best.fun:
            best = r
    return best


def z(eta, level):
    (_, t, y) = level
    f = conc(eta, t)
    return (y - f) / np.sqrt(var(f))


full = fit(LEVELS)
out = {'full': {'ofv': full.fun, 'eta': list(full.x), 'iwres': {str(l[0]): z(full.x, l) for l in LEVELS}}, 'rounds': []}
remaining = list(LEVELS)
while len(remaining) > 2:
    loo = {}
    for l in remaining:
        e = fit([m for m in remaining if m is not l]).x
        loo[l[0]] = z(e, l)
    worst = max(loo, key=lambda r: abs(loo[r]))
    out['rounds'].append({'loo': {str(r): v for r, v in loo.items()}, 'worst': worst})
    if abs(loo[worst]) <= 4:
        break
    remaining = [l for l in remaining if l[0] != worst]
print(json.dumps(out, indent=1))
