"""Oracle for forecast(..., { history: false }) with IOV (test/unit/bayes/forecast-history-false-occasions.test.ts).

From independent scripts (ref_hf.py / ref_iov_post.py). One-compartment IV bolus,
CL = 4 exp(eta_CL + kappa_CL) L/h, V = 30 exp(eta_V) L, Omega diag(0.1, 0.1), Omega_IOV 0.09,
proportional error 10 %. History (OCC 1): 1000 mg at 0 and 12 h, levels 25 (2 h), 6 (11 h), 8 (23.5 h).
Future, not continuing the history (history: false): 1000 mg at 0 h (OCC 2) and 12 h (OCC 3), samples
without OCC: 0-12 h on occasion 2 (the dose before them; the sample at 12 h before the dose there),
12-24 h on occasion 3. kappa of occasions 2 and 3 are new (their prior); eta from the history's
posterior. The exact posterior by importance sampling with the prior as proposal (2,000,000 draws);
weighted quantiles of AUC 0-24, AUC 0-12, C(11), C(20).
Writes test/oracle/forecast-history-false-occasions.json.

Run: python3 test/oracle/forecast_history_false_occasions.py
"""
import json
import os

import numpy as np

rng = np.random.default_rng(11)
N = 2_000_000
obs = [(2, 25.0), (11, 6.0), (23.5, 8.0)]
e1 = rng.normal(0, np.sqrt(0.1), N)
e2 = rng.normal(0, np.sqrt(0.1), N)
k1 = rng.normal(0, 0.3, N)
V = 30 * np.exp(e2)
kk = 4 * np.exp(e1 + k1) / V


def c_hist(t):
    A = 1000 * np.exp(-kk * t) + (1000 * np.exp(-kk * (t - 12)) if t >= 12 else 0)
    return A / V


ll = np.zeros(N)
for t, dv in obs:
    ip = c_hist(t)
    v = (0.1 * ip) ** 2
    ll += -0.5 * ((dv - ip) ** 2 / v + np.log(v))
w = np.exp(ll - ll.max())
w /= w.sum()
ess = 1 / np.sum(w**2)

k2 = rng.normal(0, 0.3, N)
k3 = rng.normal(0, 0.3, N)
ca = 4 * np.exp(e1 + k2) / V
cb = 4 * np.exp(e1 + k3) / V
A12 = 1000 * np.exp(-ca * 12)
auc012 = 1000 / ca * (1 - np.exp(-ca * 12)) / V
auc024 = auc012 + (A12 + 1000) / cb * (1 - np.exp(-cb * 12)) / V
c11 = 1000 * np.exp(-ca * 11) / V
c20 = (A12 + 1000) * np.exp(-cb * 8) / V


def wq(x, qs=(0.5, 0.05, 0.95)):
    o = np.argsort(x)
    cw = np.cumsum(w[o])
    return [float(x[o][np.searchsorted(cw, q)]) for q in qs]


out = {
    "n": N,
    "ess": float(ess),
    "quantiles": "[median, 5 %, 95 %]",
    "auc0_24": wq(auc024),
    "auc0_12": wq(auc012),
    "conc11": wq(c11),
    "conc20": wq(c20),
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "forecast-history-false-occasions.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=2)
    fh.write("\n")
print(json.dumps(out, indent=2))
