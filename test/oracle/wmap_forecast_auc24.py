# Exact AUC 72–96 h of the W-map patient's MAP curve (the README figure held by
# test/unit/bayes/forecast-auc24-grid.test.ts): eta from estimate(), expm per dose, quad.
import numpy as np, json
from scipy.linalg import expm
eta=[0.30765524,-0.22137049]
CL=4*np.exp(eta[0]); V=30*np.exp(eta[1]); Q=6; V2=50
K=np.array([[-(CL+Q)/V,Q/V2],[Q/V,-Q/V2]])
doses=[(0,1000,1000),(12,1000,1000),(24,1000,1000),(36,1000,1000)]
fut=json.load(open('/work/main/examples/map-future.json'))
for d in fut['doses']:
    for k in range(d.get('addl',0)+1):
        amt=d['amt']; rate=d.get('rate', amt/d['dur'] if 'dur' in d else 0)
        doses.append((d['time']+k*d.get('ii',0), amt, rate))
def c(t):
    a=np.zeros(2)
    for t0,amt,rate in doses:
        if t<=t0: continue
        te=min(t,t0+amt/rate); M=np.zeros((3,3)); M[:2,:2]=K; M[0,2]=rate
        a+=expm(K*(t-te))@expm(M*(te-t0))[:2,2]
    return a[0]/V
print(doses[:6]); print([round(c(t),5) for t in (48,49,50,60,61,72)])
from scipy.integrate import quad
tot=0
for a,b in [(72,73),(73,84),(84,85),(85,96)]:
    tot+=quad(c,a,b,epsabs=1e-12,epsrel=1e-13,limit=200)[0]
print('exact auc 72-96', tot)
