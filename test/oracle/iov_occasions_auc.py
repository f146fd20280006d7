"""Oracle for a population with inter-occasion variability (test/unit/population/iov-occasion-records.test.ts):
500 mg IV bolus at 0, 24 and 48 h on occasions 1, 2, 3; CL = 5 exp(eta_CL + kappa_CL) L/h,
V = 50 exp(eta_V + kappa_V) L; Omega diag(0.09, 0.04), Omega_IOV [[0.04, 0.01], [0.01, 0.0225]]
drawn anew per occasion. auc:0:72 summed exactly per 24-h interval (a monoexponential decline
from the amount carried over plus the dose), independently of dosewise, by Monte Carlo with numpy.
Also the figures of one kappa for all three occasions (what a record without its occasion ran).
Writes test/oracle/iov-occasions-auc.json.

Run: python3 test/oracle/iov_occasions_auc.py
"""
import json
import os

import numpy as np

N = 2_000_000
OMEGA = np.diag([0.09, 0.04])
OMEGA_IOV = np.array([[0.04, 0.01], [0.01, 0.0225]])
LO, HI = 250.0, 350.0


def auc(eta, kappas):
    a = np.zeros(len(eta))
    total = np.zeros(len(eta))
    for kap in kappas:
        cl = 5 * np.exp(eta[:, 0] + kap[:, 0])
        v = 50 * np.exp(eta[:, 1] + kap[:, 1])
        k = cl / v
        a = a + 500
        total += a / v * (1 - np.exp(-k * 24)) / k
        a = a * np.exp(-k * 24)
    return total


def summary(x):
    return {'mean': float(x.mean()), 'sd': float(x.std()), 'fracIn': float(np.mean((x >= LO) & (x <= HI)))}


rng = np.random.default_rng(20261207)
eta = rng.multivariate_normal([0, 0], OMEGA, N)
kappas = [rng.multivariate_normal([0, 0], OMEGA_IOV, N) for _ in range(3)]
out = {
    'n': N,
    'window': [LO, HI],
    'threeOccasions': summary(auc(eta, kappas)),
    'oneKappa': summary(auc(eta, [kappas[0]] * 3)),
}
with open(os.path.join(os.path.dirname(__file__), 'iov-occasions-auc.json'), 'w') as f:
    json.dump(out, f, indent=2)
    f.write('\n')
print(json.dumps(out, indent=2))
