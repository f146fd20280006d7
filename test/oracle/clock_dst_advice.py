# W_CLOCK_DST past the chart: vancomycin 1500 mg over 1.5 h at 08:00 and 20:00 and a
# level at 01:30 (Goti 2018, WT 80, CRCL 40), advice from 08:00 the next morning, on Berlin's clock
# across its spring (2026-03-28/29) and autumn (2026-10-24/25) switches. Real elapsed hours from
# zoneinfo; the level on them by the matrix exponential of the 2-compartment system with zero-order
# input, at the MAP parameters dosewise fits to the history (its hours are the same on both charts,
# every record before the switch; the MAP itself is checked against scipy separately).
# Run: python3 test/oracle/clock_dst_advice.py > test/oracle/clock-dst-advice.json
import json
from datetime import datetime
from zoneinfo import ZoneInfo
import numpy as np, scipy.linalg as sla, scipy.optimize as so

BERLIN = ZoneInfo('Europe/Berlin')
P = dict(CL=1.7347298008168146, V=45.96763272164701, V2=33.698443813133714, Q=6.5)
DOSES = [(0.0, 1500.0, 1000.0), (12.0, 1500.0, 1000.0)]  # time (h), amount, rate

def level(t):
    k10, k12, k21 = P['CL'] / P['V'], P['Q'] / P['V'], P['Q'] / P['V2']
    A = np.array([[-k10 - k12, k21], [k12, -k21]])
    x = np.zeros(2)
    marks = sorted({0.0, t, *[d[0] for d in DOSES], *[d[0] + d[1] / d[2] for d in DOSES]})
    marks = [m for m in marks if m <= t]
    for a, b in zip(marks, marks[1:]):
        rate = sum(r for (s, amt, r) in DOSES if s <= a < s + amt / r)
        M = np.zeros((3, 3)); M[:2, :2] = A; M[0, 2] = rate
        E = sla.expm(M * (b - a)); x = E[:2, :2] @ x + E[:2, 2]
    return x[0] / P['V']

def hours(a, b):
    # aware datetimes of one tzinfo subtract on the wall clock: the instants are UTC's
    utc = ZoneInfo('UTC')
    return (b.astimezone(utc) - a.astimezone(utc)).total_seconds() / 3600

out = {}
for name, d1, d2 in [('spring', '2026-03-28', '2026-03-29'), ('autumn', '2026-10-24', '2026-10-25')]:
    first = datetime.fromisoformat(f'{d1}T08:00').replace(tzinfo=BERLIN)
    frm = datetime.fromisoformat(f'{d2}T08:00').replace(tzinfo=BERLIN)
    h = hours(first, frm)
    cross = so.brentq(lambda t: level(t) - 20, h, h + 48, xtol=1e-10)
    out[name] = dict(from_hours=h, wall_hours=24.0, level_at_from=level(h), level_at_wall_24=level(24.0),
                     below_20_hours_after_from=cross - h, advised_17_real_hours=hours(first, datetime.fromisoformat(f'{d2}T17:00').replace(tzinfo=BERLIN)),
                     level_at_17=level(hours(first, datetime.fromisoformat(f'{d2}T17:00').replace(tzinfo=BERLIN))))
print(json.dumps(out, indent=1))
