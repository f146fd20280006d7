// A run every subject of which failed: the study is refused (exit 1, no table of blanks), a shard is
// not. A shard's failures are the study's to judge: its output merges, and merge counts them with the
// other shards' (a shard that exited 1 was FAILED in a job array, and an afterok merge never ran).

import { Errors } from '../errors.js';

const fmt = (x: number): string => x.toLocaleString('en-US');

/** Every one of `count` (> 0) subjects failed. */
export const allFailed = (failed: number, count: number): boolean => count > 0 && failed === count;

/** The refusal of a study (a run of all its subjects, or merge of all its shards) of which no number came. */
export function everySimulationFailed(count: number): ReturnType<typeof Errors.solver> {
  return Errors.solver(`every simulation failed (${fmt(count)} of ${fmt(count)} subjects): no metric could be computed; check the model's parameters for these covariates (e.g. dosewise simulate on one subject)`);
}

/** What a shard (I of N > 1) every subject of which failed says instead of that refusal. */
export function shardAllFailedWarning(index: number, of: number, count: number): string {
  return (
    `W_SHARD_ALL_FAILED: the simulation of every subject of shard ${index}/${of} failed (${fmt(count)} of ${fmt(count)}): ` +
    `the shard's output was written and merges with the other shards' (exit 0, so that a merge waiting on every shard runs); ` +
    `dosewise merge reports the study's count of failed subjects, and refuses the study only if every subject of every shard failed`
  );
}
