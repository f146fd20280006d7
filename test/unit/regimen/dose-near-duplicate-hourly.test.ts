// b8228eb read boluses of one amount with another within 2 h as PCA presses and stopped warning
// them: an hourly chart whose doses were each charted twice 6 min apart (50 mg at 0/0.1, 1/1.1 and
// 2 h) gave no W_DOSE_DUPLICATE, where it gave 2 before: every schedule tighter than
// q2h looked like on-demand dosing. Where the chart's own schedule explains the neighbours (the
// doses, the copies minutes after one set aside, on one regular grid) the pair is a copy again and
// warned; PCA presses at no schedule stay quiet.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import { builtinModel } from '../../../src/model/model.js';

const dup = (text: string): string[] => [...(readNmtran(text, { file: 'q.csv' }).warnings ?? [])].filter((w) => w.startsWith('W_DOSE_DUPLICATE'));
const hours = (times: readonly number[], amt = 50): string => 'ID,TIME,AMT,DV,EVID,MDV,CMT\n' + times.map((t) => `1,${t},${amt},.,1,1,1\n`).join('') + `1,${Math.max(...times) + 1},.,5,0,0,1\n`;
const clock = (times: readonly string[], amt = 1): string =>
  'ID,DATE,TIME,EVID,AMT,RATE,DV,MDV\n' + times.map((t) => `1,03/04/2026,${t},1,${amt},0,.,1\n`).join('') + '1,03/04/2026,23:00,0,.,.,0.012,0\n';

describe('copies on an hourly or q1.5h schedule are warned again', () => {
  it('50 mg hourly, the 0-h and 1-h doses charted twice 6 min apart: both pairs warned (it warned none)', () => {
    const w = dup(hours([0, 0.1, 1, 1.1, 2]));
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/rows 1 and 2 \(ID 1\): two doses of AMT 50 into CMT 1 at TIME 0 and TIME 0\.1, 6 min apart, both given \(100 in all\)/);
    expect(w[1]).toMatch(/rows 3 and 4 \(ID 1\)/);
  });

  it('q1.5h with one copy 10 min after the 3-h dose: warned; records built in code alike', () => {
    const text = hours([0, 1.5, 3, 3 + 10 / 60, 4.5]);
    expect(dup(text)).toHaveLength(1);
    const records = readNmtran(text).records.map((r) => ({ ...r, items: { ...r.items } }));
    const w = simulate(builtinModel('1cmt-iv'), records).warnings ?? [];
    expect(w.filter((x) => x.startsWith('W_DOSE_DUPLICATE'))).toHaveLength(1);
  });

  it('a clock chart hourly at 08:00-12:00 with 09:00 charted again at 09:07: warned', () => {
    expect(dup(clock(['08:00', '09:00', '09:07', '10:00', '11:00', '12:00'], 2))).toHaveLength(1);
  });
});

describe('PCA presses stay quiet', () => {
  it('morphine 1 mg at 10:00, 10:08, 11:40, 13:05, 13:13, 15:30 (b8228eb\'s chart): none', () => {
    expect(dup(clock(['10:00', '10:08', '11:40', '13:05', '13:13', '15:30']))).toEqual([]);
  });
  it('presses 8 min apart with the others at no one spacing (10:00, 10:08, 11:00, 11:45): none', () => {
    expect(dup(clock(['10:00', '10:08', '11:00', '11:45']))).toEqual([]);
  });
  it('only two doses beside the pair (10:00, 10:08, 11:00): no grid to read, quiet as before', () => {
    expect(dup(clock(['10:00', '10:08', '11:00']))).toEqual([]);
  });
});
