"""A response a drug drives below its zero at steady state: references for
test/unit/model-text/negative-response-ss.test.ts. Linear 2-cmt PK (CL 1, V 10, Q 0.5, V2 100) and
d/dt(E) = KIN - KOUT*E - EMAX*P/(EC50 + P) (KIN 1, KOUT 0.1, EMAX 3, EC50 50, E(0) = 10), 100 mg
q12h into A at SS: the periodic state by fsolve on the cycle map, each cycle by DOP853 at rtol 1e-13,
checked against 400 explicit doses.
Run: python3 test/oracle/negative_response_ss.py > test/oracle/negative-response-ss.json
"""
import json
import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import fsolve

CL, V, Q, V2, KIN, KOUT, EMAX, EC50 = 1, 10, 0.5, 100, 1, 0.1, 3, 50
DOSE, TAU = 100.0, 12.0


def f(t, x):
    A, P, E = x
    return [-CL / V * A - Q / V * A + Q / V2 * P, Q / V * A - Q / V2 * P, KIN - KOUT * E - EMAX * P / (EC50 + P)]


def cycle(x0, t_end=TAU):
    y = np.array(x0, float)
    y[0] += DOSE
    return solve_ivp(f, (0, t_end), y, method='DOP853', rtol=1e-13, atol=1e-14).y[:, -1]


y = np.array([0.0, 0.0, KIN / KOUT])
for _ in range(400):
    y = cycle(y)
x = fsolve(lambda z: cycle(z) - z, y, xtol=1e-14)
assert np.abs(x - y).max() < 1e-6 * np.abs(x).max()
out = {'trough': [float(v) for v in x], 'at6': [float(v) for v in cycle(x, 6.0)]}


def one_cmt(kout, emax_ratio):
    # d/dt(A) = -CL/V*A (CL 1, V 10); d/dt(E) = KIN - KOUT*E - EMAX*C/(EC50 + C), KIN = 100*KOUT,
    # EMAX = emax_ratio*KOUT, EC50 0.5, E(0) = 100; 100 mg q12h into A: the response read from the
    # compartment the bolus enters
    kin, emax = 100 * kout, emax_ratio * kout

    def g(t, y):
        c = y[0] / 10
        return [-0.1 * y[0], kin - kout * y[1] - emax * c / (0.5 + c)]

    def cyc(y0):
        y = np.array(y0, float)
        y[0] += DOSE
        return solve_ivp(g, (0, TAU), y, method='DOP853', rtol=1e-12, atol=1e-14).y[:, -1]
    y = np.array([0.0, 100.0])
    for _ in range(50):
        y = cyc(y)
    z = fsolve(lambda v: cyc(v) - v, y, xtol=1e-13)
    assert np.abs(cyc(z) - z).max() < 1e-9
    return [float(v) for v in z]


# KOUT 0.001 (half-life 29 days: below 0 after 184 cycles from the baseline), and a quick one whose
# rate at E = 0 is below 0 only just after each dose
out['slow'] = [{'KOUT': k, 'EMAX_RATIO': r, 'trough': one_cmt(k, r)} for k, r in ((0.001, 120), (0.1, 110))]
print(json.dumps(out, indent=1))
