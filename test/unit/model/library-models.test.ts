// The packaged model library by name from the Node entry, as `--model NAME` reads it on the command
// line: an app had no API for it (defineModel('vancomycin_goti_2018') pointed to
// "models/vancomycin_goti_2018.json", a path that is not there in an app's folder, and
// builtinModel() knows only the structures).

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libraryModel, libraryModelFile, libraryModelNames } from '../../../src/index.js';
import { DosewiseError } from '../../../src/errors.js';
import { builtinModel, defineModel } from '../../../src/model/model.js';
import { regimen } from '../../../src/regimen/builder.js';
import { simulate } from '../../../src/engine/simulate.js';

const models = resolve(import.meta.dirname, '../../../models');
const onDisk = readdirSync(models).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

describe('libraryModel(name): a packaged model by name', () => {
  it('lists every file of models/, and each name defines the model of its file', () => {
    expect(libraryModelNames()).toEqual(onDisk);
    expect(onDisk.length).toBeGreaterThanOrEqual(11);
    for (const name of onDisk) {
      const file = JSON.parse(readFileSync(join(models, `${name}.json`), 'utf8')) as unknown;
      expect(libraryModelFile(name)).toEqual(file);
      expect(libraryModel(name).name).toBe(defineModel(file).name);
    }
  });

  it('vancomycin_goti_2018 predicts the typical 2-cmt profile of its θ (closed form)', () => {
    // CRCL 120, WT 70, no dialysis: CL 4.5, V 58.4, V2 38.4, Q 6.5; 1000 mg bolus, scipy expm of the
    // 2-cmt matrix (python3): 14.318230627677305, 7.59343132956825, 5.064000536264886 at 1, 6, 12 h
    const items = { CRCL: 120, WT: 70, DIAL: 0 };
    const records = regimen().dose({ time: 0, amt: 1000, items }).observe({ times: [1, 6, 12], items }).records();
    const sim = simulate(libraryModel('vancomycin_goti_2018'), records, { method: 'analytic' });
    const obs = Array.from(sim.ipred).slice(-3);
    const ref = [14.318230627677305, 7.59343132956825, 5.064000536264886];
    for (const [i, c] of obs.entries()) expect(Math.abs(c / (ref[i] as number) - 1)).toBeLessThan(1e-12);
  });

  it('an unknown name is an E_MODEL naming it, the nearest name and the library', () => {
    const e = (() => {
      try {
        libraryModel('vancomycin_goti2018');
      } catch (x) {
        return x as DosewiseError;
      }
      throw new Error('not refused');
    })();
    expect(e).toBeInstanceOf(DosewiseError);
    expect(e.code).toBe('E_MODEL');
    expect(e.place.value).toBe('vancomycin_goti2018');
    expect(e.message).toContain('libraryModel("vancomycin_goti2018"): not a model of the packaged library (did you mean vancomycin_goti_2018?)');
    expect(e.message).toContain('gentamicin_xuan_2003');
    expect(() => libraryModel('2cmt-iv')).toThrow(/a built-in structure is builtinModel\(name\)/);
    // named by the call made: libraryModel('x') was told libraryModelFile("x")
    expect(() => libraryModel(42 as never)).toThrow(/^model \(root\): libraryModel\(name\): not a model of the packaged library;/);
    expect(() => libraryModelFile('x')).toThrow(/^model \(root\): libraryModelFile\("x"\): not a model of the packaged library;/);
  });

  it("builtinModel('vancomycin_goti_2018') names libraryModel beside the structures", () => {
    expect(() => builtinModel('vancomycin_goti_2018')).toThrow(/unknown built-in model \(known: 1cmt-iv, .*\); a published model of the package's library loads with libraryModel\(name\) from 'dosewise' \(Node\)/);
  });

  it("defineModel('vancomycin_goti_2018') points to libraryModel, not to a relative path", () => {
    expect(() => defineModel('vancomycin_goti_2018')).toThrow(
      "for a model of the packaged library libraryModel('vancomycin_goti_2018') from 'dosewise' (Node), or in a browser app defineModel() of the file imported from 'dosewise/models/vancomycin_goti_2018.json'",
    );
    // the place carries the string given (it was {"path":"(root)"} alone)
    try {
      defineModel('vancomycin_goti_2018');
    } catch (e) {
      expect((e as DosewiseError).place).toEqual({ path: '(root)', value: 'vancomycin_goti_2018' });
    }
    expect.assertions(2);
  });
});
