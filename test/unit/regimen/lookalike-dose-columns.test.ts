// A rate, duration or ADDL column under a name NONMEM does not read. examples/
// map-patient.csv with RATE renamed INF_RATE ran its 1-h infusions as boluses: simulate's IPRED at
// 1.5 h 20.83 for 24.32, estimate's V 17.50 L for 24.04; addl_base.csv's ADDL renamed N_ADDL, ADD or
// NDOSES gave one dose of four (IPRED 2.805 at 25 h for 35.86); DURATION or INF_DUR beside no RATE
// was dropped. All exit 0 with nothing on stderr, while DUR and a DOSE column without AMT were
// refused. Now refused, naming the row, the column, its value and the name to give it.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { refuseLookalikeDoseColumns } from '../../../src/regimen/lookalike-dose-columns.js';
import { cli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lookalike-'));
const MODEL = join(import.meta.dirname, '../../../examples/map-wmap.model.json');
const PATIENT = 'ID,TIME,EVID,AMT,RATE,DV,MDV\n1,0,1,1000,1000,.,1\n1,1.5,0,.,.,27.57698,0\n1,11.5,0,.,.,3.437169,0\n1,12,1,1000,1000,.,1\n1,24,1,1000,1000,.,1\n1,25,0,.,.,38.494925,0\n1,36,1,1000,1000,.,1\n1,47.5,0,.,.,7.016984,0\n';
const ADDL = 'ID,TIME,EVID,AMT,RATE,ADDL,II,DV,MDV\n1,0,1,1000,1000,3,12,.,1\n1,1.5,0,.,.,.,.,27.57698,0\n1,11.5,0,.,.,.,.,3.437169,0\n1,25,0,.,.,.,.,38.494925,0\n1,47.5,0,.,.,.,.,7.016984,0\n';
const withHeader = (text: string, from: string, to: string): string => text.replace(new RegExp(`^(.*?)\\b${from}\\b`), `$1${to}`);
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const refusal = (text: string, reads: readonly string[] = []): string => {
  try {
    refuseLookalikeDoseColumns(readNmtran(text, { file: 'd.csv' }).records, reads, 'd.csv');
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('a rate, duration or ADDL column under another name is refused, not run as a bolus or one dose', () => {
  it.each(['INF_RATE', 'RATE_MGH', 'INFUSION_RATE', 'RATEX', 'RTE', 'R', '"RATE (mg/h)"'])('RATE named %s, with no RATE column', (name) => {
    const shown = name.replace(/"/g, '');
    const m = refusal(withHeader(PATIENT, 'RATE', name));
    expect(m).toContain(`row 1`);
    expect(m).toContain(shown);
    expect(m).toContain('1000');
    expect(m).toContain(`this dose runs as a bolus, column ${shown} not read; if ${shown} is the infusion rate`);
    expect(m).toContain('name the column RATE');
  });

  it.each(['N_ADDL', 'ADD', 'NDOSES'])('ADDL named %s, with no ADDL column', (name) => {
    const m = refusal(withHeader(ADDL, 'ADDL', name));
    expect(m).toContain('row 1');
    expect(m).toContain(`this dose is given once, column ${name} not read; if ${name} is ADDL, name the column ADDL`);
  });

  it.each(['DURATION', 'INF_DUR', 'DUR_H'])('a duration named %s on a dose without RATE', (name) => {
    const text = 'ID,TIME,EVID,AMT,' + name + ',DV,MDV\n1,0,1,1000,1.0,.,1\n1,1.5,0,.,.,27.57698,0\n';
    const m = refusal(text);
    expect(m).toContain('row 1');
    expect(m).toContain(`dosewise reads NONMEM's RATE, not a duration column: this dose runs as a bolus, column ${name} not read; give RATE = AMT/${name} (1000) for a 1-h infusion`);
  });

  it('a duration column beside a RATE that agrees passes; one in minutes (60 for 1 h) is refused', () => {
    expect(refusal('ID,TIME,EVID,AMT,RATE,DURATION,DV,MDV\n1,0,1,1000,1000,1,.,1\n1,1.5,0,.,.,.,27.57698,0\n')).toBe('');
    expect(refusal('ID,TIME,EVID,AMT,RATE,DUR_MIN,DV,MDV\n1,0,1,1000,1000,60,.,1\n1,1.5,0,.,.,.,27.57698,0\n')).toContain('RATE 1000 and DUR_MIN 60 disagree: AMT/RATE = 1000/1000 is a 1-h infusion');
  });

  it('leaves be: the standard column beside a look-alike, a column the model reads, a heart rate, and look-alikes off dose rows', () => {
    expect(refusal(PATIENT.replace('RATE,', 'RATE,INF_RATE,').replace(/^(1,[^,]*,[^,]*,[^,]*,)([^,]*),/gm, '$1$2,$2,'))).toBe('');
    expect(refusal(ADDL.replace('ADDL,', 'ADDL,NDOSES,').replace(/^(1,[^,]*,[^,]*,[^,]*,[^,]*,)([^,]*),/gm, '$1$2,$2,'))).toBe('');
    expect(refusal(withHeader(PATIENT, 'RATE', 'INF_RATE'), ['INF_RATE'])).toBe('');
    expect(refusal('ID,TIME,EVID,AMT,HEART_RATE,DV,MDV\n1,0,1,1000,80,.,1\n1,1.5,0,.,80,27.57698,0\n')).toBe('');
    expect(refusal('ID,TIME,EVID,AMT,INF_RATE,DV,MDV\n1,0,1,1000,.,.,1\n1,1.5,0,.,5,27.57698,0\n')).toBe('');
  });

  it('simulate, its replicates and estimate refuse the renamed RATE on the command line (exit 0 and IPRED 20.83 for 24.32 before)', async () => {
    const data = file('rate_INF_RATE.csv', withHeader(PATIENT, 'RATE', 'INF_RATE'));
    for (const command of ['simulate', 'estimate']) {
      const r = await cli([command, '--model', MODEL, '--data', data]);
      expect(r.code).not.toBe(0);
      expect(r.err).toContain('rate_INF_RATE.csv');
      expect(r.err).toContain('this dose runs as a bolus, column INF_RATE not read');
    }
    const replicates = await cli(['simulate', '--model', MODEL, '--data', data, '--replicates', '2', '--seed', '1']);
    expect(replicates.code).not.toBe(0);
    expect(replicates.err).toContain('this dose runs as a bolus, column INF_RATE not read');
    const clean = await cli(['simulate', '--model', MODEL, '--data', file('clean.csv', PATIENT)]);
    expect(clean.code).toBe(0);
  }, 60_000);
});
