# Spreadsheet charts of the W-map patient at its typical values (2-cmt, CL 4,
# V1 30, Q 6, V2 50; 1000 mg over 1 h) that read wrong hours with exit 0, at the hours they mean.
# pred() is the script ref_map.py (matrix exponential, scipy expm, piecewise-constant input), the
# cases its ref_sims.py. Output: spreadsheet-dates-gaps.json.
#   mmdd_q12:   q12h x16 from 0325 08:00, a dose and levels on 0402 (8 days: read 77 days apart)
#   dat1_gap2:  q12h x8 from 26-03-04 08:00 (yy-mm-dd under DAT1), a dose and levels on 26-03-06
#   serial_q24: 08:00 daily x3 in Excel serial date-times, levels at 1.5, 11.5, 25, 71.5 h
#   mixed_frac: doses at 0.333333 (08:00, Excel's fraction of a day) on two days, levels at 09:30,
#               19:30 and 09:00 the next day
#   dat3_ymd:   yyyy/mm/dd under DAT3 (year/day/month), q12h from 08:00 on 4 March, levels at
#               1.5, 11.5, 25, 47.5 h (the records at 24 h read 720 h, the last 1463.5 h)
import json
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


out = {
    'mmdd_q12': case([12 * k for k in range(16)] + [192], [1.5, 192, 193.5, 203.5]),
    'dat1_gap2': case([12 * k for k in range(8)] + [48], [1.5, 48, 49.5, 59.5]),
    'serial_q24': case([0, 24, 48], [1.5, 11.5, 25, 71.5]),
    'mixed_frac': case([0, 24], [1.5, 11.5, 25]),
    'dat3_ymd': case([0, 12, 24, 36], [1.5, 11.5, 24, 25, 36, 47.5]),
}
json.dump(out, open('test/oracle/spreadsheet-dates-gaps.json', 'w'), indent=1)
print(json.dumps(out, indent=1))
