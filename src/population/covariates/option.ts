// The covariates of a library call (bandPopulation(), populationExposure()) are the caller's option,
// not part of the model: checked as a model part they were refused as "model covariates: missing
// (expected object)" when the caller gave the inner map ({ CRCL: … } for { covariates: { CRCL: … } }).

import { DosewiseError } from '../../errors.js';
import { shapeOf } from '../../option-keys.js';
import { parseCovariateSpec } from './spec.js';

const SHAPE = '{ covariates: { NAME: { dist, … } | { derived } | { resample } }, correlation? }';

/**
 * Refuses (E_OPTION, path `covariates` or `covariates.<field>`) a covariates option that is not a
 * covariate specification, naming the call (`what`) and the option; undefined (none) passes.
 */
export function checkCovariatesOption(value: unknown, what: string): void {
  if (value === undefined) return;
  try {
    parseCovariateSpec(value);
  } catch (e) {
    if (!(e instanceof DosewiseError) || e.code !== 'E_MODEL') throw e;
    const inner = e.place.path;
    const path = inner === undefined || inner === '(root)' ? 'covariates' : `covariates.${inner}`;
    const why = inner !== undefined && e.message.startsWith(`model ${inner}: `) ? e.message.slice(`model ${inner}: `.length) : e.message;
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    // the inner map given alone: its keys are covariate names, where the specification has `covariates`
    if (isObject && !('covariates' in value)) {
      const keys = Object.keys(value);
      throw new DosewiseError('E_OPTION', `${what}: covariates must be a covariate specification ${SHAPE}; got an object with ${keys.length ? keys.join(', ') : 'no keys'}${keys.length ? ': put them inside its covariates' : ''}`, { path: 'covariates' });
    }
    if (!isObject) throw new DosewiseError('E_OPTION', `${what}: covariates must be a covariate specification ${SHAPE} (got ${shapeOf(value)})`, { path: 'covariates' });
    throw new DosewiseError('E_OPTION', `${what}: ${path}: ${why}`, { ...e.place, path });
  }
}
