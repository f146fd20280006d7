"""Pareto k-hat of importance weights (PSIS: Vehtari, Simpson, Gelman, Yao & Gabry 2024; the
generalized Pareto fit of Zhang & Stephens 2009 with the weakly informative prior, as the R package
loo's gpdfit), on weights with a known generalized Pareto tail (scipy), for the SIR diagnostic of
src/bayes/posterior.ts (test/unit/bayes/pareto-k.test.ts).
Run: python3 test/oracle/pareto_k.py > test/oracle/pareto-k.json
"""
import json

import numpy as np
from scipy.stats import genpareto


def gpdfit(x):
    n = len(x)
    m = 30 + int(np.floor(np.sqrt(n)))
    j = np.arange(1, m + 1)
    xstar = x[int(np.floor(n / 4 + 0.5)) - 1]
    theta = 1 / x[-1] + (1 - np.sqrt(m / (j - 0.5))) / 3 / xstar
    k = np.array([np.mean(np.log1p(-t * x)) for t in theta])
    lik = n * (np.log(-theta / k) - k - 1)
    w = np.exp(lik - lik.max())
    w /= w.sum()
    k = np.mean(np.log1p(-np.sum(theta * w) * x))
    return (k * n + 0.5 * 10) / (n + 10)


rng = np.random.default_rng(1)
cases = []
for shape in [0.2, 0.5, 1.0]:
    logw = np.log(genpareto.rvs(shape, size=1000, random_state=rng) + 1.0)
    s = len(logw)
    n = int(np.floor(min(0.2 * s, 3 * np.sqrt(s))))
    ws = np.sort(np.exp(logw - logw.max()))
    cases.append({"shape": shape, "logw": [round(float(v), 15) for v in logw], "k": gpdfit(ws[s - n:] - ws[s - n - 1])})
print(json.dumps({"source": "test/oracle/pareto_k.py", "cases": cases}))
