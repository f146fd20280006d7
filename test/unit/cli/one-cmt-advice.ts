// The one-compartment model (CL 4, V 40, k = 0.1/h) the clock tests of `optimize --from` advise on:
// Ω 1e-6 and no levels, so the MAP estimate is the typical patient and levels are the closed form's.

export const ONE_CMT_MODEL = { dosewise: 2, name: 'one-cmt', structure: { kind: 'linear', compartments: 1, depot: false }, parameters: { CL: '4*exp(ETA_CL)', V: '40*exp(ETA_V)' }, omega: { etas: ['ETA_CL', 'ETA_V'], diagonal: [0.000001, 0.000001] }, residual: { model: 'proportional', proportional: 0.1 } };

/** A small, quick advice search: one trough ceiling, two doses, q12h over 1 h, the best regimen alone. */
export const ADVISE_ARGS = ['--target', 'trough::10', '--doses', '500:1000:500', '--intervals', '12', '--infusions', '1', '--top', '1', '--draws', '50'];
