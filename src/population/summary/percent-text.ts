// A fraction in percent as pta writes a PTA and population a window fraction, pure (no node: modules).

// one decimal, but never 100.0 or 0.0 for a fraction short of 1 or above 0: 1,999 of 2,000 read
// "100.0 ± 0.0" beside a best regimen "at 100.0 %"
export const pct = (x: number): string => {
  if (Number.isNaN(x)) return '-';
  let t = (100 * x).toFixed(1);
  // compared as numbers: "100.00" for 0.99996 stopped the widening one digit short (a Wilson bound read as certainty)
  for (let d = 2; d <= 6 && ((Number(t) === 100 && x < 1) || (Number(t) === 0 && x > 0)); d++) t = (100 * x).toFixed(d);
  return t;
};
