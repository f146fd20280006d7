# independent check: library TMDD (V 3, KEL 0.1, KON 0.5, KOFF 0.05, KINT 0.2, KSYN 0.25 (R0 1), KDEG 0.25)
# bolus D every 168 h, 60 doses from baseline; free trough C = A/V and occupancy C/(0.1 + C)
import numpy as np
from scipy.integrate import solve_ivp
V,KEL,KON,KOFF,KINT,KSYN,KDEG=3,0.1,0.5,0.05,0.2,0.25,0.25
def f(t,y):
    A,R,P=y; b=KON*(A/V)*R-KOFF*P
    return [-KEL*A-b*V, KSYN-KDEG*R-b, b-KINT*P]
def jac(t,y):
    A,R,P=y
    return [[-KEL-KON*R,-KON*A,KOFF*V],[-KON*R/V,-KDEG-KON*A/V,KOFF],[KON*R/V,KON*A/V,-(KOFF+KINT)]]
def trough(D,n=40):
    y=np.array([0.0,1.0,0.0])
    for k in range(n):
        y[0]+=D
        s=solve_ivp(f,(0,168),y,method='Radau',jac=jac,rtol=1e-10,atol=1e-12)
        y=s.y[:,-1]
    C=y[0]/V; return C, C/(0.1+C)
for D in [1.6657e8, 5.3396284e7]:
    print(D, trough(D))
