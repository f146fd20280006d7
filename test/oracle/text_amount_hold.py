"""Reference for test/unit/model-text/amount-hold.test.ts: a model text's amounts held at zero by the
step control (src/model/text/held-amounts.ts).
1. Michaelis-Menten IV as a text (V 42, VMAX 6300, KM 10, 60000 mg bolus at 0): the concentration by
   the Lambert-W closed form C(t) = KM*W((C0/KM)*exp((C0 - (VMAX/V)*t)/KM)), C0 = 60000/42, through
   the log of the argument (mpmath at 40 digits), rounded to doubles.
2. A change from baseline that crosses zero (negative by right, and held as the observed compartment):
   d/dt(A) = -VMAX*A/(KM*V + A), d/dt(E) = KE*A/V - KOUT*E - R, 100 mg into A at 0, observe = E;
   scipy Radau at rtol 1e-12, atol 1e-14.
Run from the repository root: python3 test/oracle/text_amount_hold.py > test/oracle/text-amount-hold.json"""
import json
import sys
import mpmath as mp
import numpy as np
from scipy.integrate import solve_ivp

mp.mp.dps = 40
V, VMAX, KM, AMT = 42, 6300, 10, 60000
MM_TIMES = [0.5, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 16, 20, 24]

def lambert_c(t):
    c0 = mp.mpf(AMT) / V
    logarg = mp.log(c0 / KM) + (c0 - mp.mpf(VMAX) / V * t) / KM
    # W(e^x): solve w + log w = x by Newton from a safe start (lambertw overflows e^x for large x)
    w = logarg - mp.log(logarg) if logarg > 2 else mp.lambertw(mp.e ** logarg).real
    for _ in range(100):
        w = w - (w + mp.log(w) - logarg) / (1 + 1 / w)
    return float(KM * w)

mm = [lambert_c(mp.mpf(t)) for t in MM_TIMES]

P = dict(VMAX=30.0, KM=2.0, V=10.0, KE=2.0, KOUT=0.4, R=1.0)
CROSS_TIMES = [0.5, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 24, 48]

def rhs(t, y):
    a, e = y
    return [-P['VMAX'] * a / (P['KM'] * P['V'] + a), P['KE'] * a / P['V'] - P['KOUT'] * e - P['R']]

sol = solve_ivp(rhs, (0, 48), [100.0, 0.0], method='Radau', rtol=1e-12, atol=1e-14, t_eval=CROSS_TIMES, dense_output=False)
assert sol.success
cross = [float(x) for x in sol.y[1]]
json.dump({
    'mm': {'V': V, 'VMAX': VMAX, 'KM': KM, 'AMT': AMT, 'times': MM_TIMES, 'conc': mm},
    'cross': {'params': P, 'dose': 100.0, 'times': CROSS_TIMES, 'E': cross, 'A': [float(x) for x in sol.y[0]]},
}, sys.stdout, indent=1)
print()
