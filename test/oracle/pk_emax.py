"""Oracle for a PK + Emax model with two outputs (examples/pk-emax/model.json): MAP estimates
fitted here with scipy in closed form (one-compartment IV bolus, effect compartment
Ce = D/V * KE0/(KE0 - k) (exp(-k t) - exp(-KE0 t)), E = E0 + EMAX Ce / (EC50 + Ce)), independently
of dosewise. Writes test/oracle/pk-emax.json.

Objective: sum (y - f)^2 / Var + ln Var over both outputs (concentration: proportional 0.1;
response: additive 3) + eta' Omega^-1 eta.

Run: python3 test/oracle/pk_emax.py
"""
import json

import numpy as np
from scipy.optimize import minimize

TVCL, TVV, TVEC50, KE0, E0, EMAX = 5.0, 50.0, 2.0, 0.7, 10.0, 80.0
OMEGA_INV = np.linalg.inv(np.diag([0.09, 0.04, 0.16]))
DOSES = [(0.0, 500.0), (24.0, 300.0)]
SAMPLES = [(2, 0.5), (1, 1.0), (2, 2.0), (1, 4.0), (2, 6.0), (1, 8.0), (2, 12.0), (2, 25.0), (1, 26.0), (2, 30.0)]


def predict(eta, out, t):
    cl = TVCL * np.exp(eta[0])
    v = TVV * np.exp(eta[1])
    ec50 = TVEC50 * np.exp(eta[2])
    k = cl / v
    c = ce = 0.0
    for td, amt in DOSES:
        dt = t - td
        if dt <= 0:
            continue
        c += amt / v * np.exp(-k * dt)
        ce += amt / v * KE0 / (KE0 - k) * (np.exp(-k * dt) - np.exp(-KE0 * dt))
    return c if out == 1 else E0 + EMAX * ce / (ec50 + ce)


def variance(out, f):
    w = 1.0 if f == 0 else f
    return (0.1 * w) ** 2 if out == 1 else 3.0**2


def ofv(eta, obs):
    s = 0.0
    for out, t, y in obs:
        f = predict(eta, out, t)
        v = variance(out, f)
        s += (y - f) ** 2 / v + np.log(v)
    return s + eta @ OMEGA_INV @ eta


def fit(obs, starts):
    best = None
    for start in starts:
        r = minimize(ofv, np.array(start, float), args=(obs,), method="BFGS", options={"gtol": 1e-11, "maxiter": 10000})
        r = minimize(ofv, r.x, args=(obs,), method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 40000})
        r = minimize(ofv, r.x, args=(obs,), method="BFGS", options={"gtol": 1e-12, "maxiter": 10000})
        if best is None or r.fun < best.fun:
            best = r
    return best


rng = np.random.default_rng(11)
patients = []
for pid, true_eta in enumerate([[0.25, -0.1, 0.3], [-0.2, 0.15, -0.35], [0.1, 0.05, 0.5]], start=1):
    eta = np.array(true_eta)
    rows = [{"ID": pid, "TIME": td, "EVID": 1, "AMT": amt, "CMT": 1, "DV": None, "MDV": 1, "DVID": None} for td, amt in DOSES]
    for out, t in SAMPLES:
        f = predict(eta, out, t)
        y = round(float(f + np.sqrt(variance(out, f)) * rng.standard_normal()), 6)
        rows.append({"ID": pid, "TIME": t, "EVID": 0, "AMT": None, "CMT": out, "DV": y, "MDV": 0, "DVID": out})
    rows.sort(key=lambda r: (r["TIME"], -r["EVID"]))
    obs = [(r["DVID"], r["TIME"], r["DV"]) for r in rows if r["EVID"] == 0]
    r = fit(obs, ([0, 0, 0], true_eta))
    patients.append({"id": pid, "records": rows, "eta": [float(x) for x in r.x], "ofv": float(r.fun),
                     "ipred": [float(predict(r.x, rr["DVID"], rr["TIME"])) if rr["EVID"] == 0 else None for rr in rows]})

with open("test/oracle/pk-emax.json", "w") as fh:
    json.dump({"source": "test/oracle/pk_emax.py (scipy BFGS + Nelder-Mead, closed form)", "model": "examples/pk-emax/model.json", "patients": patients}, fh, indent=1)
    fh.write("\n")
print(json.dumps([(p["id"], p["eta"], p["ofv"]) for p in patients]))
