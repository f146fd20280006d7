// A Michaelis–Menten oral model with an absorption lag (IIV on KA, V, VMAX and the lag): with a level
// early after the dose its posterior can have two modes, the lag on either side of that level.

export const MM_LAG_MODEL = {
  dosewise: 2,
  name: 'mm-lag',
  structure: 'mm-oral',
  parameters: { KA: '1.5*exp(ETA_KA)', V: '20*exp(ETA_V)', VMAX: '10*exp(ETA_VMAX)', KM: 4, CL: 2, ALAG: '0.75*exp(ETA_LAG)' },
  compartments: { '1': { lag: 'ALAG' } },
  omega: { etas: ['ETA_KA', 'ETA_V', 'ETA_VMAX', 'ETA_LAG'], diagonal: [0.3, 0.1, 0.1, 0.09] },
  residual: { model: 'combined', additive: 0.3, proportional: 0.1 },
} as const;
