# W_CLOCK_AMBIGUOUS (a chart time in the hour the clocks repeat, read under --tz / onZoneClock): the
# two instants of each such wall time (python zoneinfo, fold 0 and fold 1) and the hours since the
# ID's first record under each, for the charts of test/unit/regimen/clock-ambiguous.test.ts.
# Run: python3 test/oracle/clock_ambiguous.py > test/oracle/clock-ambiguous.json
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

def instant(wall, zone, fold):
    d = datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(zone), fold=fold)
    return d.astimezone(timezone.utc)

def offset(wall, zone, fold):
    m = int(datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(zone), fold=fold).utcoffset().total_seconds() // 60)
    return f"{'+' if m >= 0 else '-'}{abs(m) // 60:02d}:{abs(m) % 60:02d}"

def hours(chart, zone, folds):
    # chart: wall times of one ID in row order; folds: the fold of each
    t = [instant(w, zone, f) for w, f in zip(chart, folds)]
    return [(x - t[0]).total_seconds() / 3600 for x in t]

out = {}
cases = {
    # a dose in the repeated hour between a dose the evening before and a level the morning after
    'berlin_dose': ('Europe/Berlin', ['2026-10-24T20:00', '2026-10-25T02:30', '2026-10-25T08:00'], 1),
    # the ID's first record in the hour: the second reading moves the others 1 h closer
    'berlin_first': ('Europe/Berlin', ['2026-10-25T02:30', '2026-10-25T08:00', '2026-10-25T14:30'], 0),
    # New York repeats 01:00-02:00 on 1 November 2026
    'new_york_dose': ('America/New_York', ['2026-10-31T20:00', '2026-11-01T01:30', '2026-11-01T08:00'], 1),
}
for name, (zone, chart, k) in cases.items():
    f0 = [0] * len(chart)
    f1 = [1 if i == k else 0 for i in range(len(chart))]
    out[name] = dict(zone=zone, chart=chart, row=k + 1, first=hours(chart, zone, f0), second=hours(chart, zone, f1),
                     first_offset=offset(chart[k], zone, 0), second_offset=offset(chart[k], zone, 1),
                     first_utc=instant(chart[k], zone, 0).strftime('%H:%M'), second_utc=instant(chart[k], zone, 1).strftime('%H:%M'))
# two records in the hour at different clock times: a dose at 02:10, a level at 02:40 (minutes apart on one pass or on two)
for name, (a, b) in {'pair_in_order': ('2026-10-25T02:10', '2026-10-25T02:40'), 'pair_going_back': ('2026-10-25T02:40', '2026-10-25T02:10')}.items():
    gap = lambda fa, fb: (instant(b, 'Europe/Berlin', fb) - instant(a, 'Europe/Berlin', fa)).total_seconds() / 60
    out[name] = dict(one_pass=gap(0, 0), two_passes=gap(0, 1))
# the q6h chart (autumn_q6.csv): a trough at 02:00 and the dose at 02:10 in the repeated hour, read on
# one pass (the first, fold 0 both) and on the second (fold 1 both); the first/second mixes are not taken
q6 = ['2026-10-24T14:00', '2026-10-24T20:00', '2026-10-25T02:00', '2026-10-25T02:10', '2026-10-25T03:30', '2026-10-25T08:00']
out['q6_trough_dose'] = dict(chart=q6, first=hours(q6, 'Europe/Berlin', [0] * 6), second=hours(q6, 'Europe/Berlin', [0, 0, 1, 1, 0, 0]),
                             mixed_minutes=(instant(q6[3], 'Europe/Berlin', 1) - instant(q6[2], 'Europe/Berlin', 0)).total_seconds() / 60)
print(json.dumps(out, indent=1))
