# Closed-form references for test/unit/model/age-body-units.test.ts: the nomogram doses of the
# correctly typed patients beside the mistyped ones (PMA 2 and 35, AGE 6 for a 6-month-old).
# Colin 2019 vancomycin (models/vancomycin_colin_2019.json) and Shukla 2020 busulfan
# (models/busulfan_shukla_2020.json), typical patient; linear models, so the steady-state AUC24 is
# 24/tau * dose / CL and the dose meeting a target AUC24 is target * CL * tau / 24.
import json
import numpy as np


def colin_cl(WT, PMA, SCR):
    PMAY = PMA / 52
    SCRSTD = np.exp(-1.22839 + np.log10(PMAY) * 0.67190 + 6.27017 * np.exp(-3.10940 * PMAY))
    FMAT = PMAY**2.8864 / (0.8932**2.8864 + PMAY**2.8864)
    FAGE = PMAY**-2.241 / (61.559**-2.241 + PMAY**-2.241)
    FSCR = np.exp(-0.64856 * (SCR - SCRSTD))
    V = 42.52 * WT / 70
    return 5.312 * (V / 42.52) ** 0.75 * FMAT * FAGE * FSCR, SCRSTD


def shukla_cl(AGE, WT, HT, SEX):
    BMI = WT / (HT / 100) ** 2
    if SEX == 0:
        FFM = (1.11 + (1 - 1.11) / (1 + (AGE / 7.1) ** -1.1)) * 9270 * WT / (8780 + 244 * BMI)
    else:
        FFM = (0.88 + (1 - 0.88) / (1 + (AGE / 13.4) ** -12.7)) * 9270 * WT / (6680 + 216 * BMI)
    FMAT = 0.451 + (1 - 0.451) * (1 - np.exp(-AGE * 1.37))
    return 3.96 * FMAT * (FFM / 12) ** 0.75


out = {}
for WT, PMA, SCR, tau in [(3, 40, 0.5, 6), (3, 2, 0.5, 6), (70, 1860, 0.9, 12), (70, 35, 0.9, 12)]:
    cl, scrstd = colin_cl(WT, PMA, SCR)
    out[f'colin_WT{WT}_PMA{PMA}_SCR{SCR}_q{tau}'] = {'CL': cl, 'SCR_STD': scrstd, 'dose_auc500': 500 * cl * tau / 24}
for AGE in [0.5, 6]:
    cl = shukla_cl(AGE, 7.5, 67, 1)
    # q24h, dose in mg, concentrations in ng/mL: AUC24 (ng.h/mL) = 1000 * dose / CL
    out[f'shukla_AGE{AGE}_WT7.5_HT67_SEX1'] = {'CL': cl, 'dose_auc20000': 20000 * cl / 1000}
print(json.dumps(out, indent=1))
