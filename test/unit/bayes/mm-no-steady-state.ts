// A Michaelis–Menten IV model (VMAX 30 mg/h) whose SS dose of 1000 mg q12h (83.3 mg/h) has no steady
// state: the MAP objective cannot be evaluated at the prior mode (start-failure tests, API and CLI).
export const MM_NO_SS_MODEL = {
  dosewise: 2,
  name: 'mm',
  structure: 'mm-iv',
  theta: {},
  parameters: { V: '40*exp(ETA_V)', VMAX: '30', KM: '3' },
  omega: { etas: ['ETA_V'], diagonal: [0.1] },
  residual: { model: 'proportional', proportional: 0.1 },
} as const;
