"""Makes examples/vpc/data.csv: 100 subjects of the model in examples/vpc/model.json, simulated
here with numpy in closed form (one-compartment oral, superposition of doses), independently of
dosewise. Doses of 400 mg every 12 h (5 doses; some given late, some missed), 8 samples per subject
at jittered times, combined residual error, LLOQ 1 mg/L (BLQ samples flagged, DV = LLOQ).

Run: python3 examples/vpc/make-data.py > examples/vpc/data.csv
"""
import numpy as np

rng = np.random.default_rng(20261202)
N = 100
OMEGA = np.array([[0.09, 0.03, 0.0], [0.03, 0.04, 0.0], [0.0, 0.0, 0.25]])
L = np.linalg.cholesky(OMEGA)
LLOQ = 1.0
NOMINAL = [0.25, 1, 2, 4, 8, 11.5, 49, 52]


def conc(t, doses, cl, v, ka):
    k = cl / v
    c = 0.0
    for td, amt in doses:
        dt = t - td
        if dt > 0:
            c += amt * ka / (v * (ka - k)) * (np.exp(-k * dt) - np.exp(-ka * dt))
    return c


print("ID,TIME,EVID,AMT,CMT,DV,MDV,BLQ,WT")
for i in range(1, N + 1):
    wt = float(np.clip(rng.normal(70, 15), 40, 120))
    eta = L @ rng.standard_normal(3)
    cl = 4 * (wt / 70) ** 0.75 * np.exp(eta[0])
    v = 40 * (wt / 70) * np.exp(eta[1])
    ka = 1.0 * np.exp(eta[2])
    doses = []
    for d in range(5):
        if d in (2, 3) and rng.random() < 0.1:
            continue  # a missed dose
        td = 12.0 * d + (round(rng.uniform(0, 1.5), 2) if d > 0 and rng.random() < 0.3 else 0.0)
        doses.append((td, 400.0))
    times = sorted(round(max(0.25, t + rng.normal(0, 0.1 * max(t, 1) ** 0.5)), 2) for t in NOMINAL)
    rows = [(td, 1, amt) for td, amt in doses] + [(t, 0, 0) for t in times]
    rows.sort(key=lambda r: (r[0], -r[1]))
    for t, evid, amt in rows:
        wts = f"{wt:.1f}"
        if evid == 1:
            print(f"{i},{t:g},1,{amt:g},1,.,1,0,{wts}")
            continue
        f = conc(t, doses, cl, v, ka)
        y = f + np.sqrt(0.05 ** 2 + (0.15 * f) ** 2) * rng.standard_normal()
        if y < LLOQ:
            print(f"{i},{t:g},0,.,2,{LLOQ:g},0,1,{wts}")
        else:
            print(f"{i},{t:g},0,.,2,{y:.4g},0,0,{wts}")
