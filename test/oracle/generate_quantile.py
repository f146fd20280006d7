"""Reference sample quantiles for test/unit/stats/quantile.test.ts.

Rerun: python3 test/oracle/generate_quantile.py  (writes test/oracle/quantile-fixtures.json)
Independent oracle: numpy.quantile with method="linear" (Hyndman & Fan type 7, numpy's default
and R's), computed on the same samples, which are stored in the JSON so no RNG must match.
"""
import json
import numpy as np

rng = np.random.default_rng(20261202)
ps = [0.0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1 / 3, 0.5, 2 / 3, 0.75, 0.9, 0.95, 0.975, 0.99, 0.995, 1.0]
samples = {
    "one value": [3.5],
    "two values": [2.0, -1.0],
    "ties": [1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 7.0],
    "integers 1..10, shuffled": [float(x) for x in rng.permutation(np.arange(1, 11))],
    "normal, n = 7": rng.normal(0, 1, 7).tolist(),
    "lognormal, n = 20": rng.lognormal(5, 0.8, 20).tolist(),
    "lognormal, n = 999": rng.lognormal(6, 0.5, 999).tolist(),
    "uniform, n = 1000": rng.uniform(-10, 10, 1000).tolist(),
    "exponential with ties, n = 301": np.round(rng.exponential(3, 301), 1).tolist(),
}
cases = [{"name": k, "x": v, "p": ps, "q": np.quantile(np.array(v), ps, method="linear").tolist()}
         for k, v in samples.items()]
out = {"generator": "test/oracle/generate_quantile.py", "numpy": np.__version__, "method": "linear (type 7)",
       "cases": cases}
with open("test/oracle/quantile-fixtures.json", "w") as f:
    json.dump(out, f, indent=1)
print(len(cases), "cases")
