# Reference for test/unit/population/coarse-grid-eta-direction.test.ts:
# 1-cmt oral, CL 5·e^ηCL, V 50·e^ηV, KA 1.2·e^ηKA, Ω [[.09,.02,0],[.02,.04,0],[0,0,.1]], 200 mg q12h
# ×10, auctau over 108–120 h. linear-up/log-down on a 0.5-h (0.25-h) grid against the exact integral
# (superposition in closed form), for 20,000 subjects drawn from Ω (numpy, seed 1), and at the
# subject 2 SD of Ω along the direction of steepest change of the grid's error (finite differences
# at each η alone at ±2ω, as dosewise reads them). Writes coarse_grid_eta_direction.json.
import json
import numpy as np

D = 200.0
doses = np.arange(10) * 12.0
OM = np.array([[0.09, 0.02, 0.0], [0.02, 0.04, 0.0], [0.0, 0.0, 0.1]])


def conc(ts, k, V, ka):
    out = np.zeros_like(ts)
    for td in doses:
        m = ts > td
        dt = ts[m] - td
        out[m] += D * ka / (V * (ka - k)) * (np.exp(-k * dt) - np.exp(-ka * dt))
    return out


def exact(a, b, k, V, ka):
    tot = 0.0
    for td in doses:
        lo = max(a, td)
        f = lambda t: -np.exp(-k * (t - td)) / k + np.exp(-ka * (t - td)) / ka
        tot += D * ka / (V * (ka - k)) * (f(b) - f(lo))
    return tot


def grid_auc(cs, h):
    c0, c1 = cs[:-1], cs[1:]
    up = c1 >= c0
    lin = (c0 + c1) / 2 * h
    with np.errstate(divide='ignore', invalid='ignore'):
        lg = np.where(up, lin, (c0 - c1) / np.log(c0 / c1) * h)
    return float(np.sum(np.where(up, lin, lg)))


def rel(e, h):
    CL, V, ka = 5 * np.exp(e[0]), 50 * np.exp(e[1]), 1.2 * np.exp(e[2])
    k = CL / V
    ts = np.arange(108, 120 + 1e-9, h)
    return grid_auc(conc(ts, k, V, ka), h) / exact(108, 120, k, V, ka) - 1


rng = np.random.default_rng(1)
L = np.linalg.cholesky(OM)
etas = rng.standard_normal((20000, 3)) @ L.T
out = {}
for h in (0.5, 0.25):
    r = np.array([rel(e, h) for e in etas])
    out[f"share_off_{h}"] = float(np.mean(np.abs(r) > 0.005))
    out[f"worst_{h}"] = float(r.min())
w = np.sqrt(np.diag(OM))
g = np.array([(rel(2 * w[i] * np.eye(3)[i], 0.5) - rel(-2 * w[i] * np.eye(3)[i], 0.5)) / (4 * w[i]) for i in range(3)])
sd = float(np.sqrt(g @ OM @ g))
r0 = rel(np.zeros(3), 0.5)
s = 1.0 if abs(r0 + 2 * sd) >= abs(r0 - 2 * sd) else -1.0
eta = s * 2 * OM @ g / sd
out["typical_rel_0.5"] = r0
out["each_eta_alone_worst_0.5"] = float(min(rel(sg * 2 * w[i] * np.eye(3)[i], 0.5) for i in range(3) for sg in (1, -1)))
out["direction_eta"] = eta.tolist()
out["direction_rel_0.5"] = rel(eta, 0.5)
out["direction_rel_0.25"] = rel(eta, 0.25)
json.dump(out, open(__file__.replace('.py', '.json'), 'w'), indent=1)
print(json.dumps(out, indent=1))
