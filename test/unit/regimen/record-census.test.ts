// checkRecords' census: what its one pass saw of each record, so that simulate()'s later checks read
// only the records they concern (dose records, text cells, levels of another compartment). Each
// check must say what it said when it walked every record.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defineModel } from '../../../src/model/model.js';
import { checkRecords, readNmtran, RecordCensus } from '../../../src/regimen/nmtran.js';
import { simulate } from '../../../src/engine/simulate.js';
import type { DataRecord } from '../../../src/regimen/record.js';
import { steadyInfusionWarnings } from '../../../src/regimen/dose-record-warnings.js';
import { steadyStateLagWarnings } from '../../../src/engine/steady-state-lag.js';
import { refuseDurItem } from '../../../src/regimen/record.js';

const oral = defineModel({ dosewise: 2, name: '1cmt oral', structure: { kind: 'linear', compartments: 1, depot: true }, parameters: { CL: 5, V: 50, KA: 1.2 } });

function census(records: readonly DataRecord[]): RecordCensus {
  const c = new RecordCensus();
  checkRecords(records, 'records', undefined, true, c);
  return c;
}

describe('RecordCensus', () => {
  it('lists the records that are not observations, in order, and the CMTs of the levels', () => {
    const { records } = readNmtran(['ID,TIME,EVID,AMT,CMT,MDV,DV', '1,0,1,500,1,1,.', '1,1,0,0,2,0,3', '1,2,0,0,0,0,2', '1,12,1,500,1,1,.', '1,13,2,0,2,1,.'].join('\n'));
    const c = census(records);
    expect(Array.from(c.events)).toEqual([0, 3, 4]);
    expect(Array.from(c.events, (i) => records[i]?.TIME)).toEqual([0, 12, 13]);
    expect(c.anyText).toBe(false);
    expect(c.levelsOnlyIn([0, 2])).toBe(true);
    expect(c.levelsOnlyIn([2])).toBe(false);
    // a compartment number beyond the bit set is never judged as covered
    expect(c.levelsOnlyIn([0, 2, 31])).toBe(false);
  });

  it('sees a level in a compartment above 30', () => {
    const rec = (cmt: number): DataRecord => ({ row: 1, ID: 1, TIME: 0, EVID: 0, AMT: 0, CMT: cmt, RATE: 0, ADDL: 0, II: 0, SS: 0, DV: 1, MDV: 0, items: {} });
    expect(census([rec(31)]).levelsOnlyIn([0, 2])).toBe(false);
    expect(census([rec(2)]).levelsOnlyIn([0, 2])).toBe(true);
  });

  it("keeps simulate()'s W_LEVEL_AMOUNT where a level reads another compartment, whatever else the records hold", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1, 2), { minLength: 1, maxLength: 12 }), (cmts) => {
        const rows = ['ID,TIME,EVID,AMT,CMT,MDV,DV', '1,0,1,500,1,1,.', ...cmts.map((c, i) => `1,${i + 1},0,0,${c},0,1`)];
        const { warnings } = simulate(oral, readNmtran(rows.join('\n')).records);
        const depotLevels = cmts.filter((c) => c === 1).length;
        const warned = warnings.filter((w) => w.startsWith('W_LEVEL_AMOUNT'));
        expect(warned.length).toBe(depotLevels > 0 ? 1 : 0);
        if (depotLevels > 1) expect(warned[0]).toContain(`${depotLevels} levels with CMT 1`);
      }),
      { numRuns: 60 },
    );
  });

  it('lists the steady-state doses apart, and the checks that read them alone say what they said of every record', () => {
    const lagged = defineModel({ dosewise: 2, name: '1cmt iv lag', structure: { kind: 'linear', compartments: 1, depot: false, parameterization: 'clearance' }, parameters: { CL: 5, V: 50, ALAG: 13 }, compartments: { '1': { lag: 'ALAG' } }, observe: { compartment: 1, scale: 'V' } });
    const dose = fc.record({ ss: fc.constantFrom(0, 0, 1, 2), amt: fc.constantFrom(0, 100), rate: fc.constantFrom(0, 50, 100), ii: fc.constantFrom(0, 12), id: fc.constantFrom(1, 2) });
    fc.assert(
      fc.property(fc.array(dose, { minLength: 1, maxLength: 10 }), (doses) => {
        // as data sets give them, kept only where readNmtran takes them (AMT 0 is a steady-state
        // constant infusion alone, a steady state of doses needs II, II without ADDL or SS is refused)
        const ok = doses.filter((d) => (d.ss === 0 ? d.amt > 0 && d.ii === 0 : d.amt > 0 ? d.ii > 0 : d.rate > 0 && d.ii === 0)).sort((a, b) => a.id - b.id);
        if (ok.length === 0) return;
        const rows = ['ID,TIME,EVID,AMT,RATE,II,SS,CMT,MDV,DV', ...ok.flatMap((d, i) => [`${d.id},${i},1,${d.amt},${d.rate},${d.ii},${d.ss},1,1,.`, `${d.id},${i + 0.5},0,0,0,0,0,1,0,1`])];
        const { records } = readNmtran(rows.join('\n'));
        const c = census(records);
        expect(Array.from(c.steadyStates)).toEqual(records.flatMap((r, i) => (r.SS !== 0 ? [i] : [])));
        expect(steadyInfusionWarnings(records, 'f.csv', c.steadyStates)).toEqual(steadyInfusionWarnings(records, 'f.csv'));
        expect(steadyStateLagWarnings(lagged, records, 'f.csv', undefined, c.steadyStates)).toEqual(steadyStateLagWarnings(lagged, records, 'f.csv'));
      }),
      { numRuns: 200 },
    );
  });

  it('lists the records other than levels that carry DUR or PCMT, and refuseDurItem refuses from them what it refused reading every record', () => {
    const why = (f: () => void): string => {
      try {
        f();
        return '';
      } catch (e) {
        return String(e);
      }
    };
    const cell = fc.constantFrom('', '.', '0', '1', '2', '4', '10');
    fc.assert(
      fc.property(fc.constantFrom('DUR', 'dur', 'Dur', 'PCMT', 'pcmt', 'Pcmt', 'WT'), fc.array(fc.record({ evid: fc.constantFrom(0, 1, 2), rate: fc.constantFrom(0, 25, 50), v: cell }), { minLength: 1, maxLength: 8 }), (name, rows) => {
        const line = (r: { evid: number; rate: number; v: string }, i: number): string => (r.evid === 1 ? `1,${i},1,100,${r.rate},1,1,.,${r.v}` : `1,${i},${r.evid},0,0,1,${r.evid === 0 ? 0 : 1},${r.evid === 0 ? 1 : '.'},${r.v}`);
        const { records } = readNmtran([`ID,TIME,EVID,AMT,RATE,CMT,MDV,DV,${name}`, ...rows.map(line)].join('\n'));
        const c = census(records);
        const carries = records.flatMap((r, i) => (r.EVID !== 0 && ['DUR', 'dur', 'Dur', 'PCMT', 'pcmt', 'Pcmt'].some((k) => r.items[k] !== undefined) ? [i] : []));
        expect(Array.from(c.durOrPcmt)).toEqual(carries);
        for (const reads of [[], [name]]) expect(why(() => refuseDurItem(records, reads, 'f.csv', 2, c.durOrPcmt))).toBe(why(() => refuseDurItem(records, reads, 'f.csv', 2)));
      }),
      { numRuns: 300 },
    );
  });
});
