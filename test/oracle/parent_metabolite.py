"""Oracle for models with several outputs: MAP estimates of a parent-metabolite model
(examples/parent-metabolite/model.json) fitted here with scipy in closed form, independently of
dosewise, and the patients' records they come from. Writes test/oracle/parent-metabolite.json.

Objective (the NONMEM POSTHOC conditional objective dosewise documents): for each observation of
output o, Var = residual variance of o at the prediction f (proportional (b f)^2; combined
a^2 + (b f)^2); OFV = sum (y - f)^2 / Var + ln Var + eta' Omega^-1 eta.

Run: python3 test/oracle/parent_metabolite.py
"""
import json

import numpy as np
from scipy.optimize import minimize

TVKP, TVVP, TVCL, TVV = 0.3, 20.0, 2.0, 15.0
OMEGA = np.diag([0.09, 0.04, 0.09])
OMEGA_INV = np.linalg.inv(OMEGA)
DOSES = [(0.0, 500.0), (12.0, 500.0)]
SAMPLES = [(1, 1.0), (2, 2.0), (1, 4.0), (2, 6.0), (1, 10.0), (2, 11.5), (2, 14.0), (1, 15.0), (2, 24.0)]


def predict(eta, out, t):
    kp = TVKP * np.exp(eta[0])
    vp = TVVP * np.exp(eta[1])
    cl = TVCL * np.exp(eta[2])
    k = cl / TVV
    c = 0.0
    for td, amt in DOSES:
        dt = t - td
        if dt <= 0:
            continue
        if out == 1:
            c += amt * np.exp(-kp * dt) / vp
        else:
            c += amt * kp / (TVV * (kp - k)) * (np.exp(-k * dt) - np.exp(-kp * dt))
    return c


def variance(out, f):
    w = 1.0 if f == 0 else f
    return (0.1 * w) ** 2 if out == 1 else 0.05**2 + (0.12 * w) ** 2


def ofv(eta, obs):
    s = 0.0
    for out, t, y in obs:
        f = predict(eta, out, t)
        v = variance(out, f)
        s += (y - f) ** 2 / v + np.log(v)
    return s + eta @ OMEGA_INV @ eta


rng = np.random.default_rng(7)
patients = []
for pid, true_eta in enumerate([[0.2, -0.1, 0.3], [-0.3, 0.15, -0.2], [0.05, 0.0, -0.4]], start=1):
    eta = np.array(true_eta)
    obs = []
    for out, t in SAMPLES:
        f = predict(eta, out, t)
        obs.append((out, t, float(f + np.sqrt(variance(out, f)) * rng.standard_normal())))
    best = None
    for start in ([0, 0, 0], true_eta):
        r = minimize(ofv, np.array(start, float), args=(obs,), method="BFGS", options={"gtol": 1e-11, "maxiter": 10000})
        r = minimize(ofv, r.x, args=(obs,), method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 40000})
        r = minimize(ofv, r.x, args=(obs,), method="BFGS", options={"gtol": 1e-12, "maxiter": 10000})
        if best is None or r.fun < best.fun:
            best = r
    rows = [{"ID": pid, "TIME": td, "EVID": 1, "AMT": amt, "CMT": 1, "DV": None, "MDV": 1, "DVID": None} for td, amt in DOSES]
    rows += [{"ID": pid, "TIME": t, "EVID": 0, "AMT": None, "CMT": out, "DV": round(y, 6), "MDV": 0, "DVID": out} for out, t, y in obs]
    rows.sort(key=lambda r: (r["TIME"], -r["EVID"]))
    # refit on the rounded DVs written to the records
    obs_r = [(r["DVID"], r["TIME"], r["DV"]) for r in rows if r["EVID"] == 0]
    r = minimize(ofv, best.x, args=(obs_r,), method="BFGS", options={"gtol": 1e-12, "maxiter": 10000})
    r = minimize(ofv, r.x, args=(obs_r,), method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 40000})
    patients.append({"id": pid, "records": rows, "eta": [float(x) for x in r.x], "ofv": float(r.fun),
                     "ipred": [float(predict(r.x, rr["DVID"], rr["TIME"])) if rr["EVID"] == 0 else None for rr in rows]})

with open("test/oracle/parent-metabolite.json", "w") as fh:
    json.dump({"source": "test/oracle/parent_metabolite.py (scipy BFGS + Nelder-Mead, closed form)", "model": "examples/parent-metabolite/model.json", "patients": patients}, fh, indent=1)
    fh.write("\n")
print(json.dumps([(p["id"], p["eta"], p["ofv"]) for p in patients]))
