"""W_BAND_STRENGTHS reference (test/unit/design/banding-strengths.test.ts), by hand from a subject table.

The table is `dosewise population --model vancomycin_goti_2018 --covariates
examples/design-vancomycin-covariates.json --regimen examples/design-vancomycin-q12h-1000.json
--n 2000 --seed 7 --out DIR` (subjects.csv: CRCL and auc24 at 1000 mg q12h per subject). Exposure is
proportional to dose, so a subject is within auc24:400:600 at dose D iff 400 <= auc24*D/1000 <= 600,
and its window of doses is [400000/auc24, 600000/auc24]. Bands are found by brute force over every
cut between distinct CRCL values and every rising pair of doses (ties: earliest cut, smaller doses),
independently of dosewise's dynamic programme.

usage: python3 test/oracle/band_strengths.py DIR/subjects.csv > test/oracle/band-strengths.json
"""
import json
import sys

import numpy as np
import pandas as pd

d = pd.read_csv(sys.argv[1])
x = d.CRCL.to_numpy()
e = d.auc24.to_numpy() / 1000.0  # auc24 per mg
lo_d, hi_d = 400.0 / e, 600.0 / e


def counts(mask, dose):
    v = e[mask] * dose
    return {"n": int(mask.sum()), "below": int((v < 400).sum()), "in": int(((v >= 400) & (v <= 600)).sum()), "above": int((v > 600).sum())}


def window(mask):
    return {"lo": float(np.median(lo_d[mask])), "hi": float(np.median(hi_d[mask]))}


out = {"source": "dosewise population, vancomycin_goti_2018, q12h 1000 mg, n 2000, seed 7", "cases": {}}
everybody = np.ones(len(x), bool)
for doses in ([5000, 6000], [100, 150]):
    out["cases"][",".join(map(str, doses))] = {"byDose": [{"dose": D, **counts(everybody, D)} for D in doses], "window": window(everybody)}

# two bands, doses rising with CRCL
doses = [1000, 1500, 2000]
ux = np.unique(x)
best = None
for c in ux[1:]:
    low = x < c
    for i, d1 in enumerate(doses):
        for d2 in doses[i:]:
            k = counts(low, d1)["in"] + counts(~low, d2)["in"]
            if best is None or k > best[0]:
                best = (k, float(c), d1, d2)
_, c, d1, d2 = best
low = x < c
out["cases"]["1000,1500,2000 in 2 bands"] = {"cut": c, "bands": [{"dose": d1, **counts(low, d1), "window": window(low)}, {"dose": d2, **counts(~low, d2), "window": window(~low)}]}
json.dump(out, sys.stdout, indent=1)
print()
