"""Reference values of test/unit/population/interval-judgement.test.ts (run once; not at test time).

1-cmt IV, CL 10 L/h, V 20 L (k 0.5/h): superposition of the closed form R/CL*(1 - exp(-k*s)) during
an infusion, R/CL*(1 - exp(-k*d))*exp(-k*(s - d)) after it, D/V*exp(-k*s) for a bolus; AUCs by
scipy.integrate.quad split at the dose and infusion-end times; Cmax on a 200001-point grid.
"""
import json
import numpy as np
from scipy.integrate import quad

CL, V = 10.0, 20.0
K = CL / V


def conc(t, doses):
    c = 0.0
    for (t0, amt, dur) in doses:
        if t <= t0:
            continue
        if dur == 0:
            c += amt / V * np.exp(-K * (t - t0))
            continue
        r = amt / dur
        if t <= t0 + dur:
            c += r / CL * (1 - np.exp(-K * (t - t0)))
        else:
            c += r / CL * (1 - np.exp(-K * dur)) * np.exp(-K * (t - t0 - dur))
    return c


def auc(a, b, doses):
    pts = sorted(set([a, b] + [x for d in doses for x in (d[0], d[0] + d[2]) if a < x < b]))
    return sum(quad(lambda t: conc(t, doses), pts[i], pts[i + 1], epsabs=1e-12, epsrel=1e-12)[0] for i in range(len(pts) - 1))


def cmax(a, b, doses):
    return max(conc(t, doses) for t in np.linspace(a + 1e-9, b, 200001))


q = lambda times, amt=1000, dur=1: [(t, amt, dur) for t in times]
W3 = q([0, 24, 48, 71])
N = q([0, 12, 24, 36, 48, 59])
O = q([0, 12, 24, 36, 48, 61])
U6 = q(range(0, 61, 12)) + [(t + 1 / 60, 250, 0) for t in range(0, 61, 12)]
T1 = [(t, 6000, 24) for t in (0, 24, 48)] + [(60, 1000, 0)]
V3 = q([0, 12, 24, 36, 48]) + [(60, 500, 0.5), (60.75, 500, 0.5)]
E = q(range(0, 61, 12)) + [(64, 250, 0)]
V4 = q(range(0, 61, 12)) + [(66, 250, 0)]
T3 = [(t, 2000, 8) for t in range(0, 65, 8)] + [(68, 500, 0)]
TT = q([0, 12, 24, 36, 48]) + [(52, 250, 0), (53, 50, 0)]
LS = q([0, 12, 24, 36, 48], 1500) + [(54, 750, 1), (60, 250, 1), (66, 250, 1)]
TP = q([0, 12, 24, 36, 48]) + [(42, 250, 0), (54, 250, 0)]
TQ = q([0, 24, 48, 72, 96]) + [(60, 250, 0), (84, 250, 0)]
# doses without II where the interval is read from a chart (boluses of 1000 mg unless said)
M, S = 1 / 60, 1 / 3600
b = lambda times, amt=1000: [(t, amt, 0) for t in times]
HD = b([0, 12, 36, 48 + 10 * M, 60])  # the 24-h dose held, the 48-h one 10 min late
HD6 = b([0, 12, 24, 48, 60 + 15 * M, 72])  # held at 36 h, the 60-h dose 15 min late
LD = [(0, 2000, 0)] + b([6, 18 + 10 * M, 30 - 20 * M, 42])  # a load, then q12h drifted
Q8HD = b([0, 8, 24, 32 + 15 * M, 40])  # q8h, the 16-h dose held, the 32-h one 15 min late
S4 = b([0, 24, 48 + S, 72])  # q24h, the third dose charted 1 s late
S3 = b([0, 12, 24 + S, 36, 48])
SL = b([0, 12, 24, 36, 48 + S])
CK = b([0, 12, 24, 36 + S, 48])  # a chart's 20:00:01
C2 = b([0, 12 + 10 * M, 24, 36, 48])
C6 = b([0, 5.5, 12, 18, 24])
C86 = b([0, 8, 16, 22, 28])
C1210 = b([0, 12, 24, 34, 44])
C2418 = b([0, 24, 48, 66, 84])
# a held dose, the last interval running past the grid's end (1-h bags of 1000 mg)
GH = q([0, 12, 24, 48 + 10 * S])  # held at 36 h, the last dose 10 s late, grid to 60 h
GH5 = q([0, 12, 24, 36, 60 - 5 * M])  # held at 48 h, the last dose 5 min early, grid to 71.9 h
GH3 = q([0, 12, 24, 48])  # held at 36 h, grid to 59.5 h
DT = q([0, 12, 25, 36.5, 48])  # late doses, the last two gaps equal (11.5 h)
J3 = b([0, 12 + 30 * S, 24, 36, 48 + 30 * S])  # q12h boluses, two charted 30 s late, grid to 60 h
print(json.dumps({
    'HD': {'trough72': conc(72, HD), 'auc24_48_72': auc(48, 72, HD), 'auctau_60_72': auc(60, 72, HD), 'trough83_75': conc(83.75, HD)},
    'HD6': {'trough84': conc(84, HD6), 'auc24_60_84': auc(60, 84, HD6)},
    'LD': {'trough52': conc(52, LD)},
    'Q8HD': {'trough48': conc(48, Q8HD)},
    'S4': {'trough96': conc(96, S4), 'auc24_72_96': auc(72, 96, S4)},
    'S3': {'trough60': conc(60, S3)},
    'SL': {'trough60s': conc(60 + S, SL)},
    'CK': {'trough60': conc(60, CK)},
    'C2': {'trough60': conc(60, C2)},
    'C6': {'trough30': conc(30, C6)},
    'C86': {'trough34': conc(34, C86)},
    'C1210': {'trough54': conc(54, C1210)},
    'C2418': {'trough102': conc(102, C2418)},
    'GH': {'trough60': conc(60, GH), 'auctau_to60': auc(48 + 10 * S, 60, GH), 'cavg_to60': auc(48 + 10 * S, 60, GH) / (12 - 10 * S), 'auc24_36_60': auc(36, 60, GH), 'trough_24_48': conc(48 + 10 * S, GH)},
    'GH5': {'trough71_9': conc(71.9, GH5), 'auctau_to71_9': auc(60 - 5 * M, 71.9, GH5)},
    'GH3': {'trough59_5': conc(59.5, GH3), 'auctau_48_59_5': auc(48, 59.5, GH3)},
    'J3': {'trough60': conc(60, J3)},
    'DT': {'trough59_5': conc(59.5, DT), 'trough60': conc(60, DT)},
    'W3': {'auc24_71_95': auc(71, 95, W3), 'trough95': conc(95, W3)},
    'N': {'trough71': conc(71, N), 'auc24_47_71': auc(47, 71, N)},
    'O': {'trough61': conc(61, O)},
    'U6': {'trough72': conc(72, U6), 'auc24_48_72': auc(48, 72, U6)},
    'T1': {'auctau_48_72': auc(48, 72, T1)},
    'V3': {'auctau_60_72': auc(60, 72, V3)},
    'E': {'auctau_60_72': auc(60, 72, E), 'cmax_60_72': cmax(60, 72, E)},
    'V4': {'auctau_60_72': auc(60, 72, V4)},
    'T3': {'auctau_64_72': auc(64, 72, T3)},
    'TT': {'trough60': conc(60, TT), 'auctau_48_60': auc(48, 60, TT)},
    'LS': {'trough72': conc(72, LS), 'auctau_66_72': auc(66, 72, LS)},
    'TP': {'trough60': conc(60, TP), 'auctau_48_60': auc(48, 60, TP)},
    'TQ': {'trough120': conc(120, TQ), 'auctau_96_120': auc(96, 120, TQ)},
}, indent=1))
