// W_LEVEL_IMPLAUSIBLE printed a level's TIME to 4 significant digits: `row 6 (TIME 46090, …)` for
// TIME 46086.5, a time that is not in the file (serial-date charts). The
// warnings of a level name its TIME with every digit of its hours (2 decimals from 100 h on).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { readNmtran } from '../../../src/regimen/nmtran.js';
import { estimate } from '../../../src/bayes/estimate.js';

const wmap = defineModel(JSON.parse(readFileSync('examples/map-wmap.model.json', 'utf8')));

describe('the TIME a level warning names', () => {
  it('is the row\'s TIME, not rounded to 4 digits (10025 was named 10030, 10001.5 10000)', () => {
    // the W-map example patient 10,000 h on (a long course), its level at 25 h written in µg/L
    const lines = readFileSync('examples/map-patient.csv', 'utf8').trim().split('\n').map((l, i) => (i === 0 ? l : l.replace(/^1,([^,]+)/, (_, t: string) => `1,${Number(t) + 10000}`)));
    lines[6] = '1,10025,0,.,.,38494.925,0';
    const fit = estimate(wmap, readNmtran(lines.join('\n')).records);
    expect(fit.warnings.find((x) => x.row === 6)?.message).toMatch(/^row 6 \(TIME 10025, DV 38490\): implausible level/);
    lines[6] = '1,10025,0,.,.,38.494925,0';
    lines[2] = '1,10001.5,0,.,.,2757.698,0';
    expect(estimate(wmap, readNmtran(lines.join('\n')).records).warnings.find((x) => x.row === 2)?.message).toMatch(/^row 2 \(TIME 10001\.5, DV 2758\)/);
    // below 100 h as written (1.5)
    const plain = readFileSync('examples/map-patient.csv', 'utf8').trim().split('\n');
    plain[2] = '1,1.5,0,.,.,2757.698,0';
    expect(estimate(wmap, readNmtran(plain.join('\n')).records).warnings.find((x) => x.row === 2)?.message).toMatch(/^row 2 \(TIME 1\.5, DV 2758\)/);
  });
  it('is printed as the chart holds it, to 4 decimals: 150.1667 was named 150.17 (t5 report, 52d6dcb), 47.8333 47.83', () => {
    const lines = readFileSync('examples/map-patient.csv', 'utf8').trim().split('\n').map((l, i) => (i === 0 ? l : l.replace(/^1,([^,]+)/, (_, t: string) => `1,${Number(t) + 125.1667}`)));
    lines[6] = '1,150.1667,0,.,.,38494.925,0';
    expect(estimate(wmap, readNmtran(lines.join('\n')).records).warnings.find((x) => x.row === 6)?.message).toMatch(/^row 6 \(TIME 150\.1667, DV 38490\): implausible level/);
    const plain = readFileSync('examples/map-patient.csv', 'utf8').trim().split('\n');
    plain[8] = '1,47.8333,0,.,.,7016.984,0';
    const w = estimate(wmap, readNmtran(plain.join('\n')).records).warnings.find((x) => x.row === 8)?.message;
    expect(w).toMatch(/^row 8 \(TIME 47\.8333, DV 7017\)/);
  });
});
