// A parameter ratio written as a percentage (CL with an inhibitor "45" for 45 % of the reference) ran
// as a 45-fold clearance: AUC ratio 0.02 and "adjust ×45", exit 0, where the same file refuses
// `level: 90` ("e.g. 0.9 for a 90% interval"). A ratio above 30 (beyond the strongest known
// interactions, about ×25 on oral midazolam's CL/F with rifampicin) is refused, naming the effect
// and the fraction meant; one above 10 is read as stated with a note saying so.

import { describe, expect, it } from 'vitest';
import { parseEffects, relevance } from '../../../src/design/relevance/relevance.js';

describe('relevance: a ratio written as a percentage', () => {
  it('ratio 45 (45 %) is refused, naming the effect and 0.45', () => {
    expect(() => relevance([{ label: 'strong inhibitor', on: 'CL', ratio: 45, lo: 38, hi: 53 }])).toThrow(
      /effect 1 \(strong inhibitor\): ratio 45 is a 45-fold change of CL.*write 0\.45/,
    );
    expect(() => parseEffects([{ label: 'inh', on: 'CL', ratio: 45, lo: 38, hi: 53 }], 'eff.json')).toThrow(/eff\.json.*ratio 45.*0\.45/);
    // 150 (150 %) on F: ×150 refused too, naming 1.5
    expect(() => relevance([{ label: 'food', on: 'F', ratio: 150 }])).toThrow(/ratio 150 .*write 1\.5/);
  });
  it('a strong but real ratio is read as stated: CL/F ×25 (rifampicin), with a note above 10', () => {
    const r = relevance([{ label: 'rifampicin', on: 'CL/F', ratio: 25, lo: 20, hi: 32 }]).rows[0]!;
    expect(r.ratio).toBeCloseTo(1 / 25, 12);
    expect(r.note).toMatch(/25-fold change of CL\/F; if 25 % was meant, write 0\.25/);
    const ordinary = relevance([{ label: 'inducer', on: 'CL', ratio: 1.6, lo: 1.4, hi: 1.9 }]).rows[0]!;
    expect(ordinary.note ?? '').not.toMatch(/fold/);
  });
});
