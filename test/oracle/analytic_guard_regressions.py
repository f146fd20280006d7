"""Reference amounts for test/property/analytic-guard-regressions.test.ts: the three regressions a hunt
found in the weak-peripheral guard of the 3-compartment analytic solution (MAX_DELTA_COND, 13d9890):
constant-infusion steady states from an LU solve of K (4.9e-8 off, or refused), negative amounts
(-1.4e-24) in a depot that holds nothing at a periodic steady state, and stiff systems whose steps
took the exponential where its rounding (~eps*||K*dt||) cost the central amount 4.1e-10 of its peak.

Same model and record semantics as analytic_conditioning.py (mpmath at 50 digits, whose helpers this
imports). A constant infusion at steady state (SS 1, AMT 0, RATE > 0, II 0) starts from the equilibrium
K x = -R (solved at 50 digits) and stops at its record, as in NONMEM; a long q12h bolus train is
propagated with one exponential per interval. Run: python3 test/oracle/analytic_guard_regressions.py
> test/oracle/analytic-guard-regressions.json
"""
import json
import os
import sys
import mpmath as mp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from analytic_conditioning import k_matrix, simulate, dose, slow_rate, Prop  # noqa: E402

mp.mp.dps = 50


def constant_infusion(A, cmt, rate, times):
    """Equilibrium of x' = A x + R (R = rate into state cmt - 1), then free decay to each time."""
    n = A.rows
    R = mp.matrix([mp.mpf(rate) if i == cmt - 1 else mp.mpf(0) for i in range(n)])
    x = list(mp.lu_solve(A, -R))
    P, t, out = Prop(A), 0.0, []
    for tt in times:
        x = P.step(x, tt - t, [0.0] * n)
        t = tt
        out.append([float(v) for v in x])
    return out


def bolus_train(A, cmt, amt, ii, count, offsets):
    """count boluses of amt into cmt every ii h from 0; amounts at (count - 1)*ii + offset."""
    n = A.rows
    P = Prop(A)
    x = [mp.mpf(0)] * n
    for k in range(count):
        x[cmt - 1] += amt
        if k < count - 1:
            x = P.step(x, ii, [0.0] * n)
    return [[float(v) for v in P.step(list(x), off, [0.0] * n)] for off in offsets]


def k31_near_slow(base, g):
    return float('%.12g' % (slow_rate(base) * (1 + g)))


CASES = []
# 1. constant-infusion steady state: the hunt's repro (built-in 3cmt-iv CL 5e-5, V 50, Q 5e4, V2 5e4,
#    Q3 5e-8, V3 49.9501001: A1 exactly 1e7), one refused with "no equilibrium", and 3cmt-oral
ssc = [
    ('3cmt-iv CL=5e-5 Q=5e4 Q3=5e-8 (repro)', False, dict(K=5e-5 / 50.0, V=50.0, K12=5e4 / 50.0, K21=5e4 / 5e4, K13=5e-8 / 50.0, K31=5e-8 / 49.9501001), 1),
    ('K=1e-6 K12=1000 K21=1 K13=1e-9', False, dict(K=1e-6, V=10.0, K12=1000.0, K21=1.0, K13=1e-9, K31=k31_near_slow(dict(K=1e-6, K12=1000.0, K21=1.0), 0.002)), 1),
    ('K=1e-9 K12=1000 K13=1e-16 (refused before)', False, dict(K=1e-9, V=10.0, K12=1000.0, K21=1.0, K13=9.99201e-17, K31=1.0012e-12), 1),
    ('3cmt-oral K=1e-6 into the depot', True, dict(K=1e-6, V=10.0, K12=1000.0, K21=1.0, K13=1e-9, K31=k31_near_slow(dict(K=1e-6, K12=1000.0, K21=1.0), 0.002), KA=1.0), 1),
    ('3cmt-oral K=1e-5 into the central compartment', True, dict(K=1e-5, V=10.0, K12=100.0, K21=0.1, K13=1e-9, K31=k31_near_slow(dict(K=1e-5, K12=100.0, K21=0.1), 0.002), KA=0.5), 2),
]
for name, depot, p, cmt in ssc:
    times = [1e-6, 24.0]
    CASES.append(dict(name='constant infusion SS: ' + name, kind='ssc', depot=depot, p=p,
                      doses=[dose(0, 0.0, cmt, rate=10.0, ss=1)], times=times,
                      amounts=constant_infusion(k_matrix(p, depot), cmt, 10.0, times)))
# 2. SS doses into the central compartment of 3cmt-oral under the guard: the depot holds exactly 0
base = dict(K=0.1, V=50.0, K12=0.12, K21=0.06)
for g in (0.01, 0.02):
    p = dict(base, K13=1e-9, K31=k31_near_slow(base, g), KA=1.0)
    for kind, doses in [('SS=1 bolus', [dose(0, 1000, 2, ii=24.0, ss=1)]),
                        ('SS=1 infusion', [dose(0, 1000, 2, rate=500.0, ii=24.0, ss=1)]),
                        ('SS=2', [dose(0, 500, 2), dose(2.0, 1000, 2, ii=24.0, ss=2)])]:
        times = [0.5, 5.0, 30.0]
        doses_i = [dict(d, idx=d['cmt'] - 1) for d in doses]
        CASES.append(dict(name=f'depot at SS, g={g}: {kind} into the central compartment', kind='neg', depot=True, p=p,
                          doses=doses, times=times, amounts=simulate(k_matrix(p, True), doses_i, times)))
# 3. stiff systems under the guard: 10,000 q12h doses, and single long bolus steps
for (K, K12, K21, K13, g) in [(0.05, 2000.0, 100.0, 1e-9, 0.002), (0.001, 100.0, 1.0, 1e-9, 0.01), (0.1, 500.0, 50.0, 1e-9, 0.01)]:
    b = dict(K=K, K12=K12, K21=K21)
    p = dict(K=K, V=10.0, K12=K12, K21=K21, K13=K13, K31=k31_near_slow(b, g))
    n = 10001
    offsets = [0.3, 6.1, 11.9]
    CASES.append(dict(name=f'stiff K={K} K12={K12} K21={K21} g={g}: 10,000 q12h', kind='stiff', depot=False, p=p,
                      doses=[dose(0, 100, 1, ii=12.0, addl=n - 1)], times=[12.0 * (n - 1) + o for o in offsets],
                      amounts=bolus_train(k_matrix(p, False), 1, 100, 12.0, n, offsets)))
b = dict(K=0.05, K12=1000.0, K21=100.0)
for g in (0.0012, 0.003):
    p = dict(K=0.05, V=10.0, K12=1000.0, K21=100.0, K13=1e-9, K31=k31_near_slow(b, g))
    for t in (20.0, 200.0, 300.0):
        CASES.append(dict(name=f'one bolus step K12=1000 g={g} t={t}', kind='step', depot=False, p=p,
                          doses=[dose(0, 100, 1)], times=[t],
                          amounts=simulate(k_matrix(p, False), [dict(dose(0, 100, 1), idx=0)], [t])))

print(json.dumps({'generator': 'test/oracle/analytic_guard_regressions.py', 'digits': 50, 'cases': CASES}, indent=1))
