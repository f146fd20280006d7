// Limits of replicate simulation, in a module of their own so the command line can state them without loading the simulator.

/** Most replicates of one run. */
export const MAX_REPLICATES = 1_000_000;
