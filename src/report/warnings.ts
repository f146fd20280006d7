// A run's warnings placed in its report (pure: no Node built-in): one that names an ID ("p11.csv,
// ID 1: ...") at the top of that ID's first section, one about a file ("W_II_NOT_REPEATED: reg9.json:
// ...") at the top of the first section that names it ("Best regimen: reg9"), the rest in a
// "Warnings" section first; a
// warning a section already says (the estimate's own, in "why this estimate") is not said twice.
// "No warnings" (the explanation's) is said only where the run gave none at all.

import { NO_WARNINGS } from './explain.js';
import type { ReportSection } from './html.js';

/** The ID a warning is about: ", ID 12:" / "ID 12," after its file; undefined for a run's warning. */
export function warningId(w: string): number | undefined {
  const m = /(?:^|[\s,(])ID (\d+)(?=[,:;)\s]|$)/.exec(w);
  return m ? Number(m[1]) : undefined;
}

/** A warning's words after its code and places ("W_X: file, ID 1: ..."), to find it said in a section. */
function body(w: string): string {
  const coded = /\bW_[A-Z0-9_]+: /.exec(w);
  let s = coded ? w.slice(coded.index + coded[0].length) : w;
  const placed = /^[^:]*\bID \d+[,:] (?:W_[A-Z0-9_]+: )?/.exec(s);
  if (placed) s = s.slice(placed[0].length);
  return s.trim();
}

const list = (ws: readonly string[]): string => `Warnings (${ws.length}):\n\n${ws.map((w) => `• ${w}`).join('\n\n')}`;

/** The first section whose heading or text names the file a run-wide warning is about ("W_X: reg9.json: ..." → "reg9"). */
function sectionNaming(sections: readonly ReportSection[], w: string): number | undefined {
  const file = /^(?:W_[A-Z0-9_]+: )?(?:\S*\/)?([^\s/:,]+)\.(?:json|csv|txt)[:,]/.exec(w)?.[1];
  if (file === undefined) return undefined;
  const named = new RegExp(`(?:^|[^\\w.-])${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`);
  const i = sections.findIndex((s) => named.test(`${s.heading}\n${s.text ?? ''}`));
  return i >= 0 ? i : undefined;
}

const sectionId = (s: ReportSection): number | undefined => {
  const m = /^ID (\d+)(?::|$| )/.exec(s.heading);
  return m ? Number(m[1]) : undefined;
};

/** The sections with the run's `warnings` in them (see above); the sections as they are when none. */
export function withWarnings(sections: readonly ReportSection[], warnings: readonly string[]): ReportSection[] {
  const said = sections.map((s) => s.text ?? '').join('\n');
  // a short remainder could match by chance: only a sentence's worth counts as said
  const fresh = warnings.filter((w) => body(w).length < 20 || !said.includes(body(w)));
  const ids = new Set(sections.map(sectionId).filter((id): id is number => id !== undefined));
  const byId = new Map<number, string[]>();
  const bySection = new Map<number, string[]>();
  const general: string[] = [];
  for (const w of fresh) {
    const id = warningId(w);
    const at = id === undefined ? sectionNaming(sections, w) : undefined;
    if (id !== undefined && ids.has(id)) byId.set(id, [...(byId.get(id) ?? []), w]);
    else if (at !== undefined) bySection.set(at, [...(bySection.get(at) ?? []), w]);
    else general.push(w);
  }
  const placed = new Map<number, string>(); // the ID's warnings went to the section of this heading
  const out = sections.map((s, i) => {
    const id = sectionId(s);
    let text = s.text;
    // a file's warning (reg9.json's lone dose) beside what the section says of it ("Best regimen: reg9")
    if (bySection.has(i)) text = `${list(bySection.get(i) as string[])}${text ? `\n\n${text}` : ''}`;
    if (id !== undefined && !placed.has(id) && byId.has(id)) {
      placed.set(id, s.heading);
      text = `${list(byId.get(id) as string[])}${text ? `\n\n${text}` : ''}`;
    }
    // the explanation's "No warnings" read as the run's: said only when the run gave none
    if (text?.includes(NO_WARNINGS) && warnings.length > 0) {
      const own = id !== undefined ? (byId.get(id)?.length ?? 0) : 0;
      const where = [
        own ? `${own} in section “${placed.get(id as number) ?? ''}”` : '',
        ...[...bySection].map(([j, ws]) => `${ws.length} in section “${(sections[j] as ReportSection).heading}”`),
        general.length ? `${general.length} in section “Warnings”` : '',
      ].filter(Boolean);
      text = text.replace(NO_WARNINGS, `Every level is informative and plausible, and every covariate lies within the model’s stated ranges; the run's warnings: ${where.length ? where.join(', ') : 'in the sections they concern'}.`);
    }
    return text === s.text ? s : { ...s, text };
  });
  return general.length ? [{ heading: 'Warnings', text: list(general) }, ...out] : out;
}
