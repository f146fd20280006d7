# optimize --loading: the daily AUC judged in each whole dosing interval of the window, in closed form.
# Buelga 2005 typical patient (CL = 1.08*CRCL = 3.24 L/h at CRCL 3 L/h, V = 0.98*70 = 68.6 L): 2000 mg
# over 1 h at 0, then 750 mg over 1 h q12h from 12 h. Each interval [s, e] reads auc24 over the 24 h
# that end at e (0-24, 12-36, 24-48), the first interval [0, 12], whose 24 h would start before the
# loading dose, as AUC(0-12) * 24/12.  Output: optimize-loading-window.json
import json
from scipy.integrate import quad
import math

CL, V = 1.08 * 3, 0.98 * 70
k = CL / V
doses = [(0.0, 2000.0, 1.0)] + [(12.0 * i, 750.0, 1.0) for i in range(1, 8)]

def conc(t):
    c = 0.0
    for t0, amt, dur in doses:
        if t <= t0:
            continue
        rate = amt / dur
        if t <= t0 + dur:
            c += rate / CL * (1 - math.exp(-k * (t - t0)))
        else:
            c += rate / CL * (1 - math.exp(-k * dur)) * math.exp(-k * (t - t0 - dur))
    return c

def auc(a, b):
    pts = sorted({x for d in doses for x in (d[0], d[0] + d[2]) if a < x < b})
    return quad(conc, a, b, points=pts or None, limit=200, epsabs=1e-11, epsrel=1e-12)[0]

out = {
    "auc24:0:12": 2 * auc(0, 12),
    "auc24:0:24": auc(0, 24),
    "auc24:12:36": auc(12, 36),
    "auc24:24:48": auc(24, 48),
    # what the old labels (auc24 of each interval alone, AUCtau * 24/tau) would have read
    "per_interval": [2 * auc(s, s + 12) for s in (0, 12, 24, 36)],
}
json.dump(out, open(__file__.replace("optimize_loading_window.py", "optimize-loading-window.json"), "w"), indent=1)
print(out)
