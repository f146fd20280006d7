# Oracle for test/unit/bayes/uninformative-linear-tail.test.ts (nc2.csv ID 2).
# Vancomycin (Goti 2018): 1000 mg over 1 h at 0 h, WT 80, CRCL 60; one level of 40 mg/L at 1000 h.
# At each plausible point of the prior (eta = 0 and each effect at +-2 SD) the prediction f, its
# residual SD (combined1: 3.4 + 0.227 f) and f/SD, and the sensitivity
# sqrt(sum_k (df/deta_k * SD_k)^2)/SD by central differences. Exact solution by matrix exponential
# (mpmath at 50 digits: the tail is e^-30 of the peak). Writes uninformative-tail.json.
import json
import mpmath as mp
mp.mp.dps = 50
OM = [mp.sqrt(mp.mpf(v)) for v in ('0.147', '0.51', '0.282')]

def conc(eta, t=mp.mpf(1000)):
    CL = mp.mpf('4.5') * (mp.mpf(60) / 120) ** mp.mpf('0.8') * mp.e ** eta[0]; V = mp.mpf('58.4') * 80 / 70 * mp.e ** eta[1]
    V2 = mp.mpf('38.4') * mp.e ** eta[2]; Q = mp.mpf('6.5')
    A = mp.matrix([[-(CL + Q) / V, Q / V2, 1000], [Q / V, -Q / V2, 0], [0, 0, 0]])
    x1 = mp.expm(A * 1) * mp.matrix([0, 0, 1])
    B = mp.matrix([[-(CL + Q) / V, Q / V2], [Q / V, -Q / V2]])
    x = mp.expm(B * (t - 1)) * mp.matrix([x1[0], x1[1]])
    return x[0] / V

out = []
for k in [None, 0, 1, 2]:
    for s in ([0] if k is None else [-2, 2]):
        e = [mp.mpf(0)] * 3
        if k is not None: e[k] = s * OM[k]
        f = conc(e); sd = 3.4 + 0.227 * f
        h = mp.mpf('1e-6'); g2 = 0
        for j in range(3):
            up = list(e); dn = list(e); up[j] += h * OM[j]; dn[j] -= h * OM[j]
            g2 += ((conc(up) - conc(dn)) / (2 * h)) ** 2
        out.append({'effect': None if k is None else ['ETA_CL', 'ETA_V', 'ETA_V2'][k], 'sd': s, 'f': float(f), 'f_over_sd': float(f / sd), 'sensitivity': float(mp.sqrt(g2) / sd)})
json.dump({'points': out}, open(__file__.replace('uninformative_tail.py', 'uninformative-tail.json'), 'w'), indent=1)
for o in out: print(o)
