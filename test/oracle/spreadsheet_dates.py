# The spreadsheet exports of the W-map patient (examples/map-wmap.model.json at its typical
# values: 2-cmt, CL 4, V1 30, Q 6, V2 50; 1000 mg over 1 h at 08:00 and 20:00 on 4 and 5 March 2026;
# levels at 09:30, 19:30, 09:00 the next day and 07:30 on 6 March: 1.5, 11.5, 25, 47.5 h).
# conc() is copied from the script ref2cmt.py (solve_ivp, DOP853). Besides the chart as meant,
# the times each misreading gave (Excel serial date-times read as hours, a fraction of a day read
# as hours of the day, yymmdd read as day numbers, yy-mm-dd under DAT1 read a year apart).
# Output: spreadsheet-dates.json.
import json
from scipy.integrate import solve_ivp


def conc(doses, ts, CL=4, V=30, Q=6, V2=50, dur=1.0, amt=1000.0):  # ref2cmt.py
    ts = sorted(ts)
    def rate(t): return sum(amt / dur for d in doses if d <= t < d + dur)
    def f(t, y): a1, a2 = y; return [rate(t) - (CL + Q) / V * a1 + Q / V2 * a2, Q / V * a1 - Q / V2 * a2]
    brk = sorted(set([0] + [d for d in doses] + [d + dur for d in doses] + [max(ts)]))
    y = [0, 0]; out = {}
    for a, b in zip(brk[:-1], brk[1:]):
        s = solve_ivp(f, (a, b), y, rtol=1e-11, atol=1e-12, dense_output=True, method='DOP853')
        for t in ts:
            if a <= t <= b: out[t] = s.sol(t)[0] / V
        y = s.y[:, -1]
    return out


meant = conc([0, 12, 24, 36], [1.5, 11.5, 25, 47.5])
# v/excel_serial_time.csv: 46085.333333 ... read as hours since the first record
serial = [46085.333333, 46085.395833, 46085.8125, 46085.833333, 46086.333333, 46086.375, 46086.833333, 46087.3125]
st = [round(s - serial[0], 6) for s in serial]
misread_serial = conc([st[0], st[3], st[4], st[6]], [st[1], st[2], st[5], st[7]])
# v/date_excel_frac.csv: 0.333333 (08:00) read as 0.333333 h of the day
frac = [(0, 0.333333), (0, 0.395833), (0, 0.8125), (0, 0.833333), (1, 0.333333), (1, 0.375), (1, 0.833333), (2, 0.3125)]
ft = [round(24 * d + h - frac[0][1], 6) for d, h in frac]
misread_frac = conc([ft[0], ft[3], ft[4], ft[6]], [ft[1], ft[2], ft[5], ft[7]])
out = {
    'ipred_meant': {str(k): float(v) for k, v in meant.items()},
    'misread_serial_times': st,
    'ipred_misread_serial': {str(k): float(v) for k, v in misread_serial.items()},
    'misread_fraction_times': ft,
    'ipred_misread_fraction': {str(k): float(v) for k, v in misread_frac.items()},
}
json.dump(out, open(__file__.replace('spreadsheet_dates.py', 'spreadsheet-dates.json'), 'w'), indent=1)
