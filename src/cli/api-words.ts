// Library messages name the API's options (an app gives `lloq`, not `--lloq`); the command line
// prints them with its own flags. One table, so a message worded for the API is not printed to a
// CLI user with names it has no flag for.

const CLI_WORDS: readonly (readonly [RegExp, string])[] = [
  [/\bone limit for all \(the API option lloq\)/g, 'one limit for all (--lloq X)'],
  [/\bthe API option lloq\b/g, '--lloq'],
  // "lloq 0.5 censors …; … give lloq -0.693": the option with its value
  [/(?<![-\w])lloq (?=-?\d)/g, '--lloq '],
  [/\bthe API option predictionCorrected\b/g, '--pc'],
  [/\bgive the API option epsilon: false\b/g, 'give --no-epsilon'],
  [/\(each interval is judged in the cell's candidates\)/g, '(see --json for each interval)'],
];

/** A library message (error, warning, note) in the command line's words. */
export function cliWords(message: string): string {
  return CLI_WORDS.reduce((m, [from, to]) => m.replace(from, to), message);
}
