// Limits of a population run, in a module of their own so that the command line can state them
// without loading the population code.

/** Most subjects of one run: subject indices stay exact integers in every counter and table. */
export const MAX_STUDY_SUBJECTS = 1_000_000_000;
