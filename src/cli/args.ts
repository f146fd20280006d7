// Option parsers shared by the commands: a bad value is a usage error (exit 2) that names the option
// and the value, reported by commander as "option '--n <N>' argument 'x' is invalid. --n x: ...".

import { InvalidArgumentError } from 'commander';

/** Parser of an integer option ≥ min (e.g. --n, --workers, --chunk-size). */
export function intArg(name: string, min: number): (v: string) => number {
  return (v: string): number => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isInteger(x) || x < min) throw new InvalidArgumentError(`--${name} ${v}: expected ${min === 1 ? 'a positive integer' : `an integer ≥ ${min}`}`);
    return x;
  };
}

export const subjectsArg = intArg('n', 1);
export const workersArg = intArg('workers', 0);
export const chunkSizeArg = intArg('chunk-size', 1);
