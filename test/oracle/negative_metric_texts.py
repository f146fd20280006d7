"""Oracle for W_NEGATIVE_METRIC / W_NEGATIVE_STATE (test/unit/population/negative-metric-scale.test.ts):
the true levels of two Michaelis-Menten model texts, solved here by scipy (LSODA, rtol 1e-10),
independently of dosewise. Writes test/oracle/negative-metric-texts.json.

rat: V 0.25 L (or 1 L/kg x WT), VMAX 0.5 mg/h, KM 0.05 mg/L, 1 mg IV at 0; levels in ng/mL
(C x 1000). The elimination turns first order (VMAX/(KM V) = 40 /h) near 2 h, so the level is
about e^-1800 at 48 h: solved for ln C (d ln C/dt = -VMAX/V/(KM + C)), which stays exact where C
underflows, and given as log10. Every true level is > 0: a level below zero is the solver's.

eth_pd: V 42 L, VMAX 6300 mg/h, KM 10 mg/L, 60 g IV at 0, observe = 100 C/(50 + C) (a ceiling of
100 that C >= 0 never reaches). Solved for ln C as well, E and its AUC by quadrature of E.

Run: python3 test/oracle/negative_metric_texts.py
"""
import json
import math

import numpy as np
from scipy.integrate import solve_ivp

RTOL = 1e-10


def mm_log(c0, vmax, km, v, t_end, t_eval):
    """ln C of dC/dt = -VMAX/V * C/(KM + C) from C0, at t_eval."""

    def rhs(_t, y):
        c = math.exp(y[0])
        return [-vmax / v / (km + c)]

    s = solve_ivp(rhs, (0.0, t_end), [math.log(c0)], method="LSODA", rtol=RTOL, atol=1e-12, t_eval=t_eval, dense_output=True)
    assert s.success, s.message
    return s


def rat(v):
    grid = np.arange(0.0, 48.0 + 1e-9, 0.5)
    s = mm_log(1.0 / v, 0.5, 0.05, v, 48.0, grid)
    log10_ngml = (s.y[0] + math.log(1000.0)) / math.log(10.0)
    return {
        "V": v,
        # log10 of the level in ng/mL at 0, 24 and 48 h, and its lowest over the 0.5-h grid (48 h)
        "log10_conc_at": {"0": log10_ngml[0], "24": log10_ngml[48], "48": log10_ngml[96]},
        "log10_cmin": float(np.min(log10_ngml)),
    }


def eth_pd():
    times = [1, 2, 4, 6, 8, 9, 10, 11, 12, 14, 16, 24]
    v, vmax, km = 42.0, 6300.0, 10.0
    s = mm_log(60000.0 / v, vmax, km, v, 24.0, None)

    def effect(t):
        c = math.exp(s.sol(t)[0])
        return 100.0 * c / (50.0 + c)

    def rhs(t, y):
        return [effect(t)]

    # E's AUC over 0-24 h, split where the elimination turns first order (about 9.4 h)
    auc = 0.0
    for a, b in [(0.0, 9.0), (9.0, 10.0), (10.0, 24.0)]:
        q = solve_ivp(rhs, (a, b), [0.0], method="LSODA", rtol=RTOL, atol=1e-12)
        assert q.success, q.message
        auc += q.y[0][-1]
    lnc = {str(t): float(s.sol(t)[0]) for t in times}
    return {
        "times": times,
        "conc": {k: math.exp(x) for k, x in lnc.items()},
        "log10_conc_24": lnc["24"] / math.log(10.0),
        "effect": {str(t): effect(t) for t in times},
        # the effect falls as C does: its peak over 10-24 h is at 10 h
        "cmax_10_24": effect(10.0),
        "auc_0_24": auc,
        "ceiling": 100.0,
    }


out = {
    "generator": "test/oracle/negative_metric_texts.py (scipy solve_ivp LSODA, rtol 1e-10, in ln C)",
    "rat": {"typical": rat(0.25), "wt_0.15": rat(0.15), "wt_0.4": rat(0.4)},
    "eth_pd": eth_pd(),
}
with open("test/oracle/negative-metric-texts.json", "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
print(json.dumps(out, indent=2))
