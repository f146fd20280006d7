// The package and bundle sizes README.md quotes ("Sizes (measured …)"), for the tests that measure
// them to hold them to: the README said 1.44 MiB / 4.8 MiB installed / 372 kB + 366 kB JS / 118,689 B
// of WASM a day after they had grown to 1.61 / 5.35 / 419 + 408 / 122,498. Since 2026-12-07 the
// figures are in docs/api.md ("For app builders"), where the README's reference moved.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export interface ReadmeSizes {
  /** MiB (2^20 bytes). */
  readonly tarballMiB: number;
  readonly installedMiB: number;
  /** kB (1000 bytes) of the README example app's page and worker scripts. */
  readonly pageKB: number;
  readonly workerKB: number;
  readonly wasmBytes: number;
}

/** The file that quotes the sizes. */
export const QUOTED_IN = 'docs/api.md';

export function readmeSizes(root: string): ReadmeSizes {
  const text = readFileSync(join(root, QUOTED_IN), 'utf8').replace(/\s+/g, ' ');
  const pack = /Sizes \(measured [^)]*\): the tarball is ([\d.]+) MiB and installs as ([\d.]+) MiB/.exec(text);
  const app = /is (\d+) kB of JavaScript for the page, (\d+) kB for the worker and \d+ KiB of WASM \(([\d,]+) bytes/.exec(text);
  expect(pack, `${QUOTED_IN}: "the tarball is X MiB and installs as Y MiB"`).not.toBeNull();
  expect(app, `${QUOTED_IN}: "is X kB of JavaScript for the page, Y kB for the worker and Z KiB of WASM (N bytes"`).not.toBeNull();
  const [, tarball, installed] = pack as RegExpExecArray;
  const [, page, worker, wasm] = app as RegExpExecArray;
  return { tarballMiB: Number(tarball), installedMiB: Number(installed), pageKB: Number(page), workerKB: Number(worker), wasmBytes: Number((wasm as string).replace(/,/g, '')) };
}

/** A quoted figure within 5 % of the measured one (sizes drift a little with every change). */
export function expectQuoted(name: string, quoted: number, measured: number): void {
  expect(Math.abs(quoted / measured - 1), `${QUOTED_IN} quotes ${name} ${quoted}, measured ${measured.toPrecision(4)}`).toBeLessThan(0.05);
}
