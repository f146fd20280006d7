# optimize --from / --earliest given as a clock time (or a timestamp without an offset) in the hour the
# clocks repeat, read under --tz (Europe/Berlin, 2026-10-25 02:00-03:00): its two instants (python
# zoneinfo, fold 0 and fold 1), as hours since the ID's first record and as minutes from its last
# record, for test/unit/cli/from-repeated-hour.test.ts.
# Run: python3 test/oracle/clock_ambiguous_from.py > test/oracle/clock-ambiguous-from.json
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

Z = ZoneInfo('Europe/Berlin')

def instant(wall, fold=0):
    return datetime.fromisoformat(wall).replace(tzinfo=Z, fold=fold).astimezone(timezone.utc)

def offset(wall, fold):
    m = int(datetime.fromisoformat(wall).replace(tzinfo=Z, fold=fold).utcoffset().total_seconds() // 60)
    return f"{'+' if m >= 0 else '-'}{abs(m) // 60:02d}:{abs(m) % 60:02d}"

out = {}
cases = {
    # q6h vancomycin, a trough at 02:59 (read on the first pass, as the chart rule reads it) and --from
    # 02:10: on one pass 49 min before the trough, on the two (trough first, dose second) 11 min after
    'trough_then_from': (['2026-10-24T15:00', '2026-10-24T21:00', '2026-10-25T02:59'], '2026-10-25T02:10'),
    # forecast --regimen: a future dose at 02:30 after the same trough: 29 min before it on one pass, 31 after on the two
    'trough_then_future': (['2026-10-24T15:00', '2026-10-24T21:00', '2026-10-25T02:59'], '2026-10-25T02:30'),
    # the chart ends the evening before: --from 02:30 is after it on either pass, 1 h apart
    'evening_then_from': (['2026-10-24T09:00', '2026-10-24T21:00', '2026-10-24T23:00'], '2026-10-25T02:30'),
}
for name, (chart, frm) in cases.items():
    first = instant(chart[0])
    last = instant(chart[-1])  # fold 0: the chart rule's reading of a time in the hour
    h = lambda t: (t - first).total_seconds() / 3600
    out[name] = dict(chart=chart, frm=frm,
                     from_hours=[h(instant(frm, 0)), h(instant(frm, 1))],
                     from_utc=[instant(frm, f).strftime('%H:%M') for f in (0, 1)],
                     from_offsets=[offset(frm, f) for f in (0, 1)],
                     minutes_after_last=[(instant(frm, f) - last).total_seconds() / 60 for f in (0, 1)])
print(json.dumps(out, indent=1))
