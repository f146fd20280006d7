// Limits of posterior sampling, in a module of their own so that the command line can state them
// without loading the estimation code.

/** Most draws per patient: each is a simulation of the patient, kept in memory until summarised. */
export const MAX_DRAWS = 1_000_000;
