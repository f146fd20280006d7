// Command-line and compact-string lists: `500,750,1000`, `EGFR:30,60,90`, `auc24:400:600,trough::20`.

/** The comma-separated entries of `s`, each trimmed; empty entries are kept (each caller says whether it allows them). */
export function commaList(s: string): string[] {
  return s.split(',').map((p) => p.trim());
}
