"""Exact AUCs of a two-compartment model with a fast distribution phase (Q/V = 12.5/h), for the
sampling of metric windows in optimize and forecast (test/unit/population/distribution-phase.test.ts).

The states and the integral of the concentration are propagated together by the matrix exponential
of the augmented system [A1, A2, AUC, 1] between events (infusion starts and ends), so the AUC is
exact to rounding. Run: python3 test/oracle/distribution_phase.py > test/oracle/distribution-phase.json
"""
import json

import numpy as np
from scipy.linalg import expm

CL, V, Q, V2 = 5.0, 8.0, 100.0, 40.0


def auc(doses, t0, t1):
    """AUC over [t0, t1] of 0.5-h infusions (time, amount, duration), from an empty state at 0."""
    k = np.array([[-(CL + Q) / V, Q / V2], [Q / V, -Q / V2]])
    cuts = sorted({0.0, t0, t1, *[d[0] for d in doses], *[d[0] + d[2] for d in doses]})
    x = np.zeros(2)
    total = 0.0
    for a, b in zip(cuts[:-1], cuts[1:]):
        if b > t1:
            break
        rate = sum(amt / dur for (t, amt, dur) in doses if t <= a < t + dur)
        m = np.zeros((4, 4))
        m[:2, :2] = k
        m[0, 3] = rate
        m[2, 0] = 1.0 / V
        y = expm(m * (b - a)) @ np.array([x[0], x[1], 0.0, 1.0])
        if a >= t0:
            total += y[2]
        x = y[:2]
    return total


def main():
    # history 500 mg over 0.5 h at 0; advice from 20 h: 500 mg over 0.5 h q12h, judged to 68 h
    advice = [(0.0, 500.0, 0.5), (20.0, 500.0, 0.5), (32.0, 500.0, 0.5), (44.0, 500.0, 0.5), (56.0, 500.0, 0.5)]
    # forecast: the same history, 500 mg over 0.5 h at 12, 24 and 36 h; AUC over 36-48 h
    forecast = [(0.0, 500.0, 0.5), (12.0, 500.0, 0.5), (24.0, 500.0, 0.5), (36.0, 500.0, 0.5)]
    print(json.dumps({
        "model": {"CL": CL, "V": V, "Q": Q, "V2": V2},
        "advice_auc_44_68": auc(advice, 44.0, 68.0),
        "forecast_auc_36_48": auc(forecast, 36.0, 48.0),
    }, indent=2))


if __name__ == "__main__":
    main()
