"""Reference for test/unit/design/occupancy-target-total-drug.test.ts (the script ex3.py, with the
functions it imported from tmddref.py): TMDD-QSS (V 3, KEL 0.005, KSS 0.18, KINT 0.04, KDEG 0.02,
KSYN = R0*KDEG, R0 10), bolus every 168 h at steady state: the free trough (QSS quadratic on the
totals), its occupancy C/(KSS + C), and the total trough with the occupancy read from it.
Steady state: 20 cycles from baseline, then fsolve on the cycle map (LSODA, rtol 1e-12, atol 1e-14).
Run: python3 test/oracle/tmdd_qss_total_occupancy.py > test/oracle/tmdd-qss-total-occupancy.json
"""
import json
import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import fsolve


def rhs_qss(p):
    V, kel, kss, kint, ksyn, kdeg = p['V'], p['KEL'], p['KSS'], p['KINT'], p['KSYN'], p['KDEG']

    def f(t, y):
        At, Rt = y
        ct = At / V
        x = ct - Rt - kss
        c = 0.5 * (x + np.sqrt(x * x + 4 * kss * ct))
        cp = ct - c
        return [-kel * c * V - kint * cp * V, ksyn - kdeg * Rt - (kint - kdeg) * cp]
    return f


def qss_free(p, y):
    ct = y[0] / p['V']; Rt = y[1]; kss = p['KSS']; x = ct - Rt - kss
    return 0.5 * (x + np.sqrt(x * x + 4 * kss * ct))


def gcycle(f, dose, tau, y0):
    y = np.array(y0, float)
    y[0] += dose
    return solve_ivp(f, (0, tau), y, method='LSODA', rtol=1e-12, atol=1e-14).y[:, -1]


def gss(f, dose, tau, y0, warm=20):
    y = np.array(y0, float)
    for _ in range(warm):
        y = gcycle(f, dose, tau, y)
    return fsolve(lambda z: gcycle(f, dose, tau, z) - z, y, xtol=1e-13)


p = dict(V=3, KEL=0.005, KSS=0.18, KINT=0.04, KDEG=0.02, KSYN=0.2)
f = rhs_qss(p)
rows = []
for d in [140, 155, 160, 161.2511914089548, 165, 170]:
    y = gss(f, d, 168, [0, 10])
    c = qss_free(p, y)
    ct = y[0] / 3
    rows.append({'dose': d, 'free': c, 'occupancy': c / (c + 0.18), 'total': ct, 'occupancyOfTotal': ct / (ct + 0.18)})
print(json.dumps({'interval': 168, 'R0': 10, 'rows': rows}, indent=1))
