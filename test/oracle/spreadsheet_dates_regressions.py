# References for the regressions of 8b72fa3 (spreadsheet dates judged by a rule): the calendar
# hours of date charts (python datetime), and the W-map patient's IPRED at
# the hours its Excel serial date-times at even hours mean (pred(): the script ref_map.py, 2-cmt,
# CL 4, V1 30, Q 6, V2 50, 1000 mg over 1 h, scipy expm). Output: spreadsheet-dates-regressions.json.
#   hours:           each chart's records (08:00 and 09:30 on each date) in hours since the first
#   s_q24_even:      1000 mg at 08:00 daily x3 (46085.333333, ...), levels at 10:00, 14:00, 20:00
#   s_single_even:   one dose at 08:00, levels at 10:00, 16:00 and 08:00 the next day
import json
from datetime import datetime

import numpy as np
from scipy.linalg import expm


def pred(CL, V, doses, times, Q=6, V2=50):
    K = np.array([[-(CL + Q) / V, Q / V2], [Q / V, -Q / V2]])
    ev = sorted(set([0.0] + [d[0] for d in doses] + [d[0] + d[1] / d[2] for d in doses] + list(times)))
    a = np.zeros(2); out = {}; Ki = np.linalg.inv(K)
    for t0, t1 in zip(ev[:-1], ev[1:]):
        r = sum(rt for (td, am, rt) in doses if td <= t0 < td + am / rt - 1e-12)
        E = expm(K * (t1 - t0)); b = np.array([r, 0.0])
        a = E @ a + (E - np.eye(2)) @ Ki @ b
        out[t1] = a[0] / V
    return [float(out[t]) for t in times]


def case(doses, times):
    return {str(t): c for t, c in zip(times, pred(4, 30, [(t, 1000, 1000) for t in doses], times))}


def hours(dates):
    """Records at 08:00 and 09:30 on each (y, m, d), in hours since the first."""
    t = [datetime(*d, h, mi) for d in dates for h, mi in ((8, 0), (9, 30))]
    return [(x - t[0]).total_seconds() / 3600 for x in t]


out = {
    'hours': {
        # study days and mmdd dates within a month: read as day numbers (the year does not matter)
        'sd_101_103': hours([(2026, 1, 1), (2026, 1, 2), (2026, 1, 3)]),
        'sd_q48': hours([(2026, 1, 10), (2026, 1, 12)]),
        'm_mmdd_0305': hours([(2026, 3, 5), (2026, 3, 6), (2026, 3, 8)]),
        # two-digit years a year or more apart
        'y_dat1_18mo': hours([(2025, 3, 10), (2026, 9, 10)]),
        'y_dat1_2y': hours([(2024, 5, 5), (2026, 6, 5)]),
        'y_dat2_18mo': hours([(2025, 3, 10), (2026, 9, 10)]),
        'y_date_13mo': hours([(2025, 3, 10), (2026, 3, 12)]),
    },
    's_q24_even': case([0, 24, 48], [2, 6, 12, 26, 30, 36, 50, 54, 60]),
    's_single_even': case([0], [2, 8, 24]),
}
json.dump(out, open('test/oracle/spreadsheet-dates-regressions.json', 'w'), indent=1)
print(json.dumps(out, indent=1))
