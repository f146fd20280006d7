// The API's refusals as tests check them: a DosewiseError with this code, its message matching.

import { expect } from 'vitest';
import { DosewiseError } from '../../src/errors.js';

/** The error `f` throws: a DosewiseError with code `code`, its message matching `message`. */
export function refused(f: () => unknown, code: string, message: RegExp): DosewiseError {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, String(message)).toBeInstanceOf(DosewiseError);
  expect((err as DosewiseError).message).toMatch(message);
  expect((err as DosewiseError).code).toBe(code);
  return err as DosewiseError;
}

/** refused() for a promise: it rejects with such an error. */
export async function refusedAsync(f: () => Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const err = await f().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, String(message)).toBeInstanceOf(DosewiseError);
  expect((err as DosewiseError).message).toMatch(message);
  expect((err as DosewiseError).code).toBe(code);
}

/** The DosewiseError `f` throws, for assertions on its fields (place, code, message). */
export function caught(f: () => unknown): DosewiseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DosewiseError);
    return e as DosewiseError;
  }
  throw new Error('expected a DosewiseError, nothing was thrown');
}

/** caught() for a call that may reject: the DosewiseError it throws or rejects with (another error is rethrown). */
export async function caughtAsync(f: () => unknown): Promise<DosewiseError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof DosewiseError) return e;
    throw e;
  }
  throw new Error('expected an error');
}
