// Input that would give a wrong number with no complaint is refused, naming the place: dose records
// without an amount, numbers that overflow to infinity (in data, covariate tables and regimen JSON),
// semicolon-separated or decimal-comma files, regimen JSON fields by their path, MDV codes other than 0/1.

import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { regimen } from '../../../src/regimen/builder.js';
import { parseRegimenJson, readRegimen } from '../../../src/regimen/file.js';
import { parseCovariateTable } from '../../../src/population/covariates/table.js';
import { caught } from '../refused.js';

const H = 'ID,TIME,EVID,AMT,RATE,SS,II,DV';

describe('a dose record needs an amount', () => {
  const cases: [string, string][] = [
    ['blank AMT', '1,0,1,,100,0,0,.'],
    ['AMT "."', '1,0,1,.,0,0,0,.'],
    ['AMT NaN', '1,0,1,NaN,0,0,0,.'],
    ['AMT 0', '1,0,1,0,0,0,0,.'],
    ['AMT 0 with a RATE', '1,0,1,0,100,0,0,.'],
    ['EVID 4 with AMT 0', '1,0,4,0,0,0,0,.'],
    ['SS = 1 with AMT 0, RATE > 0 and an II', '1,0,1,0,10,1,12,.'],
  ];
  for (const [what, row] of cases) {
    it(`${what}: refused with row and column AMT`, () => {
      const e = caught(() => readNmtran(`${H}\n1,0,0,.,.,.,.,5\n${row}`, { file: 'p.csv' }));
      expect(e.code).toBe('E_RECORD');
      expect(e.place).toMatchObject({ file: 'p.csv', row: 2, column: 'AMT' });
      expect(e.message).toMatch(/^p\.csv, row 2, column AMT: a dose record \(EVID [14]\) needs an amount > 0/);
    });
  }

  it('no AMT column at all: the message says so', () => {
    const e = caught(() => readNmtran('ID,TIME,EVID,RATE,DV\n1,0,1,1000,.\n1,1.5,0,.,27.6'));
    expect(e.place).toMatchObject({ row: 1, column: 'AMT' });
    expect(e.message).toContain('the data have no AMT column');
  });

  it('a RATE or duration without an amount is named', () => {
    expect(caught(() => readNmtran(`${H}\n1,0,1,.,100,0,0,.`)).message).toContain('a RATE or duration without an amount gives no drug');
  });

  it('the steady-state constant infusion (SS = 1, AMT = 0, RATE > 0, no II) stays valid', () => {
    expect(readNmtran(`${H}\n1,0,1,0,10,1,0,.`).records[0]).toMatchObject({ EVID: 1, AMT: 0, RATE: 10, SS: 1 });
  });

  it('observation and other records keep AMT optional', () => {
    expect(readNmtran(`${H}\n1,0,1,100,0,0,0,.\n1,1,0,.,.,.,.,5\n1,2,2,.,.,.,.,.`).records).toHaveLength(3);
  });

  it('a dose with both a rate and a duration, and a grid that ends before it starts, are refused by name', () => {
    expect(() => parseRegimenJson({ doses: [{ time: 0, amt: 100, dur: 1, rate: 50 }], observe: [{ times: [1] }] }, 'r.json')).toThrow('r.json, doses.0.dur: give "rate" or "dur", not both (got 1)');
    expect(() => regimen().dose({ time: 0, amt: 100, dur: 1, rate: 50 }).observe({ times: [1] }).records()).toThrow('give a rate or a duration, not both');
    expect(() => parseRegimenJson({ doses: [{ time: 0, amt: 100 }], observe: [{ grid: { from: 48, to: 0, step: 1 } }] }, 'r.json')).toThrow('r.json, observe.0.grid.to: "to" must not be before "from" (got 0)');
    expect(() => regimen().dose({ time: 0, amt: 100 }).observe({ grid: { from: 48, to: 0, step: 1 } }).records()).toThrow('a grid ends at or after its start');
  });

  it('the regimen builder refuses a zero dose', () => {
    const e = caught(() => regimen().dose({ time: 0, amt: 0 }).observe({ times: [1] }).records());
    expect(e.place).toMatchObject({ path: 'dose.amt', value: 0 });
  });
});

describe('a regimen file is one ID', () => {
  it("a CSV of several IDs is refused naming the first row of the second (its rows were dropped, and a forecast of ID 2 ran on ID 1's doses)", () => {
    expect(() => readRegimen('ID,TIME,EVID,AMT\n1,25,1,500\n1,27,0,.\n2,40,1,500\n2,42,0,.\n', 'reg.csv')).toThrow(/reg\.csv, row 3, column ID: a regimen file is one ID's records.*holds IDs 1, 2: keep the rows of one ID/);
    expect(readRegimen('ID,TIME,EVID,AMT\n1,25,1,500\n1,27,0,.\n', 'reg.csv')).toHaveLength(2);
  });
});

describe('MDV is 0 or 1', () => {
  // any other code dropped the level without a word
  for (const mdv of ['2', '0.5', '-1']) {
    it(`MDV ${mdv}: refused with row, column and value`, () => {
      const e = caught(() => readNmtran(`${H},MDV\n1,0,1,100,0,0,0,.,1\n1,1,0,.,.,.,.,5,${mdv}`, { file: 'p.csv' }));
      expect(e.code).toBe('E_RECORD');
      expect(e.place).toMatchObject({ file: 'p.csv', row: 2, column: 'MDV', value: Number(mdv) });
      expect(e.message).toMatch(/^p\.csv, row 2, column MDV: MDV must be 0 \(a level to use\) or 1 \(none\)/);
    });
  }

  it('0, 1 and missing stay valid (missing: 0 on observations, 1 on doses)', () => {
    const r = readNmtran(`${H},MDV\n1,0,1,100,0,0,0,.,.\n1,1,0,.,.,.,.,5,0\n1,2,0,.,.,.,.,.,1\n1,3,0,.,.,.,.,6,.`).records;
    expect(r.map((x) => x.MDV)).toEqual([1, 0, 1, 0]);
  });
});

describe('numbers that overflow to infinity are refused, not dropped', () => {
  it('DV = 1e400: row, column and value', () => {
    const e = caught(() => readNmtran(`${H}\n1,0,1,100,0,0,0,.\n1,1,0,.,.,.,.,1e400`, { file: 'p.csv' }));
    expect(e.code).toBe('E_CSV_VALUE');
    expect(e.place).toMatchObject({ file: 'p.csv', row: 2, column: 'DV', value: '1e400' });
    expect(e.message).toMatch(/^p\.csv, row 2, column DV: the number is too large .* \(got "1e400"\)$/);
  });

  it('a 10 MB numeral: named, and shown cut short', () => {
    const big = '9'.repeat(10_000_000);
    const e = caught(() => readNmtran(`${H}\n1,0,1,${big},0,0,0,.`));
    expect(e.place).toMatchObject({ row: 1, column: 'AMT' });
    expect(e.message.length).toBeLessThan(300);
    expect(e.message).toContain('(10000000 characters)');
  });

  it('-1e999 in a covariate column', () => {
    const e = caught(() => readNmtran('ID,TIME,EVID,AMT,WT\n1,0,1,100,-1e999'));
    expect(e.place).toMatchObject({ row: 1, column: 'WT' });
  });

  it('Infinity in items built in code', () => {
    // named by the builder's field (it was row 1, column WT: a row no call has)
    const e = caught(() => regimen().dose({ time: 0, amt: 100, items: { WT: Infinity } }).observe({ times: [1] }).records());
    expect(e.place).toMatchObject({ path: 'dose.items.WT', value: Infinity });
  });

  it('a covariate table: file, row, column', () => {
    const e = caught(() => parseCovariateTable('WT,AGE\n70,40\n1e400,50\n', { file: 'cov.csv' }));
    expect(e.place).toMatchObject({ file: 'cov.csv', row: 2, column: 'WT', value: '1e400' });
    expect(e.message).toMatch(/^cov\.csv, row 2, column WT: /);
  });

  it('regimen JSON: the JSON path', () => {
    const e = caught(() => readRegimen('{"doses":[{"time":0,"amt":100},{"time":12,"amt":1e400}],"observe":[{"times":[1]}]}', 'reg.json'));
    expect(e.place).toMatchObject({ file: 'reg.json', path: 'doses.1.amt' });
    expect(e.message).toMatch(/^reg\.json, doses\.1\.amt: /);
  });
});

describe('semicolons and decimal commas', () => {
  it('a semicolon-separated data file says so', () => {
    const e = caught(() => readNmtran('ID;TIME;EVID;AMT;DV\n1;0;1;100;.\n1;1,5;0;.;27,5\n', { file: 'p.csv' }));
    expect(e.message).toBe('p.csv, header, column *: looks like a semicolon-separated file; dosewise reads comma-separated CSV (got "ID;TIME;EVID;AMT;DV")');
  });

  it('a space-separated data file says so (NONMEM reads blanks; "column ID is missing" did not say why)', () => {
    const e = caught(() => readNmtran('ID TIME EVID AMT DV\n1 0 1 100 .\n', { file: 'p.csv' }));
    expect(e.message).toBe('p.csv, header, column *: looks like a space-separated file; dosewise reads comma-separated CSV (got "ID TIME EVID AMT DV")');
  });

  it('a quoted "1,000" is named as a thousands separator or a decimal comma', () => {
    const e = caught(() => readNmtran('ID,TIME,EVID,AMT,DV\n1,0,1,"1,000",.\n', { file: 'p.csv' }));
    expect(e.message).toMatch(/p\.csv, row 1, column AMT: a thousands separator or a decimal comma: dosewise reads numbers without separators and with a decimal point \(1000, 1\.5\)/);
  });

  it('a semicolon-separated covariate table says so', () => {
    const e = caught(() => parseCovariateTable('WT;AGE\n70;40\n', { file: 'cov.csv' }));
    expect(e.message).toContain('cov.csv');
    expect(e.message).toContain('looks like a semicolon-separated file');
  });

  it('a quoted decimal comma names row, column and value', () => {
    const e = caught(() => readNmtran(`${H}\n1,0,1,100,0,0,0,.\n1,1,0,.,.,.,.,5\n1,2,0,.,.,.,.,"1,5"`));
    expect(e.place).toMatchObject({ row: 3, column: 'DV', value: '1,5' });
    expect(e.message).toContain('decimal comma');
  });

  it('an unquoted decimal comma: the field count error hints at it', () => {
    expect(caught(() => readNmtran(`${H}\n1,0,1,100,0,0,0,.\n1,1,0,.,.,.,.,1,5`)).message).toContain('decimal comma');
  });

  it('a decimal comma in a covariate table', () => {
    const e = caught(() => parseCovariateTable('WT,AGE\n"70,5",40\n', { file: 'cov.csv' }));
    expect(e.place).toMatchObject({ file: 'cov.csv', row: 1, column: 'WT' });
    expect(e.message).toContain('decimal comma');
  });
});

describe('regimen JSON errors name the JSON path', () => {
  const obs = '"observe":[{"times":[1]}]';
  const cases: [string, string, string][] = [
    ['ADDL without II', `{"doses":[{"time":0,"amt":100},{"time":24,"amt":100,"addl":3}],${obs}}`, 'doses.1.ii'],
    ['a zero amount', `{"doses":[{"time":0,"amt":0}],${obs}}`, 'doses.0.amt'],
    ['a duration with no amount', `{"doses":[{"time":0,"amt":0,"dur":1}],${obs}}`, 'doses.0.amt'],
    ['a negative interval', `{"doses":[{"time":0,"amt":100,"ii":-12}],${obs}}`, 'doses.0.ii'],
    // refused by the builder's own check of the number (dose.rate), named by the JSON's place
    ['a rate no dose takes', `{"doses":[{"time":0,"amt":100,"rate":-5}],${obs}}`, 'doses.0.rate'],
    ['SS without II', `{"doses":[{"time":0,"amt":100,"ss":1}],${obs}}`, 'doses.0.ii'],
    ['an infinite item', `{"doses":[{"time":0,"amt":100,"items":{"WT":1e999}}],${obs}}`, 'doses.0.items.WT'],
    ['an observation item', `{"doses":[{"time":0,"amt":100}],"observe":[{"times":[1],"items":{"WT":-1e999}}]}`, 'observe.0.items.WT'],
  ];
  for (const [what, text, path] of cases) {
    it(`${what}: ${path}`, () => {
      const e = caught(() => parseRegimenJson(JSON.parse(text), 'reg.json'));
      expect(e.place).toMatchObject({ file: 'reg.json', path });
      expect(e.message).toMatch(new RegExp(`^reg\\.json, ${path.replace(/\./g, '\\.')}: `));
    });
  }

  it('the steady-state constant infusion is a valid JSON dose', () => {
    expect(parseRegimenJson({ doses: [{ time: 0, amt: 0, rate: 10, ss: 1 }], observe: [{ times: [1] }] })[0]).toMatchObject({ AMT: 0, RATE: 10, SS: 1 });
  });
});

describe('dose items and levels on records of another kind (NONMEM: dose items must be 0 there)', () => {
  const H2 = 'ID,TIME,EVID,AMT,RATE,ADDL,II,SS,DV,MDV';
  const cases: [string, string, string, RegExp][] = [
    ['a charted dose written with EVID 0', '1,12,0,1000,.,.,.,.,.,1', 'AMT', /an observation record \(EVID 0\) gives no dose, so AMT must be 0 or missing/],
    ['AMT on an other-type record', '1,12,2,1000,.,.,.,.,.,1', 'AMT', /an other-type record \(EVID 2\) gives no dose/],
    ['RATE on an other-type record', '1,12,2,.,10,.,.,.,.,1', 'RATE', /EVID 2\) gives no dose, so RATE must be 0/],
    ['ADDL and II on a reset', '1,12,3,.,.,3,12,.,.,1', 'ADDL', /a reset record \(EVID 3\) gives no dose, so ADDL must be 0/],
    ['SS on an observation', '1,12,0,.,.,.,.,1,5,0', 'SS', /EVID 0\) gives no dose, so SS must be 0/],
    ['a level on a dose record (MDV 0)', '1,12,1,100,.,.,.,.,5,0', 'MDV', /a dose record \(EVID 1\) has no level: its DV 5 would be dropped/],
    ['a level on an other-type record (MDV 0)', '1,12,2,.,.,.,.,.,8,0', 'MDV', /an other-type record \(EVID 2\) has no level: its DV 8 would be dropped/],
  ];
  for (const [what, row, column, message] of cases) {
    it(`${what}: refused naming row 2 and ${column}`, () => {
      const e = caught(() => readNmtran(`${H2}\n1,0,1,100,.,.,.,.,.,1\n${row}`, { file: 'p.csv' }));
      expect(e.place).toMatchObject({ file: 'p.csv', row: 2, column });
      expect(e.message).toMatch(message);
    });
  }

  it('zeros and missing cells there are fine, as is MDV 0 with no DV on a dose row', () => {
    const r = readNmtran(`${H2}\n1,0,1,100,0,0,0,0,.,0\n1,0,1,100,0,0,0,0,0,0\n1,2,0,0,0,0,0,0,5,0\n1,3,2,.,.,.,.,.,.,1\n1,4,0,.,.,.,.,.,.,1`).records;
    expect(r.map((x) => x.EVID)).toEqual([1, 1, 0, 2, 0]);
  });
});
