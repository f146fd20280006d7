# Reference for test/unit/regimen/clock-dst.test.ts (W_CLOCK_DST): for two wall-clock records on
# either side of a daylight-saving switch, the hours read on the wall clock, the real elapsed hours
# (zoneinfo), and the switch as the wall clock shows it on either side. Output: clock-dst.json.
import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

CASES = {
    'berlin_spring': ('Europe/Berlin', '2026-03-28 20:00', '2026-03-29 08:00'),
    'berlin_autumn': ('Europe/Berlin', '2026-10-24 20:00', '2026-10-25 08:00'),
    'new_york_spring': ('America/New_York', '2026-03-07 20:00', '2026-03-08 08:00'),
    'utc': ('UTC', '2026-03-28 20:00', '2026-03-29 08:00'),
    # one pair of rows across three switches (spring, autumn, spring): one hour off in all
    'berlin_three': ('Europe/Berlin', '2026-03-01 08:00', '2027-04-15 08:00'),
    # Volgograd's offset changed for good on 27 December 2020 (+04:00 to +03:00)
    'volgograd': ('Europe/Volgograd', '2020-12-26 20:00', '2020-12-27 08:00'),
}


def offset(minutes):
    sign = '-' if minutes < 0 else '+'
    m = abs(minutes)
    return f'{sign}{m // 60:02d}:{m % 60:02d}'


out = {}
for name, (zone, a, b) in CASES.items():
    z = ZoneInfo(zone)
    wa = datetime.fromisoformat(a)
    wb = datetime.fromisoformat(b)
    ia = wa.replace(tzinfo=z)
    ib = wb.replace(tzinfo=z)
    oa = int(ia.utcoffset().total_seconds() // 60)
    ob = int(ib.utcoffset().total_seconds() // 60)
    case = {'zone': zone, 'wall_hours': (wb - wa).total_seconds() / 3600,
            'instant_hours': (ib.astimezone(timezone.utc) - ia.astimezone(timezone.utc)).total_seconds() / 3600,
            'offset_before': offset(oa), 'offset_after': offset(ob)}
    if oa != ob:
        # the first minute (UTC) in the later offset
        t = ia.astimezone(timezone.utc)
        while int(t.astimezone(z).utcoffset().total_seconds() // 60) == oa:
            t += timedelta(minutes=1)
        case['switch_before'] = (t + timedelta(minutes=oa)).strftime('%Y-%m-%d %H:%M')
        case['switch_after'] = (t + timedelta(minutes=ob)).strftime('%Y-%m-%d %H:%M')
    out[name] = case
print(json.dumps(out, indent=1))
