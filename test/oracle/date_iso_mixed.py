# Hours of the chart date_iso_then_ddmm_under_DATE.csv (an ISO block, then day-first dates under
# DATE) as DATE reads it (month/day/year: 05/03/2026 is 3 May) and read day-first (5 March), from
# python's datetime; the test of W_DATE_ORDER on ISO-mixed charts compares with them.
import json
from datetime import datetime

rows = [("2026-03-04", "08:00"), ("2026-03-04", "09:30"), ("2026-03-04", "19:30"), ("2026-03-04", "20:00"),
        ("05/03/2026", "08:00"), ("05/03/2026", "09:00"), ("05/03/2026", "20:00"), ("06/03/2026", "07:30")]

def at(d, t, day_first):
    if "-" in d:
        day = datetime.strptime(d, "%Y-%m-%d")
    else:
        day = datetime.strptime(d, "%d/%m/%Y" if day_first else "%m/%d/%Y")
    h, m = map(int, t.split(":"))
    return day.replace(hour=h, minute=m)

def hours(day_first):
    ts = [at(d, t, day_first) for d, t in rows]
    return [(x - ts[0]).total_seconds() / 3600 for x in ts]

out = {"read_mdy": hours(False), "read_dmy": hours(True)}
json.dump(out, open(__file__.replace("date_iso_mixed.py", "date-iso-mixed.json"), "w"), indent=1)
print(out)
