// A fit is its model's and its records': posteriorSample() and forecast() took a 2-η fit for a
// 3-η model (the missing η drawn as 0: a forecast of 2.43 for 1.95) and one patient's fit for
// another's records, without a word; shrinkage() took η vectors of another length (NaN, or a
// third η dropped); and SIR from 1 proposal gave 1000 equal draws, a band of zero width.

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { estimate } from '../../../src/bayes/estimate.js';
import { posteriorSample } from '../../../src/bayes/posterior.js';
import { shrinkage } from '../../../src/bayes/shrinkage.js';
import { wMapModel, regimenRecords } from './wmap.js';
import { caught } from '../refused.js';

const model = defineModel(wMapModel);
const records = regimenRecords();
const fit = estimate(model, records);

describe('a fit that is not this model\'s or these records\'', () => {
  it('is refused by posteriorSample (and so forecast), naming what is missing', () => {
    const three = defineModel({ ...wMapModel, parameters: { ...wMapModel.parameters, Q: '6*exp(ETA_Q)' }, omega: { etas: ['ETA_CL', 'ETA_V1', 'ETA_Q'], diagonal: [0.1, 0.1, 0.1] } });
    expect(caught(() => posteriorSample(three, records, fit, { draws: 10 })).message).toMatch(/fit.*is not an estimate of model W-map: it has no ETA_Q/);
    expect(caught(() => posteriorSample(model, records.slice(0, 4), fit, { draws: 10 })).message).toMatch(/is not an estimate of these records \(4\)/);
    expect(posteriorSample(model, records, fit, { draws: 10 }).draws).toBe(10);
  });
  it("takes estimate()'s own fit of a model with an η of variance 0 (not estimated, so in no fit's labels: it was refused as 'no ETA_V1')", () => {
    const zero = defineModel({ ...wMapModel, omega: { etas: ['ETA_CL', 'ETA_V1'], diagonal: [0.1, 0] } });
    const own = estimate(zero, records);
    expect(own.labels).toEqual(['ETA_CL']);
    const post = posteriorSample(zero, records, own, { draws: 10 });
    expect(post.draws).toBe(10);
    // the η of variance 0 stays 0 in every draw
    for (let d = 0; d < 10; d++) expect(post.eta[d * 2 + 1]).toBe(0);
  });
  it('SIR needs at least as many proposals as draws, and 25', () => {
    expect(caught(() => posteriorSample(model, records, fit, { draws: 1000, sir: true, proposals: 1 })).message).toMatch(/proposals.*give at least as many proposals as draws and at least 25/);
    expect(caught(() => posteriorSample(model, records, fit, { draws: 10, sir: true, proposals: 20 })).message).toMatch(/at least 25/);
    expect(posteriorSample(model, records, fit, { draws: 10, sir: true, proposals: 25 }).proposals).toBe(25);
  });
  it('shrinkage refuses η vectors of another length or not finite', () => {
    expect(caught(() => shrinkage(model, [{ eta: [0.1] }, { eta: [0.2] }])).message).toMatch(/estimates\[0\].*has 1 η where model W-map has 2/);
    expect(caught(() => shrinkage(model, [{ eta: [0.1, 0, 0.3] }, { eta: [0.2, 0.1, 0] }])).message).toMatch(/has 3 η where model W-map has 2/);
    expect(caught(() => shrinkage(model, [{ eta: [0.1, NaN] }, { eta: [0.2, 0.1] }])).message).toMatch(/estimates\[0\]\.eta\[1\].*ETA_V1 is not a number/);
    expect(shrinkage(model, [{ eta: [0.1, 0.2] }, { eta: [0.3, -0.1] }]).n).toBe(2);
  });
});

describe("another patient's fit with the same η and records of the same schedule", () => {
  it('is refused by posteriorSample (and so forecast, optimize and advice): it forecast AUC24 458.04 for 364.75', () => {
    // the same doses and sampling times, other levels: labels and lengths agree, the predictions do not
    const other = records.map((r) => (r.EVID === 0 && r.MDV === 0 ? { ...r, DV: r.DV * 1.6, items: { ...r.items, DV: r.DV * 1.6 } } : r));
    const otherFit = estimate(model, other);
    expect(caught(() => posteriorSample(model, records, otherFit, { draws: 10 })).message).toMatch(/fit: is not an estimate of model W-map on these records: at its mode their objective is [-\d.e]+; .* \(got "objective [-\d.e]+"\)/);
    expect(posteriorSample(model, other, otherFit, { draws: 10 }).draws).toBe(10);
  });
});
