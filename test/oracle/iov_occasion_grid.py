"""Oracle for test/unit/population/iov-occasion-grid.test.ts: a population with IOV whose regimen JSON
gives OCC on the doses (100 mg IV bolus at 0 h on occasion 1, at 24 h on occasion 2) and none on the
samples. 1-cmt, CL = 0.2 exp(eta_CL + kappa_CL) L/h, V = 10 L, omega^2 0.09, IOV omega^2 0.04.
An occasion runs from its dose to the next one's, so the occasion-1 trough (the level just before
the 24-h dose) is 10 exp(-CL1 24 / 10) mg/L with log CL1 ~ N(ln 0.2, 0.09 + 0.04) whatever samples
are asked. Closed form (normal CDF) for the fraction of troughs in 4-6 mg/L and numerical
integration (scipy.integrate.quad) for the troughs' mean and SD.
Writes test/oracle/iov-occasion-grid.json.

Run: python3 test/oracle/iov_occasion_grid.py
"""
import json
import math
import os

from scipy import integrate, stats

MU = math.log(0.2)
SD = math.sqrt(0.09 + 0.04)
LO, HI = 4.0, 6.0

# trough = 10 exp(-2.4 CL): in [LO, HI] when CL in [ln(10/HI)/2.4, ln(10/LO)/2.4]
cl_lo = math.log(10 / HI) / 2.4
cl_hi = math.log(10 / LO) / 2.4
frac = stats.norm.cdf((math.log(cl_hi) - MU) / SD) - stats.norm.cdf((math.log(cl_lo) - MU) / SD)


def trough(z):
    return 10 * math.exp(-2.4 * math.exp(MU + SD * z))


m1 = integrate.quad(lambda z: trough(z) * stats.norm.pdf(z), -12, 12, epsabs=1e-13, epsrel=1e-13)[0]
m2 = integrate.quad(lambda z: trough(z) ** 2 * stats.norm.pdf(z), -12, 12, epsabs=1e-13, epsrel=1e-13)[0]
out = {'fracIn': frac, 'troughMean': m1, 'troughSd': math.sqrt(m2 - m1 * m1), 'lo': LO, 'hi': HI}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'iov-occasion-grid.json')
with open(path, 'w') as f:
    json.dump(out, f, indent=2)
    f.write('\n')
print(out)
