#!/usr/bin/env python3
"""Reference amounts of linear mammillary models at extreme parameter values, for
test/property/analytic-stability.test.ts. Run: python3 test/oracle/generate_analytic.py

Every case is one dosing scenario of a 1-3 compartment model (optional depot) with rate matrix K
(state order: depot, central, peripherals). Amounts are computed at 50 significant digits with
mpmath: Φ(t) = exp(K·t), Γ(t) = ∫₀ᵗ exp(K·s) ds from exp([[K·t, I·t], [0, 0]]) (Van Loan 1978),
steady states by solving (I − Φ(τ))·x = c. Scenarios (dose at time 0):
  bolus:   x(t) = Φ(t)·AMT·e
  infusion (RATE R for DUR): Γ(t)·R·e during, Φ(t − DUR)·Γ(DUR)·R·e after
  ss-bolus (SS=1, II τ, lag L < τ on the dosed compartment): P = (I − Φ(τ))⁻¹·AMT·e is the state
           just after a dose; x(t) = Φ(t − L + τ)·P before the lagged dose, Φ(t − L)·P after
  ss-infusion (SS=1, II τ, DUR < τ): c = Φ(τ − DUR)·Γ(DUR)·R·e, x₀ = (I − Φ(τ))⁻¹·c, then the
           one infusion of the SS record and decay
  addl (bolus every τ, ADDL = N): x(t) = Φ(t − mτ)·(I − Φ(τ))⁻¹·(I − Φ((m+1)τ))·AMT·e, m = ⌊t/τ⌋ ≤ N
"""
import json
import os
import random

from mpmath import mp, mpf, matrix, expm, eye, lu_solve, floor

mp.dps = 50


def rate_matrix(c):
    ncmt, depot = c["ncmt"], c["depot"]
    n = ncmt + (1 if depot else 0)
    o = 1 if depot else 0
    CL, V = mpf(c["CL"]), mpf(c["V"])
    k10 = CL / V
    k12 = mpf(c["Q"]) / V if ncmt >= 2 else mpf(0)
    k21 = mpf(c["Q"]) / mpf(c["V2"]) if ncmt >= 2 else mpf(0)
    k13 = mpf(c["Q3"]) / V if ncmt >= 3 else mpf(0)
    k31 = mpf(c["Q3"]) / mpf(c["V3"]) if ncmt >= 3 else mpf(0)
    K = matrix(n, n)
    if depot:
        ka = mpf(c["KA"])
        K[0, 0] = -ka
        K[o, 0] = ka
    K[o, o] = -(k10 + k12 + k13)
    if ncmt >= 2:
        K[o, o + 1] = k21
        K[o + 1, o] = k12
        K[o + 1, o + 1] = -k21
    if ncmt >= 3:
        K[o, o + 2] = k31
        K[o + 2, o] = k13
        K[o + 2, o + 2] = -k31
    return K


def phi_gamma(K, t):
    n = K.rows
    t = mpf(t)
    if t == 0:
        return eye(n), matrix(n, n)
    big = matrix(2 * n, 2 * n)
    for i in range(n):
        for j in range(n):
            big[i, j] = K[i, j] * t
        big[i, n + i] = t
    E = expm(big, method="taylor")
    phi = matrix(n, n)
    gam = matrix(n, n)
    for i in range(n):
        for j in range(n):
            phi[i, j] = E[i, j]
            gam[i, j] = E[i, n + j]
    return phi, gam


def unit(n, i, v):
    e = matrix(n, 1)
    e[i] = mpf(v)
    return e


def amounts(c, t):
    K = rate_matrix(c)
    n = K.rows
    s = c["scenario"]
    i = s["cmt"] - 1
    t = mpf(t)
    if s["type"] == "bolus":
        return phi_gamma(K, t)[0] * unit(n, i, s["amt"])
    if s["type"] == "infusion":
        R, D = mpf(s["rate"]), mpf(s["dur"])
        if t <= D:
            return phi_gamma(K, t)[1] * unit(n, i, R)
        return phi_gamma(K, t - D)[0] * (phi_gamma(K, D)[1] * unit(n, i, R))
    tau = mpf(s["ii"])
    I = eye(n)
    if s["type"] == "ss-bolus":
        L = mpf(s["lag"])
        P = lu_solve(I - phi_gamma(K, tau)[0], unit(n, i, s["amt"]))
        return phi_gamma(K, t - L + tau)[0] * P if t < L else phi_gamma(K, t - L)[0] * P
    if s["type"] == "ss-infusion":
        R, D = mpf(s["rate"]), mpf(s["dur"])
        cyc = phi_gamma(K, tau - D)[0] * (phi_gamma(K, D)[1] * unit(n, i, R))
        x0 = lu_solve(I - phi_gamma(K, tau)[0], cyc)
        if t <= D:
            ph, gm = phi_gamma(K, t)
            return ph * x0 + gm * unit(n, i, R)
        ph, gm = phi_gamma(K, D)
        return phi_gamma(K, t - D)[0] * (ph * x0 + gm * unit(n, i, R))
    if s["type"] == "addl":
        m = int(floor(t / tau))
        assert m <= s["addl"]
        rhs = (I - phi_gamma(K, (m + 1) * tau)[0]) * unit(n, i, s["amt"])
        return phi_gamma(K, t - m * tau)[0] * lu_solve(I - phi_gamma(K, tau)[0], rhs)
    raise ValueError(s["type"])


def log_uniform(rng, lo, hi):
    return float(10 ** rng.uniform(lo, hi))


def random_case(rng, k):
    ncmt = rng.choice([1, 2, 3])
    depot = rng.random() < 0.5
    c = {
        "ncmt": ncmt,
        "depot": depot,
        "CL": log_uniform(rng, -6, 6),
        "V": log_uniform(rng, -2, 4),
        "Q": log_uniform(rng, -6, 6),
        "V2": log_uniform(rng, -2, 4),
        "Q3": log_uniform(rng, -6, 6),
        "V3": log_uniform(rng, -2, 4),
    }
    k10 = c["CL"] / c["V"]
    c["KA"] = k10 * (1 + rng.choice([0.0, 1e-9, -1e-6, 1e-3])) if rng.random() < 0.5 else log_uniform(rng, -4, 3)
    ns = ncmt + (1 if depot else 0)
    cmt = 1 if depot and rng.random() < 0.7 else rng.randint(1, ns)
    kind = ["bolus", "infusion", "ss-bolus", "ss-infusion", "addl"][k % 5]
    if kind == "bolus":
        s = {"type": kind, "cmt": cmt, "amt": 100.0}
        times = [0.25, 4.0, 24.0, 1000.0]
    elif kind == "infusion":
        dur = log_uniform(rng, -9, 5)
        s = {"type": kind, "cmt": cmt, "amt": 100.0, "rate": 100.0 / dur, "dur": dur}
        times = sorted({dur * 0.5, dur, dur * 1.5 + 0.5, dur + 24.0})
    elif kind == "ss-bolus":
        ii = rng.choice([6.0, 12.0, 24.0])
        lag = rng.choice([0.0, 0.5, 2.0])
        s = {"type": kind, "cmt": cmt, "amt": 100.0, "ii": ii, "lag": lag}
        times = [0.25, lag + 0.25, ii * 0.5, ii - 0.25]
    elif kind == "ss-infusion":
        ii = rng.choice([8.0, 12.0, 24.0])
        dur = rng.choice([0.5, 1.0, 2.0])
        s = {"type": kind, "cmt": cmt, "amt": 100.0, "rate": 100.0 / dur, "dur": dur, "ii": ii}
        times = [dur * 0.5, dur, ii * 0.5, ii - 0.25]
    else:
        ii = rng.choice([12.0, 24.0])
        s = {"type": kind, "cmt": cmt, "amt": 100.0, "ii": ii, "addl": 10000}
        times = [1.0, ii * 500 + 3.0, ii * 10000 + 6.0]
    c["scenario"] = s
    c["times"] = times
    return c


def main():
    rng = random.Random(20261202)
    cases = [
        # 3-cmt oral: fast Q (rapid central/peripheral equilibrium), CL and KA both tiny, KA ≈ CL/V
        {
            "ncmt": 3, "depot": True, "CL": 0.00308081452243576, "V": 2.670521464359394,
            "Q": 269612.8171538274, "V2": 1736.741259345082, "Q3": 0.000032208156885739575,
            "V3": 456.6301076378703, "KA": 0.0011536377896157225,
            "scenario": {"type": "bolus", "cmt": 1, "amt": 100.0}, "times": [4.0, 8.0, 24.0],
        },
    ]
    while len(cases) < 30:
        cases.append(random_case(rng, len(cases)))
    for c in cases:
        out = []
        for t in c["times"]:
            x = amounts(c, t)
            out.append([mp.nstr(x[i], 25) for i in range(x.rows)])
        c["amounts"] = [[float(v) for v in row] for row in out]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "analytic-fixtures.json")
    with open(path, "w") as f:
        json.dump({"source": "test/oracle/generate_analytic.py (mpmath, 50 digits)", "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
