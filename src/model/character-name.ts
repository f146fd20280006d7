// How a refusal shows a character it cannot read: an invisible one (a no-break space pasted from a
// document, a zero-width space, a byte order mark) showed as `" "` or `""`, which looks like nothing
// is wrong; it is named by its code point instead, with what to do about it.

const NAMES: Readonly<Record<string, string>> = {
  '\t': 'tab',
  '\v': 'vertical tab',
  '\f': 'form feed',
  '\u0085': 'next line',
  '\u00a0': 'no-break space',
  '\u00ad': 'soft hyphen',
  '\u1680': 'ogham space mark',
  '\u180e': 'Mongolian vowel separator',
  '\u2000': 'en quad',
  '\u2001': 'em quad',
  '\u2002': 'en space',
  '\u2003': 'em space',
  '\u2004': 'three-per-em space',
  '\u2005': 'four-per-em space',
  '\u2006': 'six-per-em space',
  '\u2007': 'figure space',
  '\u2008': 'punctuation space',
  '\u2009': 'thin space',
  '\u200a': 'hair space',
  '\u200b': 'zero-width space',
  '\u200c': 'zero-width non-joiner',
  '\u200d': 'zero-width joiner',
  '\u200e': 'left-to-right mark',
  '\u200f': 'right-to-left mark',
  '\u2028': 'line separator',
  '\u2029': 'paragraph separator',
  '\u202f': 'narrow no-break space',
  '\u205f': 'medium mathematical space',
  '\u2060': 'word joiner',
  '\u3000': 'ideographic space',
  '\ufeff': 'byte order mark, zero-width no-break space',
};

/**
 * The character at `text[at]` as a message shows it: `"$"` when it can be seen, else its code point
 * and name with the fix (`U+00A0 (no-break space): write a plain space`).
 */
export function shownCharacter(text: string, at: number): string {
  const cp = text.codePointAt(at);
  if (cp === undefined) return '""';
  const c = String.fromCodePoint(cp);
  // JavaScript's \s counts the byte order mark, which takes no width: it is deleted, not replaced
  const blank = /\s/u.test(c) && c !== '\ufeff';
  if (!blank && !/[\p{Cc}\p{Cf}\p{Z}]/u.test(c)) return `"${c}"`;
  const name = NAMES[c];
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}${name ? ` (${name})` : ''}: ${blank ? 'write a plain space' : 'delete it'}`;
}
