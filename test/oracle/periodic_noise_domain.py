"""Periodic (SS = 1) troughs whose depot is ~0 at the next dose: references for
test/unit/steady-state-noise-domain.test.ts (a depot trough the integrator reads at -1e-11 is no
non-physical root). Michaelis-Menten oral (V 50, VMAX 50, KM 2; elimination VMAX*A/(KM*V + A)),
100 mg q24h, KA 16 and 8: brentq on the central trough's cycle map, each cycle by DOP853 at rtol
1e-13. Two-compartment oral (CL 5, V 50, Q 6, V2 50, KA 2), 100 mg q168h: (I - e^{K tau})^-1 b.
Run: python3 test/oracle/periodic_noise_domain.py > test/oracle/periodic-noise-domain.json
"""
import json
import numpy as np
from scipy.integrate import solve_ivp
from scipy.linalg import expm
from scipy.optimize import brentq

V, VMAX, KM, DOSE, TAU = 50.0, 50.0, 2.0, 100.0, 24.0


def mm_cycle(c0, ka):
    dep0 = DOSE / (1.0 - np.exp(-ka * TAU))  # the depot's own periodic state (linear)
    f = lambda t, y: [-ka * y[0], ka * y[0] - VMAX * y[1] / (KM * V + y[1])]
    s = solve_ivp(f, (0.0, TAU), [dep0, c0], method='DOP853', rtol=1e-13, atol=1e-16)
    return s.y[1, -1]


out = {'mm_oral': []}
for ka in (16.0, 8.0):
    c = brentq(lambda c0: mm_cycle(c0, ka) - c0, 1e-12, 50.0, xtol=1e-18, rtol=1e-15)
    out['mm_oral'].append({'ka': ka, 'central_trough': c})

CL, V1, Q, V2, KA = 5.0, 50.0, 6.0, 50.0, 2.0
K = np.array([[-KA, 0.0, 0.0], [KA, -(CL + Q) / V1, Q / V2], [0.0, Q / V1, -Q / V2]])
E = expm(K * 168.0)
after = np.linalg.solve(np.eye(3) - E, np.array([DOSE, 0.0, 0.0]))
trough = E @ after
out['two_cmt_oral'] = {'ka': KA, 'tau': 168.0, 'central_trough': trough[1], 'peripheral_trough': trough[2]}
print(json.dumps(out, indent=2))
