// What a population summary records of its model (inputs.model), for merge to compare across
// shards: the model as the user gave it. A model text's loaded form carries its compiled module
// when the kernel was cached and none when it runs interpreted (same numbers), and the path it was
// read from: hashed whole, shards of one model text split across the tiers were refused as of
// different models ("ed53c7…" differs from "b19f4a…").

import { createHash } from 'node:crypto';
import { isTextModelFile } from '../model/model.js';

/** SHA-256 of a model's content: a model text's text alone (not its module or file name), else its JSON. */
export function modelDigest(json: unknown): string {
  const content = isTextModelFile(json) ? { dosewise: 'text', text: json.text } : json;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
