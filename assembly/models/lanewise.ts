// Functions without a SIMD instruction, for two-lane right-hand sides (models/pair.ts and the
// generated userRhsPair of a model text): each lane through the scalar function, so each lane's
// value is bitwise the scalar code's.

// @ts-ignore: decorator
@inline
function lanes(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}
// @ts-ignore: decorator
@inline export function expX2(x: v128): v128 {
  return lanes(Math.exp(f64x2.extract_lane(x, 0)), Math.exp(f64x2.extract_lane(x, 1)));
}
// @ts-ignore: decorator
@inline export function logX2(x: v128): v128 {
  return lanes(Math.log(f64x2.extract_lane(x, 0)), Math.log(f64x2.extract_lane(x, 1)));
}
// @ts-ignore: decorator
@inline export function log10X2(x: v128): v128 {
  return lanes(Math.log10(f64x2.extract_lane(x, 0)), Math.log10(f64x2.extract_lane(x, 1)));
}
// @ts-ignore: decorator
@inline export function powX2(x: v128, y: v128): v128 {
  return lanes(Math.pow(f64x2.extract_lane(x, 0), f64x2.extract_lane(y, 0)), Math.pow(f64x2.extract_lane(x, 1), f64x2.extract_lane(y, 1)));
}
/** 1.0 where the mask is set, else 0.0: a comparison's value. */
// @ts-ignore: decorator
@inline export function truthX2(mask: v128): v128 {
  return v128.bitselect(f64x2.splat(1.0), f64x2.splat(0.0), mask);
}
