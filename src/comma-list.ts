// Command-line and compact-string lists: `500,750,1000`, `EGFR:30,60,90`, `auc24:400:600,trough::20`.

/** The comma-separated entries of `s`, each trimmed; empty entries are kept (each caller says whether it allows them). */
export function commaList(s: string): string[] {
  return s.split(',').map((p) => p.trim());
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * The entries of a comma-separated list of decimal numbers; an entry that is not one (empty, hex,
 * words) is NaN for the caller to refuse: Number() read '' as 0 (`--infusions 1,` added a bolus
 * candidate that ranked second) and '0x3E8' as 1000.
 */
export function decimalList(s: string): number[] {
  return commaList(s).map((p) => (DECIMAL.test(p) ? Number(p) : NaN));
}
