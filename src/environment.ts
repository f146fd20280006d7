// The DOSEWISE_* environment variables that choose between behaviours (measurements, deployments),
// each with the values it takes, read by one function. A value other than the exact ones was ignored
// without a word: DOSEWISE_MAP_WASM=OFF (or 0, false, a typo) left the engine's MAP path on, so a
// benchmark of the JavaScript path measured the engine's; DOSEWISE_MALLOC_PRIME=off and
// DOSEWISE_BACKGROUND_COMPILE=false left what they meant to turn off on. A value is now matched
// without regard to case or surrounding blanks, and any other is refused, naming the variable, the
// value and the values it takes. Unset or empty: the default. (DOSEWISE_WASM and DOSEWISE_CACHE_DIR
// are paths, not choices: engine/load.ts and engine/kernel-compiler.ts read them.)

import { Errors } from './errors.js';

/** A switch's words: on and off. */
const SWITCH = { '0': false, off: false, false: false, no: false, '1': true, on: true, true: true, yes: true } as const;

/** Every choice variable: the values it takes (lower case), what unset means, and its word. */
const SETTINGS = {
  /** How much of the MAP estimate runs in the engine (bayes/map-fast.ts). */
  DOSEWISE_MAP_WASM: { choices: { off: 'off', batch: 'batch', gradient: 'gradient', bfgs: 'bfgs' }, unset: 'bfgs', unsetWord: 'bfgs' },
  /** Whether glibc's thresholds are raised at engine load (engine/freed-pages.ts). */
  DOSEWISE_MALLOC_PRIME: { choices: SWITCH, unset: true, unsetWord: 'on' },
  /** Whether a model text's kernel is compiled in a background process (engine/kernel-background.ts). */
  DOSEWISE_BACKGROUND_COMPILE: { choices: SWITCH, unset: true, unsetWord: 'on' },
  /** V8's inlining budget: dosewise's lower one, or V8's own (pool/inlining.ts). */
  DOSEWISE_V8_INLINING: { choices: { reduced: 'reduced', default: 'default' }, unset: 'reduced', unsetWord: 'reduced' },
} as const;

type Settings = typeof SETTINGS;
export type EnvironmentName = keyof Settings;
export type EnvironmentValue<K extends EnvironmentName> = Settings[K]['choices'][keyof Settings[K]['choices']];

/**
 * The value of a choice variable (see SETTINGS); refuses (E_OPTION) a value it does not take. Read
 * each time (cheap), so a caller that keeps it decides when it is read.
 */
export function environmentSetting<K extends EnvironmentName>(name: K): EnvironmentValue<K> {
  const { choices, unset, unsetWord } = SETTINGS[name] as unknown as { choices: Readonly<Record<string, EnvironmentValue<K>>>; unset: EnvironmentValue<K>; unsetWord: string };
  // a browser has no process
  const raw = typeof process !== 'undefined' ? process.env?.[name] : undefined;
  const word = raw?.trim().toLowerCase() ?? '';
  if (word === '') return unset;
  if (Object.hasOwn(choices, word)) return choices[word] as EnvironmentValue<K>;
  // the words of one value together: "0, off, false, no; 1, on, true, yes"
  const groups = new Map<unknown, string[]>();
  for (const [w, v] of Object.entries(choices)) groups.set(v, [...(groups.get(v) ?? []), w]);
  const words = [...groups.values()].map((ws) => ws.join(', ')).join([...groups.values()].some((ws) => ws.length > 1) ? '; ' : ', ');
  throw Errors.option(name, `the environment variable ${name} is ${JSON.stringify(raw)}, which is none of the values it takes: ${words} (in any case), or unset (${unsetWord})`, raw);
}

/** Refuses any choice variable set to a value it does not take (the command line, before it starts). */
export function checkEnvironment(): void {
  for (const name of Object.keys(SETTINGS) as EnvironmentName[]) environmentSetting(name);
}
