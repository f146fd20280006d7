// The explanation section of the CLI's reports lives with the reports (src/report/explain.ts), so
// the browser tool prints the same one.

export { covariateRangeWarnings, explanationSection } from '../report/explain.js';
