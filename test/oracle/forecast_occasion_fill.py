"""Oracle for the occasion of future samples without one (test/unit/bayes/forecast-occasion-fill.test.ts).

From an independent script (iov_ref.py). One-compartment IV bolus, CL = 5 exp(eta_CL + kappa_CL)
L/h, V = 50 exp(eta_V + kappa_V) L, Omega diag(0.09, 0.04), Omega_IOV [[0.04, 0.01], [0.01, 0.0225]]
per occasion, proportional error 10 %. History: 500 mg at 0 h (OCC 1) and 24 h (OCC 2), levels 8.1
(2 h), 3.0 (23 h), 9.0 (26 h), 3.5 (47 h). Future: 500 mg at 48 h (OCC 3) and 72 h (OCC 4), samples
every 0.5 h from 48.5 to 96 h, each on the occasion of the dose before it (48.5-72 h: 3, the sample
at 72 h being before the dose there; 72.5-96 h: 4). Each record's parameters govern the interval
ending at it (NOCB, as dosewise and NONMEM advance), and an occasion runs from its dose to the next
one's: 47-48 h (after the last level) on occasion 2, as a sample at 48 h before the dose gives it.
The exact posterior by importance sampling with the prior as proposal (2,000,000 draws); weighted
quantiles of C(60), C(84) and AUC 48-96 h.
Writes test/oracle/forecast-occasion-fill.json.

Run: python3 test/oracle/forecast_occasion_fill.py
"""
import json
import os

import numpy as np

rng = np.random.default_rng(3)
N = 2_000_000
om = np.array([0.09, 0.04])
OI = np.array([[0.04, 0.01], [0.01, 0.0225]])
LI = np.linalg.cholesky(OI)
eta = rng.normal(size=(N, 2)) * np.sqrt(om)
kap = {o: rng.normal(size=(N, 2)) @ LI.T for o in (1, 2, 3, 4)}


def par(o):
    CL = 5 * np.exp(eta[:, 0] + kap[o][:, 0])
    V = 50 * np.exp(eta[:, 1] + kap[o][:, 1])
    return CL / V, V


def run(recs, auc_window=None):
    """recs: (time, amt, occ) in the order simulated; each record's occasion governs the advance to it."""
    A = np.zeros(N)
    t = 0.0
    out = {}
    auc = np.zeros(N)
    for (tt, amt, occ) in recs:
        k, V = par(occ)
        dt = tt - t
        if auc_window and dt > 0:
            lo = max(t, auc_window[0])
            hi = min(tt, auc_window[1])
            if hi > lo:
                auc += A / V * (np.exp(-k * (lo - t)) - np.exp(-k * (hi - t))) / k
        A = A * np.exp(-k * dt)
        t = tt
        if amt:
            A = A + amt
        out[tt] = A / V
    return out, auc


hist = [(0, 500, 1), (2, 0, 1), (23, 0, 1), (24, 500, 2), (26, 0, 2), (47, 0, 2)]
dv = {2: 8.1, 23: 3.0, 26: 9.0, 47: 3.5}
o, _ = run(hist)
ll = np.zeros(N)
for tt, y in dv.items():
    f = o[tt]
    var = (0.1 * f) ** 2
    ll += (y - f) ** 2 / var + np.log(var)
lw = -0.5 * ll
w = np.exp(lw - lw.max())
w /= w.sum()
ess = 1 / (w ** 2).sum()


def wq(v, ps=(0.5, 0.05, 0.95)):
    i = np.argsort(v)
    cw = np.cumsum(w[i])
    return [float(v[i][np.searchsorted(cw, p)]) for p in ps]


grid = np.arange(48.5, 96.001, 0.5)
occ_of = lambda t: 3 if t <= 72 else 4
fut = [(48, 0, 2), (48, 500, 3)] + [(t, 0, occ_of(t)) for t in grid if t <= 72] + [(72, 500, 4)] + [(t, 0, occ_of(t)) for t in grid if t > 72]
fut = sorted(fut, key=lambda r: (r[0], 1 if r[1] else 0))  # the sample at 72 h before the dose there
o, auc = run(hist + fut, (48, 96))
res = {
    'n': N,
    'ess': float(ess),
    'quantiles': '[median, 5 %, 95 %]',
    'conc60': wq(o[60.0]),
    'conc84': wq(o[84.0]),
    'auc48_96': wq(auc),
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'forecast-occasion-fill.json'), 'w') as fh:
    json.dump(res, fh, indent=2)
    fh.write('\n')
print(json.dumps(res))
