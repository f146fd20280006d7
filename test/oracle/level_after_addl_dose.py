# MAP of a 1-cmt bolus (CL 5 exp(ETA_CL), V 30 exp(ETA_V), omega 0.1 each, proportional 0.3) for
# 400 mg at 0 h II 24 ADDL 2 and levels 12.5 at 1 h, 0.9 at 48 h, 13.1 at 49 h: the 48-h level read
# after the ADDL copy at 48 h (as dosewise compiles it: implied doses before records at their time)
# and before it. Output: level_after_addl_dose.json.
import json
import numpy as np
from scipy.optimize import minimize

doses = [0, 24, 48]
D = 400
obs = [(1, 12.5), (48, 0.9), (49, 13.1)]


def conc(t, CL, V, incl):
    k = CL / V
    return sum(D / V * np.exp(-k * (t - td)) for td in doses if (td < t or (incl and td == t)))


def ofv(eta, incl):
    CL = 5 * np.exp(eta[0]); V = 30 * np.exp(eta[1]); s = 0
    for t, dv in obs:
        c = conc(t, CL, V, incl); var = (0.3 * c) ** 2
        s += (dv - c) ** 2 / var + np.log(var)
    return s + eta[0] ** 2 / 0.1 + eta[1] ** 2 / 0.1


out = {}
for incl, name in ((True, 'after'), (False, 'before')):
    r = minimize(ofv, [0, 0], args=(incl,), method='Nelder-Mead', options={'xatol': 1e-10, 'fatol': 1e-12, 'maxiter': 20000})
    CL = 5 * np.exp(r.x[0]); V = 30 * np.exp(r.x[1])
    out[name] = {'CL': CL, 'V': V, 'ipred48': conc(48, CL, V, incl), 'ipred48_before_at_this_fit': conc(48, CL, V, False)}
json.dump(out, open(__file__.replace('.py', '.json'), 'w'), indent=1)
print(json.dumps(out))
