# W_DOSE_DUPLICATE for near-duplicates: a q12h vancomycin chart (Goti 2018, WT 80,
# CRCL 90) whose 20:00 dose of 1000 mg/1 h is charted once (single), at 20:00 and 20:05 (dup2), or
# twice at 20:00 with RATE 500 and 1000 (dup3); a level of 11.0 at 07:45. Both charted doses are
# given (as NONMEM gives them), which moves the MAP: scipy BFGS + Nelder-Mead on the README's
# objective, the system solved exactly (matrix exponential with zero-order inputs).
# Run: python3 test/oracle/dose_near_duplicate.py > test/oracle/dose-near-duplicate.json
import json
import numpy as np, scipy.linalg as sla, scipy.optimize as so

OMEGA_INV = np.linalg.inv(np.diag([0.147, 0.51, 0.282]))
WT, CRCL = 80.0, 90.0
LEVEL = (23.75, 11.0)  # 2026-12-06 07:45, hours after 2026-12-05 08:00

def params(eta):
    return dict(CL=4.5 * (CRCL / 120) ** 0.8 * np.exp(eta[0]), V=58.4 * WT / 70 * np.exp(eta[1]), V2=38.4 * np.exp(eta[2]), Q=6.5)

def conc(doses, eta, t):
    p = params(eta)
    k10, k12, k21 = p['CL'] / p['V'], p['Q'] / p['V'], p['Q'] / p['V2']
    A = np.array([[-k10 - k12, k21], [k12, -k21]])
    marks = sorted({0.0, t, *[s for s, _, _ in doses], *[s + a / r for s, a, r in doses]})
    marks = [m for m in marks if m <= t]
    x = np.zeros(2)
    for a, b in zip(marks, marks[1:]):
        rate = sum(r for s, amt, r in doses if s <= a < s + amt / r)
        M = np.zeros((3, 3)); M[:2, :2] = A; M[0, 2] = rate
        E = sla.expm(M * (b - a)); x = E[:2, :2] @ x + E[:2, 2]
    return x[0] / p['V']

def fit(doses):
    def ofv(e):
        f = conc(doses, e, LEVEL[0]); sd = 3.4 + 0.227 * f
        return (LEVEL[1] - f) ** 2 / sd ** 2 + np.log(sd ** 2) + e @ OMEGA_INV @ e
    r = so.minimize(ofv, np.zeros(3), method='BFGS', options=dict(gtol=1e-9))
    r = so.minimize(ofv, r.x, method='Nelder-Mead', options=dict(xatol=1e-10, fatol=1e-12, maxiter=40000))
    return dict(eta=list(r.x), ofv=r.fun, CL=params(r.x)['CL'])

charts = {
    'single': [(0, 1000, 1000), (12, 1000, 1000)],
    'dup2': [(0, 1000, 1000), (12, 1000, 1000), (12 + 5 / 60, 1000, 1000)],
    'dup3': [(0, 1000, 1000), (12, 1000, 500), (12, 1000, 1000)],
}
print(json.dumps({k: fit(v) for k, v in charts.items()}, indent=1))
