# A ward chart (WARD ICU) whose 36-h dose was commented out NONMEM's way, `CICU,1,36,1,1000,…`
# (ward_cancelled.csv): skipped, the W-map patient has doses at 0, 12, 24 h only. The MAP ETAs
# of that record (W-map model: 2-cmt, CL 4 exp(ETA_CL), V1 30 exp(ETA_V1), Q 6, V2 50, omega^2 0.1
# each, proportional 0.1; 1000 mg over 1 h; levels at 1.5, 11.5, 25, 47.5 h), by expm and
# Nelder-Mead as comment_rows_ward.py (mapref.py); an independent ref_map.py (solve_ivp) agrees to
# 1e-7. Output: comment-rows-cancelled.json.
import json
import numpy as np
from scipy.linalg import expm
from scipy.optimize import minimize


def pred(CL, V, doses, ts, Q=6, V2=50, dur=1, amt=1000):
    A = np.array([[-(CL + Q) / V, Q / V2], [Q / V, -Q / V2]])
    def step(y, dt, r):
        M = np.zeros((3, 3)); M[:2, :2] = A; M[0, 2] = r
        return (expm(M * dt) @ np.array([y[0], y[1], 1.0]))[:2]
    ev = sorted(set([0] + doses + [d + dur for d in doses] + ts))
    y = np.zeros(2); out = {}; t = 0
    for e in ev:
        if e > t:
            r = sum(amt / dur for d in doses if d <= t < d + dur)
            y = step(y, e - t, r); t = e
        if e in ts: out[e] = y[0] / V
    return out


def fit(doses, obs):
    ts = [t for t, _ in obs]
    def ofv(eta):
        CL = 4 * np.exp(eta[0]); V = 30 * np.exp(eta[1])
        p = pred(CL, V, doses, ts); s = 0
        for t, dv in obs:
            sd = 0.1 * p[t]; s += ((dv - p[t]) / sd) ** 2 + np.log(sd ** 2)
        return s + eta[0] ** 2 / 0.1 + eta[1] ** 2 / 0.1
    r = minimize(ofv, [0, 0], method='Nelder-Mead', options={'xatol': 1e-9, 'fatol': 1e-12, 'maxiter': 5000})
    return [float(x) for x in r.x]


obs = [(1.5, 27.57698), (11.5, 3.437169), (25, 38.494925), (47.5, 7.016984)]
out = {'eta_36h_dose_skipped': fit([0, 12, 24], obs), 'eta_36h_dose_read': fit([0, 12, 24, 36], obs)}
json.dump(out, open(__file__.replace('.py', '.json').replace('comment_rows_cancelled', 'comment-rows-cancelled'), 'w'), indent=1)
