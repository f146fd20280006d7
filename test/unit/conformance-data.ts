// The conformance models and nmtests data sets that several tests of the general simulate() path read.

import { readFileSync } from 'node:fs';
import { defineModel, type Model } from '../../src/model/model.js';
import { readNmtran } from '../../src/regimen/nmtran.js';

const dir = new URL('../conformance/', import.meta.url);
const load = (name: string): Model => defineModel(JSON.parse(readFileSync(new URL(name, dir), 'utf8')));
const data = (name: string) => readNmtran(readFileSync(new URL(`nmtests/${name}`, dir), 'utf8')).records;

export const dosing = load('dosing-1001.model.json');
export const dosingData = data('dosing-1001.csv');
export const tv = load('time-varying-2001.model.json');
export const tvData = data('time-varying-2001.csv');
