# Oracle for test/unit/bayes/levels-contradict.test.ts (W_LEVELS_CONTRADICT).
# Vancomycin (Goti 2018): 2-cmt IV, 1000 mg over 1 h at 0 h, WT 80, CRCL 60, DIAL 0; levels
# 0.001 mg/L at 12 h and 60 mg/L at 13 h (contra.csv), and ordinary pairs.
# For each pair: the ratio f(13)/f(12) over the prior's ±4-SD box (its corners and axes: the
# extremes), then min over r in that range and c1 > 0 of z1(c1)^2 + z2(r c1)^2 with the model's
# combined1 error sd = 3.4 + 0.227 c. Exact 2-cmt solution by matrix exponential (scipy.linalg.expm),
# the minimum by a dense grid then scipy's bounded Brent / Nelder-Mead. Writes levels-contradict.json.
import itertools, json
import numpy as np
from scipy.linalg import expm
from scipy.optimize import minimize

OM = np.sqrt([0.147, 0.51, 0.282])

def conc(eta, times, dose=1000.0, dur=1.0, wt=80.0, crcl=60.0):
    CL = 4.5 * (crcl / 120) ** 0.8 * np.exp(eta[0]); V = 58.4 * wt / 70 * np.exp(eta[1]); V2 = 38.4 * np.exp(eta[2]); Q = 6.5
    A = np.array([[-(CL + Q) / V, Q / V2], [Q / V, -Q / V2]])
    # augmented system for the constant infusion input during [0, dur]
    M = np.zeros((3, 3)); M[:2, :2] = A; M[0, 2] = dose / dur
    x_end = (expm(M * dur) @ np.array([0, 0, 1.0]))[:2]
    out = []
    for t in times:
        if t <= dur: x = (expm(M * t) @ np.array([0, 0, 1.0]))[:2]
        else: x = expm(A * (t - dur)) @ x_end
        out.append(x[0] / V)
    return np.array(out)

def sd(c): return 3.4 + 0.227 * c

def pair(y1, y2, t1, t2):
    pts = [np.zeros(3)]
    for k in range(3):
        for s in (-4, -2, 2, 4):
            e = np.zeros(3); e[k] = s * OM[k]; pts.append(e)
    for signs in itertools.product((-1, 1), repeat=3): pts.append(np.array(signs) * 4 * OM)
    rs = []
    for p in pts:
        f = conc(p, [t1, t2]); rs.append(f[1] / f[0])
    lr0, lr1 = np.log(min(rs)), np.log(max(rs))
    def g(v):
        lr, u = v; lr = min(max(lr, lr0), lr1); c = np.exp(u)
        z1 = (y1 - c) / sd(c); z2 = (y2 - np.exp(lr) * c) / sd(np.exp(lr) * c)
        return z1 * z1 + z2 * z2
    best = None
    for lr in np.linspace(lr0, lr1, 41):
        for u in np.linspace(np.log(1e-6), np.log(1e4), 801):
            v = g((lr, u))
            if best is None or v < best[0]: best = (v, lr, u)
    r = minimize(g, [best[1], best[2]], method='Nelder-Mead', options={'xatol': 1e-12, 'fatol': 1e-14, 'maxiter': 20000})
    return {'y1': y1, 'y2': y2, 't1': t1, 't2': t2, 'ratio_min': float(min(rs)), 'ratio_max': float(max(rs)), 'distance': float(np.sqrt(min(r.fun, best[0])))}

cases = [pair(0.001, 60.0, 12.0, 13.0),   # contra.csv: warned
         pair(60.0, 0.001, 12.0, 13.0),   # the same pair swapped (a fall too steep): judged the same way
         pair(10.0, 9.0, 12.0, 13.0),     # ordinary: silent
         pair(5.0, 25.0, 12.0, 13.0)]     # a rise of 5x with the wide combined1 error: within 4 SDs
json.dump({'cases': cases}, open(__file__.replace('levels_contradict.py', 'levels-contradict.json'), 'w'), indent=1)
print(json.dumps(cases, indent=1))
