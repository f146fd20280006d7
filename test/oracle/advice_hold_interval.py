# Oracle for test/unit/design/advice-hold-interval.test.ts: optimize --from's first dosing interval
# after a hold (a chart vancoC: vancomycin, Goti 2018, q12h 1000 mg/1 h with a 1500 mg
# load, one dose 15 min late, levels 12.1 at 20:45 and 29.0 at 23:00 on 12-06). Independent of
# dosewise: the MAP by scipy BFGS then Nelder-Mead on -2 log posterior (combined1 error sd = 3.4 +
# 0.227 f, Omega diag(0.147, 0.51, 0.282)), the profile of the two-compartment model by matrix
# exponentials with the AUC as a third state (exact, no quadrature). Hours from 2026-12-05 09:00.
# Run: python3 test/oracle/advice_hold_interval.py > test/oracle/advice-hold-interval.json
import json
import numpy as np
from scipy.linalg import expm
from scipy.optimize import minimize

CRCL, WT = 70, 95
OMI = np.linalg.inv(np.diag([0.147, 0.51, 0.282]))
HIST = [(0, 1500, 1000), (12, 1000, 1000), (24.25, 1000, 1000), (36, 1000, 1000), (48, 1000, 1000), (60, 1000, 1000)]
OBS = [35.75, 38.0]
DV = np.array([12.1, 29.0])


def params(eta):
    cl = 4.5 * (CRCL / 120) ** 0.8 * np.exp(eta[0])
    v = 58.4 * (WT / 70) * np.exp(eta[1])
    v2 = 38.4 * np.exp(eta[2])
    return cl, v, v2, 6.5


def profile(eta, doses, times):
    """(concentration, cumulative AUC from 0) at `times` (a level at a dose time is before that dose)."""
    cl, v, v2, q = params(eta)
    a = np.zeros((4, 4))
    a[0, 0], a[0, 1], a[1, 0], a[1, 1], a[2, 0] = -cl / v - q / v, q / v2, q / v, -q / v2, 1 / v
    ev = [(t, 1, 'on', rate) for t, amt, rate in doses] + [(t + amt / rate, 0, 'off', rate) for t, amt, rate in doses]
    ev += [(t, 0, 'q', i) for i, t in enumerate(times)]
    ev.sort(key=lambda e: (e[0], e[1]))
    x = np.array([0.0, 0.0, 0.0, 1.0])
    tc, r = 0.0, 0.0
    out = np.zeros((len(times), 2))
    for t, _, kind, val in ev:
        if t > tc:
            m = a.copy()
            m[0, 3] = r
            x = expm(m * (t - tc)) @ x
            tc = t
        if kind == 'on':
            r += val
        elif kind == 'off':
            r -= val
        else:
            out[val] = [x[0] / v, x[2]]
    return out


def m2lp(eta):
    f = profile(eta, HIST, OBS)[:, 0]
    sd = 3.4 + 0.227 * f
    return float(np.sum((DV - f) ** 2 / sd**2 + np.log(sd**2)) + eta @ OMI @ eta)


best = None
for x0 in [np.zeros(3), np.array([0.3, -0.5, 0.0]), np.array([-0.3, 0.5, 0.3])]:
    r = minimize(m2lp, x0, method='BFGS', options={'gtol': 1e-9})
    r = minimize(m2lp, r.x, method='Nelder-Mead', options={'xatol': 1e-10, 'fatol': 1e-12, 'maxiter': 20000})
    if best is None or r.fun < best.fun:
        best = r
eta = best.x
out = {'eta': list(eta), 'level_63': float(profile(eta, HIST, [63.0])[0, 0]), 'plans': []}
# the advised plan and its neighbours: the next dose at 70 h (the hold's end), then q24h / q12h
for amt, tau in [(1750, 24), (1500, 24), (2000, 24), (1000, 12), (750, 12)]:
    fut = HIST + [(70 + tau * k, amt, 1000.0) for k in range(int(96 / tau))]
    p = profile(eta, fut, [70.0, 94.0, 118.0])
    out['plans'].append({'amount': amt, 'tau': tau, 'auc_70_94': float(p[1, 1] - p[0, 1]), 'auc_94_118': float(p[2, 1] - p[1, 1]), 'trough_94': float(p[1, 0]), 'trough_118': float(p[2, 0])})
print(json.dumps(out, indent=1))
