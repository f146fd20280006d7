"""A response with a months-long turnover driven below its zero, dosed at short intervals: references
for test/unit/model-text/slow-negative-response-ss.test.ts.

d/dt(A) = -CL/V*A (CL 1, V 10); d/dt(E) = KIN - KOUT*E - EMAX*C/(EC50 + C), C = A/V, KIN = 100*KOUT,
EMAX = 1.2*KIN, EC50 0.5, E(0) = KIN/KOUT = 100; 100*tau/12 mg into A every tau h. Given the drug,
E is linear in itself, so the periodic state follows from two cycle integrations (DOP853, rtol
1e-12): A's closed form A_ss = D*exp(-k*tau)/(1 - exp(-k*tau)), then E_ss = e0/(1 - slope) with
e0 = cycle(A_ss, 0) and slope = cycle(A_ss, 1) - e0 (= exp(-KOUT*tau)). The doses repeated from the
baseline reach E_ss - slope^n*(E_ss - 100), so they go below 0 after log(-E_ss/(100 - E_ss))/log(slope)
cycles.

The population (TVKOUT 0.0006*exp(eta), omega^2 0.25, KIN 0.06, EMAX 0.072, q2h, the trough at the
end of the interval): E_ss(KOUT) by quadrature, E_ss = int_0^tau exp(-KOUT*(tau - s))*(KIN -
EMAX*g(s)) ds / (1 - exp(-KOUT*tau)), over 200,000 draws of eta (seed 1), interpolated on a grid of
400 values of log KOUT.
Run: python3 test/oracle/slow_negative_response_ss.py > test/oracle/slow-negative-response-ss.json
"""
import json
import numpy as np
from scipy.integrate import quad, solve_ivp

K, V, EC50 = 0.1, 10.0, 0.5


def periodic(kout, tau):
    dose = 100 * tau / 12
    kin, emax = 100 * kout, 1.2 * 100 * kout

    def f(t, y):
        c = y[0] / V
        return [-K * y[0], kin - kout * y[1] - emax * c / (EC50 + c)]

    def cyc(a, e):
        return solve_ivp(f, (0, tau), [a + dose, e], method='DOP853', rtol=1e-12, atol=1e-14).y[:, -1]
    a_ss = dose * np.exp(-K * tau) / (1 - np.exp(-K * tau))
    e0 = cyc(a_ss, 0.0)
    slope = cyc(a_ss, 1.0)[1] - e0[1]
    e_ss = e0[1] / (1 - slope)
    assert abs(slope - np.exp(-kout * tau)) < 1e-10
    assert abs(e0[0] - a_ss) < 1e-10 * a_ss
    cycles = np.log(-e_ss / (100 - e_ss)) / np.log(slope)
    return {'KOUT': kout, 'tau': tau, 'dose': dose, 'trough': [float(a_ss), float(e_ss)], 'cyclesBelowZero': float(cycles)}


out = {'cases': [periodic(k, t) for k, t in ((0.00035, 2.0), (0.0005, 1.0), (5e-5, 12.0))]}

tau, D, kin, emax = 2.0, 100 * 2 / 12, 0.06, 0.072
a0 = D / (1 - np.exp(-K * tau))


def g(s):
    c = a0 * np.exp(-K * s) / V
    return c / (EC50 + c)


def e_ss(kout):
    i = quad(lambda s: np.exp(-kout * (tau - s)) * (kin - emax * g(s)), 0, tau, epsabs=1e-14, epsrel=1e-13)[0]
    return i / (1 - np.exp(-kout * tau))


eta = np.random.default_rng(1).normal(0, 0.5, 200000)
kout = 0.0006 * np.exp(eta)
grid = np.exp(np.linspace(np.log(kout.min()), np.log(kout.max()), 400))
e = np.interp(np.log(kout), np.log(grid), np.array([e_ss(x) for x in grid]))
cycles = np.log(e / (e - kin / kout)) / np.log(np.exp(-kout * tau))
out['population'] = {
    'TVKOUT': 0.0006, 'omega2': 0.25, 'draws': len(eta),
    'mean': float(e.mean()), 'sd': float(e.std()), 'p05': float(np.percentile(e, 5)), 'p50': float(np.percentile(e, 50)), 'p95': float(np.percentile(e, 95)),
    'fractionOver3000Cycles': float((cycles > 3000).mean()),
}
print(json.dumps(out, indent=1))
