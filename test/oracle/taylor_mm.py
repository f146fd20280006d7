"""SciPy references for the Taylor-series method on the Michaelis-Menten built-ins
(test/oracle/taylor-mm-oracle.test.ts): mm-iv bolus, mm-iv zero-order infusion, and mm-oral with an
absorption lag, bioavailability and a steady-state (SS=1) dose. Each solved by Radau at rtol 1e-12
(atol 1e-14), piecewise between the inputs' switches (doses, the infusion's end, the lagged dose's
arrival), and cross-checked against LSODA at the same tolerances (the largest relative difference
is stored as "crossCheck"). Amounts in mg, times in h; every observation lies strictly between
inputs (none at a dose time). The steady state is the fixed point of the cycle map (500 mg q12h into
the depot, arriving at the lag; the map, a strong contraction here, iterated until it moves by
< 1e-13 relative), read at the SS dose's record time, as NONMEM's SS=1 does.
Run: python3 test/oracle/taylor_mm.py > test/oracle/taylor-mm.json"""
import json

from scipy.integrate import solve_ivp


def rhs(p, rc, rd):
    k10, ka, vmax, c = p['CL'] / p['V'], p.get('KA', 0.0), p['VMAX'], p['KM'] * p['V']

    def f(t, y):
        if len(y) == 1:
            a = y[0]
            return [-k10 * a - vmax * a / (c + a) + rc]
        ad, a = y
        return [-ka * ad + rd, ka * ad - k10 * a - vmax * a / (c + a) + rc]
    return f


def solve(p, y0, pieces, times, method):
    """pieces: [(t_start, t_end, rc, rd, bolus_vector_at_start)]; returns states at `times`."""
    y = list(y0)
    out = {}
    for (ta, tb, rc, rd, add) in pieces:
        y = [a + b for a, b in zip(y, add)]
        inside = [t for t in times if ta < t <= tb]
        if tb > ta:
            s = solve_ivp(rhs(p, rc, rd), (ta, tb), y, method=method, rtol=1e-12, atol=1e-14, t_eval=sorted(set(inside + [tb])))
            for t, col in zip(s.t, s.y.T):
                if t in inside:
                    out[t] = [float(v) for v in col]
            y = [float(v) for v in s.y[:, -1]]
    return [out[t] for t in times]


def case(name, p, y0, pieces, times, states, records):
    rad = solve(p, y0, pieces, times, 'Radau')
    lso = solve(p, y0, pieces, times, 'LSODA')
    cross = max(abs(a - b) / max(abs(a), 1e-300) for ra, rb in zip(rad, lso) for a, b in zip(ra, rb) if abs(a) > 1e-9)
    return {'name': name, 'parameters': p, 'stateNames': states, 'records': records, 'times': times, 'amounts': rad, 'crossCheck': cross}


cases = []

# mm-iv: two boluses
P_IV = {'V': 20.0, 'VMAX': 21.4, 'KM': 1.5, 'CL': 0.5}
times = [0.5, 1, 2, 4, 6, 8, 9.5, 10.25, 11, 12, 16, 20, 24, 36, 48]
cases.append(case('mm-iv bolus', P_IV, [0.0], [(0, 10, 0, 0, [100.0]), (10, 48, 0, 0, [60.0])], times, ['CENTRAL'],
                  [{'TIME': 0, 'EVID': 1, 'AMT': 100, 'CMT': 1}, {'TIME': 10, 'EVID': 1, 'AMT': 60, 'CMT': 1}]))

# mm-iv: 200 mg over 4 h (RATE 50), then 80 mg over 1 h at 24 h
times = [0.5, 1, 2, 3.9, 4.1, 5, 8, 12, 20, 24.5, 25.5, 30, 36, 48]
cases.append(case('mm-iv infusion', P_IV, [0.0], [(0, 4, 50, 0, [0.0]), (4, 24, 0, 0, [0.0]), (24, 25, 80, 0, [0.0]), (25, 48, 0, 0, [0.0])], times, ['CENTRAL'],
                  [{'TIME': 0, 'EVID': 1, 'AMT': 200, 'RATE': 50, 'CMT': 1}, {'TIME': 24, 'EVID': 1, 'AMT': 80, 'RATE': 80, 'CMT': 1}]))

# mm-oral: SS=1 500 mg q12h at 0 into the depot, lag 0.75 h, bioavailability 0.8; no dose after it
P_PO = {'V': 50.0, 'VMAX': 50.0, 'KM': 2.0, 'KA': 1.2, 'CL': 5.0}
LAG, F, AMT, II = 0.75, 0.8, 500.0, 12.0


def cycle(y):
    """From a dose record's time to the next: the dose arrives at LAG."""
    a = solve_ivp(rhs(P_PO, 0, 0), (0, LAG), y, method='Radau', rtol=1e-13, atol=1e-15).y[:, -1]
    a = [a[0] + F * AMT, a[1]]
    b = solve_ivp(rhs(P_PO, 0, 0), (LAG, II), a, method='Radau', rtol=1e-13, atol=1e-15).y[:, -1]
    return [float(v) for v in b]


y = [0.0, 0.0]
for _ in range(60):
    n = cycle(y)
    moved = max(abs(u - v) / max(abs(v), 1e-300) for u, v in zip(n, y))
    y = n
    if moved < 1e-13:
        break
times = [0.25, 0.5, 1, 1.5, 2, 4, 8, 11.5, 12.5, 16, 24, 36]
cases.append(case('mm-oral lag F SS', P_PO | {'ALAG': LAG, 'F1': F}, y, [(0, LAG, 0, 0, [0.0, 0.0]), (LAG, 36, 0, 0, [F * AMT, 0.0])], times, ['DEPOT', 'CENTRAL'],
                  [{'TIME': 0, 'EVID': 1, 'AMT': AMT, 'CMT': 1, 'SS': 1, 'II': II}]))
cases[-1]['steadyState'] = y

print(json.dumps({'generator': 'test/oracle/taylor_mm.py', 'method': 'Radau rtol 1e-12 atol 1e-14 (LSODA cross-check)', 'cases': cases}, indent=1))
