"""SS=2 onto the undosed state of mm-iv (V 20, VMAX 21.4, KM 1.5): the periodic state of 50 mg
q12h (300 cycles from 0, LSODA at rtol 1e-12), read at the dose and 1 h and 6 h after it. An ID's
first dose, or one after a reset, adds it to the undosed state 0, so SS=2 is SS=1 exactly.
Run: python3 test/oracle/ss2_first_dose_mm.py > test/oracle/ss2-first-dose-mm.json"""
import json
from scipy.integrate import solve_ivp

V, VMAX, KM = 20.0, 21.4, 1.5


def f(t, a):
    return [-VMAX * (a[0] / V) / (KM + a[0] / V)]


a = 0.0
for _ in range(300):
    a = solve_ivp(f, (0, 12), [a + 50], rtol=1e-12, atol=1e-14, method='LSODA').y[0, -1]
r = solve_ivp(f, (0, 6), [a + 50], rtol=1e-12, atol=1e-14, method='LSODA', t_eval=[0, 1, 6]).y[0]
print(json.dumps({'model': 'mm-iv', 'V': V, 'VMAX': VMAX, 'KM': KM, 'amt': 50, 'ii': 12, 'hoursAfterDose': [0, 1, 6], 'amounts': [float(x) for x in r]}, indent=1))
