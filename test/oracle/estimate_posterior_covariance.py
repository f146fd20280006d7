# Reference for test/unit/cli/estimate-posterior-covariance.test.ts: the Laplace posterior covariance
# of the random effects (η and κ per occasion) of the one-compartment oral model with IOV on
# CL (t7 mA.json / pA.csv): MAP by scipy BFGS, then 2·H⁻¹ of the OFV's central-difference Hessian.
# A record's parameters are those of its own occasion (the interval ending at it). Run:
#   python3 test/oracle/estimate_posterior_covariance.py > test/oracle/estimate-posterior-covariance.json
import io, json
import numpy as np, pandas as pd
from scipy.linalg import expm
from scipy.optimize import minimize
from scipy.stats import norm

DATA = """ID,TIME,EVID,AMT,CMT,DV,MDV,OCC,BLQ,LLOQ
1,0,0,.,2,0.05,0,1,0,0.1
1,0,1,500,1,.,1,1,0,.
1,1,0,.,2,7.8,0,1,0,0.1
1,4,0,.,2,8.9,0,1,0,0.1
1,12,1,500,1,.,1,1,0,.
1,20,0,.,2,6.1,0,1,0,0.1
1,48,1,500,1,.,1,2,0,.
1,50,0,.,2,11.5,0,2,0,0.1
1,60,0,.,2,4.2,0,2,0,0.1
1,90,0,.,2,0.1,0,2,1,0.1
"""
df = pd.read_csv(io.StringIO(DATA), na_values='.')
Om = np.array([[0.09, 0.03, 0.01], [0.03, 0.04, -0.02], [0.01, -0.02, 0.36]]); Oi = np.linalg.inv(Om)
wiov = 0.04; a, b = 0.2, 0.15

def params(x, occ):
    e = x[:3]; k = x[3 + int(occ) - 1]
    return 5 * np.exp(e[0] + k), 40 * np.exp(e[1]), 1.2 * np.exp(e[2])

def ofv(x):
    A = np.zeros(2); t0 = 0.0; s = 0.0; dosed = False
    for r in df.to_dict('records'):
        CL, V, KA = params(x, r['OCC'])
        dt = r['TIME'] - t0
        if dt > 0: A = expm(np.array([[-KA, 0], [KA, -CL / V]]) * dt) @ A
        t0 = r['TIME']
        if r['EVID'] == 1: A[0] += r['AMT']; dosed = True; continue
        f = A[1] / V
        fv = 1.0 if (f == 0 and not dosed) else f
        var = a * a + (b * fv) ** 2
        if r['BLQ'] == 1: s += -2 * norm.logcdf((r['LLOQ'] - f) / np.sqrt(var))
        else: s += (r['DV'] - f) ** 2 / var + np.log(var)
    e = x[:3]
    return s + e @ Oi @ e + sum(x[3:] ** 2) / wiov

best = minimize(ofv, np.zeros(5), method='BFGS', options={'gtol': 1e-10})
x = best.x; h = 1e-4; n = 5; H = np.zeros((n, n)); I = np.eye(n)
for i in range(n):
    for j in range(n):
        ei = I[i] * h; ej = I[j] * h
        H[i, j] = (ofv(x + ei + ej) - ofv(x + ei - ej) - ofv(x - ei + ej) + ofv(x - ei - ej)) / (4 * h * h)
C = 2 * np.linalg.inv(H)
print(json.dumps({'labels': ['ETA_CL', 'ETA_V', 'ETA_KA', 'KAPPA_CL@1', 'KAPPA_CL@2'], 'x': x.tolist(), 'ofv': best.fun,
                  'covariance': C.tolist(), 'se': np.sqrt(np.diag(C)).tolist()}, indent=1))
