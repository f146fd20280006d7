# A US chart's month/day/year dates (03/05/26 for 5 March 2026) under DAT2, NONMEM's year/month/day:
# the hours since the ID's first record as DAT2 reads them (26 May 2003 ...) and as month/day/year,
# by python datetime, for test/unit/regimen/month-first-dat2.test.ts.
# Run: python3 test/oracle/month_first_dat2.py > test/oracle/month-first-dat2.json
import json
from datetime import datetime

def full(yy):
    return 2000 + yy if yy <= 50 else 1900 + yy

def ymd(cell, time):  # DAT2: year/month/day, two-digit year
    a, b, c = map(int, cell.split('/'))
    return datetime(full(a), b, c, *map(int, time.split(':')))

def mdy(cell, time):  # DATE: month/day/year
    a, b, c = map(int, cell.split('/'))
    return datetime(full(c), a, b, *map(int, time.split(':')))

def hours(read, chart):
    t = [read(c, h) for c, h in chart]
    return [(x - t[0]).total_seconds() / 3600 for x in t]

cases = {
    'daily': [('03/05/26', '08:00'), ('03/06/26', '08:00'), ('03/07/26', '07:30')],
    # weekly doses and a level: read months apart (a day past 12, 03/13/26, is no month: refused as no such date)
    'weekly': [('03/02/26', '08:00'), ('03/09/26', '08:00'), ('03/10/26', '07:30')],
}
out = {name: dict(chart=chart, dat2=hours(ymd, chart), month_first=hours(mdy, chart),
                  dat2_dates=[ymd(c, h).strftime('%-d %B %Y') for c, h in chart], month_first_dates=[mdy(c, h).strftime('%-d %B %Y') for c, h in chart])
       for name, chart in cases.items()}
print(json.dumps(out, indent=1))
