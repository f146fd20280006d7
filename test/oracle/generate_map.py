#!/usr/bin/env python3
"""Independent MAP (maximum a posteriori) oracle fixtures for dosewise's Bayesian estimation.

What this computes
------------------
For a few population models and simulated patients, the random effects eta that
minimise the MAP objective (NONMEM's POSTHOC / FOCE-INTER conditional objective)

    OFV(eta) = sum_obs [ (y - f)^2 / Var(f) + ln Var(f) ]
             + sum_BLQ  -2 ln Phi((LLOQ - f) / sqrt(Var(f)))        (Beal's M3)
             + eta' Omega^-1 eta

with SciPy only (no dosewise code):

  * oral-prop     1-cmt first-order absorption, IIV on CL, V (correlated) and KA,
                  proportional error; concentrations by the closed-form Bateman
                  superposition
  * iv2-combined  2-cmt IV with 1-h infusions, IIV on CL, V1 and V2 (block),
                  combined error Var = a^2 + (b f)^2; amounts EXACTLY by
                  scipy.linalg.expm of the input-augmented linear system,
                  piecewise between events
  * blq-m3        1-cmt IV bolus, additive + proportional error, samples below
                  the LLOQ: patient "m3" uses the M3 likelihood, patient
                  "quantified" is the same data with the BLQ samples entered as
                  DV = LLOQ and treated as ordinary observations
  * exp-error     1-cmt oral, exponential (log-scale) error: DV = log(C),
                  Var = sd^2 on the log scale

Data: for each patient, eta_true ~ N(0, Omega) and residual noise from
numpy's RandomState(seed); DV printed with 6 significant digits. Everything a
test needs (the dosewise model file, the records, the optimum) is in the JSON.

Numerics
--------
BFGS (scipy.optimize.minimize, jac='3-point', gtol 1e-9) from eta = 0, then
from +-1.5 omega on each axis; the best objective wins. Self-check: Nelder-Mead
(xatol 1e-10, fatol 1e-13) and L-BFGS-B restarted at the optimum; the largest
|delta eta| is recorded per patient ("selfcheck_max_abs_eta_diff").

How to rerun
------------
    python3 test/oracle/generate_map.py          # writes test/oracle/map-fixtures.json
    python3 test/oracle/generate_map.py --out X

Deterministic for a given SciPy/NumPy build (versions recorded in the JSON).
"""

import argparse
import json
import platform
import sys

import numpy as np
import scipy
from scipy.linalg import expm
from scipy.optimize import minimize
from scipy.stats import norm


# ---------------------------------------------------------------------------------------------
# structural models: concentration at observation times given doses (time, amt, rate; rate 0 = bolus)


def conc_oral_1cmt(p, doses, times):
    """1-cmt, first-order absorption from a depot: Bateman superposition."""
    k = p["CL"] / p["V"]
    ka = p["KA"]
    out = []
    for t in times:
        c = 0.0
        for d in doses:
            dt = t - d["time"]
            if dt < 0:
                continue
            c += d["amt"] * ka / (p["V"] * (ka - k)) * (np.exp(-k * dt) - np.exp(-ka * dt))
        out.append(c)
    return np.array(out)


def conc_iv_1cmt(p, doses, times):
    k = p["CL"] / p["V"]
    out = []
    for t in times:
        c = 0.0
        for d in doses:
            dt = t - d["time"]
            if dt >= 0:
                c += d["amt"] / p["V"] * np.exp(-k * dt)
        out.append(c)
    return np.array(out)


def conc_iv_2cmt_expm(p, doses, times):
    """2-cmt with boluses and zero-order infusions into the central compartment, by expm."""
    cl, v1, q, v2 = p["CL"], p["V"], p["Q"], p["V2"]
    A = np.array([[-(cl + q) / v1, q / v2], [q / v1, -q / v2]])
    # events: (time, kind, value); kinds: bolus amount, rate change
    events = []
    for d in doses:
        if d["rate"] > 0:
            events.append((d["time"], "rate", d["rate"]))
            events.append((d["time"] + d["amt"] / d["rate"], "rate", -d["rate"]))
        else:
            events.append((d["time"], "bolus", d["amt"]))
    grid = sorted(set([e[0] for e in events] + list(times)))
    x = np.zeros(2)
    rate = 0.0
    t = 0.0
    out = {}
    for tn in grid:
        if tn > t:
            M = np.zeros((3, 3))
            M[:2, :2] = A
            M[0, 2] = rate
            E = expm(M * (tn - t))
            x = (E @ np.concatenate([x, [1.0]]))[:2]
            t = tn
        # doses at tn act before observations at tn (dose records come first in the data)
        for e in events:
            if e[0] == tn:
                if e[1] == "bolus":
                    x[0] += e[2]
                else:
                    rate += e[2]
        if tn in times:
            out[tn] = x[0] / v1
    return np.array([out[t] for t in times])


# ---------------------------------------------------------------------------------------------
# the MAP objective


def variance(res, f):
    w = 1.0 if f == 0 else f
    m = res["model"]
    if m == "additive":
        return res["additive"] ** 2
    if m == "proportional":
        return (res["proportional"] * w) ** 2
    if m == "combined":
        return res["additive"] ** 2 + (res["proportional"] * w) ** 2
    if m == "exponential":
        return res["exponential"] ** 2
    raise ValueError(m)


def ofv(eta, case):
    omega_inv = case["omega_inv"]
    p = case["params"](eta)
    f = case["conc"](p, case["doses"], case["obs_times"])
    res = case["residual"]
    expo = res["model"] == "exponential"
    s = 0.0
    for fi, y, blq, lloq in zip(f, case["dv"], case["blq"], case["lloq"]):
        if not np.isfinite(fi):
            return np.inf
        fp = fi
        if expo:
            if fi <= 0:
                if blq:
                    continue
                return np.inf
            fp = np.log(fi)
        V = variance(res, fi)
        if blq:
            s += -2.0 * norm.logcdf((lloq - fp) / np.sqrt(V))
        else:
            s += (y - fp) ** 2 / V + np.log(V)
    return s + float(eta @ omega_inv @ eta)


def fit(case):
    n = len(case["eta_names"])
    sd = np.sqrt(np.diag(case["omega"]))
    starts = [np.zeros(n)]
    for i in range(n):
        for sgn in (1, -1):
            x0 = np.zeros(n)
            x0[i] = sgn * 1.5 * sd[i]
            starts.append(x0)
    best = None
    for x0 in starts:
        r = minimize(ofv, x0, args=(case,), method="BFGS", jac="3-point", options={"gtol": 1e-9, "maxiter": 2000})
        if best is None or r.fun < best.fun - 1e-12:
            best = r
    # self-check from the optimum with two other methods
    nm = minimize(ofv, best.x, args=(case,), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 20000, "maxfev": 40000})
    lb = minimize(ofv, best.x, args=(case,), method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 2000})
    diff = max(float(np.max(np.abs(nm.x - best.x))), float(np.max(np.abs(lb.x - best.x))))
    for other in (nm, lb):
        if other.fun < best.fun - 1e-9:
            raise RuntimeError(f"{case['name']}: self-check found a better optimum ({other.fun} < {best.fun})")
    return best, diff


# ---------------------------------------------------------------------------------------------
# cases


def records_for(case, dv_out):
    """NM-TRAN rows: dose records, then observation records; columns as listed."""
    rows = []
    for d in case["doses"]:
        rows.append({"TIME": d["time"], "EVID": 1, "AMT": d["amt"], "CMT": d["cmt"], "RATE": d["rate"], "DV": None, "MDV": 1})
    for t, y, blq, lloq in zip(case["obs_times"], dv_out, case["blq"], case["lloq"]):
        r = {"TIME": t, "EVID": 0, "AMT": 0, "CMT": case["obs_cmt"], "RATE": 0, "DV": y, "MDV": 0}
        if case.get("blq_columns"):
            r["BLQ"] = 1 if blq else 0
            r["LLOQ"] = lloq if blq else None
        rows.append(r)
    rows.sort(key=lambda r: (r["TIME"], 0 if r["EVID"] == 1 else 1))
    return rows


def sig6(x):
    return float(f"{x:.6g}")


def make_patients(base, n, seed, lloq=None):
    rng = np.random.RandomState(seed)
    L = np.linalg.cholesky(base["omega"])
    out = []
    for i in range(n):
        eta_true = L @ rng.standard_normal(len(base["eta_names"]))
        p = base["params"](eta_true)
        f = base["conc"](p, base["doses"], base["obs_times"])
        res = base["residual"]
        if res["model"] == "exponential":
            dv = [sig6(np.log(fi) + res["exponential"] * rng.standard_normal()) for fi in f]
        else:
            dv = [sig6(fi + np.sqrt(variance(res, fi)) * rng.standard_normal()) for fi in f]
        out.append((eta_true, dv))
    return out


def model_oral_prop():
    omega = np.array([[0.09, 0.03, 0.0], [0.03, 0.06, 0.0], [0.0, 0.0, 0.25]])
    doses = [{"time": 0.0, "amt": 500.0, "cmt": 1, "rate": 0.0}, {"time": 12.0, "amt": 500.0, "cmt": 1, "rate": 0.0}]
    return {
        "name": "oral-prop",
        "model": {
            "dosewise": 2,
            "name": "oracle 1-cmt oral proportional",
            "structure": {"kind": "linear", "compartments": 1, "depot": True},
            "parameters": {"CL": "5*exp(ETA_CL)", "V": "50*exp(ETA_V)", "KA": "1.2*exp(ETA_KA)"},
            "omega": {"etas": ["ETA_CL", "ETA_V", "ETA_KA"], "matrix": omega.tolist()},
            "residual": {"model": "proportional", "proportional": 0.15},
        },
        "eta_names": ["ETA_CL", "ETA_V", "ETA_KA"],
        "omega": omega,
        "params": lambda e: {"CL": 5 * np.exp(e[0]), "V": 50 * np.exp(e[1]), "KA": 1.2 * np.exp(e[2])},
        "conc": conc_oral_1cmt,
        "doses": doses,
        "obs_times": [1.0, 3.0, 8.0, 13.5, 23.0],
        "obs_cmt": 2,
        "residual": {"model": "proportional", "additive": 0.0, "proportional": 0.15, "exponential": 0.0},
    }


def model_iv2_combined():
    omega = np.array([[0.1, 0.02, 0.0], [0.02, 0.08, 0.01], [0.0, 0.01, 0.15]])
    doses = [{"time": t, "amt": 1000.0, "cmt": 1, "rate": 1000.0} for t in (0.0, 12.0, 24.0)]
    return {
        "name": "iv2-combined",
        "model": {
            "dosewise": 2,
            "name": "oracle 2-cmt infusion combined error",
            "structure": {"kind": "linear", "compartments": 2, "depot": False},
            "parameters": {"CL": "4*exp(ETA_CL)", "V": "30*exp(ETA_V1)", "Q": 6, "V2": "50*exp(ETA_V2)"},
            "omega": {"etas": ["ETA_CL", "ETA_V1", "ETA_V2"], "matrix": omega.tolist()},
            "residual": {"model": "combined", "additive": 0.5, "proportional": 0.1},
        },
        "eta_names": ["ETA_CL", "ETA_V1", "ETA_V2"],
        "omega": omega,
        "params": lambda e: {"CL": 4 * np.exp(e[0]), "V": 30 * np.exp(e[1]), "Q": 6.0, "V2": 50 * np.exp(e[2])},
        "conc": conc_iv_2cmt_expm,
        "doses": doses,
        "obs_times": [0.5, 1.5, 6.0, 11.5, 25.0, 30.0, 35.5],
        "obs_cmt": 1,
        "residual": {"model": "combined", "additive": 0.5, "proportional": 0.1, "exponential": 0.0},
    }


def model_blq():
    omega = np.array([[0.2, 0.0], [0.0, 0.1]])
    doses = [{"time": 0.0, "amt": 100.0, "cmt": 1, "rate": 0.0}]
    return {
        "name": "blq-m3",
        "model": {
            "dosewise": 2,
            "name": "oracle 1-cmt IV bolus, BLQ by M3",
            "structure": "1cmt-iv",
            "parameters": {"CL": "3*exp(ETA_CL)", "V": "20*exp(ETA_V)"},
            "omega": {"etas": ["ETA_CL", "ETA_V"], "diagonal": [0.2, 0.1]},
            "residual": {"model": "combined", "additive": 0.05, "proportional": 0.1},
        },
        "eta_names": ["ETA_CL", "ETA_V"],
        "omega": omega,
        "params": lambda e: {"CL": 3 * np.exp(e[0]), "V": 20 * np.exp(e[1])},
        "conc": conc_iv_1cmt,
        "doses": doses,
        "obs_times": [1.0, 4.0, 12.0, 24.0, 36.0],
        "obs_cmt": 1,
        "residual": {"model": "combined", "additive": 0.05, "proportional": 0.1, "exponential": 0.0},
        "blq_columns": True,
    }


def model_exp():
    omega = np.array([[0.1, 0.0], [0.0, 0.1]])
    doses = [{"time": 0.0, "amt": 200.0, "cmt": 1, "rate": 0.0}]
    return {
        "name": "exp-error",
        "model": {
            "dosewise": 2,
            "name": "oracle 1-cmt oral, exponential (log-scale) error",
            "structure": {"kind": "linear", "compartments": 1, "depot": True},
            "parameters": {"CL": "2*exp(ETA_CL)", "V": "25*exp(ETA_V)", "KA": 0.8},
            "omega": {"etas": ["ETA_CL", "ETA_V"], "diagonal": [0.1, 0.1]},
            "residual": {"model": "exponential", "exponential": 0.2},
        },
        "eta_names": ["ETA_CL", "ETA_V"],
        "omega": omega,
        "params": lambda e: {"CL": 2 * np.exp(e[0]), "V": 25 * np.exp(e[1]), "KA": 0.8},
        "conc": conc_oral_1cmt,
        "doses": doses,
        "obs_times": [2.0, 6.0, 12.0, 24.0],
        "obs_cmt": 2,
        "residual": {"model": "exponential", "additive": 0.0, "proportional": 0.0, "exponential": 0.2},
    }


COLUMNS = ["ID", "TIME", "EVID", "AMT", "CMT", "RATE", "DV", "MDV"]


def run_case(base, pid, dv, blq, lloq, label, eta_true):
    case = dict(base)
    case["omega_inv"] = np.linalg.inv(base["omega"])
    case["dv"] = dv
    case["blq"] = blq
    case["lloq"] = lloq
    r, diff = fit(case)
    p = case["params"](r.x)
    f = case["conc"](p, case["doses"], case["obs_times"])
    rows = records_for(case, dv)
    cols = COLUMNS + (["BLQ", "LLOQ"] if case.get("blq_columns") else [])
    table = [[pid if c == "ID" else row.get(c) for c in cols] for row in rows]
    return {
        "id": pid,
        "label": label,
        "columns": cols,
        "records": table,
        "eta_true": [float(v) for v in eta_true],
        "eta": [float(v) for v in r.x],
        "ofv": float(r.fun),
        "ipred_obs": [float(v) for v in f],
        "converged": bool(r.success) or float(np.max(np.abs(r.jac))) < 1e-6,
        "max_abs_gradient": float(np.max(np.abs(r.jac))),
        "selfcheck_max_abs_eta_diff": diff,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="test/oracle/map-fixtures.json")
    a = ap.parse_args()
    models = []
    for base, seed in ((model_oral_prop(), 11), (model_iv2_combined(), 12), (model_exp(), 14)):
        n = len(base["obs_times"])
        patients = []
        for i, (eta_true, dv) in enumerate(make_patients(base, 4, seed)):
            patients.append(run_case(base, i + 1, dv, [False] * n, [None] * n, "simulated", eta_true))
            print(base["name"], i + 1, patients[-1]["eta"], "selfcheck", patients[-1]["selfcheck_max_abs_eta_diff"], file=sys.stderr)
        models.append({"name": base["name"], "model": base["model"], "patients": patients})
    # BLQ: LLOQ 0.5; samples below it are flagged (M3) or entered as DV = LLOQ (quantified)
    base = model_blq()
    lloq = 0.5
    patients = []
    for i, (eta_true, dv) in enumerate(make_patients(base, 4, 13)):
        p = base["params"](eta_true)
        blq = [bool(y < lloq) for y in dv]
        if not any(blq):
            blq[-1] = True  # every patient has at least one BLQ sample
        dv_m3 = [lloq if b else y for y, b in zip(dv, blq)]
        patients.append(run_case(base, 2 * i + 1, dv_m3, blq, [lloq if b else None for b in blq], "m3", eta_true))
        quant = dict(base)
        quant["blq_columns"] = True
        patients.append(run_case(quant, 2 * i + 2, dv_m3, [False] * len(blq), [None] * len(blq), "quantified", eta_true))
        print("blq", i + 1, patients[-2]["eta"], patients[-1]["eta"], file=sys.stderr)
    models.append({"name": base["name"], "model": base["model"], "lloq": lloq, "patients": patients})
    doc = {
        "generator": "test/oracle/generate_map.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "objective": "sum_obs[(y-f)^2/Var + ln Var] + sum_BLQ -2 ln Phi((LLOQ-f)/sqrt(Var)) + eta' Omega^-1 eta; exponential error on the log scale (DV = log C)",
        "optimizer": "scipy.optimize.minimize BFGS, jac='3-point', gtol 1e-9, starts 0 and +-1.5 omega per axis; Nelder-Mead and L-BFGS-B self-check",
        "models": models,
    }
    with open(a.out, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    print("wrote", a.out, file=sys.stderr)


if __name__ == "__main__":
    main()
