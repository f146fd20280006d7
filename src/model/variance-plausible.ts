// W_OMEGA_IMPLAUSIBLE: a variance of a model file far beyond what published models use, most often a
// CV % typed where the variance belongs ("omega": {"diagonal": [30, 30]} for 30 % CV, whose variance
// is ln(1 + 0.30²) = 0.086) or a value scaled ×1e6. Such a model ran every command with exit 0: its
// population spread over e^(±2·5.5), its MAP prior was flat, and every number was wrong. Said when
// the model is loaded and in the results that carry the model's own warnings.
//
// Thresholds, from the published models (models/ and their sources): the largest Ω variance is 1.69
// (vancomycin_thomson_2009, V2, CV 130 %), then 0.814 (busulfan_mccune_2014, Q) and 0.684
// (vancomycin_colin_2019, V2); the largest IOV variance 0.892 (tacrolimus_storset_2014, KA, CV
// 120 %); the largest proportional residual SD 0.237 (gentamicin_xuan_2003). A log-normal variance
// above 4 (SD 2: a CV of 730 %, the 95 % range a factor 50 either side) and a proportional or
// exponential residual SD above 1 (100 %; above 2 the model file is refused, residualOf) are read
// as typing slips. An η that enters additively
// (no exp() around it) has the unit of its parameter and is not judged.

import type { Model, RandomEffects, Residual } from './model.js';

export const OMEGA_IMPLAUSIBLE_CODE = 'W_OMEGA_IMPLAUSIBLE';
/** Largest plausible variance of a log-normal η or κ (published maximum 1.69). */
export const MAX_PLAUSIBLE_VARIANCE = 4;
/** Largest plausible proportional (or exponential) residual SD (published maximum 0.237). */
export const MAX_PLAUSIBLE_RELATIVE_SD = 1;

const g = (x: number): string => (Math.abs(x) >= 1e6 ? x.toPrecision(3) : String(Number(x.toPrecision(3))));

/** The model's own text, where its expressions are (JSON file or model text). */
function sourceText(model: Pick<Model, 'file'>): string {
  try {
    return JSON.stringify(model.file) ?? '';
  } catch {
    return '';
  }
}

/** `name` appears inside an exp( … ) of the model's expressions (a log-normal effect). */
function logNormal(text: string, name: string): boolean {
  return new RegExp(`exp\\s*\\([^;"\\n]*\\b${name.replace(/[^\w]/g, '')}\\b`, 'i').test(text);
}

function varianceMessages(effects: RandomEffects | undefined, field: 'omega' | 'iov', text: string, where: string): string[] {
  if (!effects) return [];
  const out: string[] = [];
  effects.names.forEach((name, i) => {
    const v = effects.matrix[i]?.[i] ?? 0;
    if (!(v > MAX_PLAUSIBLE_VARIANCE) || !logNormal(text, name)) return;
    const asCv = v / 100;
    const cvNote = v <= 1000 ? `; if ${g(v)} is a CV %, the variance is ln(1 + ${g(asCv)}²) = ${g(Math.log1p(asCv * asCv))}` : '';
    out.push(
      `${where}: ${field} ${name} has the variance ${g(v)}, beyond any published model's (largest ${field === 'iov' ? '0.892' : '1.69'}; judged above ${MAX_PLAUSIBLE_VARIANCE}): ω² ${g(v)} is a CV of ~e^(${g(v)}/2) = ${g(Math.exp(v / 2))}, ` +
        `the population spread over e^(±2·${g(Math.sqrt(v))})${cvNote}; a variance (ω², not ω or CV %) is expected`,
    );
  });
  return out;
}

function residualMessages(residual: Residual | undefined, field: string, where: string): string[] {
  if (!residual) return [];
  const out: string[] = [];
  const relative = residual.model === 'exponential' ? ['exponential', residual.exponential] as const : residual.model === 'additive' ? undefined : ['proportional', residual.proportional] as const;
  if (relative && relative[1] > MAX_PLAUSIBLE_RELATIVE_SD) {
    const [kind, sd] = relative;
    out.push(`${where}: ${field}.${kind} is ${g(sd)}, an SD of ${g(sd * 100)} % of the prediction (published models: at most 0.237; judged above ${MAX_PLAUSIBLE_RELATIVE_SD}); if ${g(sd)} is a %, the SD is ${g(sd / 100)}`);
  }
  return out;
}

/**
 * The warnings' texts after the code, one per implausible variance: Ω and IOV diagonals of
 * log-normal effects, the residual's proportional/exponential SD (outputs' too). `file`: the model
 * file's path where known (the command line), else the model is named by its name.
 */
export function implausibleVarianceMessages(model: Pick<Model, 'name' | 'file'> & Partial<Pick<Model, 'omega' | 'iov' | 'residual' | 'outputs'>>, file?: string): string[] {
  const where = file === undefined ? `model ${model.name}` : `model ${model.name} (${file})`;
  const text = sourceText(model);
  const outputs = [...(model.outputs?.values() ?? [])].flatMap((o) => residualMessages(o.residual, `outputs.${o.dvid}.residual`, where));
  return [...varianceMessages(model.omega, 'omega', text, where), ...varianceMessages(model.iov, 'iov', text, where), ...residualMessages(model.residual, 'residual', where), ...outputs];
}

/** The warnings with the code first ("W_OMEGA_IMPLAUSIBLE: model …"), as results' warnings are written. */
export function implausibleVarianceWarnings(model: Pick<Model, 'name' | 'file'> & Partial<Pick<Model, 'omega' | 'iov' | 'residual' | 'outputs'>>, file?: string): string[] {
  return implausibleVarianceMessages(model, file).map((m) => `${OMEGA_IMPLAUSIBLE_CODE}: ${m}`);
}
