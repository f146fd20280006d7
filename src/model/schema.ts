// The model file, version 1, as a zod schema. Parsing turns any mistake into an error naming the
// JSON path of the bad field (e.g. `parameters.CL.value: expected number`).

import { z } from 'zod';
import { Errors } from '../errors.js';
import { BUILTIN_KINDS } from './structure.js';

const expr = z.union([z.number(), z.string().min(1)]);

const parameter = z.union([
  z.number(),
  z.string().min(1),
  z.strictObject({
    value: z.number().optional(),
    expr: z.string().min(1).optional(),
    unit: z.string().optional(),
    description: z.string().optional(),
  }),
]);

const structure = z.union([
  z.string().min(1),
  z.strictObject({
    kind: z.enum(BUILTIN_KINDS),
    compartments: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    depot: z.boolean().optional(),
    parameterization: z.enum(['clearance', 'micro']).optional(),
  }),
]);

const compartmentModifiers = z.strictObject({
  lag: expr.optional(),
  bioavailability: expr.optional(),
  rate: expr.optional(),
  duration: expr.optional(),
});

const matrix = z.array(z.array(z.number()));

/** Random effects: names, and either a full covariance matrix (Ω block) or its diagonal (variances). */
const randomEffects = z
  .strictObject({
    etas: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).min(1),
    matrix: matrix.optional(),
    diagonal: z.array(z.number().nonnegative()).optional(),
    /** IOV only: the data column that numbers occasions (1, 2, ...). */
    occasion: z.string().optional(),
    description: z.string().optional(),
  })
  .refine((r) => (r.matrix === undefined) !== (r.diagonal === undefined), { message: 'give exactly one of matrix or diagonal' });

const residual = z.strictObject({
  /** additive: a²; proportional: (b·f)²; combined: a² + (b·f)² (NONMEM); combined1: (a + b·f)²; exponential: log-scale, sd². */
  model: z.enum(['additive', 'proportional', 'combined', 'combined1', 'exponential']),
  additive: z.number().nonnegative().optional(),
  proportional: z.number().nonnegative().optional(),
  exponential: z.number().nonnegative().optional(),
  /** The unit of the levels and of the additive SD: must be the output's (observe.unit, outputs.<DVID>.unit), never converted; "log" or none for exponential error. */
  unit: z.string().optional(),
  note: z.string().optional(),
});

/** One measured quantity of a model with several (parent and metabolite, total and unbound): its compartment and residual error. */
const output = z.strictObject({
  /** Compartment whose amount / S<n> is measured (default: observe.compartment). */
  compartment: z.number().int().positive().optional(),
  residual,
  name: z.string().optional(),
  unit: z.string().optional(),
});

export const modelFileSchema = z.strictObject({
  // zod said "Invalid input" for a file without it (a published model's source description, say)
  dosewise: z.union([z.literal(1), z.literal(2)], {
    error: (iss) => (iss.input === undefined ? 'missing: every dosewise model file has the format field "dosewise" (1 or 2), and this JSON has none, so it is not a dosewise model file' : 'the format field must be 1 or 2'),
  }),
  /** Typical values (θ), referenced by name in parameter expressions. */
  theta: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'theta names are identifiers'), z.union([z.number(), z.strictObject({ value: z.number(), unit: z.string().optional(), description: z.string().optional() })])).optional(),
  omega: randomEffects.optional(),
  iov: randomEffects.optional(),
  residual: residual.optional(),
  /** Several measured quantities, by DVID value: records pick theirs by DVID, else by CMT. */
  outputs: z.record(z.string().regex(/^\d+$/, 'output keys are DVID values (whole numbers)'), output).optional(),
  reference: z.string().optional(),
  drug: z.string().optional(),
  population: z.string().optional(),
  caveat: z.string().optional(),
  check: z.array(z.unknown()).optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  source: z.string().optional(),
  citation: z.string().optional(),
  structure,
  parameters: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'parameter names are identifiers'), parameter),
  covariates: z
    .record(
      z.string(),
      z.strictObject({
        unit: z.string().optional(),
        default: z.number().optional(),
        description: z.string().optional(),
        /** The range of the population the model was built on: values outside are flagged as extrapolation. */
        range: z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo <= hi, { message: 'range: [low, high] with low ≤ high' }).optional(),
      }),
    )
    .optional(),
  compartments: z.record(z.string().regex(/^[1-9]\d*$/, 'compartment keys are 1-based numbers'), compartmentModifiers).optional(),
  observe: z
    .strictObject({
      compartment: z.number().int().positive().optional(),
      scale: expr.optional(),
      output: z.enum(['concentration', 'effect', 'free']).optional(),
      unit: z.string().optional(),
    })
    .optional(),
  solver: z
    .strictObject({
      method: z.enum(['auto', 'analytic', 'dopri5', 'rosenbrock', 'dop853', 'taylor']).optional(),
      rtol: z.number().positive().optional(),
      atol: z.number().positive().optional(),
    })
    .optional(),
  time_varying: z.enum(['nocb', 'locf']).optional(),
});

export type ModelFile = z.infer<typeof modelFileSchema>;

/**
 * A failed choice between alternatives (e.g. a number, an expression or {value, unit}) is reported
 * by the alternative that got furthest into the value, with its full path.
 */
function deepest(issue: z.core.$ZodIssue, prefix: PropertyKey[] = []): z.core.$ZodIssue {
  const here = { ...issue, path: [...prefix, ...issue.path] } as z.core.$ZodIssue;
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return here;
  let best: z.core.$ZodIssue | undefined;
  for (const alt of issue.errors) {
    const first = alt[0];
    if (!first) continue;
    const d = deepest(first, here.path);
    if (!best || d.path.length > best.path.length) best = d;
  }
  return best && best.path.length > here.path.length ? best : here;
}

/** Validates unknown JSON as a model file; the first problem becomes a DosewiseError naming its path. */
export function parseModelFile(json: unknown): ModelFile {
  const r = modelFileSchema.safeParse(json);
  if (r.success) return r.data;
  const issue = deepest(r.error.issues[0] as z.core.$ZodIssue);
  const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  let value: unknown = json;
  for (const k of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[k] : undefined;
  throw Errors.model(path, issue.message, value === undefined ? undefined : typeof value === 'object' ? JSON.stringify(value) : value);
}
