// W_DOSE_DUPLICATE told a patient-controlled analgesia chart to "remove one": morphine 1 mg presses
// at 10:00 and 10:08 (a lockout of 5-10 min between them), then 11:40, 13:05 and 13:13, were warned
// twice as one administration charted twice (2 in all), on a normal chart. Presses are boluses of one
// small amount at no schedule: two at least a lockout apart (5 min) with another press of the amount
// more than 15 minutes and less than 2 h from them are on-demand dosing, not a copy. True copies are
// still warned: at one time, under 5 min apart, bags, or a pair in a scheduled chart (q6h boluses
// charted twice at 08:00/08:05 and 20:00/20:05: the doses around them hours away).

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { builtinModel } from '../../../src/model/model.js';

const dup = (text: string): string[] => [...(readNmtran(text, { file: 'p.csv' }).warnings ?? [])].filter((w) => w.startsWith('W_DOSE_DUPLICATE'));
const chart = (times: readonly string[], amt = 1, rate = 0): string =>
  'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n' + times.map((t) => `1,03/04/2026,${t},1,${amt},${rate},.,1\n`).join('') + '1,03/04/2026,23:00,0,.,.,0.012,0\n';
const PCA = ['10:00', '10:08', '11:40', '13:05', '13:13', '15:30'];

describe('PCA presses minutes apart are no copies', () => {
  it('morphine 1 mg at 10:00, 10:08, 11:40, 13:05, 13:13, 15:30: no W_DOSE_DUPLICATE (it warned both pairs)', () => {
    expect(dup(chart(PCA))).toEqual([]);
  });
  it('records built in code are judged alike (simulate()’s warnings)', () => {
    const records = readNmtran(chart(PCA)).records.map((r) => ({ ...r, items: { ...r.items } }));
    const w = simulate(builtinModel('1cmt-iv'), records).warnings ?? [];
    expect(w.filter((x) => x.startsWith('W_DOSE_DUPLICATE'))).toEqual([]);
  });
  it('inside any lockout (10:00 and 10:03), still warned', () => {
    expect(dup(chart(['10:00', '10:03', '11:40', '13:05']))).toEqual([expect.stringMatching(/rows 1 and 2 \(ID 1\): two doses of AMT 1 at 03\/04\/2026 10:00 and 03\/04\/2026 10:03, 3 min apart/)]);
  });
  it('q6h boluses charted twice (08:00/08:05, 20:00/20:05): both pairs still warned', () => {
    expect(dup(chart(['08:00', '08:05', '14:00', '20:00', '20:05'], 1000))).toHaveLength(2);
  });
  it('infusions of one amount 8 min apart beside another 1 h on: still warned (bags, no presses)', () => {
    expect(dup(chart(['10:00', '10:08', '11:00'], 1000, 1000))).toHaveLength(1);
  });
});
