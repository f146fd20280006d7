# Oracle for test/unit/design/advice-loading-interval.test.ts: optimize --from's next dose judged on
# its own dosing interval (busulfan, Shukla 2020, a chart). Independent of dosewise:
# the MAP (eta, kappa of 3 occasions) by scipy BFGS on the full -2LL (combined residual 22.2 ng/mL +
# 10.6 %, M3 for the BLQ level at 47.75 h, Omega and Omega_IOV priors), the history by matrix
# exponentials with per-record (NOCB) parameters, then AUCs of the future doses in closed form
# (one compartment, constant parameters from 72 h on: occasion 3 continues, DAY 1).
# Run: python3 test/oracle/advice_loading_interval.py > test/oracle/advice-loading-interval.json
import json
import numpy as np
from scipy.linalg import expm
from scipy.optimize import minimize
from scipy.stats import norm

AGE, WT, HT, SEX, REGI = 30, 70, 175, 1, 0
Om = np.array([[0.0595, 0.0323], [0.0323, 0.0293]]); Oi = np.linalg.inv(Om)
Oiovi = np.linalg.inv(np.diag([0.01658944, 0.01779556]))
BMI = WT / (HT / 100) ** 2
FFM = (0.88 + (1 - 0.88) / (1 + (AGE / 13.4) ** (-12.7))) * 9270 * WT / (6680 + 216 * BMI)
FMAT = 0.451 + (1 - 0.451) * (1 - np.exp(-AGE * 1.37))
R = 224 / 3
# (time, amount, duration): 224 mg/3 h at 0 and 25 h, a bag interrupted at 49 h and resumed 49.5-51.5 h
DOSES = [(0, 224, 3), (25, 224, 3), (48, R * 1, 1), (49.5, R * 2, 2)]
RECS = [(0, 1), (3, 1), (4, 1), (6, 1), (10, 1), (25, 2), (28.25, 2), (32, 2), (47.75, 2), (48, 3), (49.5, 3), (50, 3), (52, 3), (56, 3)]
OBS = [3, 4, 6, 10, 28.25, 32, 50, 52, 56]
DV = [3100, 2150, 1160, 290, 3300, 1200, 1850, 2800, 770]


def clv(t, occ, x):
    day = 1 if t > 24 else 0
    cl = 3.96 * FMAT * (FFM / 12) ** 0.75 * (1 - 0.2 * REGI) * (1 - 0.135 * day) * np.exp(x[0] + x[2 * occ])
    v = 10.8 * FFM / 12 * np.exp(x[1] + x[2 * occ + 1])
    return cl, v


def rec_at(t):  # NOCB: the first record at or after t
    for r in RECS + [(1e9, 3)]:
        if r[0] >= t - 1e-12:
            return r


def amounts(x, times):
    """Amount (mg) in the body at `times` (history doses only), exact piecewise (expm of the augmented system)."""
    ev = sorted(set([0.0] + [d[0] for d in DOSES] + [d[0] + d[2] for d in DOSES] + [r[0] for r in RECS] + list(times)))
    a = 0.0
    out = {ev[0]: 0.0}
    for tp, t in zip(ev[:-1], ev[1:]):
        r = rec_at(t)
        cl, v = clv(r[0], r[1], x)
        rate = sum(am / du for (td, am, du) in DOSES if td <= tp + 1e-12 and td + du >= t - 1e-12)
        m = np.array([[-cl / v, rate], [0, 0]])
        a = (expm(m * (t - tp)) @ np.array([a, 1.0]))[0]
        out[t] = a
    return [out[t] for t in times]


def conc(x, times):
    return [a / clv(*rec_at(t), x)[1] * 1000 for a, t in zip(amounts(x, times), times)]


def ofv(x):
    f = np.array(conc(x, OBS))
    var = 22.2 ** 2 + (0.106 * f) ** 2
    o = np.sum((np.array(DV) - f) ** 2 / var + np.log(var)) + x[:2] @ Oi @ x[:2]
    for k in range(3):
        o += x[2 + 2 * k:4 + 2 * k] @ Oiovi @ x[2 + 2 * k:4 + 2 * k]
    (fb,) = conc(x, [47.75])
    return o - 2 * norm.logcdf((50 - fb) / np.sqrt(22.2 ** 2 + (0.106 * fb) ** 2))


fit = minimize(ofv, np.zeros(8), method='BFGS', options={'gtol': 1e-8})
x = fit.x
cl, v = clv(72, 3, x)
k = cl / v
(a72,) = amounts(x, [72])


def piece(a0, rate, dt):
    """Amount at the end of dt and its integral, one compartment, constant infusion rate."""
    e = np.exp(-k * dt)
    return a0 * e + rate / k * (1 - e), a0 * (1 - e) / k + rate / k * (dt - (1 - e) / k)


def day(a0, dose):
    """A dose over 3 h at the start of 24 h: amount at the end and AUC (ng*h/mL)."""
    a1, i1 = piece(a0, dose / 3, 3)
    a2, i2 = piece(a1, 0, 21)
    return a2, (i1 + i2) / v * 1000


out = {'ofv': fit.fun, 'eta': list(x[:2]), 'kappa': [list(x[2:4]), list(x[4:6]), list(x[6:8])], 'regimens': []}
for nxt, maint in [(270, 270), (350, 270), (350, 350), (600, 270)]:
    a96, auc1 = day(a72, nxt)
    _, auc2 = day(a96, maint)
    out['regimens'].append({'next': nxt, 'maintenance': maint, 'auc_72_96': auc1, 'auc_96_120': auc2})
print(json.dumps(out, indent=1))
