# The hospital exports (ward_first.csv, arm_first.csv, dupdose.csv; W-map model: 2-cmt,
# CL 4 exp(ETA_CL), V1 30 exp(ETA_V1), Q 6, V2 50, omega^2 0.1 each, proportional 0.1; 1000 mg over
# 1 h at 0, 12, 24, 36 h; levels at 1.5, 11.5, 25, 47.5 h). Copied from the scripts
# ref2cmt.py (conc, solve_ivp) and mapref.py (pred, fit: expm and Nelder-Mead). Output: comment_rows_ward.json.
import json
import numpy as np
from scipy.integrate import solve_ivp
from scipy.linalg import expm
from scipy.optimize import minimize


def conc(doses, ts, CL=4, V=30, Q=6, V2=50, dur=1.0, amt=1000.0):  # ref2cmt.py
    ts = sorted(ts)
    def rate(t): return sum(amt / dur for d in doses if d <= t < d + dur)
    def f(t, y): a1, a2 = y; return [rate(t) - (CL + Q) / V * a1 + Q / V2 * a2, Q / V * a1 - Q / V2 * a2]
    brk = sorted(set([0] + [d for d in doses] + [d + dur for d in doses] + [max(ts)]))
    y = [0, 0]; out = {}
    for a, b in zip(brk[:-1], brk[1:]):
        s = solve_ivp(f, (a, b), y, rtol=1e-11, atol=1e-12, dense_output=True, method='DOP853')
        for t in ts:
            if a <= t <= b: out[t] = s.sol(t)[0] / V
        y = s.y[:, -1]
    return out


def pred(CL, V, doses, ts, Q=6, V2=50, dur=1, amt=1000):  # mapref.py
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


def fit(doses, obs):  # mapref.py
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
full = conc([0, 12, 24, 36], [1.5, 11.5, 12, 24, 25, 36, 47.5])
dropped = conc([0, 24, 36], [1.5, 24, 36, 47.5])
out = {
    'ipred_all_rows': {str(k): float(v) for k, v in full.items()},
    'ipred24_c_rows_dropped': float(dropped[24]),
    'eta_all_rows': fit([0, 12, 24, 36], obs),
    'eta_c_rows_dropped': fit([0, 24, 36], [(1.5, 27.57698), (47.5, 7.016984)]),
    'eta_dose_twice_at_12': fit([0, 12, 12, 24, 36], obs),
}
json.dump(out, open(__file__.replace('.py', '.json').replace('comment_rows_ward', 'comment-rows-ward'), 'w'), indent=1)
