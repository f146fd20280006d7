// Library messages name the API's options (an app gives `lloq`, not `--lloq`); the command line
// prints them with its own flags. One table, so a message worded for the API is not printed to a
// CLI user with names it has no flag for.

const CLI_WORDS: readonly (readonly [RegExp, string])[] = [
  [/\bone limit for all \(the API option lloq\)/g, 'one limit for all (--lloq X)'],
  [/\bthe API option lloq\b/g, '--lloq'],
  // "lloq 0.5 censors …; … give lloq -0.693": the option with its value
  [/(?<![-\w])lloq (?=-?\d)/g, '--lloq '],
  [/\bthe API option predictionCorrected\b/g, '--pc'],
  // TIME's unit where Excel's serial window leaves it open (spreadsheet-dates.ts)
  [/\bgive the read option time: 'hours', which reads them as written/g, 'give --time hours, which reads them as written'],
  [/\bgive the API option epsilon: false\b/g, 'give --no-epsilon'],
  [/\bonly simulateReplicates\(\) simulates without ε: its option epsilon: false\b/g, 'only simulate --replicates simulates without ε: its --no-epsilon'],
  [/\(each interval is judged in the cell's candidates\)/g, '(see --json for each interval)'],
  // solver hints: "try method: 'rosenbrock' or 'auto'", "tighten the option rtol"
  [/\bmethod: '([\w-]+)' or '([\w-]+)'/g, '--method $1 or $2'],
  [/\bmethod: '([\w-]+)'/g, '--method $1'],
  [/\btighten the option rtol\b/g, 'tighten --rtol'],
  // a model text's kernel
  [/\bCompile the text again: await compileModel\(json\)/g, 'Compile the text again: dosewise compile FILE.model --out FILE.json'],
  [/\bcompile it with await compileModel\(text\)/g, 'pass the model text itself: --model FILE.model'],
  // optimize's first interval: "give the option window: [8, 48]"
  [/\bgive the option window: \[([^,\]]+), ([^\]]+)\]/g, 'pass --window $1:$2'],
  // a covariate override in a likely other unit (suspectUnitWarnings): "overrides.CRCL = 2: W_RENAL_UNIT: …"
  [/^overrides\.(\w+) = (\S+): (?=W_)/, '--param $1=$2: '],
  // a random effect only given parameters read (W_ETA_NOT_ESTIMATED): "CL (overrides.CL = 5) is given"
  [/\(overrides\.(\w+) = ([^)\s]+)\)/g, '(--param $1=$2)'],
  // nomogram()'s value likely in another unit: "grid CRCL=3: W_RENAL_UNIT: …", "fixed CRCL=100: …"
  [/^grid (\w+=\S+): (?=W_)/, '--grid $1: '],
  [/^fixed (\w+=\S+): (?=W_)/, '--set $1: '],
];

/** A library message (error, warning, note) in the command line's words. */
export function cliWords(message: string): string {
  return CLI_WORDS.reduce((m, [from, to]) => m.replace(from, to), message);
}
