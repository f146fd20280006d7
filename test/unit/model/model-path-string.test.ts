// defineModel('map-wmap.model.json') said "for a built-in structure builtinModel('map-wmap.model.json'),
// for a library model the object of its file (models/map-wmap.model.json.json, read and parsed)": a
// file's path read as a name. A path (ending .json or .model, or holding a slash) is now named as
// one, with how to read it; estimateCohort('x.json', …) said the same naming defineModel(), and now
// names estimateCohort().

import { describe, expect, it } from 'vitest';
import { defineModel } from '../../../src/model/model.js';
import { estimateCohort } from '../../../src/bayes/task.js';

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('a string given where a model is taken', () => {
  it("defineModel('map-wmap.model.json'): read and parse the file, no builtinModel(path), no .json.json", () => {
    const m = message(() => defineModel('map-wmap.model.json'));
    expect(m).toContain("not a file's path ('map-wmap.model.json')");
    expect(m).toContain("defineModel(JSON.parse(readFileSync('map-wmap.model.json', 'utf8')))");
    expect(m).not.toContain('builtinModel');
    expect(m).not.toContain('.json.json');
    expect(m).not.toMatch(/--\w/);
  });

  it('a path with a slash, and a model text file', () => {
    expect(message(() => defineModel('examples/vanco'))).toContain("defineModel(JSON.parse(readFileSync('examples/vanco', 'utf8')))");
    const t = message(() => defineModel('two-cmt-oral.model'));
    expect(t).toContain("defineModel({ dosewise: 'text', text: readFileSync('two-cmt-oral.model', 'utf8') })");
    expect(t).toContain('compileModel');
    expect(t).not.toContain('builtinModel');
  });

  it('a name is still a name, and JSON text still JSON text', () => {
    expect(message(() => defineModel('2cmt-iv'))).toContain("builtinModel('2cmt-iv')");
    expect(message(() => defineModel('{"a":1}'))).toContain('defineModel(JSON.parse(text))');
  });

  it("estimateCohort('x.json', …) names estimateCohort(), not defineModel()", async () => {
    const e = (await estimateCohort('x.json', [], { workers: 0 }).catch((x: unknown) => x)) as Error & { code?: string };
    expect(e.message).toMatch(/^estimateCohort\(\) takes a model, not a file's path \('x\.json'\): read and parse the file/);
    expect(e.message).not.toMatch(/^defineModel\(\)/);
  });
});
