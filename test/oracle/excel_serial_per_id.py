# References for Excel serial date-times judged per patient (d/daily08_plus.csv,
# d/q24_18.csv, d/q12_0012.csv): each serial as a date-time (days since 1899-12-30, python datetime),
# and the dose gaps in hours as days mean them. Output: excel-serial-per-id.json.
#   daily08_plus: ID 1 daily at 08:00 (46085.333333 ...), ID 2 a second course 10 days later
#   q24_18:       once daily at 18:00 (.75), troughs at 06:00 (.25)
#   q12_0012:     q12h at 00:00 and 12:00, levels at the dose times
#   q48_18:       every other day at 18:00 (46085.75, 46087.75, 46089.75)
import json
from datetime import datetime, timedelta

EPOCH = datetime(1899, 12, 30)


def when(serial):
    return (EPOCH + timedelta(days=float(serial))).replace(microsecond=0)


def minute(serial):
    t = when(serial) + timedelta(seconds=30)
    return t.strftime('%Y-%m-%d %H:%M')


charts = {
    'daily08_plus': ['46085.333333', '46085.5', '46086.333333', '46087.333333', '46087.5', '46085.333333', '46085.5', '46095.333333', '46095.5'],
    'q24_18': ['46085.75', '46086.25', '46086.75', '46087.25'],
    'q12_0012': ['46085', '46085.5', '46086', '46086.5'],
    'q48_18': ['46085.75', '46086.25', '46087.75', '46088.25', '46089.75'],
}
out = {name: {s: minute(s) for s in cells} for name, cells in charts.items()}
# dose gaps as days mean them, in hours (the first gap of each chart's first ID)
out['gap_hours'] = {
    'q24_18': (when('46086.75') - when('46085.75')).total_seconds() / 3600,
    'q12_0012': (when('46085.5') - when('46085')).total_seconds() / 3600,
    'q48_18': (when('46087.75') - when('46085.75')).total_seconds() / 3600,
}
json.dump(out, open('test/oracle/excel-serial-per-id.json', 'w'), indent=1)
print(json.dumps(out, indent=1))
