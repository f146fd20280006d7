// A height outside what growth charts give for the age, and whether it read as inches fits: a
// height in inches typed as cm (37 for 94 cm at 3 years) is told by the age where no weight is
// given, or where a thin child's body-mass index stays under the BMI rule's 80 kg/m².

const CM_PER_INCH = 2.54;
const num = (x: number): string => String(+x.toPrecision(4));

/** How `heightCm` lies against the heights `envelope` (cm) of an age: undefined inside; else the range as text and, where it fits, the height read as inches (cm). */
export function heightOutsideAge(heightCm: number, envelope: readonly [number, number]): { readonly range: string; readonly inchesCm?: number } | undefined {
  const [lo, hi] = envelope;
  if (!(heightCm > 0) || (heightCm >= lo && heightCm <= hi)) return undefined;
  const inches = heightCm * CM_PER_INCH;
  return { range: `${num(lo)}–${num(hi)} cm`, ...(inches >= lo && inches <= hi ? { inchesCm: +inches.toPrecision(4) } : {}) };
}
