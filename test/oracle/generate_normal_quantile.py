"""Reference values of the standard normal quantile for test/unit/rng.test.ts.

Rerun: python3 test/oracle/generate_normal_quantile.py  (writes test/oracle/normal-quantile.json)
Independent oracle: scipy.special.ndtri (Cephes), not the AS241 algorithm dosewise implements.
"""
import json
import numpy as np
import scipy
from scipy.special import ndtri

ps = sorted(set([1e-300, 1e-100, 1e-20, 1e-12, 1e-8, 1e-5, 1e-3, 0.01, 0.02425, 0.05, 0.1, 0.2, 0.3, 0.4, 0.425,
                 0.075, 0.5, 0.575, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-5, 1 - 1e-8, 1 - 1e-12]
                + list(np.linspace(0.001, 0.999, 41))))
out = {"generator": "test/oracle/generate_normal_quantile.py", "scipy": scipy.__version__,
       "cases": [{"p": float(p), "z": float(ndtri(p))} for p in ps]}
with open("test/oracle/normal-quantile.json", "w") as f:
    json.dump(out, f, indent=1)
print(len(ps), "cases")
